/**
 * LMS.CaseSort 1.0: sort the facts of a case into categories (e.g. act / means / purpose).
 *
 * A choice task (LMS.ChoiceTask, loaded before this file): the choices are the categories, each statement's
 * answer is the key of its category. The shared library renders, checks, scores, reports xAPI and resumes.
 * Depends on nothing else but the H5P core. Every text from the parameters is inserted as a text node.
 *
 * State (getCurrentState / extras.previousState): {answers: [categoryKey | null, ...], checked: boolean},
 * one answer per statement, in the order of the parameters.
 */
var H5P = H5P || {};

H5P.CaseSort = (function (ChoiceTask) {
  'use strict';

  var asText = ChoiceTask.asText;

  /**
   * @param {object} params content.json parameters
   * @param {number|string} contentId
   * @param {object} [extras] {previousState, metadata, ...} as passed by H5P.newRunnable
   */
  function CaseSort(params, contentId, extras) {
    params = params || {};
    ChoiceTask.call(this, params, contentId, extras, {
      prefix: 'lms-cs',
      containerClass: 'h5p-lms-casesort',
      title: 'Case sort'
    });

    var categories = (Array.isArray(params.categories) ? params.categories : []).filter(function (category) {
      return category && asText(category.key) && asText(category.label);
    });
    var keys = categories.map(function (category) { return category.key; });
    var statements = (Array.isArray(params.statements) ? params.statements : []).filter(function (statement) {
      return statement && asText(statement.text) && keys.indexOf(statement.category) !== -1;
    });
    this.setTask(categories.map(function (category) {
      return {value: category.key, key: category.key, label: category.label};
    }), statements.map(function (statement) {
      return {text: statement.text, answer: statement.category, explanation: statement.explanation};
    }));
  }

  CaseSort.prototype = Object.create(ChoiceTask.prototype);
  CaseSort.prototype.constructor = CaseSort;

  return CaseSort;
})(H5P.ChoiceTask);

// This core's H5P.newRunnable finds a constructor by walking window along the machine name
// ("LMS.CaseSort" -> window.LMS.CaseSort); older cores use H5P.classFromName (H5P.CaseSort).
window.LMS = window.LMS || {};
window.LMS.CaseSort = H5P.CaseSort;

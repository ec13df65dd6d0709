/**
 * LMS.IndicatorCheck 1.0: a set of true/false statements on one screen, with feedback per statement.
 *
 * A choice task (LMS.ChoiceTask, loaded before this file) with two choices, "True" and "False" (texts from
 * l10n); each statement's answer is a boolean. The shared library renders, checks, scores, reports xAPI and
 * resumes. Depends on nothing else but the H5P core. Every text from the parameters is inserted as a text node.
 *
 * State (getCurrentState / extras.previousState): {answers: [true | false | null, ...], checked: boolean},
 * one answer per statement, in the order of the parameters.
 */
var H5P = H5P || {};

H5P.IndicatorCheck = (function (ChoiceTask) {
  'use strict';

  var asText = ChoiceTask.asText;

  /**
   * @param {object} params content.json parameters
   * @param {number|string} contentId
   * @param {object} [extras] {previousState, metadata, ...} as passed by H5P.newRunnable
   */
  function IndicatorCheck(params, contentId, extras) {
    params = params || {};
    ChoiceTask.call(this, params, contentId, extras, {
      prefix: 'lms-ic',
      containerClass: 'h5p-lms-indicatorcheck',
      title: 'Indicator check',
      l10n: {trueLabel: 'True', falseLabel: 'False'}
    });

    var statements = (Array.isArray(params.statements) ? params.statements : []).filter(function (statement) {
      return statement && asText(statement.text);
    });
    this.setTask([
      {value: true, key: 'true', label: this.l10n.trueLabel},
      {value: false, key: 'false', label: this.l10n.falseLabel}
    ], statements.map(function (statement) {
      return {text: statement.text, answer: statement.isTrue === true, explanation: statement.feedback};
    }));
  }

  IndicatorCheck.prototype = Object.create(ChoiceTask.prototype);
  IndicatorCheck.prototype.constructor = IndicatorCheck;

  return IndicatorCheck;
})(H5P.ChoiceTask);

// This core's H5P.newRunnable finds a constructor by walking window along the machine name
// ("LMS.IndicatorCheck" -> window.LMS.IndicatorCheck); older cores use H5P.classFromName.
window.LMS = window.LMS || {};
window.LMS.IndicatorCheck = H5P.IndicatorCheck;

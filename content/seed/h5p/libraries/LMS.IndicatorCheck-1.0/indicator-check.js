/**
 * LMS.IndicatorCheck 1.0: a set of true/false statements on one screen, with feedback per statement.
 *
 * Depends on nothing but the H5P core (H5P.jQuery, H5P.EventDispatcher, xAPI helpers).
 * Every text from the parameters is inserted as a text node, never as HTML.
 *
 * State (getCurrentState / extras.previousState): {answers: [true | false | null, ...], checked: boolean},
 * one answer per statement, in the order of the parameters.
 */
var H5P = H5P || {};

H5P.IndicatorCheck = (function ($, EventDispatcher) {
  'use strict';

  var DEFAULT_L10N = {
    trueLabel: 'True',
    falseLabel: 'False',
    checkAnswer: 'Check',
    tryAgain: 'Try again',
    showSolution: 'Show solution',
    correct: 'Correct.',
    incorrect: 'Incorrect.',
    notAnswered: 'Not answered.',
    correctAnswer: 'Correct answer: @answer.',
    score: 'Score: @score of @total.'
  };

  var instanceCounter = 0;

  function asText(value) {
    return typeof value === 'string' ? value : '';
  }

  function paragraphs(text) {
    return asText(text).split(/\n\s*\n/).map(function (part) {
      return part.trim();
    }).filter(function (part) {
      return part.length > 0;
    });
  }

  function format(template, values) {
    return asText(template).replace(/@(\w+)/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  /**
   * @param {object} params content.json parameters
   * @param {number|string} contentId
   * @param {object} [extras] {previousState, metadata, ...} as passed by H5P.newRunnable
   */
  function IndicatorCheck(params, contentId, extras) {
    EventDispatcher.call(this);
    params = params || {};
    extras = extras || {};
    this.contentId = contentId;
    this.extras = extras;
    this.instanceNumber = ++instanceCounter;

    this.taskDescription = asText(params.taskDescription);
    this.statements = (Array.isArray(params.statements) ? params.statements : []).filter(function (statement) {
      return statement && asText(statement.text);
    }).map(function (statement) {
      return {text: statement.text, isTrue: statement.isTrue === true, feedback: asText(statement.feedback)};
    });

    var behaviour = params.behaviour || {};
    var pass = Number(behaviour.passPercentage);
    this.passPercentage = isFinite(pass) && pass >= 0 && pass <= 100 ? pass : 100;
    this.enableRetry = behaviour.enableRetry !== false;
    this.enableSolutionsButton = behaviour.enableSolutionsButton !== false;
    this.l10n = $.extend({}, DEFAULT_L10N, params.l10n || {});

    this.answers = this.statements.map(function () { return null; });
    this.checked = false;
    this.solutionsShown = false;
    this.restoreState(extras.previousState);
  }

  IndicatorCheck.prototype = Object.create(EventDispatcher.prototype);
  IndicatorCheck.prototype.constructor = IndicatorCheck;

  /** Apply a saved state, ignoring anything that no longer matches the parameters. */
  IndicatorCheck.prototype.restoreState = function (state) {
    if (!state || typeof state !== 'object' || !Array.isArray(state.answers)) {
      return;
    }
    for (var i = 0; i < this.answers.length; i++) {
      var answer = state.answers[i];
      this.answers[i] = answer === true || answer === false ? answer : null;
    }
    this.checked = state.checked === true;
  };

  IndicatorCheck.prototype.answerLabel = function (value) {
    return value ? this.l10n.trueLabel : this.l10n.falseLabel;
  };

  IndicatorCheck.prototype.attach = function ($container) {
    var self = this;
    var doc = $container.get(0).ownerDocument || document;
    var idBase = 'lms-ic-' + String(this.contentId).replace(/[^\w-]/g, '') + '-' + this.instanceNumber;
    $container.addClass('h5p-lms-indicatorcheck');
    $container.empty();

    var root = doc.createElement('div');
    root.className = 'lms-ic';

    if (this.taskDescription) {
      var intro = doc.createElement('div');
      intro.className = 'lms-ic-intro';
      paragraphs(this.taskDescription).forEach(function (text) {
        var p = doc.createElement('p');
        p.textContent = text;
        intro.appendChild(p);
      });
      root.appendChild(intro);
    }

    var list = doc.createElement('ol');
    list.className = 'lms-ic-list';
    this.items = this.statements.map(function (statement, index) {
      var item = doc.createElement('li');
      item.className = 'lms-ic-item';

      var fieldset = doc.createElement('fieldset');
      fieldset.className = 'lms-ic-fieldset';
      var legend = doc.createElement('legend');
      legend.className = 'lms-ic-statement';
      legend.textContent = statement.text;
      fieldset.appendChild(legend);

      var options = doc.createElement('div');
      options.className = 'lms-ic-options';
      var inputs = [true, false].map(function (value) {
        var label = doc.createElement('label');
        label.className = 'lms-ic-option';
        var input = doc.createElement('input');
        input.type = 'radio';
        input.name = idBase + '-s' + index;
        input.id = idBase + '-s' + index + (value ? '-true' : '-false');
        input.value = value ? 'true' : 'false';
        input.checked = self.answers[index] === value;
        input.addEventListener('change', function () {
          if (input.checked) {
            self.answers[index] = value;
            self.trigger('resize');
          }
        });
        var span = doc.createElement('span');
        span.textContent = self.answerLabel(value);
        label.appendChild(input);
        label.appendChild(span);
        options.appendChild(label);
        return {input: input, label: label, value: value};
      });
      fieldset.appendChild(options);
      item.appendChild(fieldset);

      var feedback = doc.createElement('div');
      feedback.className = 'lms-ic-feedback';
      feedback.id = idBase + '-f' + index;
      feedback.hidden = true;
      item.appendChild(feedback);
      fieldset.setAttribute('aria-describedby', feedback.id);

      list.appendChild(item);
      return {element: item, inputs: inputs, feedback: feedback};
    });
    root.appendChild(list);

    var actions = doc.createElement('div');
    actions.className = 'lms-ic-actions';
    this.checkButton = this.createButton(doc, this.l10n.checkAnswer, 'lms-ic-check', function () {
      self.check();
    });
    this.retryButton = this.createButton(doc, this.l10n.tryAgain, 'lms-ic-retry', function () {
      self.resetTask();
      self.focusFirstInput();
    });
    this.solutionButton = this.createButton(doc, this.l10n.showSolution, 'lms-ic-solution', function () {
      self.showSolutions();
      self.summary.focus();
    });
    actions.appendChild(this.checkButton);
    actions.appendChild(this.retryButton);
    actions.appendChild(this.solutionButton);
    root.appendChild(actions);

    this.summary = doc.createElement('div');
    this.summary.className = 'lms-ic-summary';
    this.summary.setAttribute('role', 'status');
    this.summary.setAttribute('aria-live', 'polite');
    this.summary.tabIndex = -1;
    root.appendChild(this.summary);

    $container.get(0).appendChild(root);
    this.render();
  };

  IndicatorCheck.prototype.createButton = function (doc, text, className, onClick) {
    var button = doc.createElement('button');
    button.type = 'button';
    button.className = 'lms-ic-button ' + className;
    button.textContent = text;
    button.addEventListener('click', onClick);
    return button;
  };

  IndicatorCheck.prototype.focusFirstInput = function () {
    if (this.items && this.items.length) {
      this.items[0].inputs[0].input.focus();
    }
  };

  /** Bring the DOM in line with answers / checked / solutionsShown. */
  IndicatorCheck.prototype.render = function () {
    if (!this.items) {
      return;
    }
    var self = this;
    var locked = this.checked || this.solutionsShown;
    this.items.forEach(function (item, index) {
      var statement = self.statements[index];
      var answer = self.answers[index];
      var isCorrect = answer === statement.isTrue;
      item.inputs.forEach(function (option) {
        option.input.checked = answer === option.value;
        option.input.disabled = locked;
        option.label.classList.toggle('lms-ic-option-chosen', answer === option.value);
        option.label.classList.toggle('lms-ic-option-solution', self.solutionsShown && option.value === statement.isTrue);
      });
      item.element.classList.remove('lms-ic-item-correct', 'lms-ic-item-incorrect', 'lms-ic-item-unanswered');
      var feedback = item.feedback;
      while (feedback.firstChild) {
        feedback.removeChild(feedback.firstChild);
      }
      if (!locked) {
        feedback.hidden = true;
        return;
      }
      var verdict;
      var showExplanation = self.solutionsShown || answer !== null;
      if (answer === null) {
        verdict = self.l10n.notAnswered;
        item.element.classList.add('lms-ic-item-unanswered');
      }
      else {
        verdict = isCorrect ? self.l10n.correct : self.l10n.incorrect;
        item.element.classList.add(isCorrect ? 'lms-ic-item-correct' : 'lms-ic-item-incorrect');
      }
      var icon = feedback.ownerDocument.createElement('span');
      icon.className = 'lms-ic-icon';
      icon.setAttribute('aria-hidden', 'true');
      icon.textContent = answer === null ? '\u2013' : (isCorrect ? '\u2713' : '\u2717');
      feedback.appendChild(icon);
      var strong = feedback.ownerDocument.createElement('strong');
      strong.textContent = verdict;
      feedback.appendChild(strong);
      if (showExplanation && !isCorrect) {
        feedback.appendChild(feedback.ownerDocument.createTextNode(' ' + format(self.l10n.correctAnswer, {
          answer: self.answerLabel(statement.isTrue)
        })));
      }
      if (showExplanation && statement.feedback) {
        var p = feedback.ownerDocument.createElement('p');
        p.className = 'lms-ic-explanation';
        p.textContent = statement.feedback;
        feedback.appendChild(p);
      }
      feedback.hidden = false;
    });

    var score = this.getScore();
    var max = this.getMaxScore();
    this.checkButton.hidden = locked;
    this.retryButton.hidden = !(locked && this.enableRetry);
    this.solutionButton.hidden = !(this.checked && !this.solutionsShown && this.enableSolutionsButton && score < max);
    this.summary.textContent = this.checked ? format(this.l10n.score, {score: score, total: max}) : '';
    this.summary.classList.toggle('lms-ic-summary-passed', this.checked && this.isPassed());
    this.trigger('resize');
  };

  IndicatorCheck.prototype.isPassed = function () {
    var max = this.getMaxScore();
    return max > 0 && this.getScore() >= this.passPercentage * max / 100;
  };

  IndicatorCheck.prototype.allAnswered = function () {
    return this.answers.every(function (answer) { return answer !== null; });
  };

  /** Check the answers, show feedback, and report "answered" (and "completed" once every statement has an answer). */
  IndicatorCheck.prototype.check = function () {
    this.checked = true;
    this.render();
    if (this.summary) {
      this.summary.focus();
    }
    var score = this.getScore();
    var max = this.getMaxScore();
    var success = this.isPassed();
    this.trigger(this.createAnsweredEvent(score, max, success));
    if (this.allAnswered()) {
      this.triggerXAPICompleted(score, max, success);
    }
  };

  /** An "answered" statement as triggerXAPIScored builds it, plus the interaction definition and response. */
  IndicatorCheck.prototype.createAnsweredEvent = function (score, max, success) {
    var event = this.createXAPIEventTemplate('answered');
    var definition = event.getVerifiedStatementValue(['object', 'definition']);
    if (definition) {
      $.extend(definition, this.getXAPIDefinition());
    }
    event.setScoredResult(score, max, this, true, success);
    event.data.statement.result.response = this.getXAPIResponse();
    return event;
  };

  IndicatorCheck.prototype.getXAPIDefinition = function () {
    return {
      description: {'en-US': this.taskDescription},
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      interactionType: 'matching',
      source: this.statements.map(function (statement, index) {
        return {id: String(index + 1), description: {'en-US': statement.text}};
      }),
      target: [
        {id: 'true', description: {'en-US': this.l10n.trueLabel}},
        {id: 'false', description: {'en-US': this.l10n.falseLabel}}
      ],
      correctResponsesPattern: [this.statements.map(function (statement, index) {
        return (index + 1) + '[.]' + (statement.isTrue ? 'true' : 'false');
      }).join('[,]')]
    };
  };

  IndicatorCheck.prototype.getXAPIResponse = function () {
    var pairs = [];
    this.answers.forEach(function (answer, index) {
      if (answer !== null) {
        pairs.push((index + 1) + '[.]' + (answer ? 'true' : 'false'));
      }
    });
    return pairs.join('[,]');
  };

  /** Report data for containers (Question Set, Interactive Book). */
  IndicatorCheck.prototype.getXAPIData = function () {
    var event = this.createAnsweredEvent(this.getScore(), this.getMaxScore(), this.isPassed());
    return {statement: event.data.statement};
  };

  IndicatorCheck.prototype.getScore = function () {
    var self = this;
    return this.statements.reduce(function (total, statement, index) {
      return total + (self.answers[index] === statement.isTrue ? 1 : 0);
    }, 0);
  };

  IndicatorCheck.prototype.getMaxScore = function () {
    return this.statements.length;
  };

  IndicatorCheck.prototype.getAnswerGiven = function () {
    return this.answers.some(function (answer) { return answer !== null; });
  };

  IndicatorCheck.prototype.showSolutions = function () {
    this.solutionsShown = true;
    this.render();
  };

  IndicatorCheck.prototype.resetTask = function () {
    this.answers = this.statements.map(function () { return null; });
    this.checked = false;
    this.solutionsShown = false;
    this.render();
  };

  IndicatorCheck.prototype.getCurrentState = function () {
    return {answers: this.answers.slice(), checked: this.checked};
  };

  IndicatorCheck.prototype.getTitle = function () {
    var title = this.extras.metadata && this.extras.metadata.title;
    return H5P.createTitle(title || 'Indicator check');
  };

  return IndicatorCheck;
})(H5P.jQuery, H5P.EventDispatcher);

// This core's H5P.newRunnable finds a constructor by walking window along the machine name
// ("LMS.IndicatorCheck" -> window.LMS.IndicatorCheck); older cores use H5P.classFromName.
window.LMS = window.LMS || {};
window.LMS.IndicatorCheck = H5P.IndicatorCheck;

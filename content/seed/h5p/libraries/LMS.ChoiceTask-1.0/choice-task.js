/**
 * LMS.ChoiceTask 1.0: the shared base of our statement tasks (LMS.CaseSort, LMS.IndicatorCheck); not runnable.
 *
 * A choice task is a list of statements; for each one the learner picks one of the same choices (radio
 * buttons), then checks: feedback per statement, a score, "Try again" and "Show solution", xAPI "answered"
 * and "completed", a state to resume from. A content type extends H5P.ChoiceTask, the way H5P.TrueFalse
 * builds on H5P's shared Question library: its constructor calls ChoiceTask with its class prefix and default
 * texts, then setTask() with its choices and statements. The DOM carries the shared classes (lms-ct-…,
 * styled by choice-task.css) and the content type's own (e.g. lms-cs-…).
 *
 * Depends on nothing but the H5P core (H5P.jQuery, H5P.EventDispatcher, xAPI helpers).
 * Every text from the parameters is inserted as a text node, never as HTML.
 *
 * State (getCurrentState / extras.previousState): {answers: [choice value | null, ...], checked: boolean},
 * one answer per statement, in the order of the parameters.
 */
var H5P = H5P || {};

H5P.ChoiceTask = (function ($, EventDispatcher) {
  'use strict';

  var SHARED_PREFIX = 'lms-ct';
  var SHARED_CONTAINER_CLASS = 'h5p-lms-choicetask';

  var DEFAULT_L10N = {
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
   * @param {object} params content.json parameters; read here: taskDescription, behaviour, l10n
   * @param {number|string} contentId
   * @param {object} [extras] {previousState, metadata, ...} as passed by H5P.newRunnable
   * @param {object} type the content type: {prefix: 'lms-cs', containerClass: 'h5p-lms-casesort',
   *   title: 'Case sort' (when the metadata has none), l10n: {...} (its default texts, over the shared ones)}
   */
  function ChoiceTask(params, contentId, extras, type) {
    EventDispatcher.call(this);
    params = params || {};
    extras = extras || {};
    type = type || {};
    this.contentId = contentId;
    this.extras = extras;
    this.instanceNumber = ++instanceCounter;
    this.prefix = asText(type.prefix) || SHARED_PREFIX;
    this.containerClass = asText(type.containerClass);
    this.defaultTitle = asText(type.title);

    this.taskDescription = asText(params.taskDescription);
    var behaviour = params.behaviour || {};
    var pass = Number(behaviour.passPercentage);
    this.passPercentage = isFinite(pass) && pass >= 0 && pass <= 100 ? pass : 100;
    this.enableRetry = behaviour.enableRetry !== false;
    this.enableSolutionsButton = behaviour.enableSolutionsButton !== false;
    this.l10n = $.extend({}, DEFAULT_L10N, type.l10n || {}, params.l10n || {});

    this.setTask([], []);
  }

  ChoiceTask.prototype = Object.create(EventDispatcher.prototype);
  ChoiceTask.prototype.constructor = ChoiceTask;

  /** Helpers for the content types. */
  ChoiceTask.asText = asText;

  /**
   * Set what the learner answers, then resume from extras.previousState.
   *
   * @param {Array} choices [{value: what the state stores, key: its id in the DOM and in xAPI, label}, ...]
   * @param {Array} statements [{text, answer: the value of the correct choice, explanation}, ...]
   */
  ChoiceTask.prototype.setTask = function (choices, statements) {
    this.choices = choices.map(function (choice) {
      return {value: choice.value, key: String(choice.key), label: asText(choice.label)};
    });
    this.statements = statements.map(function (statement) {
      return {text: asText(statement.text), answer: statement.answer, explanation: asText(statement.explanation)};
    });
    this.answers = this.statements.map(function () { return null; });
    this.checked = false;
    this.solutionsShown = false;
    this.restoreState(this.extras.previousState);
  };

  ChoiceTask.prototype.choiceFor = function (value) {
    for (var i = 0; i < this.choices.length; i++) {
      if (this.choices[i].value === value) {
        return this.choices[i];
      }
    }
    return null;
  };

  /** Apply a saved state, ignoring anything that no longer matches the parameters. */
  ChoiceTask.prototype.restoreState = function (state) {
    if (!state || typeof state !== 'object' || !Array.isArray(state.answers)) {
      return;
    }
    for (var i = 0; i < this.answers.length; i++) {
      var answer = state.answers[i];
      this.answers[i] = this.choiceFor(answer) !== null ? answer : null;
    }
    this.checked = state.checked === true;
  };

  /** The classes of one part: the shared one and the content type's, e.g. "lms-ct-item lms-cs-item". */
  ChoiceTask.prototype.classes = function (part) {
    var suffix = part ? '-' + part : '';
    return this.prefix === SHARED_PREFIX ? SHARED_PREFIX + suffix : SHARED_PREFIX + suffix + ' ' + this.prefix + suffix;
  };

  ChoiceTask.prototype.toggleClasses = function (element, part, on) {
    this.classes(part).split(' ').forEach(function (name) {
      element.classList.toggle(name, on);
    });
  };

  ChoiceTask.prototype.attach = function ($container) {
    var self = this;
    var doc = $container.get(0).ownerDocument || document;
    var idBase = this.prefix + '-' + String(this.contentId).replace(/[^\w-]/g, '') + '-' + this.instanceNumber;
    $container.addClass(SHARED_CONTAINER_CLASS);
    if (this.containerClass) {
      $container.addClass(this.containerClass);
    }
    $container.empty();

    var root = doc.createElement('div');
    root.className = this.classes('');

    if (this.taskDescription) {
      var intro = doc.createElement('div');
      intro.className = this.classes('intro');
      paragraphs(this.taskDescription).forEach(function (text) {
        var p = doc.createElement('p');
        p.textContent = text;
        intro.appendChild(p);
      });
      root.appendChild(intro);
    }

    var list = doc.createElement('ol');
    list.className = this.classes('list');
    this.items = this.statements.map(function (statement, index) {
      var item = doc.createElement('li');
      item.className = self.classes('item');

      var fieldset = doc.createElement('fieldset');
      fieldset.className = self.classes('fieldset');
      var legend = doc.createElement('legend');
      legend.className = self.classes('statement');
      legend.textContent = statement.text;
      fieldset.appendChild(legend);

      var options = doc.createElement('div');
      options.className = self.classes('options');
      var inputs = self.choices.map(function (choice, choiceIndex) {
        var label = doc.createElement('label');
        label.className = self.classes('option');
        var input = doc.createElement('input');
        input.type = 'radio';
        input.name = idBase + '-s' + index;
        input.id = idBase + '-s' + index + '-c' + choiceIndex;
        input.value = choice.key;
        input.checked = self.answers[index] === choice.value;
        input.addEventListener('change', function () {
          if (input.checked) {
            self.answers[index] = choice.value;
            self.trigger('resize');
          }
        });
        var span = doc.createElement('span');
        span.textContent = choice.label;
        label.appendChild(input);
        label.appendChild(span);
        options.appendChild(label);
        return {input: input, label: label, value: choice.value};
      });
      fieldset.appendChild(options);
      item.appendChild(fieldset);

      var feedback = doc.createElement('div');
      feedback.className = self.classes('feedback');
      feedback.id = idBase + '-f' + index;
      feedback.hidden = true;
      item.appendChild(feedback);
      fieldset.setAttribute('aria-describedby', feedback.id);

      list.appendChild(item);
      return {element: item, inputs: inputs, feedback: feedback};
    });
    root.appendChild(list);

    var actions = doc.createElement('div');
    actions.className = this.classes('actions');
    this.checkButton = this.createButton(doc, this.l10n.checkAnswer, 'check', function () {
      self.check();
    });
    this.retryButton = this.createButton(doc, this.l10n.tryAgain, 'retry', function () {
      self.resetTask();
      self.focusFirstInput();
    });
    this.solutionButton = this.createButton(doc, this.l10n.showSolution, 'solution', function () {
      self.showSolutions();
      self.summary.focus();
    });
    actions.appendChild(this.checkButton);
    actions.appendChild(this.retryButton);
    actions.appendChild(this.solutionButton);
    root.appendChild(actions);

    this.summary = doc.createElement('div');
    this.summary.className = this.classes('summary');
    this.summary.setAttribute('role', 'status');
    this.summary.setAttribute('aria-live', 'polite');
    this.summary.tabIndex = -1;
    root.appendChild(this.summary);

    $container.get(0).appendChild(root);
    this.render();
  };

  ChoiceTask.prototype.createButton = function (doc, text, part, onClick) {
    var button = doc.createElement('button');
    button.type = 'button';
    button.className = this.classes('button') + ' ' + this.classes(part);
    button.textContent = text;
    button.addEventListener('click', onClick);
    return button;
  };

  ChoiceTask.prototype.focusFirstInput = function () {
    if (this.items && this.items.length && this.items[0].inputs.length) {
      this.items[0].inputs[0].input.focus();
    }
  };

  /** Bring the DOM in line with answers / checked / solutionsShown. */
  ChoiceTask.prototype.render = function () {
    if (!this.items) {
      return;
    }
    var self = this;
    var locked = this.checked || this.solutionsShown;
    this.items.forEach(function (item, index) {
      var statement = self.statements[index];
      var answer = self.answers[index];
      var isCorrect = answer === statement.answer;
      item.inputs.forEach(function (option) {
        option.input.checked = answer === option.value;
        option.input.disabled = locked;
        self.toggleClasses(option.label, 'option-chosen', answer === option.value);
        self.toggleClasses(option.label, 'option-solution', self.solutionsShown && option.value === statement.answer);
      });
      ['item-correct', 'item-incorrect', 'item-unanswered'].forEach(function (part) {
        self.toggleClasses(item.element, part, false);
      });
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
        self.toggleClasses(item.element, 'item-unanswered', true);
      }
      else {
        verdict = isCorrect ? self.l10n.correct : self.l10n.incorrect;
        self.toggleClasses(item.element, isCorrect ? 'item-correct' : 'item-incorrect', true);
      }
      var doc = feedback.ownerDocument;
      var icon = doc.createElement('span');
      icon.className = self.classes('icon');
      icon.setAttribute('aria-hidden', 'true');
      icon.textContent = answer === null ? '\u2013' : (isCorrect ? '\u2713' : '\u2717');
      feedback.appendChild(icon);
      var strong = doc.createElement('strong');
      strong.textContent = verdict;
      feedback.appendChild(strong);
      if (showExplanation && !isCorrect) {
        var correct = self.choiceFor(statement.answer);
        feedback.appendChild(doc.createTextNode(' ' + format(self.l10n.correctAnswer, {
          answer: correct ? correct.label : ''
        })));
      }
      if (showExplanation && statement.explanation) {
        var p = doc.createElement('p');
        p.className = self.classes('explanation');
        p.textContent = statement.explanation;
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
    this.toggleClasses(this.summary, 'summary-passed', this.checked && this.isPassed());
    this.trigger('resize');
  };

  ChoiceTask.prototype.isPassed = function () {
    var max = this.getMaxScore();
    return max > 0 && this.getScore() >= this.passPercentage * max / 100;
  };

  ChoiceTask.prototype.allAnswered = function () {
    return this.answers.every(function (answer) { return answer !== null; });
  };

  /** Check the answers, show feedback, and report "answered" (and "completed" once every statement has an answer). */
  ChoiceTask.prototype.check = function () {
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
  ChoiceTask.prototype.createAnsweredEvent = function (score, max, success) {
    var event = this.createXAPIEventTemplate('answered');
    var definition = event.getVerifiedStatementValue(['object', 'definition']);
    if (definition) {
      $.extend(definition, this.getXAPIDefinition());
    }
    event.setScoredResult(score, max, this, true, success);
    event.data.statement.result.response = this.getXAPIResponse();
    return event;
  };

  /** A "matching" interaction: each statement (source) is matched with one choice (target). */
  ChoiceTask.prototype.getXAPIDefinition = function () {
    var self = this;
    return {
      description: {'en-US': this.taskDescription},
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      interactionType: 'matching',
      source: this.statements.map(function (statement, index) {
        return {id: String(index + 1), description: {'en-US': statement.text}};
      }),
      target: this.choices.map(function (choice) {
        return {id: choice.key, description: {'en-US': choice.label}};
      }),
      correctResponsesPattern: [this.statements.map(function (statement, index) {
        return (index + 1) + '[.]' + self.choiceFor(statement.answer).key;
      }).join('[,]')]
    };
  };

  ChoiceTask.prototype.getXAPIResponse = function () {
    var self = this;
    var pairs = [];
    this.answers.forEach(function (answer, index) {
      if (answer !== null) {
        pairs.push((index + 1) + '[.]' + self.choiceFor(answer).key);
      }
    });
    return pairs.join('[,]');
  };

  /** Report data for containers (Question Set, Interactive Book). */
  ChoiceTask.prototype.getXAPIData = function () {
    var event = this.createAnsweredEvent(this.getScore(), this.getMaxScore(), this.isPassed());
    return {statement: event.data.statement};
  };

  ChoiceTask.prototype.getScore = function () {
    var self = this;
    return this.statements.reduce(function (total, statement, index) {
      return total + (self.answers[index] === statement.answer ? 1 : 0);
    }, 0);
  };

  ChoiceTask.prototype.getMaxScore = function () {
    return this.statements.length;
  };

  ChoiceTask.prototype.getAnswerGiven = function () {
    return this.answers.some(function (answer) { return answer !== null; });
  };

  ChoiceTask.prototype.showSolutions = function () {
    this.solutionsShown = true;
    this.render();
  };

  ChoiceTask.prototype.resetTask = function () {
    this.answers = this.statements.map(function () { return null; });
    this.checked = false;
    this.solutionsShown = false;
    this.render();
  };

  ChoiceTask.prototype.getCurrentState = function () {
    return {answers: this.answers.slice(), checked: this.checked};
  };

  ChoiceTask.prototype.getTitle = function () {
    var title = this.extras.metadata && this.extras.metadata.title;
    return H5P.createTitle(title || this.defaultTitle || 'Choice task');
  };

  return ChoiceTask;
})(H5P.jQuery, H5P.EventDispatcher);

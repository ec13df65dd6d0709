/*
 * The seed SCORM module (content.seed.scorm): one question at a time, the learner's answers kept in
 * suspend_data and the current question in the location, so the module resumes where it was left.
 * Speaks SCORM 1.2 (window.API) or SCORM 2004 (window.API_1484_11), as module-data says.
 */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("module-data").textContent);
  var texts = data.texts;
  var is12 = data.version === "1.2";
  var api = is12 ? window.API : window.API_1484_11;
  var keys = is12
    ? { location: "cmi.core.lesson_location", entry: "cmi.core.entry", exit: "cmi.core.exit", raw: "cmi.core.score.raw",
        min: "cmi.core.score.min", max: "cmi.core.score.max", session: "cmi.core.session_time" }
    : { location: "cmi.location", entry: "cmi.entry", exit: "cmi.exit", raw: "cmi.score.raw",
        min: "cmi.score.min", max: "cmi.score.max", session: "cmi.session_time" };
  var started = Date.now();
  var questions = texts.questions;
  var answers = questions.map(function () { return null; });
  var current = 0;
  var main = document.getElementById("module");

  function call(name12, name2004, args) {
    if (!api) return "";
    var fn = api[is12 ? name12 : name2004];
    return typeof fn === "function" ? String(fn.apply(api, args || [])) : "";
  }
  function get(key) { return call("LMSGetValue", "GetValue", [key]); }
  function set(key, value) { return call("LMSSetValue", "SetValue", [key, String(value)]); }
  function commit() { return call("LMSCommit", "Commit", [""]); }
  function finish() { return call("LMSFinish", "Terminate", [""]); }
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, name) { return values[name]; });
  }
  function sessionTime() {
    var seconds = Math.round((Date.now() - started) / 1000);
    if (!is12) return "PT" + seconds + "S";
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    return (h < 10 ? "000" : "00") + h + ":" + (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }
  function save() {
    set("cmi.suspend_data", JSON.stringify({ answers: answers }));
    set(keys.location, current);
    commit();
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function button(label, action, handler) {
    var node = el("button", { type: "button", "data-action": action }, label);
    node.addEventListener("click", handler);
    return node;
  }

  function render(notice) {
    main.textContent = "";
    main.appendChild(el("h1", {}, texts.title));
    if (notice) main.appendChild(el("p", { "class": "notice", role: "status", "data-notice": notice }, texts[notice]));
    var question = questions[current];
    main.appendChild(el("h2", { id: "question-heading" }, format(texts.question, { number: current + 1, count: questions.length })));
    main.appendChild(el("p", { "data-question": String(current) }, question.text));
    var fieldset = el("fieldset");
    fieldset.appendChild(el("legend", {}, texts.choose));
    question.options.forEach(function (option, index) {
      var id = "q" + current + "o" + index;
      var input = el("input", { type: "radio", name: "q" + current, id: id, value: String(index) });
      if (answers[current] === index) input.checked = true;
      input.addEventListener("change", function () { answers[current] = index; save(); render(); });
      var label = el("label", { "for": id }, " " + option);
      var row = el("div");
      row.appendChild(input);
      row.appendChild(label);
      fieldset.appendChild(row);
    });
    main.appendChild(fieldset);
    if (answers[current] !== null) {
      var right = answers[current] === question.correct;
      main.appendChild(el("p", { "data-feedback": right ? "right" : "wrong" }, (right ? texts.right : texts.wrong) + " " + question.feedback));
    }
    var actions = el("p", { "class": "actions" });
    if (current < questions.length - 1) {
      var next = button(texts.next, "next", function () { current += 1; save(); render(); });
      next.disabled = answers[current] === null;
      actions.appendChild(next);
    } else {
      var done = button(texts.finish, "finish", complete);
      done.disabled = answers.some(function (answer) { return answer === null; });
      actions.appendChild(done);
    }
    actions.appendChild(button(texts.save_close, "save-close", suspend));
    main.appendChild(actions);
  }

  function suspend() {
    save();
    set(keys.exit, "suspend");
    set(keys.session, sessionTime());
    if (is12) set("cmi.core.lesson_status", "incomplete"); else set("cmi.completion_status", "incomplete");
    finish();
    closed();
  }

  function complete() {
    var score = answers.filter(function (answer, index) { return answer === questions[index].correct; }).length;
    save();
    set(keys.raw, score);
    set(keys.min, 0);
    set(keys.max, questions.length);
    set(keys.session, sessionTime());
    if (is12) {
      set("cmi.core.lesson_status", "completed");
      set(keys.exit, "");
    } else {
      set("cmi.score.scaled", (score / questions.length).toFixed(2));
      set("cmi.completion_status", "completed");
      set("cmi.success_status", score / questions.length >= 0.6 ? "passed" : "failed");
      set(keys.exit, "normal");
    }
    finish();
    main.textContent = "";
    main.appendChild(el("h1", {}, texts.title));
    main.appendChild(el("p", { role: "status", "data-result": String(score) }, format(texts.result, { score: score, count: questions.length })));
    main.appendChild(el("p", {}, texts.closed));
  }

  function closed() {
    main.textContent = "";
    main.appendChild(el("h1", {}, texts.title));
    main.appendChild(el("p", { role: "status", "data-closed": "" }, texts.closed));
  }

  call("LMSInitialize", "Initialize", [""]);
  var saved = get("cmi.suspend_data");
  var notice = "";
  if (saved) {
    try {
      var state = JSON.parse(saved);
      if (state && Array.isArray(state.answers)) {
        state.answers.slice(0, questions.length).forEach(function (answer, index) {
          answers[index] = typeof answer === "number" ? answer : null;
        });
      }
    } catch (error) { /* a damaged state starts again */ }
    var location = parseInt(get(keys.location), 10);
    if (location >= 0 && location < questions.length) current = location;
    notice = "welcome_back";
  }
  if (is12 && get("cmi.core.lesson_status") === "not attempted") set("cmi.core.lesson_status", "incomplete");
  render(notice);
})();

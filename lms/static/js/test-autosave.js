/*
 * Autosave of a test: each item is posted to the server when the learner changes it, with the same
 * field names as the form (which also works without this script). Unsent items are kept in this
 * browser's storage and sent again when the connection returns or the page is opened again, so an
 * answer given while offline is not lost. The question list (navigator) follows what is answered
 * and flagged; the flag travels with the item's fields. The countdown is in test-timer.js.
 */
(function () {
  "use strict";
  var form = document.getElementById("test-form");
  if (!form) return;
  var url = form.getAttribute("data-autosave-url");
  var stateEl = document.querySelector("[data-save-state]");
  var storeKey = "lms-test-pending:" + url;
  var pending = {};
  var timers = {};
  var typing = {};
  var sending = false;

  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function show(kind) {
    if (!stateEl) return;
    stateEl.textContent = form.getAttribute("data-" + kind + "-text") || "";
    stateEl.setAttribute("data-state", kind);
  }

  var countEl = document.querySelector("[data-answered]");

  function hasAnswer(fieldset) {
    return Array.prototype.some.call(fieldset.querySelectorAll("input, select, textarea"), function (input) {
      if (!input.name || input.hasAttribute("data-flag")) return false;
      if (input.type === "radio" || input.type === "checkbox") return input.checked;
      return input.value.trim() !== "";
    });
  }

  function mark(position, answered, flagged) {
    var nav = document.querySelector("[data-nav='" + position + "']");
    if (!nav) return;
    nav.classList.toggle("is-answered", answered);
    nav.classList.toggle("is-flagged", flagged);
    var state = nav.querySelector("[data-nav-state]");
    if (state) {
      state.textContent = form.getAttribute(answered ? "data-answered-text" : "data-unanswered-text") +
        (flagged ? ", " + form.getAttribute("data-flagged-text") : "");
    }
    if (countEl) {
      var items = document.querySelectorAll("[data-nav]");
      var answeredCount = document.querySelectorAll("[data-nav].is-answered").length;
      countEl.textContent = (form.getAttribute("data-count-text") || "")
        .replace("%(answered)s", answeredCount).replace("%(total)s", items.length);
    }
  }

  function markFieldset(fieldset) {
    var flag = fieldset.querySelector("[data-flag]");
    mark(fieldset.getAttribute("data-position"), hasAnswer(fieldset), !!(flag && flag.checked));
  }

  function remember() {
    try { localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (error) { /* storage full or denied */ }
  }

  function fieldsOf(fieldset) {
    var fields = [];
    fieldset.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (!input.name) return;
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      fields.push([input.name, input.value]);
    });
    return fields;
  }

  function queue(fieldset) {
    var position = fieldset.getAttribute("data-position");
    markFieldset(fieldset);
    pending[position] = fieldsOf(fieldset);
    remember();
    flush();
  }

  function flush() {
    if (sending) return;
    var positions = Object.keys(pending);
    if (!positions.length) return;
    var position = positions[0];
    var body = new URLSearchParams();
    body.append("position", position);
    pending[position].forEach(function (pair) { body.append(pair[0], pair[1]); });
    var sent = pending[position];
    sending = true;
    show("saving");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        sending = false;
        if (response.ok || response.status === 400 || response.status === 409) {
          if (pending[position] === sent) delete pending[position];
          remember();
          if (data && data.closed) { window.location.reload(); return; }
          if (!response.ok && data && data.error) {
            if (stateEl) { stateEl.textContent = data.error; stateEl.setAttribute("data-state", "error"); }
          } else {
            show("saved");
            if (data && data.position !== undefined) mark(String(data.position), !!data.answered, !!data.flagged);
          }
          flush();
        } else {
          show("offline");
        }
      });
    }).catch(function () {
      sending = false;
      show("offline");
    });
  }

  function restore() {
    var stored;
    try { stored = JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (error) { stored = {}; }
    Object.keys(stored).forEach(function (position) {
      var fieldset = form.querySelector("fieldset[data-position='" + position + "']");
      var values = stored[position];
      if (!fieldset) {  // an item of another page (one question per page): send it all the same
        pending[position] = values;
        return;
      }
      fieldset.querySelectorAll("input, select, textarea").forEach(function (input) {
        if (input.type === "radio" || input.type === "checkbox") {
          input.checked = values.some(function (pair) { return pair[0] === input.name && pair[1] === input.value; });
        } else {
          var match = values.filter(function (pair) { return pair[0] === input.name; })[0];
          input.value = match ? match[1] : "";
        }
      });
      pending[position] = values;
      markFieldset(fieldset);
    });
    flush();
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.test-item");
    if (fieldset) queue(fieldset);
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA" && event.target.type !== "text") return;
    var fieldset = event.target.closest("fieldset.test-item");
    if (!fieldset) return;
    var position = fieldset.getAttribute("data-position");
    clearTimeout(timers[position]);
    typing[position] = fieldset;
    timers[position] = setTimeout(function () { delete typing[position]; queue(fieldset); }, 800);
  });
  // leaving the page while typing: keep what was typed for the next visit
  window.addEventListener("pagehide", function () {
    Object.keys(typing).forEach(function (position) {
      clearTimeout(timers[position]);
      pending[position] = fieldsOf(typing[position]);
    });
    typing = {};
    remember();
  });
  form.addEventListener("submit", function (event) {
    if (navigator.onLine === false) {
      // the post would fail and take the page with it: keep the answers here and in storage
      event.preventDefault();
      show("offline");
      return;
    }
    try { localStorage.removeItem(storeKey); } catch (error) { /* ignore */ }
  });
  // one question per page: after "next", "previous" or a jump, start reading at the question
  if (form.classList.contains("test-form--one") && /[?&]item=/.test(window.location.search)) {
    var shown = form.querySelector("fieldset.test-item");
    if (shown) {
      shown.setAttribute("tabindex", "-1");
      shown.focus();
    }
  }
  window.addEventListener("online", flush);
  setInterval(flush, 5000);
  restore();

})();

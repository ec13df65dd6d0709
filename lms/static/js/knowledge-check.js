/*
 * Knowledge checks in a lesson, progressively enhanced: the form works as a plain POST (the server
 * redirects back to the lesson with the feedback). With JavaScript, the answers are posted in the
 * background, the check is replaced by the one of the returned page (with its feedback) and the
 * result summary gets the focus, so the learner keeps their place and a screen reader reads the result.
 */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !window.FormData) return;

  function enhance(form) {
    form.addEventListener("submit", function (event) {
      var section = form.closest("[data-knowledge-check]");
      if (!section || !form.action) return;
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok || !response.redirected) throw new Error("not answered");
          return response.text();
        })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.getElementById(section.id);
          if (!fresh) throw new Error("no check");
          // the lesson status (done or not) may have changed with the answers
          var status = document.getElementById("lesson-status");
          var newStatus = page.getElementById("lesson-status");
          if (status && newStatus) status.replaceWith(document.importNode(newStatus, true));
          var node = document.importNode(fresh, true);
          section.replaceWith(node);
          var newForm = node.querySelector("form");
          if (newForm) enhance(newForm);
          var summary = node.querySelector(".knowledge-check__summary");
          if (summary) summary.focus();
        })
        .catch(function () {
          // let the browser post the form itself: the server answers as without JavaScript
          if (button) button.disabled = false;
          form.submit();
        });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-knowledge-check] form[action]"), enhance);
})();

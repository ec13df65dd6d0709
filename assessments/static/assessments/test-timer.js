/*
 * The countdown of a timed test. It shows the time left every second (role="timer", not announced
 * then) and tells screen readers only at five minutes (politely) and at one minute (assertively),
 * through the live regions marked data-timer-announce. At zero it submits the answers on the test
 * page, or reloads the summary page; the server closes the attempt at the deadline whatever this does.
 */
(function () {
  "use strict";
  var timer = document.querySelector("[data-seconds-left]");
  if (!timer) return;
  var end = Date.now() + parseInt(timer.getAttribute("data-seconds-left"), 10) * 1000;
  var regions = Array.prototype.slice.call(document.querySelectorAll("[data-timer-announce]"));
  var done = {};
  var interval;

  function announce(left) {
    regions.forEach(function (region) {
      var at = parseInt(region.getAttribute("data-timer-announce"), 10);
      // announce once when crossing the threshold, not when the page opens already below it by far
      if (done[at] || left > at || left <= at - 30) return;
      done[at] = true;
      region.textContent = region.getAttribute("data-text") || "";
    });
  }

  function finish() {
    var form = document.getElementById("test-form");
    var submit = form && form.querySelector("button[name=submit]");
    if (submit) {
      if (form.requestSubmit) form.requestSubmit(submit); else submit.click();
    } else {
      setTimeout(function () { window.location.reload(); }, 1500);
    }
  }

  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var minutes = Math.floor(left / 60);
    var seconds = left % 60;
    timer.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    announce(left);
    if (left === 0) {
      clearInterval(interval);
      finish();
    }
  }

  interval = setInterval(tick, 1000);
  tick();
})();

/*
 * Runs inside the sandboxed player iframe (opaque origin). Starts h5p-standalone, then reports to
 * the lesson page by postMessage: xAPI statements, the activity's state (to resume it) and the
 * height of the content. It cannot call the site itself: it has no cookies there.
 */
(function () {
  "use strict";
  var options = JSON.parse(document.getElementById("h5p-options").textContent);
  var bridge = JSON.parse(document.getElementById("h5p-bridge").textContent);
  var lastState = null;

  function send(kind, data) {
    var message = { source: "lms-h5p", kind: kind };
    for (var key in data) message[key] = data[key];
    window.parent.postMessage(message, bridge.parentOrigin);
  }

  function instance() {
    if (window.H5P && H5P.instances && H5P.instances.length) return H5P.instances[0];
    var inner = document.querySelector("iframe.h5p-iframe");
    try {
      var win = inner && inner.contentWindow;
      if (win && win.H5P && win.H5P.instances && win.H5P.instances.length) return win.H5P.instances[0];
    } catch (error) { /* not reachable */ }
    return null;
  }

  function saveState() {
    var current = instance();
    if (!current || typeof current.getCurrentState !== "function") return;
    var state;
    try { state = current.getCurrentState(); } catch (error) { return; }
    if (state === undefined || state === null) return;
    state = JSON.stringify(state);
    if (state !== lastState) {
      lastState = state;
      send("state", { state: state });
    }
  }

  function reportHeight() {
    send("resize", { height: document.documentElement.scrollHeight });
  }

  new H5PStandalone.H5P(document.getElementById("h5p-container"), options).then(function () {
    H5P.externalDispatcher.on("xAPI", function (event) {
      var statement = JSON.parse(JSON.stringify(event.data.statement));
      delete statement.actor;  // the server records the statement for the signed-in learner
      send("xapi", { statement: statement });
      setTimeout(saveState, 0);
    });
    document.documentElement.setAttribute("data-h5p-ready", "");
    reportHeight();
    setInterval(saveState, 10000);
    // save soon after the learner answers, not only on the timer: leaving the page right after
    // an answer should not lose it
    var pending = null;
    function saveSoon() {
      if (pending) clearTimeout(pending);
      pending = setTimeout(function () { pending = null; saveState(); }, 800);
    }
    document.addEventListener("change", saveSoon, true);
    document.addEventListener("click", saveSoon, true);
    window.addEventListener("pagehide", saveState);
  });

  if ("ResizeObserver" in window) new ResizeObserver(reportHeight).observe(document.body);
  setInterval(reportHeight, 1000);
})();

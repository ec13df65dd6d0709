/*
 * Runs first in every page of a SCORM package, inside the sandboxed iframe (an opaque origin, no
 * cookies). Starts scorm-again's runtime as window.API (SCORM 1.2) or window.API_1484_11 (SCORM
 * 2004), with the learner's saved data that the server put in #lms-scorm-config, so that the SCO
 * resumes where it was left. The runtime commits to the token's commit address itself; the lesson
 * page only hears, by postMessage, that a commit arrived or that the SCO has finished, with the
 * navigation request (SCORM 2004 adl.nav.request: continue, previous, choice, exit) it finished with.
 * When the learner leaves the SCO from the lesson page (next, previous, close), the page asks this
 * script to end the session first, so that what the SCO holds is committed before it is unloaded.
 */
(function () {
  "use strict";
  var node = document.getElementById("lms-scorm-config");
  if (!node) return;
  var config = JSON.parse(node.textContent);
  var is12 = config.version === "1.2";
  var settings = {
    autocommit: true,
    autocommitSeconds: 15,
    lmsCommitUrl: config.commitUrl,
    dataCommitFormat: "flattened",
    // a CORS-safelisted type: the browser sends it from the sandbox without a preflight
    commitRequestDataType: "text/plain;charset=UTF-8",
    useAsynchronousCommits: true,
    asyncModeBeaconBehavior: "never",
    // commits run in parallel and may arrive out of order: the server keeps the newest by this number
    includeCommitSequence: true,
    fetchMode: "cors",
    xhrWithCredentials: false,
    logLevel: 5
  };
  var api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
  api.loadFromFlattenedJSON(config.cmi, "");
  if (is12) window.API = api; else window.API_1484_11 = api;

  var finishing = false;
  var nav = null;  // the navigation request the SCO terminated with (SCORM 2004)
  function tell(kind) {
    window.parent.postMessage({
      source: "lms-scorm", kind: kind, sco: config.sco,
      request: nav ? nav.request : "", target: nav ? nav.target : ""
    }, config.parentOrigin);
  }
  api.on(is12 ? "LMSFinish" : "Terminate", function () { finishing = true; });
  api.on("CommitSuccess", function () { tell(finishing ? "finish" : "commit"); });
  api.on("CommitError", function () { tell(finishing ? "finish" : "error"); });
  if (!is12) {
    // without sequencing rules the runtime hands the request on as these events, at Terminate
    var requests = {
      SequenceNext: "continue", SequencePrevious: "previous", SequenceChoice: "choice", SequenceJump: "choice",
      SequenceExit: "exit", SequenceExitAll: "exitAll", SequenceAbandon: "exit", SequenceAbandonAll: "exitAll"
    };
    Object.keys(requests).forEach(function (event) {
      api.on(event, function (target) {
        nav = { request: requests[event], target: typeof target === "string" ? target : "" };
      });
    });
  }

  // the lesson page asks the SCO's session to end before it unloads the SCO
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.source !== window.parent || !data || data.source !== "lms-scorm-page" || data.kind !== "leave") return;
    if (api.isInitialized() && !api.isTerminated()) {
      if (is12) api.LMSFinish(""); else api.Terminate("");
    } else {
      tell("finish");
    }
  });
})();

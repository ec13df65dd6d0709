/*
 * H5P activities in a lesson: each plays in a sandboxed iframe (scripts, but no access to this
 * site's origin, cookies or storage). The player reports xAPI statements, its state and its height
 * by postMessage; this page checks that a message comes from one of its own players and forwards
 * it to the server with the learner's session and CSRF token.
 */
(function () {
  "use strict";
  var config = document.getElementById("h5p-players");
  if (!config) return;
  config = JSON.parse(config.textContent);
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";
  var frames = [];

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) { return response.ok ? response.json() : null; });
  }

  function markDone() {
    var status = document.getElementById("lesson-status");
    if (!status) return;
    var notice = status.querySelector(".notice--ok");
    if (!notice) {
      notice = document.createElement("p");
      notice.className = "notice notice--ok";
      notice.setAttribute("role", "status");
      notice.setAttribute("data-h5p-done", "");
      notice.textContent = status.getAttribute("data-done-text");
      status.insertBefore(notice, status.firstChild);
      var button = status.querySelector("[data-action=mark-done]");
      if (button) button.closest("form").hidden = true;
    }
  }

  function mount(section) {
    var packageId = section.getAttribute("data-h5p-package");
    var src = config.players[packageId];
    var holder = section.querySelector("[data-h5p-frame]");
    if (!src || !holder || section.hasAttribute("data-h5p-mounted")) return;
    section.setAttribute("data-h5p-mounted", "");
    var iframe = document.createElement("iframe");
    iframe.setAttribute("sandbox", "allow-scripts");
    iframe.setAttribute("title", section.getAttribute("data-h5p-title") || "H5P");
    iframe.setAttribute("referrerpolicy", "no-referrer");
    // only for an activity an editor allowed the microphone (AudioRecorder, SpeakTheWords)
    if ((config.microphone || []).indexOf(packageId) !== -1) iframe.setAttribute("allow", "microphone");
    iframe.className = "h5p-activity__iframe";
    iframe.src = src;
    holder.textContent = "";
    holder.appendChild(iframe);
    frames.push({ packageId: packageId, iframe: iframe });
  }

  window.addEventListener("message", function (event) {
    var frame = null;
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].iframe.contentWindow === event.source) frame = frames[i];
    }
    var data = event.data;
    if (!frame || !data || data.source !== "lms-h5p") return;
    if (data.kind === "resize") {
      var height = Math.min(Math.max(parseInt(data.height, 10) || 0, 120), 6000);
      frame.iframe.style.height = height + "px";
    } else if (data.kind === "xapi" && data.statement && typeof data.statement === "object") {
      var statement = data.statement;
      if (!statement.id) statement.id = uuid();
      post(config.xapiUrl, { lesson: config.lesson, package: Number(frame.packageId), statement: statement })
        .then(function (result) { if (result && result.lesson_done) markDone(); })
        .catch(function () {});
    } else if (data.kind === "state" && typeof data.state === "string") {
      post(config.stateUrl, { lesson: config.lesson, package: Number(frame.packageId), state: data.state })
        .catch(function () {});
    }
  });

  var sections = document.querySelectorAll("[data-h5p-package]");
  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); mount(entry.target); }
      });
    }, { rootMargin: "600px 0px" });
    sections.forEach(function (section) { observer.observe(section); });
  } else {
    sections.forEach(mount);
  }
})();

/*
 * SCORM packages in a lesson: a menu of the package's SCOs with the learner's state of each, and the
 * SCO chosen playing in a sandboxed iframe (scripts, but no access to this site's origin, cookies or
 * storage). The SCO commits its data to the server itself, with its player token; it tells this
 * page by postMessage that it committed or finished, and this page then asks the server for the
 * states (a message cannot mark anything done: only the server's answer is shown).
 */
(function () {
  "use strict";
  var node = document.getElementById("scorm-packages");
  if (!node) return;
  var config = JSON.parse(node.textContent);
  var open = null;  // {packageId, index, iframe, section}

  function text(section, key) { return section.getAttribute("data-text-" + key) || key; }

  function markDone() {
    var status = document.getElementById("lesson-status");
    if (!status || status.querySelector(".notice--ok")) return;
    var notice = document.createElement("p");
    notice.className = "notice notice--ok";
    notice.setAttribute("role", "status");
    notice.setAttribute("data-scorm-done", "");
    notice.textContent = status.getAttribute("data-done-text");
    status.insertBefore(notice, status.firstChild);
    var button = status.querySelector("[data-action=mark-done]");
    if (button) button.closest("form").hidden = true;
  }

  function renderMenu(section) {
    var packageId = section.getAttribute("data-scorm-package");
    var entry = config.packages[packageId];
    var menu = section.querySelector("[data-scorm-menu]");
    if (!entry || !menu) return;
    menu.textContent = "";
    var list = document.createElement("ul");
    list.className = "scorm-activity__list";
    list.setAttribute("aria-label", text(section, "parts"));
    entry.scos.forEach(function (sco, index) {
      var item = document.createElement("li");
      item.className = "scorm-activity__item";
      item.setAttribute("data-scorm-sco", String(index));
      var label = document.createElement("span");
      var title = document.createElement("strong");
      title.textContent = sco.title;
      var state = document.createElement("span");
      state.className = "muted";
      state.setAttribute("data-scorm-state", sco.state);
      state.textContent = " — " + text(section, sco.state);
      label.appendChild(title);
      label.appendChild(state);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.setAttribute("data-action", "scorm-open");
      var done = sco.state === "completed" || sco.state === "passed" || sco.state === "failed";
      button.textContent = text(section, sco.state === "new" ? "open" : (done ? "again" : "resume"));
      button.addEventListener("click", function () { launch(section, packageId, index); });
      item.appendChild(label);
      item.appendChild(button);
      list.appendChild(item);
    });
    menu.appendChild(list);
  }

  function launch(section, packageId, index) {
    close();
    var sco = config.packages[packageId].scos[index];
    var holder = section.querySelector("[data-scorm-frame]");
    holder.textContent = "";
    var bar = document.createElement("p");
    var closeButton = document.createElement("button");
    closeButton.type = "button";
    closeButton.className = "button button--secondary";
    closeButton.setAttribute("data-action", "scorm-close");
    closeButton.textContent = text(section, "close");
    closeButton.addEventListener("click", close);
    bar.appendChild(closeButton);
    var iframe = document.createElement("iframe");
    iframe.setAttribute("sandbox", "allow-scripts");
    iframe.setAttribute("title", sco.title);
    iframe.setAttribute("referrerpolicy", "no-referrer");
    iframe.className = "scorm-activity__iframe";
    iframe.src = sco.url;
    holder.appendChild(bar);
    holder.appendChild(iframe);
    holder.hidden = false;
    section.querySelector("[data-scorm-menu]").hidden = true;
    open = { packageId: packageId, index: index, iframe: iframe, section: section };
    iframe.focus();
  }

  function close() {
    if (!open) return;
    var current = open;
    open = null;
    var holder = current.section.querySelector("[data-scorm-frame]");
    holder.textContent = "";  // unloading the SCO lets its runtime send what it still holds
    holder.hidden = true;
    current.section.querySelector("[data-scorm-menu]").hidden = false;
    // the last commit may still be on its way: ask now and once more a moment later
    refresh(current.section, current.packageId);
    setTimeout(function () { refresh(current.section, current.packageId); }, 1500);
    var first = current.section.querySelector("[data-action=scorm-open]");
    if (first) first.focus();
  }

  function refresh(section, packageId) {
    var url = config.statusUrl + "?lesson=" + encodeURIComponent(config.lesson) + "&package=" + encodeURIComponent(packageId);
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (result) {
        if (!result) return;
        config.packages[packageId].scos.forEach(function (sco, index) { sco.state = result.states[index] || sco.state; });
        if (!open || open.section !== section) renderMenu(section);
        if (result.lesson_done) markDone();
      })
      .catch(function () {});
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!open || event.source !== open.iframe.contentWindow || !data || data.source !== "lms-scorm") return;
    if (data.kind === "finish") close();
    else if (data.kind === "commit") refresh(open.section, open.packageId);
  });

  document.querySelectorAll("[data-scorm-package]").forEach(renderMenu);
})();

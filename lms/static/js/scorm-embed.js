/*
 * SCORM packages in a lesson: a menu of the package's SCOs with the learner's state of each, and the
 * SCO chosen playing in a sandboxed iframe (scripts, but no access to this site's origin, cookies or
 * storage). The SCO commits its data to the server itself, with its player token; it tells this
 * page by postMessage that it committed or finished, and this page then asks the server for the
 * states (a message cannot mark anything done: only the server's answer is shown).
 *
 * A package of several SCOs plays them in the order of its organization: the menu is the table of
 * contents, and while a SCO plays, Previous and Next move along that order. A SCORM 2004 SCO may ask
 * for the same by adl.nav.request (continue, previous, choice of a SCO by its identifier, exit) when
 * it terminates; its sequencing rules are not run (see README). Before a SCO is left from this page,
 * it is asked to end its session (sco.js), so that what it holds is committed first.
 */
(function () {
  "use strict";
  var node = document.getElementById("scorm-packages");
  if (!node) return;
  var config = JSON.parse(node.textContent);
  var open = null;  // {packageId, index, iframe, section, leaving}
  var LEAVE_WAIT = 3000;  // how long a SCO may take to commit when asked to end its session

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

  function navButton(section, key, action, handler, disabled) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary";
    button.setAttribute("data-action", action);
    button.textContent = text(section, key);
    button.disabled = !!disabled;
    button.addEventListener("click", handler);
    return button;
  }

  function launch(section, packageId, index) {
    unload();
    var scos = config.packages[packageId].scos;
    var sco = scos[index];
    var holder = section.querySelector("[data-scorm-frame]");
    holder.textContent = "";
    var bar = document.createElement("p");
    bar.className = "scorm-activity__bar";
    if (scos.length > 1) {
      bar.appendChild(navButton(section, "previous", "scorm-previous", function () { leave(index - 1); }, index === 0));
      var position = document.createElement("span");
      position.setAttribute("data-scorm-position", String(index));
      position.textContent = " " + text(section, "position").replace("%(number)s", String(index + 1))
        .replace("%(total)s", String(scos.length)) + ": " + sco.title + " ";
      bar.appendChild(position);
      bar.appendChild(navButton(section, "next", "scorm-next", function () { leave(index + 1); }, index === scos.length - 1));
      bar.appendChild(document.createTextNode(" "));
    }
    bar.appendChild(navButton(section, "close", "scorm-close", function () { leave(null); }));
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
    open = { packageId: packageId, index: index, iframe: iframe, section: section, leaving: null };
    iframe.focus();
  }

  // go to the SCO at ``target`` (null: back to the menu) once the open one has ended its session
  function leave(target) {
    if (!open) return;
    if (open.leaving) { open.leaving.target = target; return; }
    var current = open;
    current.leaving = { target: target, timer: setTimeout(function () { left(current); }, LEAVE_WAIT) };
    current.section.querySelectorAll(".scorm-activity__bar button").forEach(function (button) { button.disabled = true; });
    try {
      current.iframe.contentWindow.postMessage({ source: "lms-scorm-page", kind: "leave" }, "*");
    } catch (error) { left(current); }
  }

  function left(current) {
    if (open !== current) return;
    var target = current.leaving ? current.leaving.target : null;
    if (current.leaving) clearTimeout(current.leaving.timer);
    go(current, target);
  }

  function go(current, target) {
    var scos = config.packages[current.packageId].scos;
    if (target !== null && target >= 0 && target < scos.length) launch(current.section, current.packageId, target);
    else close();
  }

  // the SCO has finished by itself: follow its navigation request within the package's order
  function finished(current, data) {
    if (current.leaving) { left(current); return; }
    var scos = config.packages[current.packageId].scos;
    var target = null;
    if (data.request === "continue") target = current.index + 1;
    else if (data.request === "previous") target = current.index - 1;
    else if (data.request === "choice") {
      scos.forEach(function (sco, index) { if (sco.identifier === data.target) target = index; });
    }
    go(current, target);
  }

  function unload() {
    if (!open) return null;
    var current = open;
    open = null;
    if (current.leaving) clearTimeout(current.leaving.timer);
    var holder = current.section.querySelector("[data-scorm-frame]");
    holder.textContent = "";  // unloading the SCO lets its runtime send what it still holds
    holder.hidden = true;
    current.section.querySelector("[data-scorm-menu]").hidden = false;
    // the last commit may still be on its way: ask now and once more a moment later
    refresh(current.section, current.packageId);
    setTimeout(function () { refresh(current.section, current.packageId); }, 1500);
    return current;
  }

  function close() {
    var current = unload();
    if (!current) return;
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
    if (data.kind === "finish") finished(open, data);
    else if (data.kind === "commit") refresh(open.section, open.packageId);
  });

  document.querySelectorAll("[data-scorm-package]").forEach(renderMenu);
})();

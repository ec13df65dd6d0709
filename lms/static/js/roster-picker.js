/* The roster page's people picker: searches the session's candidates as one types (the page's JSON
   endpoint) and keeps the chosen people ticked while the results change. Without this script the page's
   search form (?q=) lists the same people with the same checkboxes. */
(function () {
  "use strict";
  var root = document.getElementById("roster-search");
  if (!root || !window.fetch || !window.Map) return;
  var url = root.getAttribute("data-candidates-url");
  var searchForm = document.getElementById("roster-search-form");
  var addForm = document.getElementById("roster-add");
  var input = document.getElementById("roster-q");
  var status = document.getElementById("roster-status");
  var results = document.getElementById("roster-results");
  var chosenList = document.getElementById("roster-chosen");
  var template = document.getElementById("roster-candidate-template");
  var addButton = addForm.querySelector(".roster-picker__add");
  var chosen = new Map(); // user id -> the <li> of a ticked person
  var timer = null;
  var controller = null;
  var lastQuery = input.value.trim();

  function inResults(id) {
    return results.querySelector('input[value="' + id + '"]') !== null;
  }

  function refreshChosen() {
    chosenList.textContent = "";
    chosen.forEach(function (item, id) {
      if (!inResults(id)) {
        item.querySelector("input").checked = true;
        chosenList.appendChild(item);
      }
    });
    chosenList.hidden = chosenList.children.length === 0;
    addButton.disabled = results.children.length === 0 && chosen.size === 0;
  }

  function entryItem(entry) {
    var item = template.content.firstElementChild.cloneNode(true);
    var box = item.querySelector("input");
    var label = item.querySelector("label");
    var id = "roster-user-" + entry.id;
    box.value = String(entry.id);
    box.id = id;
    box.checked = chosen.has(String(entry.id));
    label.setAttribute("for", id);
    item.querySelector('[data-field="name"]').textContent = entry.name;
    var username = item.querySelector('[data-field="username"]');
    username.hidden = !entry.username;
    item.querySelector('[data-field="username-value"]').textContent = entry.username || "";
    var details = [entry.position, entry.unit, entry.region].filter(function (part) { return part; });
    item.querySelector('[data-field="details"]').textContent = details.join(" · ");
    return item;
  }

  function show(data) {
    results.textContent = "";
    data.results.forEach(function (entry) { results.appendChild(entryItem(entry)); });
    status.textContent = data.status;
    refreshChosen();
  }

  function search(now) {
    var query = input.value.trim();
    addForm.elements.q.value = query;
    if (query === lastQuery && !now) return;
    lastQuery = query;
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    var address = url + "?" + new URLSearchParams({ q: query }).toString();
    fetch(address, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(show)
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        searchForm.submit(); // the page's own search, without the script
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 250);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      var first = addForm.querySelector(".roster-picker__fieldset input[type=checkbox]");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  searchForm.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    search(true);
  });
  addForm.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches('input[type=checkbox][name="user"]')) return;
    if (box.checked) {
      chosen.set(box.value, box.closest("li").cloneNode(true));
    } else {
      chosen.delete(box.value);
    }
    var wasChosen = chosenList.contains(box);
    refreshChosen();
    // a person unticked in the chosen list leaves it: keep the keyboard in the picker
    if (wasChosen && !document.body.contains(box)) input.focus();
  });
  // people ticked on the page as served (after a search without the script, or the browser's restore)
  results.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
    chosen.set(box.value, box.closest("li").cloneNode(true));
  });
  refreshChosen();
})();

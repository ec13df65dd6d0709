/* A list of people as ticks (e.g. a ToT cohort's master trainers in the admin) gets a search box that narrows
   it as one types: by name, position, agency or region, ignoring case and accents (ş = s, ý = y, ё = е).
   Ticked people always stay shown, so a search never hides a choice. Without this script the box stays
   hidden and the whole list of ticks works as it is. Enter in the box never submits the form; the Down
   arrow goes to the first person shown, Escape clears the search. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function setUp(root) {
    var list = document.getElementById(root.getAttribute("data-list"));
    var search = root.querySelector("[data-person-picker-search]");
    var input = search && search.querySelector("input");
    var status = search && search.querySelector("[role=status]");
    if (!list || !input || !status) return;
    var items = Array.prototype.map.call(list.querySelectorAll("input[type=checkbox]"), function (box) {
      var row = box.closest("label").parentElement === list ? box.closest("label") : box.closest("label").parentElement;
      return { box: box, row: row, text: fold(box.closest("label").textContent) };
    });
    if (!items.length) return;

    function filter() {
      var words = fold(input.value).split(" ").filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var match = words.every(function (word) { return item.text.indexOf(word) !== -1; });
        item.row.hidden = !(match || item.box.checked);
        if (match) shown += 1;
      });
      if (!words.length) {
        status.textContent = "";
      } else if (shown === 0) {
        status.textContent = status.getAttribute("data-none");
      } else {
        status.textContent = status.getAttribute("data-shown")
          .replace("{shown}", String(shown)).replace("{total}", String(items.length));
      }
    }

    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(filter, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // the box searches; it never submits the admin form
        window.clearTimeout(timer);
        filter();
      } else if (event.key === "Escape" && input.value) {
        event.preventDefault();
        input.value = "";
        filter();
      } else if (event.key === "ArrowDown") {
        var first = items.filter(function (item) { return !item.row.hidden; })[0];
        if (first) {
          event.preventDefault();
          first.box.focus();
        }
      }
    });
    search.hidden = false;
  }

  function start() {
    document.querySelectorAll("[data-person-picker]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

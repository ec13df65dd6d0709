// Sortable tables: every <table data-sortable> gets a button in each column header of its <thead>.
// A click (or Enter / Space, as on any button) sorts the <tbody> rows by that column, ascending first,
// then descending; aria-sort says which. A cell's data-sort attribute holds its raw value (a number with
// a dot), else its text is used; numbers sort as numbers, text in the page's language. Rows of <tfoot>
// (totals) stay where they are. Without JavaScript the table is the same, unsorted.
(function () {
  "use strict";

  var collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true, sensitivity: "base" });

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var raw = cell.getAttribute("data-sort");
    return raw !== null ? raw : cell.textContent.trim();
  }

  function isNumber(value) {
    return value !== "" && !isNaN(Number(value));
  }

  function sortBy(table, header, index) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var values = rows.map(function (row) { return cellValue(row, index); });
    var numeric = values.every(function (value) { return value === "" || isNumber(value); });
    var order = rows.map(function (row, position) { return { row: row, value: values[position], position: position }; });
    order.sort(function (a, b) {
      // empty values last, whatever the direction
      if (a.value === "" && b.value !== "") return 1;
      if (b.value === "" && a.value !== "") return -1;
      var result = numeric ? Number(a.value) - Number(b.value) : collator.compare(a.value, b.value);
      if (!ascending) result = -result;
      return result || a.position - b.position;
    });
    order.forEach(function (entry) { body.appendChild(entry.row); });
    Array.prototype.forEach.call(header.parentNode.cells, function (other) { other.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function enhance(table) {
    if (!table.tHead || !table.tBodies.length || table.hasAttribute("data-sortable-ready")) return;
    var headerRow = table.tHead.rows[table.tHead.rows.length - 1];
    Array.prototype.forEach.call(headerRow.cells, function (header, index) {
      if (header.colSpan > 1 || !header.textContent.trim()) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, header, index); });
    });
    table.setAttribute("data-sortable-ready", "");
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

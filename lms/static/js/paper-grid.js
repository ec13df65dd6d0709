/*
 * The paper results grid: Enter and the arrow keys move between cells like a spreadsheet, and
 * "More rows" adds empty rows. The form works without this script (ten rows, Tab between cells).
 */
(function () {
  "use strict";
  var table = document.getElementById("paper-grid");
  if (!table) return;
  var body = table.tBodies[0];
  var rowsInput = document.querySelector("[data-paper-rows]");
  var addButton = document.querySelector("[data-paper-add]");

  function cellsOf(row) {
    return Array.prototype.slice.call(row.querySelectorAll("select, input"));
  }

  function move(field, rowStep, colStep) {
    var row = field.closest("tr");
    var column = cellsOf(row).indexOf(field);
    var rows = Array.prototype.slice.call(body.rows);
    var target = rows[rows.indexOf(row) + rowStep];
    if (!target) return false;
    var next = cellsOf(target)[column + colStep];
    if (!next) return false;
    next.focus();
    if (next.select) next.select();
    return true;
  }

  table.addEventListener("keydown", function (event) {
    var field = event.target;
    if (!field.matches("select, input")) return;
    var isText = field.tagName === "INPUT";
    var moved = false;
    if (event.key === "Enter") {
      var row = field.closest("tr");
      var cells = cellsOf(row);
      var index = cells.indexOf(field);
      if (index < cells.length - 1) {
        cells[index + 1].focus();
        moved = true;
      } else {
        if (!body.rows[Array.prototype.indexOf.call(body.rows, row) + 1]) addRow();
        moved = move(cells[0], 1, 0) || true;
      }
    } else if (event.key === "ArrowDown" && isText) {
      moved = move(field, 1, 0);
    } else if (event.key === "ArrowUp" && isText) {
      moved = move(field, -1, 0);
    } else if (event.key === "ArrowRight" && isText && field.selectionStart === field.value.length) {
      moved = move(field, 0, 1);
    } else if (event.key === "ArrowLeft" && isText && field.selectionStart === 0) {
      moved = move(field, 0, -1);
    }
    if (moved) event.preventDefault();
  });

  function addRow() {
    var last = body.rows[body.rows.length - 1];
    var number = body.rows.length + 1;
    var copy = last.cloneNode(true);
    copy.setAttribute("data-paper-row", String(number));
    copy.querySelector("th").textContent = String(number);
    cellsOf(copy).forEach(function (field) {
      field.name = field.name.replace(/^(username|cell)-\d+/, "$1-" + number);
      field.classList.remove("is-invalid");
      if (field.tagName === "SELECT") field.selectedIndex = 0;
      else field.value = "";
    });
    body.appendChild(copy);
    rowsInput.value = String(body.rows.length);
  }

  if (addButton) {
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      for (var i = 0; i < 10; i += 1) addRow();
    });
  }
})();

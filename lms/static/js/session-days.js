/* The session form's days: "Add a day" adds a row here (a copy of the formset's empty form) instead of
   sending the form; ticking "Remove this day" greys the row out. Without this script the button sends
   the form, which comes back with one more row. */
(function () {
  "use strict";
  var box = document.getElementById("session-days");
  var template = document.getElementById("day-row-template");
  var rows = document.getElementById("day-rows");
  var button = document.getElementById("add-day");
  if (!box || !template || !rows || !button || !("content" in template)) return;
  var total = box.querySelector('input[name="days-TOTAL_FORMS"]');
  var status = document.getElementById("day-count");
  var max = parseInt(box.getAttribute("data-max-days"), 10) || 10;

  function markRemoved(check) {
    var row = check.closest("[data-day-row]");
    if (row) row.classList.toggle("day-row--removed", check.checked);
  }

  button.addEventListener("click", function (event) {
    var count = parseInt(total.value, 10) || 0;
    event.preventDefault();
    if (count >= max) return;
    var html = template.innerHTML.replace(/__prefix__/g, String(count));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.querySelector("[data-day-row]");
    row.querySelector("[data-day-number]").textContent = String(count + 1);
    rows.appendChild(row);
    total.value = String(count + 1);
    button.disabled = count + 1 >= max;
    var first = row.querySelector("input");
    if (first) first.focus();
    if (status) status.textContent = status.getAttribute("data-added") || "";
  });

  rows.addEventListener("change", function (event) {
    if (event.target.matches('input[type=checkbox][name$="-DELETE"]')) markRemoved(event.target);
  });
  rows.querySelectorAll('input[type=checkbox][name$="-DELETE"]').forEach(markRemoved);
})();

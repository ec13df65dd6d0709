// The structured editor of a question's answers and key (assessments/admin_forms.py).
// Plain JavaScript: show the editor of the chosen type, add rows from <template>s, and keep the
// "Matches" lists of a matching question in step with its choices. Everything works without it
// too: every type is shown, and the page offers empty rows.
(function () {
  "use strict";

  function showKind(root) {
    const field = document.getElementById(root.dataset.qeKindField);
    if (!field) return;
    const update = function () {
      root.querySelectorAll("[data-qe-for]").forEach(function (section) {
        section.hidden = Boolean(field.value) && section.dataset.qeFor !== field.value;
      });
    };
    field.addEventListener("change", update);
    update();
  }

  function addRow(prefix) {
    const box = document.querySelector('[data-qe-formset="' + prefix + '"]');
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    const template = box && box.querySelector('template[data-qe-template="' + prefix + '"]');
    if (!total || !template) return;
    const number = Number(total.value);
    const html = template.innerHTML.split(prefix + "-__prefix__").join(prefix + "-" + number);
    const rows = box.querySelector("[data-qe-rows]");
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(number + 1);
    const added = rows.lastElementChild;
    const first = added && added.querySelector("input:not([type=hidden]):not([type=checkbox]), textarea");
    if (first) first.focus();
    syncMatching();
  }

  function syncMatching() {
    document.querySelectorAll("[data-qe-matching]").forEach(function (box) {
      const choices = box.dataset.qeChoices;
      const labels = [];
      box.querySelectorAll('[data-qe-formset="' + choices + '"] [data-qe-rows] input[name$="-text"]').forEach(function (input) {
        const match = input.name.match(/-(\d+)-text$/);
        if (match) labels.push([match[1], Number(match[1]) + 1 + ". " + (input.value || "—")]);
      });
      box.querySelectorAll('[data-qe-formset="' + box.dataset.qePairs + '"] select[name$="-choice"]').forEach(function (select) {
        const value = select.value;
        select.replaceChildren(new Option("—", ""));
        labels.forEach(function (label) {
          select.append(new Option(label[1].slice(0, 80), label[0]));
        });
        select.value = value;
      });
    });
  }

  function start() {
    document.querySelectorAll("[data-qe]").forEach(showKind);
    document.addEventListener("click", function (event) {
      const button = event.target.closest("[data-qe-add]");
      if (!button) return;
      event.preventDefault();
      addRow(button.dataset.qeAdd);
    });
    document.addEventListener("input", function (event) {
      if (event.target.closest("[data-qe-matching]") && /-text$/.test(event.target.name || "")) syncMatching();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

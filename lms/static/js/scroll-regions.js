// A table that scrolls sideways inside its own box (on a phone, or a wide report) takes keyboard focus, so
// it can be scrolled without a mouse (WCAG 2.1.1); a table that fits stays out of the tab order.
(function () {
  "use strict";

  function mark() {
    document.querySelectorAll(".site-main .table, .site-main .table-scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.scrollRegion = "on";
      } else if (!scrolls && box.dataset.scrollRegion === "on") {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollRegion;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();

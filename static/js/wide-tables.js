// On a narrow screen a wide table scrolls inside its own box instead of widening the page
// (the rest of the page reflows). The box is a labelled region that takes keyboard focus
// only while it actually scrolls, so arrow keys can move it. Without JavaScript the page
// scrolls sideways as before.
(function () {
  "use strict";
  var boxes = [];
  document.querySelectorAll("main table").forEach(function (table) {
    var box = table.parentElement;
    if (!box.classList.contains("table-responsive")) {
      box = document.createElement("div");
      box.className = "table-responsive";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      box.setAttribute("aria-label", caption.textContent.trim());
    }
    boxes.push(box);
  });
  var update = function () {
    boxes.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    });
  };
  update();
  window.addEventListener("resize", update);
})();

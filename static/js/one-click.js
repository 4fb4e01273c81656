// A double click on a button that htmx sends counts as one click. The row a mark swaps in
// puts "Ångra" where "Närvarande" was, so the second click of a double click, landing after
// a quick answer, would undo the mark it had just made. Clicks by keyboard have no count and
// are never held back.
(function () {
  "use strict";
  document.addEventListener(
    "click",
    function (event) {
      if (event.detail < 2 || !(event.target instanceof Element)) {
        return;
      }
      var button = event.target.closest("button, input[type=submit]");
      if (button && button.form && button.form.matches("[hx-post]")) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true
  );
})();

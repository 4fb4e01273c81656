// The attendance sheet's "Hitta på listan": hides the rows whose name does not contain every
// word typed, as it is typed, in any order: "Bo Bengtsson" finds the list's "Bengtsson, Bo".
// Without JavaScript the box stays hidden and every row is shown; the jump links per
// programme work either way.
(function () {
  "use strict";
  var box = document.getElementById("sheet-filter");
  var input = document.getElementById("sheet-filter-input");
  var status = document.getElementById("sheet-filter-status");
  if (!box || !input || !status) {
    return;
  }
  var rows = Array.prototype.slice.call(document.querySelectorAll(".sheet-row"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("[data-sheet-section]"));
  var fold = function (text) {
    return text.toLocaleLowerCase("sv").replace(/[\s,]+/g, " ").trim();
  };
  var contains = function (name, words) {
    return words.every(function (word) {
      return name.indexOf(word) !== -1;
    });
  };
  // Only the name counts: the planned hours and badges beside it are not searched.
  var nameOf = function (element) {
    return element ? element.getAttribute("data-name") || element.textContent : "";
  };
  var names = rows.map(function (row) {
    return fold(nameOf(row.querySelector(".sheet-name")));
  });
  var timer = null;
  box.hidden = false;
  var apply = function () {
    var wanted = fold(input.value);
    var words = wanted ? wanted.split(" ") : [];
    var shown = 0;
    rows.forEach(function (row, i) {
      // A row swapped in by htmx keeps its name: read it again if it changed.
      var name = row.querySelector(".sheet-name");
      names[i] = name ? fold(nameOf(name)) : names[i];
      var match = contains(names[i], words);
      row.hidden = !match;
      shown += match ? 1 : 0;
    });
    sections.forEach(function (section) {
      var visible = section.querySelector(".sheet-row:not([hidden])");
      var empty = section.querySelector("[data-sheet-empty]");
      if (empty) {
        empty.hidden = Boolean(visible) || !wanted;
      }
    });
    // Announced once typing pauses, not for every key.
    clearTimeout(timer);
    timer = setTimeout(function () {
      status.textContent = wanted
        ? status.getAttribute(shown === 1 ? "data-one" : "data-many").replace("%s", String(shown))
        : "";
    }, 400);
  };
  input.addEventListener("input", apply);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      input.value = "";
      apply();
    }
  });
})();

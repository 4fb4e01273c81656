// "Lägg till aktivitet" on the plan form: adds an empty activity row without a reload and
// moves focus to it. Without JavaScript the form already has spare rows, so the button
// stays hidden and nothing is lost.
(function () {
  "use strict";
  var button = document.querySelector("[data-add-activity]");
  var template = document.getElementById("activity-template");
  var total = document.getElementById("id_activities-TOTAL_FORMS");
  if (!button || !template || !total) {
    return;
  }
  var rows = document.getElementById(button.getAttribute("data-add-activity"));
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = Number(total.value);
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = rows.lastElementChild.querySelector("textarea, input:not([type=hidden])");
    if (first) {
      first.focus();
    }
  });
})();

// After a form comes back with errors, keyboard and screen reader users start at the first
// field to correct rather than at the top of the page: the first invalid field, or, when the
// errors belong to no field, the error message. After an htmx swap only when the swap took
// the focus away (a button replaced), never while someone is typing (the drafts save as
// they type).
(function () {
  "use strict";
  var FIELD = "input.is-invalid, select.is-invalid, textarea.is-invalid";
  var SUMMARY = ".alert-danger[role=alert], .text-danger[role=alert]";

  function focusFirstError(root) {
    var target = root.querySelector(FIELD) || root.querySelector(SUMMARY);
    if (!target) {
      return;
    }
    if (!target.matches(FIELD) && !target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }

  function focusLost() {
    return !document.activeElement || document.activeElement === document.body;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (focusLost() || document.querySelector(FIELD)) {
      focusFirstError(document);
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (focusLost() && event.target instanceof Element) {
      focusFirstError(event.target);
    }
  });
})();

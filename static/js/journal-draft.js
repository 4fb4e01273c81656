// The journal draft is saved on the server as the author types (htmx, see
// templates/journal/form.html). This file only tells the author when a save did not reach
// the server and tries again: every 10 seconds, and at once when the network is back. The
// text is never put in the browser's storage; it stays in the form until it is saved.
(function () {
  "use strict";
  var form = document.getElementById("draft-form");
  var status = document.getElementById("draft-status");
  if (!form || !status || !window.htmx) {
    return;
  }
  var autosave = form.getAttribute("hx-post");
  var failed = false;
  var timer = null;

  function retry() {
    if (failed) {
      window.htmx.trigger(form, "draft-retry");
    }
  }

  function fail(message) {
    failed = true;
    status.textContent = message;
    status.classList.add("status-overdue");
    window.clearTimeout(timer);
    timer = window.setTimeout(retry, 10000);
  }

  form.addEventListener("htmx:sendError", function () {
    fail(form.dataset.offline);
  });
  form.addEventListener("htmx:responseError", function () {
    fail(form.dataset.failed);
  });
  form.addEventListener("htmx:beforeSwap", function (event) {
    // Logged out: the save was redirected to the login page, which must not be shown here.
    var url = event.detail.xhr.responseURL || "";
    if (url.indexOf(autosave) === -1) {
      event.detail.shouldSwap = false;
      fail(form.dataset.loggedOut);
    } else if (event.detail.successful !== false) {
      failed = false;
      status.classList.remove("status-overdue");
      window.clearTimeout(timer);
    }
  });
  var submitting = false;
  form.addEventListener("submit", function (event) {
    // Offline, a normal submit would leave the page for the browser's error page.
    if (navigator.onLine === false) {
      event.preventDefault();
      fail(form.dataset.offline);
      return;
    }
    submitting = true;
  });
  window.addEventListener("online", retry);
  window.addEventListener("beforeunload", function (event) {
    if (failed && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

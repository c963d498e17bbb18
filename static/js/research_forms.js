/* Forms of the research pages. No inline script (CSP-ready).
   - An error summary marked [data-error-summary] takes the focus when the page
     loads, so keyboard and screen reader users land on what went wrong.
   - A long submit shows it is under way: a form marked [data-busy-form] disables
     its submit button (whose text becomes its data-busy-text) and fills its
     [data-busy-status] live region, so a large upload is not sent twice and
     screen readers hear that work is in progress. */
(function () {
  "use strict";

  function busy(form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      var status = form.querySelector("[data-busy-status]");
      if (button) {
        if (button.getAttribute("data-busy-text")) {
          button.textContent = button.getAttribute("data-busy-text");
        }
        button.setAttribute("aria-disabled", "true");
        // Disable after the browser has taken the submission.
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
      if (status) {
        status.textContent = status.getAttribute("data-busy-message") || "";
      }
    });
  }

  function init() {
    document.querySelectorAll("form[data-busy-form]").forEach(busy);
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

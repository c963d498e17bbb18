/* An error summary ([data-error-summary]) takes the focus when the page opens,
 * so screen-reader and keyboard users hear the problems first; its links lead
 * to the fields. Progressive enhancement: the page works without it.
 */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
}());

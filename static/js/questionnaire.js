/* Questionnaire: progressive enhancement only; every page works without it.
 * - a character count under each evidence box;
 * - a warning before leaving the page with changes not saved yet.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-questionnaire]");
  if (!form) {
    return;
  }

  Array.prototype.forEach.call(form.querySelectorAll("[data-counter-for]"), function (hint) {
    var box = document.getElementById(hint.getAttribute("data-counter-for"));
    if (!box) {
      return;
    }
    var max = parseInt(box.getAttribute("maxlength"), 10) || 2000;
    var text = hint.getAttribute("data-counter-text") || "{n} / {max}";
    var update = function () {
      hint.textContent = text.replace("{max}", max.toLocaleString())
        .replace("{n}", box.value.length.toLocaleString());
    };
    box.addEventListener("input", update);
    update();
  });

  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  var summary = document.getElementById("error-summary") || document.getElementById("conflict");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
}());

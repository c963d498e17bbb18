/* Draw every chart of the page: an element [data-chart="ID"] gets the plotly
   figure held as JSON in <script type="application/json" id="ID">. No inline
   script, so a strict Content-Security-Policy can forbid them. Each chart has a
   table with the same data beside it, for anyone the chart does not serve. */
(function () {
  "use strict";

  function draw() {
    if (typeof window.Plotly === "undefined") {
      return;
    }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-chart"));
      if (!source) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, figure.layout, figure.config);
    });
  }

  /* A chart drawn inside a folded <details> has no width yet: fit it to its box
     when the reader unfolds it. */
  function fitWhenUnfolded() {
    document.querySelectorAll("details").forEach(function (details) {
      details.addEventListener("toggle", function () {
        if (!details.open || typeof window.Plotly === "undefined") {
          return;
        }
        details.querySelectorAll("[data-chart]").forEach(function (element) {
          if (element.classList.contains("js-plotly-plot")) {
            window.Plotly.Plots.resize(element);
          }
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fitWhenUnfolded);
  } else {
    fitWhenUnfolded();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

// The dashboard's charts (issue 13): drawn by Chart.js from the figures' JSON, the same numbers
// as the tables beside them. No inline script or handler: the CSP forbids them.
(function () {
  "use strict";

  function draw(figure) {
    var canvas = document.querySelector('canvas[data-figure="' + figure.slug + '"]');
    if (!canvas) return;
    var chart = figure.chart;
    var rowsAreSeries = chart.series === "rows";
    new window.Chart(canvas, {
      type: chart.type,
      data: { labels: chart.labels, datasets: chart.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: chart.stacked },
          y: { stacked: chart.stacked, beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { position: "bottom" } },
        // A bar opens the records it counts, as its table cell does.
        onClick: function (event, elements) {
          if (!elements.length) return;
          var url = chart.datasets[elements[0].datasetIndex].urls[elements[0].index];
          if (url) window.location.assign(url);
        },
        onHover: function (event, elements) {
          var url = elements.length && chart.datasets[elements[0].datasetIndex].urls[elements[0].index];
          event.native.target.style.cursor = url ? "pointer" : "default";
        },
      },
    });
  }

  function fail(root) {
    var status = root.querySelector("[data-chart-status]");
    if (status) {
      status.textContent = root.dataset.failText;
      status.classList.remove("d-none");
    }
  }

  // The period picker: a day for a month, quarter or year; first and last days for a range.
  function followPeriod() {
    var kind = document.querySelector('[data-testid="stats-filter"] select[name="period"]');
    if (!kind) return;
    var show = function () {
      var custom = kind.value === "custom";
      ["date_from", "date_to"].forEach(function (name) {
        var field = document.getElementById("div_id_" + name);
        if (field) field.parentElement.classList.toggle("d-none", !custom);
      });
      var day = document.getElementById("div_id_on");
      if (day) day.parentElement.classList.toggle("d-none", custom);
    };
    kind.addEventListener("change", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    followPeriod();
    var root = document.querySelector("[data-figures-src]");
    if (!root) return;
    if (!window.Chart) return fail(root);
    fetch(root.dataset.figuresSrc, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        data.figures.forEach(draw);
        document.documentElement.dataset.chartsDrawn = String(data.figures.length);
      })
      .catch(function () {
        fail(root);
      });
  });
})();

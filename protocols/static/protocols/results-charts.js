/* Bar charts of the public results with the vendored Chart.js (no CDN). The data comes from
   <script type="application/json"> blocks written by Django's json_script; the same numbers are
   in the tables next to each chart, which is what screen readers use. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  var lang = document.documentElement.lang || "ru";
  var fmt = new Intl.NumberFormat(lang);
  var pct = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function horizontalBar(canvas, labels, values, label, tooltip, max) {
    return new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ label: label, data: values, backgroundColor: "#0d6efd" }] },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: tooltip } } },
        scales: { x: { beginAtZero: true, max: max } },
      },
    });
  }

  document.querySelectorAll("canvas[data-results-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.source);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (canvas.dataset.resultsChart === "votes") {
      horizontalBar(canvas, data.labels, data.votes, "", function (ctx) {
        var p = data.percent[ctx.dataIndex];
        return fmt.format(ctx.parsed.x) + (p === null ? "" : " (" + pct.format(p) + " %)");
      });
    } else if (canvas.dataset.resultsChart === "turnout") {
      horizontalBar(canvas, data.labels, data.percent, "%", function (ctx) {
        return pct.format(ctx.parsed.x) + " % (" + fmt.format(data.voted[ctx.dataIndex]) + " / " +
          fmt.format(data.eligible[ctx.dataIndex]) + ")";
      }, 100);
    }
  });
})();

/* warledger dashboard: the timeline and the running-total charts, drawn by uPlot (vendored from npm).
 *
 * Each chart has an HTML legend and an accessible data table beside it; the canvas itself is named as an
 * image. The timeline bins by day, week or month to fit its range, and dragging across it (a brush)
 * selects a date range.
 */
(function () {
  "use strict";

  var W = window.warledger;
  var el = W.el;
  var plots = { timeline: null, totals: [] };

  function seconds(iso) { return Date.parse(iso + "T00:00:00Z") / 1000; }
  function isoOf(sec) { return new Date(sec * 1000).toISOString().slice(0, 10); }
  function width(box) { return Math.max(240, Math.floor(box.clientWidth || box.parentNode.clientWidth || 600)); }
  function watchSize(box, plot, height) {
    if (!window.ResizeObserver) { return; }
    var last = width(box);
    new ResizeObserver(function () {
      var now = width(box);
      if (Math.abs(now - last) > 4) { last = now; plot.setSize({ width: now, height: height }); }
    }).observe(box);
  }
  function legend(items) {
    return el("ul", { className: "legend" }, items.map(function (it) {
      var sw = el("span", { className: "swatch", "aria-hidden": "true" });
      sw.style.background = it.color;
      return el("li", null, sw, it.label);
    }));
  }
  var AXIS = { stroke: "#4a5361", grid: { stroke: "#e3e7ec", width: 1 }, ticks: { stroke: "#c9d0d8", width: 1 },
               font: "11px system-ui, sans-serif" };
  var DAYS = 86400;
  /* A time axis ticked in whole days, weeks or months, labelled "3 Oct" (and the year where it changes). */
  function dateAxis() {
    return Object.assign({}, AXIS, { space: 56, incrs: [DAYS, 2 * DAYS, 7 * DAYS, 14 * DAYS, 30 * DAYS, 91 * DAYS, 182 * DAYS, 365 * DAYS],
      values: function (u, splits) {
        var year = null;
        return splits.map(function (s) {
          var d = new Date(s * 1000), y = d.getUTCFullYear();
          var text = d.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
          if (y !== year) { text += " " + y; year = y; }
          return text;
        });
      } });
  }

  /* ---------------------------------------------------------------- timeline */
  /* Events per bin, stacked by type. `rows`: [{date, event_type, n}]; `selected`: [from, to] or nulls;
   * `onRange(from, to)` when a range is brushed or a bar clicked. */
  function drawTimeline(box, rows, selected, onRange) {
    if (plots.timeline) { plots.timeline.destroy(); plots.timeline = null; }
    box.replaceChildren();
    if (!rows.length) { box.appendChild(el("p", { className: "empty", text: "No dated events match." })); return; }
    var first = rows[0].date, last = rows[rows.length - 1].date, bin = W.binFor(first, last);
    var starts = [], index = {};
    for (var b = W.binStart(first, bin); b <= last; b = W.nextBin(b, bin)) { index[b] = starts.length; starts.push(b); }
    var types = Object.keys(W.TYPE_COLORS).filter(function (t) { return rows.some(function (r) { return r.event_type === t; }); });
    rows.forEach(function (r) { if (types.indexOf(r.event_type) < 0) { types.push(r.event_type); } });
    var counts = types.map(function () { return starts.map(function () { return 0; }); });
    rows.forEach(function (r) { counts[types.indexOf(r.event_type)][index[W.binStart(r.date, bin)]] += r.n; });
    // Stacked by drawing the running sums, the tallest first, each type's bar over the one below it.
    var cumulative = [], running = starts.map(function () { return 0; });
    counts.forEach(function (c) { running = running.map(function (v, i) { return v + c[i]; }); cumulative.push(running); });
    var xs = starts.map(seconds), half = (bin === "day" ? 0.5 : bin === "week" ? 3.5 : 15) * 86400;
    var series = [{}], data = [xs];
    for (var i = types.length - 1; i >= 0; i--) {
      series.push({ label: types[i], fill: W.typeColor(types[i]), stroke: W.typeColor(types[i]), width: 0,
                    paths: uPlot.paths.bars({ size: [0.85, 48], align: 0 }), points: { show: false } });
      data.push(cumulative[i]);
    }
    var perBin = { day: "day", week: "week", month: "month" }[bin];
    var figure = el("div", { className: "plot", role: "img",
                             "aria-label": "Events per " + perBin + " by type, " + W.longDate(first) + " to " +
                                           W.longDate(last) + ". The data table below lists the numbers." });
    box.append(el("p", { className: "note", text: "Events per " + perBin + ". Drag across the chart to choose dates." }),
               figure);
    var height = 170;
    var plot = new uPlot({
      width: width(box), height: height, legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      scales: { x: { time: true, range: function () { return [xs[0] - half, xs[xs.length - 1] + half]; } },
                y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [dateAxis(), Object.assign({}, AXIS, { size: 36 })],
      series: series,
      hooks: { setSelect: [function (u) {
        if (u.select.width < 3) { return; }
        var a = isoOf(u.posToVal(u.select.left, "x") + half), z = isoOf(u.posToVal(u.select.left + u.select.width, "x") - half);
        onRange(W.binStart(a, bin), W.binEnd(W.binStart(z < a ? a : z, bin), bin));
      }] }
    }, data, figure);
    plot.over.addEventListener("click", function () {
      var idx = plot.cursor.idx;
      if (plot.select.width < 3 && idx !== null && idx !== undefined) { onRange(starts[idx], W.binEnd(starts[idx], bin)); }
    });
    if (selected && (selected[0] || selected[1])) {
      var left = plot.valToPos(seconds(selected[0] || first) - half, "x");
      var right = plot.valToPos(seconds(selected[1] || last) + half, "x");
      plot.setSelect({ left: Math.max(0, left), width: Math.max(2, right - left), top: 0, height: plot.over.clientHeight }, false);
    }
    plots.timeline = plot;
    box.dataset.bin = bin;
    box.dataset.bins = String(starts.length);
    watchSize(box, plot, height);
    box.append(legend(types.map(function (t) { return { label: t, color: W.typeColor(t) }; })),
      W.dataTable("Events per " + perBin + " by type", ["From", "To"].concat(types, ["All"]),
        starts.map(function (s, k) {
          var total = counts.reduce(function (t, c) { return t + c[k]; }, 0);
          return total ? [s, W.binEnd(s, bin)].concat(counts.map(function (c) { return String(c[k]); }), [String(total)]) : null;
        }).filter(Boolean)));
  }

  /* ---------------------------------------------------------------- running totals */
  var MEASURE_NOUN = { killed: "killed", wounded: "wounded", materiel: "items of materiel" };

  function drawRunningTotals(box, charts, docHref) {
    plots.totals.forEach(function (p) { p.destroy(); });
    plots.totals = [];
    box.replaceChildren();
    if (!charts.length) { box.appendChild(el("p", { className: "empty", text: "No running totals claimed for these filters." })); return; }
    var all = [];
    charts.forEach(function (c) { c.series.forEach(function (s) { s.points.forEach(function (p) { all.push(seconds(p.date)); }); }); });
    var lo = Math.min.apply(null, all) - 2 * DAYS, hi = Math.max.apply(null, all) + 2 * DAYS;
    charts.forEach(function (chart, n) {
      var dates = [];
      chart.series.forEach(function (s) { s.points.forEach(function (p) { if (dates.indexOf(p.date) < 0) { dates.push(p.date); } }); });
      dates.sort();
      var data = [dates.map(seconds)], series = [{}], items = [];
      chart.series.forEach(function (s, i) {
        var color = W.PALETTE[i % W.PALETTE.length], values = dates.map(function () { return null; });
        s.points.forEach(function (p) { values[dates.indexOf(p.date)] = p.value; });
        data.push(values);
        series.push({ label: s.claimant, stroke: color, width: 2, spanGaps: true, points: { size: 8, fill: color } });
        items.push({ label: s.claimant + (s.side_name && s.side_name !== "unknown" ? " (" + s.side_name + ")" : ""), color: color });
      });
      var id = "totals-" + n;
      var figure = el("div", { className: "plot", role: "img",
                               "aria-label": chart.title + ": figures claimed by " + chart.series.length +
                                             " claimant(s). The data table below lists them." });
      var card = el("section", { className: "tally", "aria-labelledby": id },
        el("h3", { id: id, text: chart.title }), figure);
      box.appendChild(card);
      var height = 120;
      var plot = new uPlot({
        width: width(box), height: height, legend: { show: false }, cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true, range: function () { return [lo, hi]; } },
                  y: { range: function (u, min, max) { return [0, Math.max(1, max) * 1.1]; } } },
        axes: [dateAxis(), Object.assign({}, AXIS, { size: 48 })],
        series: series
      }, data, figure);
      plots.totals.push(plot);
      watchSize(box, plot, height);
      var rows = [];
      chart.series.forEach(function (s) {
        s.points.forEach(function (p) { rows.push([p.date, s.claimant, W.figure(p.value, p.qualifier) + " " + MEASURE_NOUN[chart.measure]]); });
      });
      rows.sort(function (a, b) { return a[0] < b[0] ? -1 : (a[0] > b[0] ? 1 : 0); });
      card.append(legend(items), W.dataTable(chart.title, ["Date", "Claimant", "Figure as claimed"], rows));
    });
  }

  Object.assign(window.warledger, { drawTimeline: drawTimeline, drawRunningTotals: drawRunningTotals });
}());

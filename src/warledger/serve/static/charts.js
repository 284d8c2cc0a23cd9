/* warledger dashboard: shared DOM helpers and the hand-written SVG charts (timeline, running totals).
 *
 * Loaded before app.js; exposes window.warledger. Every string becomes a text node, never markup.
 */
(function () {
  "use strict";

  var TYPE_COLORS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#1f77b4",
    "Unknown": "#7f7f7f"
  };
  var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
  var SVG_NS = "http://www.w3.org/2000/svg";

  function typeColor(type) { return TYPE_COLORS[type] || TYPE_COLORS.Unknown; }

  /* DOM helpers: every string becomes a text node. */
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        var value = props[key];
        if (value === undefined || value === null) { return; }
        if (key === "text") { node.textContent = String(value); }
        else if (key === "className") { node.className = value; }
        else if (key === "href") { node.setAttribute("href", value); }
        else if (key === "dataset") { Object.keys(value).forEach(function (k) { node.dataset[k] = value[k]; }); }
        else { node.setAttribute(key, value); }
      });
    }
    for (var i = 2; i < arguments.length; i++) { append(node, arguments[i]); }
    return node;
  }
  function append(node, child) {
    if (child === undefined || child === null || child === false) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }
  function svgTitle(node, text) { var t = svg("title"); t.textContent = text; node.appendChild(t); return node; }
  function fmt(n) { return n === null || n === undefined ? "" : Number(n).toLocaleString("en"); }
  function figure(value, qualifier) {
    if (value === null || value === undefined) { return "–"; }
    if (qualifier === "at_least") { return "at least " + fmt(value); }
    if (qualifier === "approx") { return "about " + fmt(value); }
    return fmt(value);
  }

  /* ---------------------------------------------------------------- timeline */
  function dayNumber(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / 86400000); }
  function isoDay(n) { return new Date(n * 86400000).toISOString().slice(0, 10); }

  /* Events per day, stacked by type; `onDay(date)` is called when a bar is clicked. */
  function drawTimeline(box, legend, rows, onDay) {
    box.replaceChildren();
    if (!rows.length) { box.appendChild(el("p", { className: "empty", text: "No dated events." })); return; }
    var first = dayNumber(rows[0].date), last = dayNumber(rows[rows.length - 1].date);
    var days = last - first + 1, perDay = {}, types = [];
    rows.forEach(function (r) {
      var d = dayNumber(r.date);
      (perDay[d] = perDay[d] || []).push(r);
      if (types.indexOf(r.event_type) < 0) { types.push(r.event_type); }
    });
    var max = 0;
    Object.keys(perDay).forEach(function (d) {
      max = Math.max(max, perDay[d].reduce(function (s, r) { return s + r.n; }, 0));
    });
    var W = 600, H = 170, left = 30, bottom = 20, top = 8, plotW = W - left - 6, plotH = H - top - bottom;
    var barW = plotW / days;
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Events per day by type" });
    root.appendChild(svg("line", { x1: left, y1: H - bottom, x2: W - 6, y2: H - bottom, class: "axis-line" }));
    Object.keys(perDay).forEach(function (d) {
      var y = H - bottom, x = left + (d - first) * barW;
      perDay[d].sort(function (a, b) { return types.indexOf(a.event_type) - types.indexOf(b.event_type); });
      perDay[d].forEach(function (r) {
        var h = r.n / max * plotH;
        y -= h;
        var w = Math.min(40, Math.max(barW - (barW > 3 ? 1 : 0), 0.5));  // few days: slim bars, centred
        var rect = svg("rect", { x: x + (barW - w) / 2, y: y, width: w,
                                 height: h, fill: typeColor(r.event_type), class: "bar" });
        rect.dataset.date = r.date;
        svgTitle(rect, r.date + ": " + r.n + " × " + r.event_type);
        rect.addEventListener("click", function () { onDay(r.date); });
        root.appendChild(rect);
      });
    });
    function label(x, y, text, anchor) {
      var t = svg("text", { x: x, y: y, class: "axis", "text-anchor": anchor || "start" });
      t.textContent = text;
      root.appendChild(t);
    }
    label(left - 4, top + 8, String(max), "end");
    label(left - 4, H - bottom, "0", "end");
    label(left, H - 5, isoDay(first));
    if (days > 1) { label(W - 6, H - 5, isoDay(last), "end"); }
    box.appendChild(root);
    legend.replaceChildren();
    types.forEach(function (t) {
      var sw = el("span", { className: "swatch" });
      sw.style.background = typeColor(t);
      legend.appendChild(el("li", null, sw, t));
    });
  }

  /* ---------------------------------------------------------------- tally charts */
  /* One line chart per counter, one line per claimant (killed, else wounded). */
  function drawTallies(box, series) {
    box.replaceChildren();
    var groups = {}, order = [];
    series.forEach(function (s) {
      if (!groups[s.counter]) { groups[s.counter] = []; order.push(s.counter); }
      groups[s.counter].push(s);
    });
    var drawn = 0;
    order.slice(0, 12).forEach(function (counter) {
      var list = groups[counter];
      var field = list.some(function (s) { return s.points.some(function (p) { return p.killed !== null; }); })
        ? "killed" : "wounded";
      var lines = list.map(function (s) {
        return { claimant: s.claimant, points: s.points.filter(function (p) {
          return p.date && p[field] !== null && p[field] !== undefined;
        }) };
      }).filter(function (l) { return l.points.length; });
      if (!lines.length) { return; }
      drawn += 1;
      var all = [];
      lines.forEach(function (l) { l.points.forEach(function (p) { all.push(p); }); });
      var d0 = Math.min.apply(null, all.map(function (p) { return dayNumber(p.date); }));
      var d1 = Math.max.apply(null, all.map(function (p) { return dayNumber(p.date); }));
      var vmax = Math.max.apply(null, all.map(function (p) { return p[field]; })) || 1;
      var W = 600, H = 110, left = 40, right = 10, top = 8, bottom = 18;
      var xs = function (d) { return d1 === d0 ? left + (W - left - right) / 2 : left + (d - d0) / (d1 - d0) * (W - left - right); };
      var ys = function (v) { return H - bottom - v / vmax * (H - top - bottom); };
      var root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Running totals: " + counter });
      root.appendChild(svg("line", { x1: left, y1: H - bottom, x2: W - right, y2: H - bottom, class: "axis-line" }));
      var legend = el("ul", { className: "legend" });
      lines.forEach(function (l, i) {
        var color = PALETTE[i % PALETTE.length];
        l.points.sort(function (a, b) { return a.date < b.date ? -1 : 1; });
        var path = l.points.map(function (p) { return xs(dayNumber(p.date)) + "," + ys(p[field]); }).join(" ");
        var line = svg("polyline", { points: path, class: "line", stroke: color });
        root.appendChild(line);
        l.points.forEach(function (p) {
          var dot = svg("circle", { cx: xs(dayNumber(p.date)), cy: ys(p[field]), r: 3.5, fill: color });
          svgTitle(dot, l.claimant.name + ", " + p.date + ": " + figure(p[field], p[field + "_qualifier"]) + " " + field);
          root.appendChild(dot);
        });
        var sw = el("span", { className: "swatch" });
        sw.style.background = color;
        legend.appendChild(el("li", null, sw, l.claimant.name + (l.claimant.side ? " (" + l.claimant.side + ")" : "")));
      });
      [[vmax, top + 8], [0, H - bottom]].forEach(function (pair) {
        var t = svg("text", { x: left - 4, y: pair[1], class: "axis", "text-anchor": "end" });
        t.textContent = fmt(pair[0]);
        root.appendChild(t);
      });
      [[d0, "start"], [d1, "end"]].forEach(function (pair, i) {
        if (i === 1 && d1 === d0) { return; }
        var t = svg("text", { x: i ? W - right : left, y: H - 4, class: "axis", "text-anchor": pair[1] });
        t.textContent = isoDay(pair[0]);
        root.appendChild(t);
      });
      box.appendChild(el("div", { className: "tally" }, el("h4", { text: counter + " (" + field + ")" }), root, legend));
    });
    if (!drawn) { box.appendChild(el("p", { className: "empty", text: "No running totals claimed." })); }
  }

  window.warledger = {
    TYPE_COLORS: TYPE_COLORS, typeColor: typeColor, el: el, append: append, svg: svg, fmt: fmt,
    figure: figure, drawTimeline: drawTimeline, drawTallies: drawTallies
  };
}());

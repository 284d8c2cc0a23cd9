/* warledger dashboard: shared helpers (DOM building, formatting, names for codes, date bins, data tables).
 *
 * Loaded first; exposes window.warledger. Every string becomes a text node, never markup: article text,
 * titles, outlets and names are untrusted.
 */
(function () {
  "use strict";

  var TYPE_COLORS = {
    "Battles": "#c62828",
    "Explosions/Remote violence": "#e65100",
    "Violence against civilians": "#6a1b9a",
    "Protests": "#2e7d32",
    "Riots": "#6d4c41",
    "Strategic developments": "#1565c0",
    "Unknown": "#616161"
  };
  var PALETTE = ["#1565c0", "#c62828", "#2e7d32", "#e65100", "#6a1b9a", "#6d4c41", "#ad1457", "#00838f"];
  var labels = { sides: {}, sub_event_types: {} };

  function typeColor(type) { return TYPE_COLORS[type] || TYPE_COLORS.Unknown; }
  function typeClass(type) { return "type-" + String(type || "Unknown").toLowerCase().replace(/[^a-z]+/g, "-"); }

  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        var value = props[key];
        if (value === undefined || value === null || value === false) { return; }
        if (key === "text") { node.textContent = String(value); }
        else if (key === "className") { node.className = value; }
        else if (key === "dataset") { Object.keys(value).forEach(function (k) { node.dataset[k] = value[k]; }); }
        else if (key === "on") { Object.keys(value).forEach(function (k) { node.addEventListener(k, value[k]); }); }
        else { node.setAttribute(key, value === true ? "" : value); }
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
  function fmt(n) { return n === null || n === undefined ? "" : Number(n).toLocaleString("en"); }
  /* A figure as claimed: "at least 40", "about 12", "14"; a dash when unknown. */
  function figure(value, qualifier) {
    if (value === null || value === undefined) { return "–"; }
    if (qualifier === "at_least") { return "at least " + fmt(value); }
    if (qualifier === "approx") { return "about " + fmt(value); }
    return fmt(value);
  }
  function sideName(code) { return code ? (labels.sides[code] || code) : ""; }
  /* "Azerbaijan (AZ)": the name first, the code for those who know it. */
  function sideLabel(code) {
    if (!code) { return "side unknown"; }
    var name = sideName(code);
    return name && name !== code ? name + " (" + code + ")" : code;
  }
  function setLabels(value) { labels = value || labels; }
  function plural(n, one, many) { return fmt(n) + " " + (n === 1 ? one : (many || one + "s")); }

  /* ---------------------------------------------------------------- dates and bins */
  var DAY = 86400000;
  function dayNumber(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY); }
  function isoDay(n) { return new Date(n * DAY).toISOString().slice(0, 10); }
  /* The bin that fits a range: days up to three months, weeks up to two years, else months. */
  function binFor(first, last) {
    var span = dayNumber(last) - dayNumber(first);
    return span <= 92 ? "day" : (span <= 730 ? "week" : "month");
  }
  /* The first day of the bin holding `iso` (weeks start on Monday). */
  function binStart(iso, bin) {
    if (bin === "month") { return iso.slice(0, 8) + "01"; }
    if (bin === "week") {
      var n = dayNumber(iso), weekday = (new Date(n * DAY).getUTCDay() + 6) % 7;
      return isoDay(n - weekday);
    }
    return iso;
  }
  function binEnd(start, bin) {
    if (bin === "month") {
      var d = new Date(Date.parse(start + "T00:00:00Z"));
      return isoDay(Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY) - 1);
    }
    return bin === "week" ? isoDay(dayNumber(start) + 6) : start;
  }
  function nextBin(start, bin) { return isoDay(dayNumber(binEnd(start, bin)) + 1); }
  function longDate(iso) {
    if (!iso) { return "date unknown"; }
    var d = new Date(Date.parse(iso + "T00:00:00Z"));
    return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  }

  /* An accessible data table behind a disclosure: what a chart shows, as numbers. */
  function dataTable(caption, headers, rows) {
    return el("details", { className: "data-table" }, el("summary", { text: "Data table" }),
      el("div", { className: "scroll" }, el("table", { className: "plain" },
        el("caption", { text: caption }),
        el("thead", null, el("tr", null, headers.map(function (h) { return el("th", { scope: "col", text: h }); }))),
        el("tbody", null, rows.map(function (r) {
          return el("tr", null, r.map(function (v, i) { return el(i ? "td" : "th", i ? { text: v } : { scope: "row", text: v }); }));
        })))));
  }

  window.warledger = {
    TYPE_COLORS: TYPE_COLORS, PALETTE: PALETTE, typeColor: typeColor, typeClass: typeClass, el: el, append: append,
    fmt: fmt, figure: figure, sideName: sideName, sideLabel: sideLabel, setLabels: setLabels, plural: plural,
    dayNumber: dayNumber, isoDay: isoDay, binFor: binFor, binStart: binStart, binEnd: binEnd, nextBin: nextBin,
    longDate: longDate, dataTable: dataTable
  };
}());

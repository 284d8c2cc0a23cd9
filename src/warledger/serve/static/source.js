/* warledger dashboard: where the data comes from.
 *
 * ApiSource asks `warledger serve`'s JSON API; InlineSource answers the same questions from the static
 * report's inlined snapshot, with the API's semantics. Filters are {date_from, date_to, q, contested, and
 * lists event_type, sub_event_type, side, place, claimant}: a list matches when any of its values does.
 */
(function () {
  "use strict";

  var LISTS = ["event_type", "sub_event_type", "side", "place", "claimant"];
  var NAMES = ["date_from", "date_to"].concat(LISTS, ["q", "contested"]);

  function emptyFilters() {
    var f = { date_from: "", date_to: "", q: "", contested: false };
    LISTS.forEach(function (k) { f[k] = []; });
    return f;
  }
  /* Filters as query parameters, a name repeated for several values (the API's and the URL's form). */
  function filterParams(f, extra) {
    var params = new URLSearchParams();
    NAMES.forEach(function (k) {
      var v = f[k];
      if (Array.isArray(v)) { v.forEach(function (x) { params.append(k, x); }); }
      else if (v === true) { params.set(k, "true"); }
      else if (v) { params.set(k, v); }
    });
    Object.keys(extra || {}).forEach(function (k) { params.set(k, extra[k]); });
    return params;
  }
  function readFilters(params) {
    var f = emptyFilters();
    NAMES.forEach(function (k) {
      if (LISTS.indexOf(k) >= 0) { f[k] = params.getAll(k).filter(Boolean); }
      else if (k === "contested") { f[k] = ["1", "true", "yes", "on"].indexOf((params.get(k) || "").toLowerCase()) >= 0; }
      else { f[k] = params.get(k) || ""; }
    });
    return f;
  }

  /* A failed request as a sentence, with the HTTP status kept for the page to choose its words. */
  function requestError(what, response, detail) {
    var err = new Error(response.status === 404
      ? what + " was not found."
      : "The server could not answer (" + response.status + " " + response.statusText + ")" +
        (detail ? ": " + detail : "") + ".");
    err.status = response.status;
    return err;
  }
  function getJSON(url, what, signal) {
    return fetch(url, { headers: { Accept: "application/json" }, signal: signal }).then(function (r) {
      if (r.ok) { return r.json(); }
      return r.json().catch(function () { return {}; }).then(function (body) {
        var detail = typeof body.detail === "string" ? body.detail : null;
        throw requestError(what, r, detail);
      });
    }, function (err) {
      if (err.name === "AbortError") { throw err; }
      throw new Error("The dashboard's server did not answer: is `warledger serve` still running?");
    });
  }

  function ApiSource() {}
  ApiSource.prototype = {
    mode: "server",
    config: function () { return getJSON("api/config", "the configuration"); },
    stats: function () { return getJSON("api/stats", "the store's figures"); },
    labels: function () { return getJSON("api/labels", "the names of codes"); },
    events: function (f, page, signal) { return getJSON("api/events?" + filterParams(f, page), "the events", signal); },
    mapPoints: function (f, signal) { return getJSON("api/map?" + filterParams(f), "the map", signal); },
    timeline: function (f, signal) { return getJSON("api/timeline?" + filterParams(f), "the timeline", signal); },
    summary: function (f, signal) { return getJSON("api/summary?" + filterParams(f), "the summary", signal); },
    runningTotals: function (f, signal) {
      return getJSON("api/running-totals?" + filterParams(f), "the running totals", signal);
    },
    disagreements: function (f, signal) {
      return getJSON("api/disagreements?" + filterParams(f, { limit: 500 }), "the disagreements", signal);
    },
    outlets: function () { return getJSON("api/outlets", "the outlets"); },
    outlet: function (name) { return getJSON("api/outlets/" + encodeURIComponent(name), "The outlet “" + name + "”"); },
    event: function (id) { return getJSON("api/events/" + encodeURIComponent(id), "The event “" + id + "”"); },
    eventDisagreements: function (id) {
      return getJSON("api/events/" + encodeURIComponent(id) + "/disagreements", "The event “" + id + "”");
    },
    document: function (id) { return getJSON("api/documents/" + encodeURIComponent(id), "The document “" + id + "”"); },
    outlines: function (cfg) { return getJSON(cfg.outlines_url, "the map outlines"); },
    exportUrl: function (f, format) { return "api/export?" + filterParams(f, { format: format }); }
  };

  /* ---------------------------------------------------------------- the static report */
  function searchWords(text) { return (text || "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean); }
  function anyPart(values, text) {
    text = (text || "").toLowerCase();
    return values.some(function (v) { return text.indexOf(v.trim().toLowerCase()) >= 0; });
  }
  function matches(s, f) {
    if (f.date_from && !(s.date && s.date >= f.date_from)) { return false; }
    if (f.date_to && !(s.date && s.date <= f.date_to)) { return false; }
    if (f.event_type.length && f.event_type.indexOf(s.event_type) < 0) { return false; }
    if (f.sub_event_type.length && f.sub_event_type.indexOf(s.sub_event_type) < 0) { return false; }
    if (f.side.length && !f.side.some(function (x) { return (s.sides || []).indexOf(x.trim().toUpperCase()) >= 0; })) {
      return false;
    }
    if (f.place.length && !anyPart(f.place, s.place)) { return false; }
    if (f.claimant.length && !(s.claimants || []).some(function (name) { return anyPart(f.claimant, name); })) {
      return false;
    }
    if (f.contested && !s.contested) { return false; }
    // Each word must start a word of the event's text (`search` is " word word ... ", as the API's index).
    return searchWords(f.q).every(function (w) { return s.search.indexOf(" " + w) >= 0; });
  }
  var SORT_KEYS = { date: "date", killed: "killed_best", place: "place", type: "sub_event_type",
                    sources: "independent_sources" };
  function missing(x) { return x === null || x === undefined; }
  function compare(key, desc) {
    return function (a, b) {
      var x = a[key], y = b[key];
      if (missing(x)) { return missing(y) ? tie(a, b, key) : 1; }
      if (missing(y)) { return -1; }
      if (x < y) { return desc ? 1 : -1; }
      if (x > y) { return desc ? -1 : 1; }
      return tie(a, b, key);
    };
  }
  function tie(a, b, key) {
    if (key !== "date" && a.date !== b.date) { return (a.date || "") < (b.date || "") ? 1 : -1; }
    return a.event_id < b.event_id ? -1 : (a.event_id > b.event_id ? 1 : 0);
  }
  function sum(rows, key) { return rows.reduce(function (t, r) { return t + (missing(r[key]) ? 0 : r[key]); }, 0); }
  function figures(rows, name) {
    var known = rows.filter(function (r) { return !missing(r[name + "_best"]); });
    return { best: sum(known, name + "_best"),
             low: known.reduce(function (t, r) { return t + (missing(r[name + "_low"]) ? r[name + "_best"] : r[name + "_low"]); }, 0),
             high: known.reduce(function (t, r) { return t + (missing(r[name + "_high"]) ? r[name + "_best"] : r[name + "_high"]); }, 0),
             events_with_figure: known.length };
  }
  function resolved(value) { return Promise.resolve(value); }
  function notInReport(what) { var e = new Error(what + " is not in this report."); e.status = 404; return Promise.reject(e); }

  function InlineSource(data) { this.data = data; }
  InlineSource.prototype = {
    mode: "static",
    filtered: function (f) { return this.data.summaries.filter(function (s) { return matches(s, f); }); },
    config: function () { return resolved(this.data.config); },
    stats: function () { return resolved(this.data.stats); },
    labels: function () { return resolved(this.data.labels); },
    events: function (f, page) {
      var rows = this.filtered(f).slice().sort(compare(SORT_KEYS[page.sort] || "date", page.order !== "asc"));
      return resolved({ total: rows.length, offset: page.offset, limit: page.limit,
                        items: rows.slice(page.offset, page.offset + page.limit) });
    },
    mapPoints: function (f) {
      var rows = this.filtered(f).filter(function (s) { return !missing(s.lat) && !missing(s.lon); });
      return resolved({ total: rows.length, points: rows.map(function (s) {
        return [s.event_id, s.lat, s.lon, s.killed_best, s.event_type, s.place, s.date, s.place_precision];
      }) });
    },
    timeline: function (f) {
      var counts = {};
      this.filtered(f).forEach(function (s) {
        if (!s.date) { return; }
        var key = s.date + "\u0000" + (s.event_type || "Unknown");
        counts[key] = (counts[key] || 0) + 1;
      });
      return resolved(Object.keys(counts).sort().map(function (key) {
        var parts = key.split("\u0000");
        return { date: parts[0], event_type: parts[1], n: counts[key] };
      }));
    },
    summary: function (f) {
      var rows = this.filtered(f);
      return resolved({ events: rows.length, located: rows.filter(function (r) { return !missing(r.lat); }).length,
                        contested: rows.filter(function (r) { return r.contested; }).length,
                        killed: figures(rows, "killed"), wounded: figures(rows, "wounded") });
    },
    runningTotals: function (f) {
      var claimants = f.claimant.map(function (c) { return c.trim().toLowerCase(); });
      var sides = f.side.map(function (s) { return s.trim().toUpperCase(); });
      return resolved((this.data.running_totals || []).map(function (chart) {
        var counterSide = chart.counter.split(" ")[0];
        var series = chart.series.filter(function (s) {
          if (claimants.length && !claimants.some(function (c) { return s.claimant.toLowerCase().indexOf(c) >= 0; })) { return false; }
          return !sides.length || sides.indexOf(s.side) >= 0 || sides.indexOf(counterSide) >= 0;
        }).map(function (s) {
          return Object.assign({}, s, { points: s.points.filter(function (p) {
            return (!f.date_from || p.date >= f.date_from) && (!f.date_to || p.date <= f.date_to);
          }) });
        }).filter(function (s) { return s.points.length; });
        return Object.assign({}, chart, { series: series });
      }).filter(function (chart) { return chart.series.length; }));
    },
    disagreements: function (f) {
      var keep = {};
      this.filtered(f).forEach(function (s) { keep[s.event_id] = true; });
      var rows = (this.data.disagreements || []).filter(function (r) { return keep[r.event_id]; });
      return resolved({ total: rows.length, items: rows });
    },
    outlets: function () { return resolved((this.data.outlets || {}).list || []); },
    outlet: function (name) {
      var page = ((this.data.outlets || {}).pages || {})[name];
      return page ? resolved(page) : notInReport("The outlet “" + name + "”");
    },
    eventDisagreements: function (id) {
      return resolved({ items: (this.data.disagreements || []).filter(function (r) { return r.event_id === id; }) });
    },
    event: function (id) {
      var e = this.data.events[id];
      return e ? resolved(e) : notInReport("The event “" + id + "”");
    },
    document: function (id) {
      var d = this.data.documents[id];
      return d ? resolved(d) : notInReport("The document “" + id + "”");
    },
    outlines: function () { return resolved(this.data.outlines); },
    exportUrl: function () { return null; }
  };

  function pickSource() {
    var inline = document.getElementById("warledger-data");
    return inline ? new InlineSource(JSON.parse(inline.textContent)) : new ApiSource();
  }

  Object.assign(window.warledger, { LISTS: LISTS, emptyFilters: emptyFilters, filterParams: filterParams,
                                    readFilters: readFilters, pickSource: pickSource });
}());

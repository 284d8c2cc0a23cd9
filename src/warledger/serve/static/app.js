/* warledger dashboard: map, timeline, tally charts, event table, event and document pages.
 *
 * Works in two modes with the same code: served by `warledger serve` (data from the JSON API), or as the
 * static report (all data inlined in <script type="application/json" id="warledger-data">, filtered here).
 * Article text is untrusted: it only ever reaches the page through textContent / text nodes, never as markup.
 */
(function () {
  "use strict";

  var W = window.warledger;
  var el = W.el, append = W.append, fmt = W.fmt, figure = W.figure, typeColor = W.typeColor;
  var PAGE_SIZE = 50;
  var CANVAS_ABOVE = 3000;  // more markers than this are drawn on a canvas instead of as SVG paths

  function $(id) { return document.getElementById(id); }
  function status(text) { $("status").textContent = text || ""; }
  function range(fig) {
    if (!fig || fig.best === null || fig.best === undefined) { return "–"; }
    var text = fmt(fig.best);
    if (fig.low !== null && fig.high !== null && (fig.low !== fig.best || fig.high !== fig.best)) {
      text += " (" + fmt(fig.low) + "–" + fmt(fig.high) + ")";
    }
    return text;
  }
  function actor(a) { return a ? (a.name || "?") + (a.side ? " (" + a.side + ")" : "") : "?"; }
  function eventHref(id) { return "#/event/" + encodeURIComponent(id); }
  function docHref(id, ev) {
    return "#/doc/" + encodeURIComponent(id) + (ev ? "/" + ev.start + "/" + ev.end : "");
  }

  /* ---------------------------------------------------------------- data sources */
  function query(filters, extra) {
    var params = new URLSearchParams();
    Object.keys(filters).forEach(function (k) {
      var v = filters[k];
      if (v === true) { params.set(k, "true"); } else if (v) { params.set(k, v); }
    });
    Object.keys(extra || {}).forEach(function (k) { params.set(k, extra[k]); });
    return params.toString();
  }
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url.split("?")[0] + ": " + r.status + " " + r.statusText); }
      return r.json();
    });
  }
  function ApiSource() {}
  ApiSource.prototype = {
    config: function () { return getJSON("api/config"); },
    stats: function () { return getJSON("api/stats"); },
    events: function (f, page) { return getJSON("api/events?" + query(f, page)); },
    mapPoints: function (f) { return getJSON("api/map?" + query(f)); },
    timeline: function (f) { return getJSON("api/timeline?" + query(f)); },
    event: function (id) { return getJSON("api/events/" + encodeURIComponent(id)); },
    document: function (id) { return getJSON("api/documents/" + encodeURIComponent(id)); },
    tallies: function () { return getJSON("api/tallies"); },
    outlines: function (cfg) { return getJSON(cfg.outlines_url); }
  };

  /* The static report: the same questions answered from the inlined snapshot, with the API's semantics. */
  function InlineSource(data) { this.data = data; }
  function searchWords(text) {
    return (text || "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function matches(s, f) {
    if (f.date_from && !(s.date && s.date >= f.date_from)) { return false; }
    if (f.date_to && !(s.date && s.date <= f.date_to)) { return false; }
    if (f.event_type && s.event_type !== f.event_type) { return false; }
    if (f.sub_event_type && s.sub_event_type !== f.sub_event_type) { return false; }
    if (f.side && (s.sides || []).indexOf(f.side.trim().toUpperCase()) < 0) { return false; }
    if (f.place && (s.place || "").toLowerCase().indexOf(f.place.trim().toLowerCase()) < 0) { return false; }
    if (f.claimant) {
      var c = f.claimant.trim().toLowerCase();
      if (!(s.claimants || []).some(function (name) { return name.toLowerCase().indexOf(c) >= 0; })) { return false; }
    }
    if (f.contested && !s.contested) { return false; }
    // Each word must start a word of the event's text (`search` is " word word ... ", as the API's index).
    if (!searchWords(f.q).every(function (w) { return s.search.indexOf(" " + w) >= 0; })) { return false; }
    return true;
  }
  var SORT_KEYS = { date: "date", killed: "killed_best", place: "place", type: "sub_event_type",
                    sources: "independent_sources" };
  function compare(key, desc) {
    return function (a, b) {
      var x = a[key], y = b[key];
      if (x === null || x === undefined) { return (y === null || y === undefined) ? tie(a, b, key) : 1; }
      if (y === null || y === undefined) { return -1; }
      if (x < y) { return desc ? 1 : -1; }
      if (x > y) { return desc ? -1 : 1; }
      return tie(a, b, key);
    };
  }
  function tie(a, b, key) {
    if (key !== "date" && a.date !== b.date) { return (a.date || "") < (b.date || "") ? 1 : -1; }
    return a.event_id < b.event_id ? -1 : (a.event_id > b.event_id ? 1 : 0);
  }
  function resolved(value) { return Promise.resolve(value); }
  InlineSource.prototype = {
    filtered: function (f) { return this.data.summaries.filter(function (s) { return matches(s, f); }); },
    config: function () { return resolved(this.data.config); },
    stats: function () { return resolved(this.data.stats); },
    events: function (f, page) {
      var rows = this.filtered(f).slice().sort(compare(SORT_KEYS[page.sort] || "date", page.order !== "asc"));
      return resolved({ total: rows.length, offset: page.offset, limit: page.limit,
                        items: rows.slice(page.offset, page.offset + page.limit) });
    },
    mapPoints: function (f) {
      var rows = this.filtered(f).filter(function (s) { return s.lat !== null && s.lon !== null; });
      return resolved({ total: rows.length, points: rows.map(function (s) {
        return [s.event_id, s.lat, s.lon, s.killed_best, s.event_type];
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
    event: function (id) {
      var e = this.data.events[id];
      return e ? resolved(e) : Promise.reject(new Error("no event " + id + " in this report"));
    },
    document: function (id) {
      var d = this.data.documents[id];
      return d ? resolved(d) : Promise.reject(new Error("no document " + id + " in this report"));
    },
    tallies: function () { return resolved(this.data.tallies); },
    outlines: function () { return resolved(this.data.outlines); }
  };

  var inline = $("warledger-data");
  var source = inline ? new InlineSource(JSON.parse(inline.textContent)) : new ApiSource();

  /* ---------------------------------------------------------------- state */
  var state = { filters: {}, offset: 0, sort: "date", order: "desc", loaded: false, stats: null };
  var map = null, markers = null, fitted = false, loads = 0;

  function readFilters() {
    var form = $("filters"), f = {};
    ["date_from", "date_to", "event_type", "sub_event_type", "side", "place", "claimant", "q"].forEach(function (k) {
      var v = form.elements[k].value.trim();
      if (v) { f[k] = v; }
    });
    if (form.elements.contested.checked) { f.contested = true; }
    return f;
  }

  /* ---------------------------------------------------------------- map */
  function initMap(cfg) {
    map = L.map("map", { worldCopyJump: true, minZoom: 2 }).setView([40.2, 46.8], 6);
    map.attributionControl.setPrefix(false);
    // The outlines sit below the tiles: online, tiles cover them; offline, they are the map.
    map.createPane("outlines");
    map.getPane("outlines").style.zIndex = 150;
    if (cfg.tile_url) {
      L.tileLayer(cfg.tile_url, { maxZoom: 18, attribution: cfg.tile_attribution }).addTo(map);
    } else {
      map.attributionControl.addAttribution(cfg.tile_attribution || "Natural Earth");
    }
    source.outlines(cfg).then(function (geo) {
      L.geoJSON(geo, { pane: "outlines", interactive: false,
        style: { color: "#9aa3ad", weight: 1, fillColor: "#eef0ea", fillOpacity: 1 } }).addTo(map);
    }).catch(function (err) { status("map outlines: " + err.message); });
    markers = L.layerGroup().addTo(map);
  }

  function radius(killed) { return Math.min(30, 5 + 2.5 * Math.sqrt(killed || 0)); }

  function drawMarkers(result) {
    markers.clearLayers();
    var renderer = result.points.length > CANVAS_ABOVE ? L.canvas({ padding: 0.2 }) : undefined;
    var bounds = [];
    result.points.forEach(function (p) {
      var id = p[0], killed = p[3], type = p[4] || "Unknown";
      var marker = L.circleMarker([p[1], p[2]], {
        radius: radius(killed), color: "#333", weight: 1, fillColor: typeColor(type), fillOpacity: 0.75,
        className: "event-marker", renderer: renderer
      });
      marker.bindTooltip(function () {
        return el("span", { text: type + (killed ? " · " + fmt(killed) + " killed" : "") });
      });
      marker.on("click", function () { location.hash = eventHref(id); });
      markers.addLayer(marker);
      bounds.push([p[1], p[2]]);
    });
    $("map-note").textContent = result.points.length + " located events on the map" +
      (result.total > result.points.length ? " (the " + result.points.length + " deadliest of " +
       fmt(result.total) + ")" : "") + ". Marker size: best figure of killed; colour: event type.";
    if (!fitted && bounds.length) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 8 });
      fitted = true;
    }
  }

  function setDay(day) {
    var form = $("filters");
    form.elements.date_from.value = day;
    form.elements.date_to.value = day;
    applyFilters();
  }

  /* ---------------------------------------------------------------- event table */
  function drawTable(page) {
    var body = document.querySelector("#events tbody");
    body.replaceChildren();
    page.items.forEach(function (e) {
      var dot = el("span", { className: "swatch" });
      dot.style.background = typeColor(e.event_type);
      var row = el("tr", { dataset: { eventId: e.event_id } },
        el("td", { text: e.date || "?" }),
        el("td", null, dot, e.sub_event_type || e.event_type || "?"),
        el("td", null, el("a", { href: eventHref(e.event_id), text: e.place || "(no place)" })),
        el("td", { className: "num", text: fmt(e.killed_best) }),
        el("td", { className: "num", text: fmt(e.wounded_best) }),
        el("td", { text: (e.sides || []).join(", ") }),
        el("td", { className: "num", text: fmt(e.independent_sources) }),
        el("td", { text: (e.claimants || []).join("; ") }),
        el("td", null, e.contested ? el("span", { className: "badge contested", text: "contested" }) : ""));
      row.addEventListener("click", function (ev) {
        if (ev.target.tagName !== "A") { location.hash = eventHref(e.event_id); }
      });
      body.appendChild(row);
    });
    if (!page.items.length) {
      body.appendChild(el("tr", null, el("td", { colspan: "9", className: "empty", text: "No events match." })));
    }
    var end = page.offset + page.items.length;
    $("event-count").textContent = "(" + fmt(page.total) + ")";
    $("page-info").textContent = page.total ? (page.offset + 1) + "–" + end + " of " + fmt(page.total) : "";
    $("prev").disabled = page.offset <= 0;
    $("next").disabled = end >= page.total;
    document.querySelectorAll("#events th button").forEach(function (b) {
      b.classList.toggle("sorted", b.dataset.sort === state.sort);
      b.classList.toggle("asc", state.order === "asc");
    });
  }

  function loadTable() {
    return source.events(state.filters, { limit: PAGE_SIZE, offset: state.offset, sort: state.sort, order: state.order })
      .then(drawTable);
  }

  function applyFilters() {
    state.filters = readFilters();
    state.offset = 0;
    return refresh();
  }

  function refresh() {
    status("loading…");
    return Promise.all([
      loadTable(),
      source.mapPoints(state.filters).then(drawMarkers),
      source.timeline(state.filters).then(function (rows) {
        W.drawTimeline($("timeline"), $("legend"), rows, setDay);
      })
    ]).then(function () {
      status("");
      loads += 1;
      document.body.dataset.loads = String(loads);  // lets tests wait for a refresh to finish
    }).catch(function (err) { status("error: " + err.message); });
  }

  /* ---------------------------------------------------------------- event page */
  function showEvent(id) {
    var page = $("event-page");
    page.replaceChildren(el("p", { className: "empty", text: "loading…" }));
    return source.event(id).then(function (e) {
      var docs = e.documents || {};
      var contested = {};
      (e.contradictions || []).forEach(function (c) { contested[c.claim_a] = true; contested[c.claim_b] = true; });
      var title = (e.sub_event_type || e.event_type || "Event") + " — " +
        ((e.location && e.location.name) || e.location_text || "place unknown") + ", " + (e.date || "date unknown");
      var header = el("header", null,
        el("a", { className: "back", href: "#/", text: "← all events" }),
        el("h2", { text: title }),
        el("p", { className: "meta", text: (e.event_type || "") + " · " + actor(e.actor1) + " → " + actor(e.actor2) }),
        el("p", { className: "meta", text: "Killed: " + range(e.killed) + " · Wounded: " + range(e.wounded) +
          " · " + (e.independent_sources || 0) + " independent source(s) · confidence " +
          (e.confidence !== undefined ? Number(e.confidence).toFixed(2) : "?") }),
        (e.flags || []).length ? el("p", { className: "meta", text: "Flags: " + e.flags.join(", ").replace(/_/g, " ") +
          ((e.alleged_by || []).length ? " (alleged by " + e.alleged_by.join(", ") + ")" : "") }) : null);
      var parts = [header];
      if ((e.contradictions || []).length) {
        parts.push(el("section", { className: "contradictions" }, el("h3", { text: "Contradictions" }),
          e.contradictions.map(function (c) {
            return el("div", { className: "contradiction" },
              el("strong", { text: c.kind.replace(/_/g, " ") + (c.field ? " (" + c.field + ")" : "") + ": " }),
              (c.claimant_a || c.claim_a) + " vs " + (c.claimant_b || c.claim_b) + (c.detail ? " — " + c.detail : ""));
          })));
      }
      parts.push(el("section", null, el("h3", { text: "Claims (" + (e.claims || []).length + ")" }),
        el("div", { className: "claims-grid" }, (e.claims || []).map(function (c) {
          return claimCard(c, docs[c.doc_id], contested[c.report_id]);
        }))));
      parts.push(el("section", null, el("h3", { text: "Sources" }), el("ul", null, (e.sources || []).map(function (s) {
        var d = docs[s.doc_id] || {};
        return el("li", null, el("a", { href: docHref(s.doc_id), text: d.title || s.doc_id }),
          " — " + (s.outlet || d.outlet || "outlet unknown") + (d.published ? ", " + d.published : "") +
          (s.copy_group ? " · copy group " + s.copy_group : ""));
      }))));
      page.replaceChildren.apply(page, parts);
    }).catch(function (err) { page.replaceChildren(el("p", { className: "empty", text: err.message })); });
  }

  function docLabel(doc, id) {
    var title = (doc && doc.title) || "";
    if (title.length > 60) { title = title.slice(0, 57) + "…"; }
    return [(doc && doc.outlet) || "", (doc && doc.published) || "", title || id].filter(Boolean).join(" · ");
  }

  function claimCard(c, doc, inContradiction) {
    var cls = "claim " + c.stance + (inContradiction ? " in-contradiction" : "") + (c.superseded ? " superseded" : "");
    var who = c.claimant || {};
    return el("article", { className: cls, dataset: { reportId: c.report_id, stance: c.stance } },
      el("h4", { text: who.name || "?" }),
      el("div", null, el("span", { className: "badge " + c.stance, text: c.stance }), " ",
        el("span", { className: "badge", text: "side " + (who.side || "?") }), " ",
        el("span", { className: "badge", text: who.kind || "other" }),
        c.superseded ? el("span", { className: "badge", text: "superseded" }) : null),
      el("dl", null,
        el("dt", { text: "Date" }), el("dd", { text: c.date || "–" }),
        el("dt", { text: "Killed" }), el("dd", { text: figure(c.killed, c.killed_qualifier) }),
        el("dt", { text: "Wounded" }), el("dd", { text: figure(c.wounded, c.wounded_qualifier) }),
        el("dt", { text: "Perpetrator" }), el("dd", { text: c.actor1 ? actor(c.actor1) : "–" }),
        el("dt", { text: "Place as written" }), el("dd", { text: c.location_text || "–" }),
        el("dt", { text: "Document" }), el("dd", null, el("a", { href: docHref(c.doc_id), text: docLabel(doc, c.doc_id),
          title: (doc && doc.title) || c.doc_id }))),
      el("ul", { className: "evidence" }, (c.evidence || []).map(function (ev) {
        return el("li", null, el("a", { className: "evidence-link", href: docHref(c.doc_id, ev),
                                         text: "“" + ev.text + "”" }));
      })));
  }

  /* ---------------------------------------------------------------- document page */
  function showDocument(id, start, end) {
    var page = $("doc-page");
    page.replaceChildren(el("p", { className: "empty", text: "loading…" }));
    return source.document(id).then(function (d) {
      var text = d.text || "";
      var body = el("div", { className: "doc-text", id: "doc-text" });
      var mark = null;
      if (start !== null && end !== null && start >= 0 && end <= text.length && start < end) {
        mark = el("mark", { className: "highlight", id: "highlight", text: text.slice(start, end) });
        append(body, [text.slice(0, start), mark, text.slice(end)]);
      } else {
        body.textContent = text;
      }
      var header = el("header", null,
        el("a", { className: "back", href: "#/", text: "← all events" }),
        el("h2", { text: d.title || d.doc_id }),
        el("p", { className: "meta", text: [d.outlet || "outlet unknown", d.published || "date unknown",
          d.language, d.doc_id].filter(Boolean).join(" · ") }),
        d.url ? el("p", { className: "meta", text: "URL: " + d.url }) : null,
        d.skipped_reason ? el("p", { className: "meta", text: "Skipped: " + d.skipped_reason }) : null);
      var copies = el("section", { className: "copies" }, el("h3", { text: "Copies of this text" }),
        (d.copies || []).length
          ? el("ul", null, d.copies.map(function (c) {
              return el("li", null, el("a", { href: docHref(c.doc_id), text: c.title || c.doc_id }),
                " — " + (c.outlet || "outlet unknown") + (c.published ? ", " + c.published : ""));
            }))
          : el("p", { className: "empty", text: "None found." }));
      var reports = el("section", null, el("h3", { text: "Reports in this document (" + (d.reports || []).length + ")" }),
        el("table", { className: "plain reports" },
          el("thead", null, el("tr", null, ["Kind", "What", "Claimant", "Stance", "Date", "Place", "Killed", "Wounded",
            "Evidence", "Event"].map(function (h) { return el("th", { text: h }); }))),
          el("tbody", null, (d.reports || []).map(function (r) {
            return el("tr", { dataset: { reportId: r.report_id } },
              el("td", { text: r.kind }),
              el("td", { text: r.sub_event_type || r.statement_type || "" }),
              el("td", { text: (r.claimant && r.claimant.name) || "?" }),
              el("td", null, el("span", { className: "badge " + r.stance, text: r.stance })),
              el("td", { text: r.date || "" }),
              el("td", { text: (r.location && r.location.name) || r.location_text || "" }),
              el("td", { text: r.killed === null ? "" : figure(r.killed, r.killed_qualifier) }),
              el("td", { text: r.wounded === null ? "" : figure(r.wounded, r.wounded_qualifier) }),
              el("td", null, (r.evidence || []).map(function (ev, i) {
                return el("a", { href: docHref(d.doc_id, ev), text: "§" + (i + 1) + " ", title: ev.text });
              })),
              el("td", null, r.event_id ? el("a", { href: eventHref(r.event_id), text: "event" }) : ""));
          }))));
      page.replaceChildren(header, el("section", null, body), copies, reports);
      if (mark) { mark.scrollIntoView({ block: "center" }); }
    }).catch(function (err) { page.replaceChildren(el("p", { className: "empty", text: err.message })); });
  }

  /* ---------------------------------------------------------------- routing */
  function show(view) {
    ["dashboard", "event-page", "doc-page"].forEach(function (v) { $(v).hidden = v !== view; });
  }
  function route() {
    var parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
    var done;
    if (parts[0] === "event" && parts[1]) {
      show("event-page");
      done = showEvent(parts[1]);
      window.scrollTo(0, 0);
    } else if (parts[0] === "doc" && parts[1]) {
      show("doc-page");
      var start = parts[2] !== undefined ? parseInt(parts[2], 10) : null;
      var end = parts[3] !== undefined ? parseInt(parts[3], 10) : null;
      window.scrollTo(0, 0);
      done = showDocument(parts[1], isNaN(start) ? null : start, isNaN(end) ? null : end);
    } else {
      show("dashboard");
      if (map) { map.invalidateSize(); }
      done = Promise.resolve();
    }
    return done.then(function () { document.body.dataset.route = parts[0] || "dashboard"; });
  }

  /* ---------------------------------------------------------------- start */
  function fillSelect(select, values) {
    values.forEach(function (v) { select.appendChild(el("option", { value: v.value, text: v.label })); });
  }

  function start() {
    var form = $("filters");
    form.addEventListener("submit", function (ev) { ev.preventDefault(); applyFilters(); });
    form.addEventListener("change", applyFilters);
    var typing = null;
    form.addEventListener("input", function (ev) {
      if (ev.target.type === "text" || ev.target.type === "search") {
        clearTimeout(typing);
        typing = setTimeout(applyFilters, 250);
      }
    });
    form.addEventListener("reset", function () { setTimeout(applyFilters, 0); });
    $("prev").addEventListener("click", function () {
      state.offset = Math.max(0, state.offset - PAGE_SIZE); loadTable();
    });
    $("next").addEventListener("click", function () { state.offset += PAGE_SIZE; loadTable(); });
    document.querySelectorAll("#events th button").forEach(function (b) {
      b.addEventListener("click", function () {
        if (state.sort === b.dataset.sort) { state.order = state.order === "desc" ? "asc" : "desc"; }
        else { state.sort = b.dataset.sort; state.order = b.dataset.sort === "place" ? "asc" : "desc"; }
        state.offset = 0;
        loadTable();
      });
    });
    window.addEventListener("hashchange", route);

    Promise.all([source.config(), source.stats()]).then(function (res) {
      var cfg = res[0], stats = res[1];
      state.stats = stats;
      var c = stats.counts || {};
      $("stats").textContent = fmt(c.events) + " events · " + fmt(c.reports) + " reports · " + fmt(c.documents) +
        " documents" + (stats.date_min ? " · " + stats.date_min + " to " + stats.date_max : "") +
        (cfg.generated ? " · report generated " + cfg.generated : "");
      fillSelect(form.elements.event_type, (stats.by_type || []).map(function (t) {
        return { value: t.event_type, label: t.event_type + " (" + t.n + ")" };
      }));
      fillSelect(form.elements.sub_event_type, (stats.sub_event_types || []).map(function (t) {
        return { value: t, label: t };
      }));
      fillSelect(form.elements.side, (stats.sides || []).map(function (s) {
        return { value: s.side, label: s.side + " (" + s.n + ")" };
      }));
      initMap(cfg);
      source.tallies().then(function (series) { W.drawTallies($("tallies"), series); });
      return Promise.all([applyFilters(), route()]);
    }).catch(function (err) { status("error: " + err.message); });
  }

  start();
}());

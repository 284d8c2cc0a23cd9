/* warledger dashboard: the view state (in the URL), the filters, the summary, the event table and routing.
 *
 * Works in two modes with the same code: served by `warledger serve` (data from the JSON API), or as the
 * static report (all data inlined, filtered here). The query string holds the view: the filters under the
 * API's parameter names (a name repeated for several values), `sort`, `order` and `page`; the hash holds the
 * page (#/event/ID, #/doc/ID, #/disagreements, #/outlets, #/outlet/NAME). Only the latest request's answer
 * is drawn: an older one still in flight is aborted, and ignored if it arrives.
 * Article text is untrusted: it only ever reaches the page as text nodes, never as markup.
 */
(function () {
  "use strict";

  var W = window.warledger;
  var el = W.el, fmt = W.fmt;
  var PAGE_SIZE = 50;
  var VIEWS = ["dashboard", "event-page", "doc-page", "disagreements-page", "outlets-page", "outlet-page"];
  var source = W.pickSource();
  var state = { filters: W.emptyFilters(), sort: "date", order: "desc", page: 1 };
  var generation = { all: 0, table: 0 }, inflight = { all: null, table: null };
  var loads = 0, routed = false, stats = null;

  function $(id) { return document.getElementById(id); }
  function status(text) { $("status").textContent = text || ""; }
  function setTitle(text) { document.title = (text ? text + " · " : "") + "warledger"; }

  /* ---------------------------------------------------------------- the view state and the URL */
  function stateFromUrl() {
    var params = new URLSearchParams(location.search);
    var page = parseInt(params.get("page") || "1", 10);
    return { filters: W.readFilters(params), sort: params.get("sort") || "date",
             order: params.get("order") === "asc" ? "asc" : "desc", page: page > 0 ? page : 1 };
  }
  function urlOf(s) {
    var extra = {};
    if (s.sort !== "date") { extra.sort = s.sort; }
    if (s.order !== "desc") { extra.order = s.order; }
    if (s.page > 1) { extra.page = String(s.page); }
    var query = W.filterParams(s.filters, extra).toString();
    return location.pathname + (query ? "?" + query : "") + location.hash;
  }
  function saveUrl(replace) {
    var url = urlOf(state);
    if (url !== location.pathname + location.search + location.hash) {
      history[replace ? "replaceState" : "pushState"](null, "", url);
    }
  }
  function describe(f) {
    var parts = [];
    if (f.date_from || f.date_to) { parts.push((f.date_from || "…") + " to " + (f.date_to || "…")); }
    W.LISTS.forEach(function (k) {
      if (f[k].length) { parts.push(k.replace(/_/g, " ") + ": " + f[k].map(k === "side" ? W.sideName : String).join(" or ")); }
    });
    if (f.q) { parts.push("words “" + f.q + "”"); }
    if (f.contested) { parts.push("disputed only"); }
    return parts.length ? "Filters: " + parts.join("; ") : "All events";
  }

  /* ---------------------------------------------------------------- the filter form */
  var form = $("filters");
  function splitText(value) { return value.split(";").map(function (v) { return v.trim(); }).filter(Boolean); }
  function checked(name) {
    return Array.prototype.map.call(form.querySelectorAll("input[name=" + name + "]:checked"), function (i) { return i.value; });
  }
  function readForm() {
    var f = W.emptyFilters();
    f.date_from = form.elements.date_from.value;
    f.date_to = form.elements.date_to.value;
    ["event_type", "sub_event_type", "side"].forEach(function (k) { f[k] = checked(k); });
    f.place = splitText(form.elements.place.value);
    f.claimant = splitText(form.elements.claimant.value);
    f.q = form.elements.q.value.trim();
    f.contested = form.elements.contested.checked;
    return f;
  }
  function writeForm(f) {
    form.elements.date_from.value = f.date_from;
    form.elements.date_to.value = f.date_to;
    ["event_type", "sub_event_type", "side"].forEach(function (k) {
      form.querySelectorAll("input[name=" + k + "]").forEach(function (i) { i.checked = f[k].indexOf(i.value) >= 0; });
    });
    form.elements.place.value = f.place.join("; ");
    form.elements.claimant.value = f.claimant.join("; ");
    form.elements.q.value = f.q;
    form.elements.contested.checked = f.contested;
    narrowSubTypes();
    labelChoices();
  }
  /* Sub-types offered are those of the chosen types (all when no type is chosen). */
  function narrowSubTypes() {
    var types = checked("event_type"), of = (W.labelsValue || {}).sub_event_types || {};
    form.querySelectorAll("input[name=sub_event_type]").forEach(function (i) {
      var keep = !types.length || types.indexOf(of[i.value]) >= 0;
      i.closest("label").hidden = !keep;
      if (!keep) { i.checked = false; }
    });
  }
  function labelChoices() {
    form.querySelectorAll("details.multi").forEach(function (d) {
      var name = d.dataset.name, chosen = checked(name);
      d.querySelector("summary .chosen").textContent = chosen.length
        ? (chosen.length === 1 ? (name === "side" ? W.sideName(chosen[0]) : chosen[0]) : chosen.length + " chosen") : "all";
    });
  }
  function choices(name, values) {
    var box = form.querySelector("details[data-name=" + name + "] .options");
    box.replaceChildren.apply(box, values.map(function (v) {
      return el("label", null, el("input", { type: "checkbox", name: name, value: v.value }), " " + v.label);
    }));
  }

  /* ---------------------------------------------------------------- drawing */
  function drawSummary(s) {
    function figures(f, noun) {
      if (!f.events_with_figure) { return "no figure claimed"; }
      return fmt(f.best) + " (range " + fmt(f.low) + "–" + fmt(f.high) + ") in " + W.plural(f.events_with_figure, "event");
    }
    $("summary").replaceChildren(
      el("div", null, el("dt", { text: "Events" }), el("dd", { text: fmt(s.events) + " · " + fmt(s.located) + " on the map · " + fmt(s.contested) + " disputed" })),
      el("div", null, el("dt", { text: "Killed (best estimate)" }), el("dd", { text: figures(s.killed) })),
      el("div", null, el("dt", { text: "Wounded (best estimate)" }), el("dd", { text: figures(s.wounded) })));
    $("view-filters").textContent = describe(state.filters);
  }

  function drawTable(page) {
    var body = document.querySelector("#events tbody");
    body.replaceChildren();
    page.items.forEach(function (e) {
      var dot = el("span", { className: "swatch", "aria-hidden": "true" });
      dot.style.background = W.typeColor(e.event_type);
      var row = el("tr", { dataset: { eventId: e.event_id } },
        el("td", { text: e.date || "unknown" }),
        el("td", null, dot, e.sub_event_type || e.event_type || "unknown"),
        el("td", null, el("a", { href: W.eventHref(e.event_id), text: e.place || "(no place)" })),
        el("td", { className: "num", text: W.figure(e.killed_best) }),
        el("td", { className: "num", text: W.figure(e.wounded_best) }),
        el("td", { text: (e.sides || []).map(W.sideName).join(", ") }),
        el("td", { className: "num", text: fmt(e.independent_sources) }),
        el("td", { text: (e.claimants || []).join("; ") }),
        el("td", null, e.contested ? el("span", { className: "badge contested", text: "disputed" }) : ""));
      row.addEventListener("click", function (ev) {
        if (ev.target.tagName !== "A") { location.hash = W.eventHref(e.event_id); }
      });
      body.appendChild(row);
    });
    if (!page.items.length) {
      body.appendChild(el("tr", null, el("td", { colspan: "9", className: "empty", text: "No events match these filters." })));
    }
    var end = page.offset + page.items.length;
    $("event-count").textContent = "(" + fmt(page.total) + ")";
    $("page-info").textContent = page.total ? (page.offset + 1) + "–" + end + " of " + fmt(page.total) : "";
    $("prev").disabled = page.offset <= 0;
    $("next").disabled = end >= page.total;
    document.querySelectorAll("#events th[data-sort]").forEach(function (th) {
      var on = th.dataset.sort === state.sort;
      th.setAttribute("aria-sort", on ? (state.order === "asc" ? "ascending" : "descending") : "none");
    });
  }

  function pageQuery() {
    return { limit: PAGE_SIZE, offset: (state.page - 1) * PAGE_SIZE, sort: state.sort, order: state.order };
  }
  function drawDownloads() {
    ["csv", "geojson", "acled-csv"].forEach(function (format) {
      var link = $("download-" + format), url = source.exportUrl(state.filters, format);
      if (url) { link.href = url; } else { link.closest("li").hidden = true; }
    });
    $("downloads").hidden = source.mode === "static";
  }
  function finished() {
    loads += 1;
    document.body.dataset.loads = String(loads);  // lets tests wait for a refresh to finish
  }
  /* Start a request set of kind `kind`, aborting the previous one: `run(signal)` gives a promise of the
   * answers, `draw(answers)` is called only if no newer request of that kind began meanwhile. */
  function latest(kind, run, draw) {
    var mine = ++generation[kind];
    if (inflight[kind]) { inflight[kind].abort(); }
    var controller = window.AbortController ? new AbortController() : null;
    inflight[kind] = controller;
    status("Loading…");
    return run(controller && controller.signal).then(function (answers) {
      if (mine !== generation[kind]) { return; }
      draw(answers);
      status("");
      finished();
    }, function (err) {
      if (mine !== generation[kind] || err.name === "AbortError") { return; }
      status(err.message);
    }).catch(function (err) {  // a drawing error: say so rather than leave the page half drawn
      status("The page could not draw this view: " + err.message);
      if (window.console) { console.error(err); }
    });
  }

  function refresh(refit) {
    var f = state.filters, undated = Object.assign({}, f, { date_from: "", date_to: "" });
    drawDownloads();
    return latest("all", function (signal) {
      return Promise.all([source.events(f, pageQuery(), signal), source.mapPoints(f, signal),
                          source.timeline(undated, signal), source.summary(f, signal), source.runningTotals(f, signal)]);
    }, function (got) {
      drawTable(got[0]);
      W.drawMap(got[1], refit);
      $("map-note").textContent = W.plural(got[1].points.length, "located event") + " on the map" +
        (got[1].total > got[1].points.length ? " (the " + fmt(got[1].points.length) + " deadliest of " + fmt(got[1].total) + ")" : "") + ".";
      W.drawTimeline($("timeline"), got[2], [f.date_from, f.date_to], setRange);
      drawSummary(got[3]);
      W.drawRunningTotals($("tallies"), got[4]);
    });
  }
  function refreshTable() {
    return latest("table", function (signal) { return source.events(state.filters, pageQuery(), signal); }, drawTable);
  }

  function applyFilters(replace) {
    state.filters = readForm();
    state.page = 1;
    narrowSubTypes();
    state.filters = readForm();
    labelChoices();
    saveUrl(replace);
    return refresh(true);
  }
  function setRange(from, to) {
    form.elements.date_from.value = from;
    form.elements.date_to.value = to;
    applyFilters();
  }

  /* ---------------------------------------------------------------- routing */
  function show(view) { VIEWS.forEach(function (v) { $(v).hidden = v !== view; }); }
  function nav(current) {
    document.querySelectorAll(".top nav a").forEach(function (a) {
      if (a.dataset.view === current) { a.setAttribute("aria-current", "page"); } else { a.removeAttribute("aria-current"); }
    });
  }
  function route() {
    if (location.hash && location.hash.indexOf("#/") !== 0 && routed) { return Promise.resolve(); }  // a skip link
    var parts = location.hash.replace(/^#\/?/, "").split("/").map(function (p) {
      try { return decodeURIComponent(p); } catch (e) { return p; }
    });
    var view = "dashboard", done;
    if (parts[0] === "event" && parts[1]) {
      view = "event-page";
      done = W.showEvent($(view), source, parts[1]);
    } else if (parts[0] === "doc" && parts[1]) {
      view = "doc-page";
      var start = parts[2] !== undefined ? parseInt(parts[2], 10) : null, end = parts[3] !== undefined ? parseInt(parts[3], 10) : null;
      done = W.showDocument($(view), source, parts[1], isNaN(start) ? null : start, isNaN(end) ? null : end);
    } else if (parts[0] === "disagreements") {
      view = "disagreements-page";
      done = W.showDisagreements($(view), source, state.filters, describe);
    } else if (parts[0] === "outlets") {
      view = "outlets-page";
      done = W.showOutlets($(view), source);
    } else if (parts[0] === "outlet" && parts[1]) {
      view = "outlet-page";
      done = W.showOutlet($(view), source, parts[1]);
    } else {
      done = Promise.resolve("Events");
    }
    if (view !== "dashboard" && !$(view).childElementCount) {
      $(view).appendChild(el("p", { className: "empty", text: "Loading…" }));
    }
    show(view);
    nav(view === "outlet-page" ? "outlets-page" : (view === "doc-page" || view === "event-page" ? "" : view));
    if (view === "dashboard") { W.invalidateMap(); }
    return done.then(function (title) {
      setTitle(title);
      var target = view === "dashboard" ? $("dashboard-title") : $(view).querySelector(".page-title");
      if (routed && target) { target.focus({ preventScroll: view === "doc-page" }); }
      if (view !== "doc-page" && routed) { window.scrollTo(0, 0); }
      routed = true;
      document.body.dataset.route = parts[0] || "dashboard";
    });
  }

  /* ---------------------------------------------------------------- start */
  function start() {
    form.addEventListener("submit", function (ev) { ev.preventDefault(); applyFilters(); });
    form.addEventListener("change", function (ev) {
      if (ev.target.type !== "text" && ev.target.type !== "search") { applyFilters(); }
    });
    var typing = null;
    form.addEventListener("input", function (ev) {
      if (ev.target.type === "text" || ev.target.type === "search") {
        clearTimeout(typing);
        typing = setTimeout(function () { applyFilters(true); }, 250);
      }
    });
    form.addEventListener("reset", function () { setTimeout(function () { writeForm(W.emptyFilters()); applyFilters(); }, 0); });
    $("prev").addEventListener("click", function () { state.page = Math.max(1, state.page - 1); saveUrl(); refreshTable(); });
    $("next").addEventListener("click", function () { state.page += 1; saveUrl(); refreshTable(); });
    document.querySelectorAll("#events th[data-sort] button").forEach(function (b) {
      var key = b.closest("th").dataset.sort;
      b.addEventListener("click", function () {
        if (state.sort === key) { state.order = state.order === "desc" ? "asc" : "desc"; }
        else { state.sort = key; state.order = key === "place" ? "asc" : "desc"; }
        state.page = 1;
        saveUrl();
        refreshTable();
      });
    });
    window.addEventListener("hashchange", route);
    window.addEventListener("popstate", function () {
      var was = JSON.stringify(state);
      state = stateFromUrl();
      writeForm(state.filters);
      if (JSON.stringify(state) !== was) { refresh(true); }
    });

    Promise.all([source.config(), source.stats(), source.labels()]).then(function (res) {
      var cfg = res[0], labels = res[2];
      stats = res[1];
      W.setLabels(labels);
      W.labelsValue = labels;
      var c = stats.counts || {};
      $("stats").textContent = fmt(c.events) + " events · " + fmt(c.reports) + " reports · " + fmt(c.documents) +
        " documents" + (stats.date_min ? " · " + W.longDate(stats.date_min) + " to " + W.longDate(stats.date_max) : "");
      $("footer").textContent = (source.mode === "static" ? "Static report of the store " : "Store ") + (labels.store || "?") +
        " · warledger " + (labels.version || "?") + (cfg.generated ? " · generated " + cfg.generated : "");
      choices("event_type", (stats.by_type || []).map(function (t) { return { value: t.event_type, label: t.event_type + " (" + t.n + ")" }; }));
      choices("sub_event_type", (stats.sub_event_types || []).map(function (t) { return { value: t, label: t }; }));
      choices("side", (stats.sides || []).map(function (s) { return { value: s.side, label: W.sideLabel(s.side) + " (" + s.n + ")" }; }));
      W.initMap($("map"), cfg, source.outlines(cfg).catch(function (err) { status(err.message); return null; }), function (id) {
        location.hash = W.eventHref(id);
      });
      W.mapLegend($("map-legend"));
      state = stateFromUrl();
      writeForm(state.filters);
      return Promise.all([refresh(true), route()]);
    }).catch(function (err) { status(err.message); if (window.console) { console.error(err); } });
  }

  start();
}());

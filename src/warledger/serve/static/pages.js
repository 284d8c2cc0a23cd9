/* warledger dashboard: the pages behind the dashboard — one event, one document, the disagreements, the
 * outlets and one outlet. Each `show*` fills its section and resolves to the page's title.
 */
(function () {
  "use strict";

  var W = window.warledger;
  var el = W.el, fmt = W.fmt, figure = W.figure;

  function eventHref(id) { return "#/event/" + encodeURIComponent(id); }
  function docHref(id, ev) { return "#/doc/" + encodeURIComponent(id) + (ev ? "/" + ev.start + "/" + ev.end : ""); }
  function outletHref(name) { return "#/outlet/" + encodeURIComponent(name); }
  function back() { return el("a", { className: "back", href: "#/", text: "← Back to all events" }); }
  function heading(text) { return el("h2", { text: text, tabindex: "-1", className: "page-title" }); }
  function actor(a) {
    if (!a) { return "unknown"; }
    var side = a.side ? W.sideName(a.side) : "";
    return (a.name || side || "unknown") + (side && a.name && a.name !== side ? " (" + side + ")" : "");
  }

  /* A failure as a sentence with a way back. */
  function failure(page, what, err) {
    var text = err.status === 404 ? err.message + " It may have been merged into another event, or the link is old."
                                  : "Could not load " + what + ". " + err.message;
    page.replaceChildren(el("section", { className: "error" }, heading("Not found"), el("p", { text: text }),
      el("p", null, el("a", { href: "#/", text: "Back to all events" }))));
    return err.status === 404 ? "Not found" : "Error";
  }

  /* The claimed figures of an event, as claimed: "at least 40 (Al Jazeera); 45 (Trend)". */
  function claimedFigures(e, field) {
    var seen = {}, parts = [];
    (e.claims || []).forEach(function (c) {
      if (c.stance !== "asserted" || c.superseded || c[field] === null || c[field] === undefined) { return; }
      var text = figure(c[field], c[field + "_qualifier"]), who = (c.claimant && c.claimant.name) || "?";
      var key = text + "\u0000" + who;
      if (!seen[key]) { seen[key] = true; parts.push(text + " (" + who + ")"); }
    });
    return parts.join("; ");
  }
  function range(fig) {
    if (!fig || fig.best === null || fig.best === undefined) { return "unknown"; }
    var text = fmt(fig.best);
    if (fig.low !== null && fig.high !== null && (fig.low !== fig.best || fig.high !== fig.best)) {
      text += " (range " + fmt(fig.low) + "–" + fmt(fig.high) + ")";
    }
    return text;
  }
  function copyKey(c, docs) { var d = docs[c.doc_id] || {}; return (c.claimant && c.claimant.name) + "|" + c.stance + "|" + (d.copy_group || c.doc_id); }

  /* ---------------------------------------------------------------- one event */
  function showEvent(page, source, id) {
    return Promise.all([source.event(id), source.eventDisagreements(id)]).then(function (got) {
      var e = got[0], rows = got[1].items;
      var docs = e.documents || {};
      var contested = {};
      (e.contradictions || []).forEach(function (c) { contested[c.claim_a] = true; contested[c.claim_b] = true; });
      var distinct = {};
      (e.claims || []).forEach(function (c) { distinct[copyKey(c, docs)] = true; });
      var nDistinct = Object.keys(distinct).length, nClaims = (e.claims || []).length;
      var place = (e.location && e.location.name) || e.location_text || "place unknown";
      var title = (e.sub_event_type || e.event_type || "Event") + " — " + place + ", " + (e.date ? W.longDate(e.date) : "date unknown");
      var killedAs = claimedFigures(e, "killed"), woundedAs = claimedFigures(e, "wounded");
      var header = el("header", null, back(), heading(title),
        el("p", { className: "meta", text: (e.event_type || "") + " · " + actor(e.actor1) + " against " + actor(e.actor2) }),
        el("dl", { className: "figures" },
          el("dt", { text: "Killed" }), el("dd", { text: range(e.killed) + (killedAs ? " — as claimed: " + killedAs : "") }),
          el("dt", { text: "Wounded" }), el("dd", { text: range(e.wounded) + (woundedAs ? " — as claimed: " + woundedAs : "") }),
          el("dt", { text: "Sources" }), el("dd", { text: W.plural(e.independent_sources || 0, "independent source") +
            " · confidence " + (e.confidence !== undefined ? Number(e.confidence).toFixed(2) : "unknown") })),
        (e.flags || []).length ? el("p", { className: "meta", text: "Flags: " + e.flags.join(", ").replace(/_/g, " ") +
          ((e.alleged_by || []).length ? " (alleged by " + e.alleged_by.join(", ") + ")" : "") }) : null);
      var parts = [header];
      if (rows.length) {
        parts.push(el("section", { className: "contradictions" }, el("h3", { text: "What the sources disagree on" }),
          rows.map(function (r) { return el("p", { className: "contradiction", dataset: { kind: r.kind } }, el("strong", { text: r.kind_label + ": " }), r.summary); }),
          el("p", null, el("a", { href: "#/disagreements", text: "All disagreements" }))));
      }
      parts.push(el("section", null,
        el("h3", { text: nDistinct === nClaims ? "Claims (" + nClaims + ")" : "Claims (" + nDistinct + ", and " +
          W.plural(nClaims - nDistinct, "copy", "copies") + ")" }),
        el("div", { className: "claims-grid" }, (e.claims || []).map(function (c) {
          return claimCard(c, docs[c.doc_id], contested[c.report_id]);
        }))));
      parts.push(el("section", null, el("h3", { text: "Sources" }), el("ul", null, (e.sources || []).map(function (s) {
        var d = docs[s.doc_id] || {};
        var outlet = s.outlet || d.outlet;
        return el("li", null, el("a", { href: docHref(s.doc_id), text: d.title || s.doc_id }), " — ",
          outlet ? el("a", { href: outletHref(outlet), text: outlet }) : "outlet unknown",
          (d.published ? ", " + d.published : "") + (s.copy_group ? " · one of several copies of the same text" : ""));
      }))));
      page.replaceChildren.apply(page, parts);
      return title;
    }, function (err) { return failure(page, "this event", err); });
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
      el("h4", { text: who.name || "unknown claimant" }),
      el("div", null, el("span", { className: "badge " + c.stance, text: c.stance }), " ",
        el("span", { className: "badge", text: W.sideLabel(who.side) }), " ",
        el("span", { className: "badge", text: who.kind || "other" }),
        inContradiction ? el("span", { className: "badge contested", text: "disputed" }) : null,
        c.superseded ? el("span", { className: "badge", text: "replaced by a later figure" }) : null),
      el("dl", null,
        el("dt", { text: "Date" }), el("dd", { text: c.date ? W.longDate(c.date) : "–" }),
        el("dt", { text: "Killed" }), el("dd", { text: figure(c.killed, c.killed_qualifier) }),
        el("dt", { text: "Wounded" }), el("dd", { text: figure(c.wounded, c.wounded_qualifier) }),
        el("dt", { text: "Perpetrator" }), el("dd", { text: c.actor1 ? actor(c.actor1) : "–" }),
        el("dt", { text: "Place as written" }), el("dd", { text: c.location_text || "–" }),
        el("dt", { text: "Document" }), el("dd", null, el("a", { href: docHref(c.doc_id), text: docLabel(doc, c.doc_id),
          title: (doc && doc.title) || c.doc_id }))),
      el("ul", { className: "evidence" }, (c.evidence || []).map(function (ev) {
        return el("li", null, el("a", { className: "evidence-link", href: docHref(c.doc_id, ev), text: "“" + ev.text + "”" }));
      })));
  }

  /* ---------------------------------------------------------------- one document */
  function showDocument(page, source, id, start, end) {
    return source.document(id).then(function (d) {
      var text = d.text || "";
      var body = el("div", { className: "doc-text", id: "doc-text" });
      var mark = null;
      if (start !== null && end !== null && start >= 0 && end <= text.length && start < end) {
        mark = el("mark", { className: "highlight", id: "highlight", text: text.slice(start, end) });
        W.append(body, [text.slice(0, start), mark, text.slice(end)]);
      } else {
        body.textContent = text;
      }
      var header = el("header", null, back(), heading(d.title || d.doc_id),
        el("p", { className: "meta" }, d.outlet ? el("a", { href: outletHref(d.outlet), text: d.outlet }) : "outlet unknown",
          " · " + [d.published || "date unknown", d.language, d.doc_id].filter(Boolean).join(" · ")),
        d.url ? el("p", { className: "meta url", text: "URL: " + d.url }) : null,
        d.skipped_reason ? el("p", { className: "meta", text: "Skipped: " + d.skipped_reason }) : null);
      var copies = el("section", { className: "copies" }, el("h3", { text: "Copies of this text" }),
        (d.copies || []).length
          ? el("ul", null, d.copies.map(function (c) {
              return el("li", null, el("a", { href: docHref(c.doc_id), text: c.title || c.doc_id }),
                " — " + (c.outlet || "outlet unknown") + (c.published ? ", " + c.published : ""));
            }))
          : el("p", { className: "empty", text: "None found." }));
      var reports = el("section", null, el("h3", { text: "Reports in this document (" + (d.reports || []).length + ")" }),
        el("div", { className: "scroll" }, el("table", { className: "plain reports" },
          el("thead", null, el("tr", null, ["Kind", "What", "Claimant", "Stance", "Date", "Place", "Killed", "Wounded",
            "Evidence", "Event"].map(function (h) { return el("th", { scope: "col", text: h }); }))),
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
                return el("a", { href: docHref(d.doc_id, ev), text: "sentence " + (i + 1) + " ", title: ev.text });
              })),
              el("td", null, r.event_id ? el("a", { href: eventHref(r.event_id), text: "event" }) : ""));
          })))));
      page.replaceChildren(header, el("section", null, body), copies, reports);
      if (mark) { mark.scrollIntoView({ block: "center" }); }
      return d.title || d.doc_id;
    }, function (err) { return failure(page, "this document", err); });
  }

  /* ---------------------------------------------------------------- disagreements */
  var KIND_ORDER = ["responsibility_denied", "perpetrator", "figures", "place", "date"];

  function claimLinks(position) {
    return el("ul", { className: "positions-claims" }, position.claims.map(function (c) {
      var ev = c.evidence;
      return el("li", null, el("strong", { text: c.claimant }),
        c.side_name && c.side_name !== "unknown" ? " (" + c.side_name + ")" : "",
        c.copies ? " and " + W.plural(c.copies, "copy", "copies") : "",
        ev ? [" — ", el("a", { className: "evidence-link", href: docHref(c.doc_id, ev), text: "“" + ev.text + "”" })]
           : [" — ", el("a", { href: docHref(c.doc_id), text: "the document" })]);
    }));
  }

  function showDisagreements(page, source, filters, describe) {
    return source.disagreements(filters).then(function (result) {
      var rows = result.items;
      var byKind = {};
      rows.forEach(function (r) { (byKind[r.kind] = byKind[r.kind] || []).push(r); });
      var parts = [el("header", null, back(), heading("Disagreements between sources"),
        el("p", { className: "meta", text: W.plural(rows.length, "disagreement") + " · " + describe(filters) +
          ". One row per disagreement; a claim repeated in copies of the same text counts once." }))];
      if (!rows.length) { parts.push(el("p", { className: "empty", text: "No disagreements among the events shown." })); }
      KIND_ORDER.concat(Object.keys(byKind)).filter(function (k, i, all) { return byKind[k] && all.indexOf(k) === i; })
        .forEach(function (kind) {
          var list = byKind[kind];
          parts.push(el("section", { className: "disagreements", dataset: { kind: kind } },
            el("h3", { text: list[0].kind_label + " (" + list.length + ")" }),
            el("div", { className: "scroll" }, el("table", { className: "plain disagreement-table" },
              el("thead", null, el("tr", null, ["Event", "What they disagree on", "Each side"].map(function (h) {
                return el("th", { scope: "col", text: h });
              }))),
              el("tbody", null, list.map(function (r) {
                return el("tr", { dataset: { eventId: r.event_id, kind: r.kind } },
                  el("td", null, el("a", { href: eventHref(r.event_id),
                    text: (r.sub_event_type || "Event") + ", " + (r.place || "place unknown") + ", " + (r.date ? W.longDate(r.date) : "date unknown") })),
                  el("td", { className: "summary", text: r.summary }),
                  el("td", null, r.positions.map(function (p) {
                    return el("div", { className: "position" }, el("p", { className: "value", text: p.value }), claimLinks(p));
                  })));
              }))))));
        });
      page.replaceChildren.apply(page, parts);
      return "Disagreements";
    }, function (err) { return failure(page, "the disagreements", err); });
  }

  /* ---------------------------------------------------------------- outlets */
  function percent(share) { return Math.round(share * 100) + "%"; }

  function showOutlets(page, source) {
    return source.outlets().then(function (list) {
      page.replaceChildren(el("header", null, back(), heading("Outlets"),
        el("p", { className: "meta", text: "What each outlet carried, whose figures it repeats, how often its claims are " +
          "disputed, and the loaded terms in its texts." })),
        el("div", { className: "scroll" }, el("table", { className: "plain outlets" },
          el("thead", null, el("tr", null, ["Outlet", "Documents", "Claims carried", "Events", "Claims disputed", "Loaded terms"]
            .map(function (h) { return el("th", { scope: "col", text: h }); }))),
          el("tbody", null, list.map(function (o) {
            return el("tr", { dataset: { outlet: o.outlet } }, el("th", { scope: "row" }, el("a", { href: outletHref(o.outlet), text: o.outlet })),
              el("td", { className: "num", text: fmt(o.documents) }), el("td", { className: "num", text: fmt(o.claims) }),
              el("td", { className: "num", text: fmt(o.events) }),
              el("td", { className: "num", text: fmt(o.contested_claims) + " (" + percent(o.contested_share) + ")" }),
              el("td", { className: "num", text: fmt(o.loaded_terms) }));
          })))));
      return "Outlets";
    }, function (err) { return failure(page, "the outlets", err); });
  }

  function showOutlet(page, source, name) {
    return source.outlet(name).then(function (o) {
      function table(caption, headers, rows) {
        return el("div", { className: "scroll" }, el("table", { className: "plain" }, el("caption", { text: caption }),
          el("thead", null, el("tr", null, headers.map(function (h) { return el("th", { scope: "col", text: h }); }))),
          el("tbody", null, rows)));
      }
      page.replaceChildren(
        el("header", null, el("a", { className: "back", href: "#/outlets", text: "← All outlets" }), heading(o.outlet),
          el("dl", { className: "figures" },
            el("dt", { text: "Documents" }), el("dd", { text: fmt(o.documents) }),
            el("dt", { text: "Claims carried" }), el("dd", { text: fmt(o.claims) + " about " + W.plural(o.events, "event") }),
            el("dt", { text: "Claims disputed" }), el("dd", { text: fmt(o.contested_claims) + " of " + fmt(o.claims) + " (" + percent(o.contested_share) + ")" }))),
        el("section", { className: "repeats" }, el("h3", { text: "Whose figures it repeats" }),
          o.repeats.length ? table("Claimants whose figures this outlet carried", ["Claimant", "Side", "Claims with figures"],
            o.repeats.map(function (r) {
              return el("tr", null, el("th", { scope: "row", text: r.claimant }), el("td", { text: W.sideLabel(r.side) }),
                        el("td", { className: "num", text: fmt(r.claims_with_figures) }));
            })) : el("p", { className: "empty", text: "No figures carried." })),
        el("section", { className: "terms" }, el("h3", { text: "Loaded terms" }),
          el("p", { className: "note", text: "Whole words in the outlet's texts, quotes included; counted from the list of framing words." }),
          table("Loaded terms in this outlet's texts", ["Term", "Times used"], o.terms.map(function (t) {
            return el("tr", { dataset: { term: t.term } }, el("th", { scope: "row", text: t.term }), el("td", { className: "num", text: fmt(t.n) }));
          }))),
        el("section", null, el("h3", { text: "Claims carried (" + fmt(o.claims_list.length) + ")" }),
          table("Claims in this outlet's documents", ["Event", "Claimant", "Stance", "Killed", "Wounded", "Disputed"],
            o.claims_list.map(function (c) {
              return el("tr", null,
                el("td", null, el("a", { href: eventHref(c.event_id), text: (c.sub_event_type || "Event") + ", " +
                  (c.place || "place unknown") + ", " + (c.date ? W.longDate(c.date) : "date unknown") })),
                el("td", { text: (c.claimant || "?") + (c.side ? " (" + W.sideName(c.side) + ")" : "") }),
                el("td", { text: c.stance }), el("td", { text: figure(c.killed, c.killed_qualifier) }),
                el("td", { text: figure(c.wounded, c.wounded_qualifier) }), el("td", { text: c.contested ? "yes" : "" }));
            }))));
      return o.outlet;
    }, function (err) { return failure(page, "this outlet", err); });
  }

  Object.assign(window.warledger, { eventHref: eventHref, docHref: docHref, showEvent: showEvent, showDocument: showDocument,
                                    showDisagreements: showDisagreements, showOutlets: showOutlets, showOutlet: showOutlet });
}());

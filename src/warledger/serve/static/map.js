/* warledger dashboard: the map (Leaflet, with Leaflet.markercluster for stacked markers).
 *
 * The map never shows less than its frame: its smallest zoom is the one at which the world covers the
 * frame, and it cannot be panned off the world. After every change of filters it fits the events shown.
 * Markers are named buttons (Enter opens the event); centroids of a region or country (the place is known
 * no finer) are drawn as dashed rings, exact places as filled dots.
 */
(function () {
  "use strict";

  var W = window.warledger;
  var el = W.el;
  var WORLD = [[-85, -180], [85, 180]];
  var map = null, cluster = null, onOpen = null;

  function coverZoom() {
    var size = map.getSize();
    return Math.max(1, Math.ceil(Math.log2(Math.max(size.x, size.y, 256) / 256)));  // whole zooms: markercluster needs them
  }
  function fitFrame() {
    map.invalidateSize(false);
    var z = coverZoom();
    map.setMinZoom(z);
    if (map.getZoom() < z) { map.setZoom(z, { animate: false }); }
  }
  function note() {
    var box = map.getContainer();
    box.dataset.zoom = String(map.getZoom());
    var c = map.getCenter();
    box.dataset.center = c.lat.toFixed(3) + "," + c.lng.toFixed(3);
  }
  function nameClusters() {
    // markercluster builds its cluster icons itself: name them as buttons once they are on the map.
    map.getContainer().querySelectorAll(".marker-cluster").forEach(function (icon) {
      var n = icon.textContent.trim();
      icon.setAttribute("aria-label", n + " events here: zoom in to see them");
      icon.setAttribute("role", "button");
    });
  }

  function init(container, cfg, outlines, openEvent) {
    onOpen = openEvent;
    map = L.map(container, { worldCopyJump: false, maxBounds: WORLD, maxBoundsViscosity: 1,
                             minZoom: 1, maxZoom: 18, keyboard: true }).setView([30, 20], 2);
    map.attributionControl.setPrefix(false);
    map.createPane("outlines");
    map.getPane("outlines").style.zIndex = 150;
    if (cfg.tile_url) {
      L.tileLayer(cfg.tile_url, { maxZoom: 18, noWrap: true, bounds: WORLD, attribution: cfg.tile_attribution }).addTo(map);
    } else {
      map.attributionControl.addAttribution(cfg.tile_attribution || "Natural Earth");
    }
    outlines.then(function (geo) {
      if (!geo) { return; }
      L.geoJSON(geo, { pane: "outlines", interactive: false,
        style: { color: "#8a939e", weight: 1, fillColor: "#eef0ea", fillOpacity: 1 } }).addTo(map);
    });
    // No animation: clusters are redrawn at once after each filter (and nothing moves for readers who dislike it).
    cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 36, spiderfyOnMaxZoom: true, animate: false,
                                     chunkedLoading: true });
    cluster.addTo(map);
    map.on("moveend zoomend", note);
    map.on("layeradd", nameClusters);
    cluster.on("animationend spiderfied", nameClusters);
    container.addEventListener("keydown", function (ev) {
      var icon = ev.target.closest && ev.target.closest(".leaflet-marker-icon");
      if (icon && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); icon.click(); }
    });
    if (window.ResizeObserver) { new ResizeObserver(function () { fitFrame(); }).observe(container); }
    fitFrame();
    note();
    return map;
  }

  function size(killed) { return Math.round(Math.min(30, 12 + 2.2 * Math.sqrt(killed || 0))); }
  function tooltipText(p) {
    var place = p[5] || "place unknown", killed = p[3];
    return place + " · " + (p[6] ? W.longDate(p[6]) : "date unknown") + " · " + (p[4] || "type unknown") + " · " +
      (killed === null || killed === undefined ? "no figure of killed" : W.fmt(killed) + " killed (best figure)") +
      (centroid(p) ? " · shown at the centre of the " + p[7] : "");
  }
  function centroid(p) { return p[7] === "region" || p[7] === "country" || p[7] === "district"; }

  /* Draw the located events ([id, lat, lon, killed, type, place, date, precision]); fit them when asked. */
  function draw(result, refit) {
    cluster.clearLayers();
    var bounds = [];
    var markers = result.points.map(function (p) {
      var s = size(p[3]);
      var marker = L.marker([p[1], p[2]], {
        keyboard: true, riseOnHover: true,
        icon: L.divIcon({ className: "event-marker " + W.typeClass(p[4]) + (centroid(p) ? " centroid" : " exact"),
                          iconSize: [s, s] })
      });
      marker.eventId = p[0];
      marker.bindTooltip(el("span", { text: tooltipText(p) }), { direction: "top", offset: [0, -s / 2] });
      marker.on("click", function () { onOpen(p[0]); });
      marker.on("add", function () {
        var icon = marker.getElement();
        icon.setAttribute("aria-label", "Open event: " + tooltipText(p));
        icon.dataset.eventId = p[0];
      });
      bounds.push([p[1], p[2]]);
      return marker;
    });
    cluster.addLayers(markers);
    var box = map.getContainer();
    box.dataset.points = String(markers.length);
    if (refit) {
      if (bounds.length) { map.fitBounds(bounds, { padding: [40, 40], maxZoom: 8, animate: false }); }
      else { map.setZoom(map.getMinZoom(), { animate: false }); }
    }
    nameClusters();
    note();
  }

  /* The legend under the map: colour is the event type, the shape says how exact the place is. */
  function legend(box) {
    var items = Object.keys(W.TYPE_COLORS).map(function (t) {
      return el("li", null, el("span", { className: "key event-marker exact " + W.typeClass(t), "aria-hidden": "true" }), t);
    });
    items.push(el("li", null, el("span", { className: "key event-marker exact type-unknown", "aria-hidden": "true" }), "exact place"));
    items.push(el("li", null, el("span", { className: "key event-marker centroid type-unknown", "aria-hidden": "true" }),
                  "centre of a district, region or country (place not known more precisely)"));
    items.push(el("li", null, el("span", { className: "key cluster-key", "aria-hidden": "true", text: "3" }),
                  "several events close together: select to zoom in"));
    box.replaceChildren(el("ul", { className: "legend map-legend" }, items),
      el("p", { className: "note", text: "Marker size: best figure of killed. Tab reaches each marker; Enter opens it." }));
  }

  function invalidate() { if (map) { fitFrame(); } }

  Object.assign(window.warledger, { initMap: init, drawMap: draw, mapLegend: legend, invalidateMap: invalidate });
}());

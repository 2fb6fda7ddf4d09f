/* The map of sites and reports (templates/maps/map_block.html). It asks the one GeoJSON endpoint for what lies in
   view, at the detail of the zoom (points when zoomed out, outlines when zoomed in), with the page's filters; points
   are clustered so that ten thousand of them stay smooth on a phone. Tiles come from MAP_TILE_URL; with none, the
   features draw on a plain background with the names of the administrative areas, and nothing is asked of another
   host. Everything the map shows is also in the list under it. */
(function () {
  "use strict";

  var block = document.querySelector("[data-sites-map]");
  var configElement = document.getElementById("map-config");
  if (!block || !configElement || !window.L || !L.markerClusterGroup) return;
  var config = JSON.parse(configElement.textContent);
  var statusLine = document.querySelector("[data-map-status]");
  var pageDir = document.documentElement.dir || "ltr";
  block.hidden = false;

  var map = L.map(block, { attributionControl: Boolean(config.tiles), minZoom: 3, maxZoom: 19 });
  if (config.tiles) L.tileLayer(config.tiles, { maxZoom: 19, attribution: config.attribution }).addTo(map);
  var renderer = L.canvas({ padding: 0.5 });
  var points = L.markerClusterGroup({
    chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50, disableClusteringAtZoom: 17,
    iconCreateFunction: clusterIcon
  }).addTo(map);
  var outlines = L.layerGroup().addTo(map);
  var labels = L.layerGroup().addTo(map);

  function say(text) { statusLine.textContent = text; }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 100 ? 34 : count < 1000 ? 40 : 48;
    return L.divIcon({ html: "<span>" + count + "</span>", className: "map-cluster", iconSize: [size, size] });
  }

  function url(layer, zoom, bbox) {
    var query = ["layer=" + layer, "zoom=" + zoom];
    if (bbox) query.push("bbox=" + bbox);
    if (config.query) query.push(config.query);
    return config.endpoint + "?" + query.join("&");
  }

  // The box asked for is the view widened to a grid of about a tile's width: panning a little asks the same URL,
  // which the browser revalidates (ETag) instead of downloading again.
  function snappedBox() {
    var bounds = map.getBounds(), step = 360 / Math.pow(2, map.getZoom());
    function clamp(v, limit) { return Math.max(-limit, Math.min(limit, v)); }
    function down(v) { return Math.floor(v / step) * step; }
    function up(v) { return Math.ceil(v / step) * step; }
    return [clamp(down(bounds.getWest()), 180), clamp(down(bounds.getSouth()), 90),
            clamp(up(bounds.getEast()), 180), clamp(up(bounds.getNorth()), 90)]
      .map(function (v) { return +v.toFixed(5); }).join(",");
  }

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  function popup(id, properties) {
    var box = element("div", "", { dir: pageDir });
    box.appendChild(element("strong", properties.name || config.kinds[properties.kind] || "", { dir: "auto" }));
    box.appendChild(element("div", properties.ref || ""));
    box.appendChild(element("div", config.statuses[properties.status] || properties.status));
    if (properties.rounded) box.appendChild(element("div", config.messages.rounded));
    var link = config.links[config.layer === "sites" ? "site" : properties.kind];
    if (link) box.appendChild(element("a", config.messages.open, { href: link.replace("{id}", id) }));
    return box;
  }

  function draw(data) {
    points.clearLayers();
    outlines.clearLayers();
    var markers = [];
    data.features.forEach(function (feature) {
      var properties = feature.properties, colour = config.colours[properties.status] || "#374151";
      var geometry = feature.geometry;
      if (geometry.type === "Polygon") {
        var rings = geometry.coordinates.map(function (ring) {
          return ring.map(function (c) { return [c[1], c[0]]; });
        });
        outlines.addLayer(L.polygon(rings, { color: colour, weight: 2, fillOpacity: 0.3, renderer: renderer })
          .bindPopup(function () { return popup(feature.id, properties); }));
      } else {
        markers.push(L.circleMarker([geometry.coordinates[1], geometry.coordinates[0]], {
          radius: 7, color: "#ffffff", weight: 1.5, fillColor: colour, fillOpacity: 0.95, renderer: renderer
        }).bindPopup(function () { return popup(feature.id, properties); }));
      }
    });
    points.addLayers(markers);
    block.setAttribute("data-features", String(data.features.length));
    block.setAttribute("data-state", "ready");
    say(config.messages.shown.replace("{n}", data.features.length));
  }

  function drawLabels(data) {
    labels.clearLayers();
    data.features.forEach(function (feature) {
      var p = feature.properties, c = feature.geometry.coordinates;
      var name = element("span", (config.lang === "ar" && p.name_ar) || p.name_en, { dir: "auto" });
      L.marker([c[1], c[0]], {
        icon: L.divIcon({ className: "map-area-label", html: name, iconSize: null }), interactive: false,
        keyboard: false
      }).addTo(labels);
    });
  }

  var asked = {}, controllers = {};
  function load(kind, address, done) {
    if (asked[kind] === address) return;
    asked[kind] = address;
    if (kind === "features") {
      block.setAttribute("data-state", "loading");
      say(config.messages.loading);
    }
    if (controllers[kind]) controllers[kind].abort();
    var controller = window.AbortController ? new AbortController() : null;
    controllers[kind] = controller;
    fetch(address, { credentials: "same-origin", headers: { Accept: "application/geo+json" },
                     signal: controller ? controller.signal : undefined })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(done)
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        asked[kind] = null;
        if (kind === "features") {
          block.setAttribute("data-state", "failed");
          say(config.messages.failed);
        }
      });
  }

  function refresh() {
    var zoom = map.getZoom();
    load("features", url(config.layer, zoom, snappedBox()), draw);
    // Area names: two levels (governorates, then districts), each asked once.
    if (!config.tiles) load("labels", url("areas", zoom >= config.labelZoom ? config.labelZoom : 0), drawLabels);
  }

  map.on("moveend", refresh);
  if (config.bounds) map.fitBounds(config.bounds, { maxZoom: 15, padding: [12, 12] });
  else map.setView([34.8, 40.5], 6);  // Syria and northern Iraq, where the teams work
})();

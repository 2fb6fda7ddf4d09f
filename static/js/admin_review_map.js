// The review map: the report's (or site's) point, its GPS accuracy circle and its outline, from the JSON the page
// carries. With no tile URL configured the shapes are drawn on a plain background: no request leaves the server.
(function () {
  "use strict";
  var element = document.getElementById("review-map");
  var source = document.getElementById("review-map-data");
  if (!element || !source || !window.L) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var map = L.map(element, { attributionControl: Boolean(data.tiles), scrollWheelZoom: false });
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.attribution || "", maxZoom: 19 }).addTo(map);
  }
  // The view is set before any shape is added: a circle in metres needs the map's projection to draw itself.
  var bounds = L.latLngBounds([]);
  var outline = data.polygon
    ? L.geoJSON(data.polygon, { style: { color: "#b45309", weight: 2, fillOpacity: 0.2 } })
    : null;
  if (outline) {
    bounds.extend(outline.getBounds());
  }
  if (data.point) {
    bounds.extend(L.latLng(data.point).toBounds(2 * Math.max(data.accuracy_m || 0, 50)));
  }
  if (bounds.isValid()) {
    map.fitBounds(bounds, { maxZoom: 18, padding: [16, 16] });
  } else {
    map.setView([0, 0], 2);
  }
  if (outline) {
    outline.addTo(map);
  }
  if (data.point) {
    if (data.accuracy_m) {
      L.circle(data.point, { radius: data.accuracy_m, color: "#1e3a8a", weight: 1, fillOpacity: 0.1 }).addTo(map);
    }
    L.circleMarker(data.point, { radius: 6, color: "#1e3a8a", fillColor: "#2563eb", fillOpacity: 1 }).addTo(map);
  }
  element.dataset.ready = "1";
})();

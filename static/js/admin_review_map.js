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
  var shapes = L.featureGroup().addTo(map);
  if (data.polygon) {
    L.geoJSON(data.polygon, { style: { color: "#b45309", weight: 2, fillOpacity: 0.2 } }).addTo(shapes);
  }
  if (data.point) {
    if (data.accuracy_m) {
      L.circle(data.point, { radius: data.accuracy_m, color: "#1e3a8a", weight: 1, fillOpacity: 0.1 }).addTo(shapes);
    }
    L.circleMarker(data.point, { radius: 6, color: "#1e3a8a", fillColor: "#2563eb", fillOpacity: 1 }).addTo(shapes);
  }
  var bounds = shapes.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { maxZoom: 17, padding: [20, 20] });
  } else {
    map.setView([0, 0], 2);
  }
  element.dataset.ready = "1";
})();

/* The optional map of a report form, loaded with Leaflet only when the worker opens it. It shows the GPS point and
   lets the worker tap out the area's outline, kept in the form's hidden `polygon` field as a GeoJSON Polygon.
   Tiles come from the MAP_TILE_URL setting; with none (or no network) the point and outline draw on a plain
   background, and the form never waits for a tile. An ES module, imported by forms.js once Leaflet (a global) has
   loaded. Every change of the outline is announced with a "fieldapp:outline" event on the form: the rule checker
   (form-rules.js) shows its area and checks it as the worker taps. */
import { fmt, number } from "./lib/helpers.js";

export function initMap(block, form) {
  var polygonInput = form.elements.polygon;
  var status = block.querySelector("[data-map-status]");
  var tileUrl = block.getAttribute("data-tile-url");
  var map = L.map(block.querySelector("[data-map]"), { attributionControl: Boolean(tileUrl) });
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 19, attribution: block.getAttribute("data-tile-attribution") }).addTo(map);
  }
  var corners = readOutline(polygonInput.value);
  var outline = L.polygon(corners, { color: "#b35c00", weight: 3 }).addTo(map);
  var marker = null;

  function point() {
    var latitude = number(form.elements.latitude.value), longitude = number(form.elements.longitude.value);
    return isFinite(latitude) && isFinite(longitude) ? [latitude, longitude] : null;
  }

  function drawPoint() {
    if (marker) map.removeLayer(marker);
    var here = point();
    marker = here ? L.circleMarker(here, { radius: 9, color: "#0b4f9c", fillOpacity: 0.8 }).addTo(map) : null;
    return here;
  }

  function save() {
    outline.setLatLngs(corners);
    if (corners.length >= 3) {
      var ring = corners.map(function (c) { return [round(c[1]), round(c[0])]; });
      ring.push(ring[0]);
      polygonInput.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
    } else {
      polygonInput.value = "";
    }
    status.textContent = fmt(status.getAttribute("data-msg-corners"), { n: corners.length });
    form.dispatchEvent(new CustomEvent("fieldapp:outline", { detail: { corners: corners.length } }));
  }

  map.on("click", function (event) {
    corners.push([event.latlng.lat, event.latlng.lng]);
    save();
  });
  block.querySelector("[data-map-undo]").addEventListener("click", function () { corners.pop(); save(); });
  block.querySelector("[data-map-clear]").addEventListener("click", function () { corners = []; save(); });
  form.addEventListener("fieldapp:point", function () {
    var here = drawPoint();
    if (here) map.setView(here, Math.max(map.getZoom(), 17));
  });
  ["latitude", "longitude"].forEach(function (name) { form.elements[name].addEventListener("change", drawPoint); });

  var here = drawPoint();
  if (corners.length) map.fitBounds(outline.getBounds(), { maxZoom: 18 });
  else if (here) map.setView(here, 17);
  else map.setView([0, 0], 2);
  status.textContent = fmt(status.getAttribute("data-msg-corners"), { n: corners.length });
}

function round(value) { return Math.round(value * 1e6) / 1e6; }

function readOutline(text) {
  try {
    var ring = JSON.parse(text).coordinates[0].map(function (c) { return [c[1], c[0]]; });
    ring.pop();
    return ring;
  } catch (e) {
    return [];  // no outline yet, or one the worker will draw again
  }
}

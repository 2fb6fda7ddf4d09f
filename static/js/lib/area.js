/* The area of an outline as the server computes it (surveys.geo.polygon_area_m2, pyproj's Geod on WGS84, which runs
   GeographicLib's algorithm): the geodesic area of the outer ring on the WGS84 ellipsoid, in square metres, with the
   JavaScript port of the same library (vendored: 32 KB, cached with the shell), so the phone and the server agree to
   the square metre. And the review flag's rule: a drawn area more than POLYGON_AREA_TOLERANCE (20 %) away from the
   reported area is flagged for the supervisor (surveys.flags.polygon_mismatch). */
import "../../vendor/geographiclib-geodesic-2.2.0/geographiclib-geodesic.min.js";

var WGS84 = null;

function ellipsoid() {
  if (!WGS84) {
    var g = globalThis.geodesic;
    WGS84 = new g.Geodesic.Geodesic(g.Constants.WGS84.a, g.Constants.WGS84.f);
  }
  return WGS84;
}

// positions: the outer ring as [lon, lat] pairs, closed or not. Holes are not subtracted (nor are they on the server).
export function ringAreaM2(positions) {
  var polygon = ellipsoid().Polygon(false);
  var ring = positions.slice();
  var first = ring[0], last = ring[ring.length - 1];
  if (ring.length > 1 && first[0] === last[0] && first[1] === last[1]) ring.pop();
  if (ring.length < 3) return 0;
  ring.forEach(function (c) { polygon.AddPoint(c[1], c[0]); });
  return Math.abs(polygon.Compute(false, true).area);
}

// The outline's area, or null when it has no outer ring to measure.
export function polygonAreaM2(geojson) {
  var rings = geojson && geojson.coordinates;
  if (!Array.isArray(rings) || !Array.isArray(rings[0])) return null;
  return ringAreaM2(rings[0]);
}

// surveys.flags.polygon_mismatch: true when the drawn area differs from the reported one by more than the tolerance.
export function areaMismatch(drawnM2, reportedM2, tolerance) {
  if (drawnM2 == null || !reportedM2) return false;
  return Math.abs(drawnM2 - reportedM2) / reportedM2 > tolerance;
}

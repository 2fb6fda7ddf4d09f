"""Coordinates and polygons: validation and geodesic area (WGS84), never on raw degrees."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pyproj import Geod
from shapely.geometry import Polygon

WGS84 = Geod(ellps="WGS84")


def validate_latitude(value: float) -> None:
    if value is not None and not -90 <= value <= 90:
        raise ValidationError(_("Latitude must be between -90 and 90 degrees."), code="latitude")


def validate_longitude(value: float) -> None:
    if value is not None and not -180 <= value <= 180:
        raise ValidationError(_("Longitude must be between -180 and 180 degrees."), code="longitude")


OUTLINE_MESSAGE = _(
    "The outline is not a valid area: it must be one closed ring of real coordinates that does not cross itself or "
    "span more than half the globe, with any holes inside it. Redraw it."
)


def _rings(geojson: Any, max_points: int) -> list[list[tuple[float, float]]] | str:
    """The rings of a GeoJSON Polygon as (lon, lat) lists, or a short code saying why it is not one."""
    if not isinstance(geojson, dict) or geojson.get("type") != "Polygon":
        return "type"  # a Feature, a MultiPolygon or anything else is refused: the API's schema promises a Polygon
    rings = geojson.get("coordinates")
    if not isinstance(rings, list) or not rings:
        return "empty"
    found, total = [], 0
    for raw in rings:
        if not isinstance(raw, list):
            return "empty"
        total += len(raw)
        if total > max_points:
            return "too_many_points"
        ring = []
        for point in raw:
            if (
                not isinstance(point, list | tuple)
                or len(point) < 2
                or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in point[:2])
            ):
                return "point"
            lon, lat = float(point[0]), float(point[1])
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                return "range"
            ring.append((lon, lat))
        if len(ring) < 4:
            return "short"
        if ring[0] != ring[-1]:
            return "open"
        lons = [lon for lon, _lat in ring]
        if max(lons) - min(lons) > 180:
            return "antimeridian"  # a ring this wide crosses the antimeridian or wraps the globe
        found.append(ring)
    return found


def outline_problem(geojson: Any, max_points: int = 2000) -> str | None:
    """Why a value is not a valid outline (a short code), or None: a GeoJSON Polygon of closed rings of real
    coordinates, none wider than 180° of longitude, not crossing itself, its holes inside its shell."""
    rings = _rings(geojson, max_points)
    if isinstance(rings, str):
        return rings
    shape = Polygon(rings[0], rings[1:])
    if not shape.is_valid:
        return "invalid"  # self-intersection, or a hole outside the shell (explain_validity says which)
    return None


def validate_polygon(geojson: Any) -> None:
    """The last line of defence on the model field (the rule set reports the same with its own message)."""
    if geojson in (None, "", {}):
        return
    if outline_problem(geojson):
        raise ValidationError(OUTLINE_MESSAGE, code="polygon")


def polygon_area_m2(geojson: Any) -> float:
    """Geodesic area of the outer ring on the WGS84 ellipsoid, in square metres (holes are not subtracted: the
    phone's live area does the same)."""
    rings = _rings(geojson, 10**6)
    if isinstance(rings, str):
        raise ValueError(rings)
    lons, lats = zip(*rings[0], strict=True)
    area, _perimeter = WGS84.polygon_area_perimeter(lons, lats)
    return abs(area)

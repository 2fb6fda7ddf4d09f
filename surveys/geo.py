"""Coordinates and polygons: validation and geodesic area (WGS84), never on raw degrees."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pyproj import Geod
from shapely.geometry import Polygon
from shapely.validation import explain_validity

WGS84 = Geod(ellps="WGS84")


def validate_latitude(value: float) -> None:
    if value is not None and not -90 <= value <= 90:
        raise ValidationError(_("Latitude must be between -90 and 90 degrees."), code="latitude")


def validate_longitude(value: float) -> None:
    if value is not None and not -180 <= value <= 180:
        raise ValidationError(_("Longitude must be between -180 and 180 degrees."), code="longitude")


def _ring(geojson: Any) -> list[tuple[float, float]]:
    """The outer ring of a GeoJSON Polygon (bare geometry or Feature) as (lon, lat) pairs, or ValidationError."""
    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    if not isinstance(geojson, dict) or geojson.get("type") != "Polygon":
        raise ValidationError(_("The area outline must be a GeoJSON Polygon."), code="polygon_type")
    rings = geojson.get("coordinates")
    if not isinstance(rings, list) or not rings or not isinstance(rings[0], list):
        raise ValidationError(_("The area outline has no coordinates."), code="polygon_empty")
    ring = []
    for point in rings[0]:
        if (
            not isinstance(point, (list, tuple))
            or len(point) < 2
            or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in point[:2])
        ):
            raise ValidationError(_("Each corner of the outline must be a longitude, latitude pair."), code="polygon_point")
        lon, lat = float(point[0]), float(point[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError(_("A corner of the outline is not a real coordinate."), code="polygon_range")
        ring.append((lon, lat))
    if len(ring) < 4:
        raise ValidationError(_("An outline needs at least three corners."), code="polygon_short")
    if ring[0] != ring[-1]:
        raise ValidationError(_("The outline is not closed: its last corner must equal its first."), code="polygon_open")
    return ring


def validate_polygon(geojson: Any) -> None:
    """A closed ring of real coordinates that does not cross itself."""
    if geojson in (None, "", {}):
        return
    ring = _ring(geojson)
    shape = Polygon(ring)
    if not shape.is_valid:
        raise ValidationError(
            _("The outline crosses itself (%(reason)s); redraw it."), code="polygon_invalid",
            params={"reason": explain_validity(shape)},
        )


def polygon_area_m2(geojson: Any) -> float:
    """Geodesic area of the outer ring on the WGS84 ellipsoid, in square metres."""
    ring = _ring(geojson)
    lons, lats = zip(*ring, strict=True)
    area, _perimeter = WGS84.polygon_area_perimeter(lons, lats)
    return abs(area)

"""GeoJSON exports (RFC 7946), for GIS software such as QGIS: the sites, and each report export that has a location.

- WGS84 longitude, latitude (in that order); no `crs` member; polygons follow the right-hand rule (exterior ring
  anticlockwise, holes clockwise); one FeatureCollection, streamed chunk by chunk like the CSV;
- reports: one Feature per row of the CSV export of the same name, with the same filters, access and donor rounding
  (exports.Plan, typed by exports_typed.TypedPlan): its properties are the CSV's columns (numbers as numbers, dates
  as ISO 8601 strings), its geometry the CSV's point, or null when the report has none;
- sites: the sites the map shows for the same filters (maps.sites_for), with their land-release figures and status;
  the geometry is the outline for those the user sees exactly, else the point (donor viewers: a point rounded to
  about 1 km until the site is closed, never the outline of an uncleared hazard).
"""

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from itertools import islice

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from surveys import access, exports, maps
from surveys.exports_typed import TypedPlan
from surveys.indicators import Filters
from surveys.models import Classification, Priority, SiteStatus, SiteType

# The report exports that have a location (explosive items are lines of a clearance report: no point of their own).
GEO_EXPORTS = [slug for slug, export in exports.EXPORTS.items()
               if any(column.name == "latitude" for column in export.columns)]
OUTLINE_DECIMALS = 7  # ~1 cm: the outline as drawn, not simplified
HEAD = b'{"type":"FeatureCollection","features":['
TAIL = b"]}"


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _dump(feature: dict) -> str:
    return json.dumps(feature, ensure_ascii=False, separators=(",", ":"), default=_plain)


def _collection(features: Iterator[list[str]]) -> Iterator[bytes]:
    """HEAD, then each chunk of serialised features (commas between), then TAIL."""
    yield HEAD
    first = True
    for chunk in features:
        if chunk:
            yield (("" if first else ",") + ",".join(chunk)).encode()
            first = False
    yield TAIL


# Reports ---------------------------------------------------------------------------------------------------------------


def report_chunks(plan: TypedPlan, records) -> Iterator[list[str]]:
    at_latitude, at_longitude = plan.header.index("latitude"), plan.header.index("longitude")
    at_reference = plan.header.index("reference")
    rows = records.values_list(*plan.lookups).iterator(chunk_size=exports.CHUNK_SIZE)
    while chunk := list(islice(rows, exports.CHUNK_SIZE)):
        plan.prepare(chunk)
        features = []
        for values in chunk:
            row = plan.row(values)
            latitude, longitude = row[at_latitude], row[at_longitude]
            geometry = None if latitude is None else {"type": "Point", "coordinates": [longitude, latitude]}
            features.append(_dump({"type": "Feature", "id": row[at_reference], "geometry": geometry,
                                   "properties": dict(zip(plan.header, row, strict=True))}))
        yield features


def reports_response(export: exports.Export, user, records, options: exports.Options, request=None):
    plan = TypedPlan(export, user, options, request)
    return geojson_response(_collection(report_chunks(plan, records)), export.slug)


# Sites -----------------------------------------------------------------------------------------------------------------


SITE_LOOKUPS = ("pk", "reference", "name", "site_type", "priority", "classification", "status", "estimated_area_m2",
                "cancelled_area_m2", "reduced_area_m2", "cleared_area_m2", "handed_over_on", "organisation__name",
                "team__name", "admin_area__name_en", "admin_area__name_ar", "admin_area__pcode", "place_name",
                "latitude", "longitude", "polygon")
# The properties of a site, in order, with what each means (shown on the exports page).
SITE_PROPERTIES = [
    ("reference", gettext_lazy("Reference of the site, e.g. SITE-2026-000042.")),
    ("name", gettext_lazy("Name of the site.")),
    ("site_type", gettext_lazy("Type of site: school, health facility, bridge, …")),
    ("priority", gettext_lazy("High, medium or low.")),
    ("classification", gettext_lazy("SHA, CHA or EOD spot task.")),
    ("status", gettext_lazy("Land-release status: open, worked on or closed.")),
    ("estimated_area_m2", gettext_lazy("Estimated hazardous area, m².")),
    ("cancelled_area_m2", gettext_lazy("Area cancelled by approved reports, m².")),
    ("reduced_area_m2", gettext_lazy("Area reduced by approved reports, m².")),
    ("cleared_area_m2", gettext_lazy("Area cleared by approved reports, m².")),
    ("released_area_m2", gettext_lazy("Cancelled, reduced and cleared together, m².")),
    ("remaining_area_m2", gettext_lazy("Estimated less released (never below zero), m².")),
    ("handed_over_on", gettext_lazy("Date the land was handed over (closed sites).")),
    ("organisation", gettext_lazy("Organisation responsible for the site.")),
    ("team", gettext_lazy("Team working on the site.")),
    ("admin_area", gettext_lazy("The most precise administrative area recorded.")),
    ("admin_area_pcode", gettext_lazy("OCHA P-code of that area, where known.")),
    ("place_name", gettext_lazy("Place name as the team wrote it.")),
    ("latitude", gettext_lazy("WGS84 latitude of the site's point; rounded to 0.01° for donor viewers until the site "
                              "is closed.")),
    ("longitude", gettext_lazy("WGS84 longitude, rounded like latitude.")),
    ("location_precision", gettext_lazy("exact, or rounded (to about 1 km); a rounded site has no outline.")),
]


def site_chunks(user, records, labels: bool) -> Iterator[list[str]]:
    locate = access.location_rule(user)
    arabic = (get_language() or "").startswith("ar")
    names = {field: dict(choices.choices) if labels else {} for field, choices in (
        ("site_type", SiteType), ("priority", Priority), ("classification", Classification), ("status", SiteStatus))}
    exact_word, rounded_word = (_("exact"), _("rounded to about 1 km")) if labels else ("exact", "rounded")
    rows = records.order_by("pk").values_list(*SITE_LOOKUPS).iterator(chunk_size=exports.CHUNK_SIZE)
    while chunk := list(islice(rows, exports.CHUNK_SIZE)):
        features = []
        for (pk, reference, name, site_type, priority, classification, status, estimated, cancelled, reduced,
             cleared, handed_over_on, organisation, team, area_en, area_ar, pcode, place, latitude, longitude,
             outline) in chunk:
            polygon = maps.outline_shape(outline) if outline else None
            if latitude is None and polygon is not None:
                middle = polygon.representative_point()
                latitude, longitude = middle.y, middle.x
            latitude, longitude, exact = locate(status, latitude, longitude)
            if exact and polygon is not None:
                geometry = maps.polygon_geometry(polygon, OUTLINE_DECIMALS)
            elif latitude is not None:
                geometry = {"type": "Point", "coordinates": [longitude, latitude]}
            else:
                geometry = None
            released = cancelled + reduced + cleared
            properties = {
                "reference": reference, "name": name, "site_type": names["site_type"].get(site_type, site_type),
                "priority": names["priority"].get(priority, priority),
                "classification": names["classification"].get(classification, classification),
                "status": names["status"].get(status, status), "estimated_area_m2": estimated,
                "cancelled_area_m2": cancelled, "reduced_area_m2": reduced, "cleared_area_m2": cleared,
                "released_area_m2": released, "remaining_area_m2": max(estimated - released, 0),
                "handed_over_on": handed_over_on, "organisation": organisation, "team": team,
                "admin_area": (arabic and area_ar) or area_en, "admin_area_pcode": pcode, "place_name": place,
                "latitude": latitude, "longitude": longitude,
                "location_precision": None if latitude is None else (exact_word if exact else rounded_word),
            }
            features.append(_dump({"type": "Feature", "id": reference or f"site-{pk}", "geometry": geometry,
                                   "properties": properties}))
        yield features


def sites_response(user, filters: Filters, labels: bool = True) -> StreamingHttpResponse:
    return geojson_response(_collection(site_chunks(user, maps.sites_for(user, filters), labels)), "sites")


# Responses -------------------------------------------------------------------------------------------------------------


def geojson_response(content: Iterator[bytes], name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate().isoformat()}.geojson"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


export_selected_geojson = exports.export_action(reports_response, "export_selected_geojson",
                                                gettext_lazy("Export selected reports as GeoJSON"))

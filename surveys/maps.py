"""The map of sites and reports: GeoJSON (RFC 7946) for one user, one layer and one view of the map.

Every map (the figures pages, the admin's, a field team's on the phone) draws from one endpoint,
map_views.map_features, which asks `collection()` here. Layers:
- sites: access.mapped_sites (a field collector: their team's sites), coloured by land-release status; with filters
  set, only the sites that an approved report matching them surveyed or worked on (the indicators' definition);
- reports: approved reports, as the exports give them (access.reports_for_figures, then the filters);
- queue: the reports a reviewer sees, drafts left out, coloured by review state;
- areas: one label per governorate (or district, zoomed in), placed at the middle of the sites the user sees in it.
  The app knows administrative areas by name and P-code but not their boundaries, so a label stands where the
  work is, and the map is readable without any tile.

The zoom decides the detail. Below OUTLINE_MIN_ZOOM every feature is a point (an outline would be a few pixels);
from it on, outlines are simplified to one screen pixel (shapely's simplify, tolerance from the zoom) and one smaller
than two pixels is drawn as its point. Coordinates are rounded to a tenth of a pixel. That keeps a whole-country
view of 10,000 sites to one small point each.

Access: each feature's point and outline are what access.location_rule gives the user (donor viewers: a point
rounded to about 1 km and no outline until the site is closed; risk-education sessions always). The bounding box is
tested against the point the user sees, never the exact one, so that asking with a tiny box cannot place a hazard
more precisely than the rounding does.
"""

import hashlib
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields

import numpy as np
import shapely
from django import forms
from django.db.models import Avg, Case, Count, Max, Min, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from shapely.geometry import Polygon, shape
from shapely.geometry.polygon import orient

from surveys import access
from surveys.indicators import Filters, FiltersForm
from surveys.models import AdminArea, ClearanceReport, Report, Site, SiteStatus, SurveyReport

OUTLINE_MIN_ZOOM = 13  # at zoom 13 a pixel is ~19 m: outlines of a few hundred metres start to show
DISTRICT_LABEL_ZOOM = 9  # from here on, districts are labelled instead of governorates
MAX_ZOOM = 20
# Coarse rounding shifts a donor's point by up to 0.005°: the database narrows to the box widened by this much, and
# the rounded point is then tested against the box itself.
BBOX_MARGIN_DEG = 0.01
POLYGON_TYPE_ID = 3  # shapely.get_type_id of a Polygon

LAYERS = [("sites", _("Sites")), ("reports", _("Approved reports")), ("queue", _("Reports in review"))]

# Colours of the legend and the features, by status. Distinct in hue and lightness so they differ in grey too.
SITE_COLOURS = {SiteStatus.OPEN: "#b91c1c", SiteStatus.WORKED_ON: "#b45309", SiteStatus.CLOSED: "#15803d"}
REVIEW_COLOURS = {Report.Status.SUBMITTED: "#1d4ed8", Report.Status.RETURNED: "#b91c1c",
                  Report.Status.APPROVED: "#15803d", Report.Status.DRAFT: "#6b7280"}


def legend(layer: str) -> list[tuple[str, str, str]]:
    """(status code, label, colour) of the statuses a layer is coloured by."""
    if layer == "sites":
        return [(s.value, s.label, SITE_COLOURS[s]) for s in SiteStatus]
    shown = [Report.Status.APPROVED] if layer == "reports" else [
        Report.Status.SUBMITTED, Report.Status.RETURNED, Report.Status.APPROVED]
    return [(s.value, s.label, REVIEW_COLOURS[s]) for s in shown]


def may_see_layer(user, layer: str) -> bool:
    if layer == "reports":
        return access.can_see_figures(user)
    if layer == "queue":
        return access.can_review(user)
    return access.role(user) is not None


# The view: layer, zoom and box ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    layer: str = "sites"
    zoom: int = 0
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north (degrees)

    @property
    def outlines(self) -> bool:
        return self.zoom >= OUTLINE_MIN_ZOOM

    @property
    def tolerance(self) -> float:
        """One screen pixel in degrees (at the equator, where it is largest) at this zoom."""
        return 360 / (256 * 2**self.zoom)

    @property
    def decimals(self) -> int:
        """Decimals that keep a tenth of a pixel: 3 for a country (~100 m), 6 at street level (~10 cm)."""
        return max(3, min(6, math.ceil(-math.log10(self.tolerance)) + 1))

    def contains(self, longitude: float, latitude: float) -> bool:
        if self.bbox is None:
            return True
        west, south, east, north = self.bbox
        return west <= longitude <= east and south <= latitude <= north

    def near(self) -> Q:
        """Records with a point that may fall in the box once rounded (the exact test is contains(), on the point
        shown)."""
        if self.bbox is None:
            return Q(latitude__isnull=False)
        west, south, east, north = self.bbox
        m = BBOX_MARGIN_DEG
        return Q(latitude__gte=south - m, latitude__lte=north + m, longitude__gte=west - m, longitude__lte=east + m)


class MapForm(FiltersForm):
    """The indicators' filters, plus the layer and the view of the map."""

    layer = forms.ChoiceField(label=_("Show"), required=False, choices=[*LAYERS, ("areas", _("Area names"))])
    zoom = forms.IntegerField(required=False, min_value=0, max_value=MAX_ZOOM)
    bbox = forms.CharField(required=False, max_length=200,
                           help_text=_("west,south,east,north in decimal degrees (WGS84)"))

    def clean_bbox(self) -> tuple[float, float, float, float] | None:
        text = self.cleaned_data.get("bbox")
        if not text:
            return None
        try:
            west, south, east, north = (float(part) for part in text.split(","))
        except ValueError:
            raise forms.ValidationError(_("The box must be four numbers: west,south,east,north."),
                                        code="bbox") from None
        if not all(math.isfinite(v) for v in (west, south, east, north)) or not (
                -180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise forms.ValidationError(
                _("The box must lie within -180..180 (west ≤ east) and -90..90 (south ≤ north)."), code="bbox")
        return west, south, east, north

    @property
    def view(self) -> View:
        data = self.cleaned_data
        return View(layer=data.get("layer") or "sites", zoom=data.get("zoom") or 0, bbox=data.get("bbox"))


def filters_set(filters: Filters) -> bool:
    return any(getattr(filters, f.name) is not None for f in fields(filters))


# Whose records ---------------------------------------------------------------------------------------------------------


def sites_for(user, filters: Filters) -> QuerySet:
    """The sites of the sites layer (and of the area labels)."""
    sites = access.mapped_sites(user)
    if filters_set(filters):
        approved = {"status": Report.Status.APPROVED}
        surveys = filters.apply(access.visible_reports(user, SurveyReport.objects.filter(**approved)))
        clearances = filters.apply(access.visible_reports(user, ClearanceReport.objects.filter(**approved)))
        sites = sites.filter(Q(pk__in=surveys.values("site_id")) | Q(pk__in=clearances.values("site_id")))
    return sites


def reports_for(user, layer: str, filters: Filters) -> QuerySet:
    """The reports of the reports layer (as the exports give them) or of the review queue's."""
    if layer == "queue":
        reports = access.visible_reports(user).exclude(status=Report.Status.DRAFT) if access.can_review(user) \
            else Report.objects.none()
    else:
        reports = access.reports_for_figures(user)
    return filters.apply(reports)


# Features --------------------------------------------------------------------------------------------------------------


# The columns of each layer's rows: id first, the point at LAT and LON (then the outline, added by _rows).
SITE_FIELDS = ("pk", "reference", "name", "status", "latitude", "longitude")
LAT, LON = 4, 5
REPORT_FIELDS = ("pk", "reference", "kind", "status", "latitude", "longitude", "surveyreport__site__status",
                 "clearancereport__site__status")


def outline_shape(geojson) -> Polygon | None:
    """A stored outline (a GeoJSON Polygon, bare or as a Feature) as a shapely polygon; None if it is not one."""
    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    try:
        polygon = shape(geojson)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError):
        return None
    return polygon if isinstance(polygon, Polygon) and not polygon.is_empty else None


def polygon_geometry(polygon: Polygon, decimals: int = 7) -> dict:
    """A GeoJSON Polygon by RFC 7946: longitude first, exterior ring anticlockwise, holes clockwise."""
    polygon = orient(polygon, sign=1.0)
    rings = [polygon.exterior, *polygon.interiors]
    return {"type": "Polygon",
            "coordinates": [[[round(x, decimals), round(y, decimals)] for x, y, *_z in ring.coords] for ring in rings]}


def _features(rows: list[tuple], user, view: View, describe: Callable[[tuple], dict],
              site_status: Callable[[tuple], str | None]) -> list[dict]:
    """Rows (id first, latitude and longitude at LAT and LON, the outline as GeoJSON text or None last) as Features;
    `describe` gives a row's properties, `site_status` the status that decides a donor's rounding.

    Whole answers at once rather than row by row: outlines are read, simplified, rounded and oriented in GEOS
    (shapely's array functions), points rounded and tested against the box with numpy, and Python touches only the
    features that are sent. That keeps a country of 10,000 points and a district of hundreds of outlines quick."""
    d = view.decimals
    latitude = np.array([row[LAT] for row in rows], dtype=float)  # None: NaN
    longitude = np.array([row[LON] for row in rows], dtype=float)
    wanted = [row[-1] if row[-1] and (view.outlines or row[LAT] is None) else None for row in rows]
    drawn = np.zeros(len(rows), dtype=bool)
    if any(wanted):
        shapes = shapely.from_geojson(wanted, on_invalid="ignore")
        shapes[shapely.get_type_id(shapes) != POLYGON_TYPE_ID] = None
        middles = shapely.point_on_surface(shapes)  # where an outline is all there is
        latitude = np.where(np.isnan(latitude), shapely.get_y(middles), latitude)
        longitude = np.where(np.isnan(longitude), shapely.get_x(middles), longitude)
        if view.outlines:
            # An outline under two pixels across is a dot on the screen: its point says it better. (NaN: no outline.)
            west, south, east, north = shapely.bounds(shapes).T
            drawn = ((east - west) >= 2 * view.tolerance) | ((north - south) >= 2 * view.tolerance)
            shapes[~drawn] = None
            simple = shapely.simplify(shapes, view.tolerance, preserve_topology=True)
            simple = shapely.orient_polygons(shapely.set_precision(simple, 10**-d, mode="pointwise"),
                                             exterior_cw=False)
            drawn &= ~shapely.is_empty(simple) & ~shapely.is_missing(simple)
            outlines = shapely.to_geojson(simple)
    exact = np.ones(len(rows), dtype=bool)
    if not access.sees_every_location(user):
        locate = access.location_rule(user)
        for i, row in enumerate(rows):
            if not np.isnan(latitude[i]):
                latitude[i], longitude[i], exact[i] = locate(site_status(row), latitude[i], longitude[i])
    west, south, east, north = view.bbox or (-180, -90, 180, 90)
    with np.errstate(invalid="ignore"):  # NaN (no location) compares False: left out
        shown = (latitude >= south) & (latitude <= north) & (longitude >= west) & (longitude <= east)
    latitude, longitude = np.round(latitude, d).tolist(), np.round(longitude, d).tolist()
    features = []
    for i in np.flatnonzero(shown).tolist():
        row = rows[i]
        properties = describe(row)
        if exact[i] and drawn[i]:
            geometry = json.loads(outlines[i])
        else:
            geometry = {"type": "Point", "coordinates": [longitude[i], latitude[i]]}
            if not exact[i]:
                properties["rounded"] = True
        features.append({"type": "Feature", "id": row[0], "geometry": geometry, "properties": properties})
    return features


def _rows(records: QuerySet, view: View, lookups: tuple[str, ...]) -> Iterator[tuple]:
    """In one query: rows with a point in (or near) the box, and rows with only an outline (placed by it, tested
    against the box afterwards). The outline comes as text, for GEOS to read without a detour through Python
    dictionaries; zoomed out, only for the rows that have no point."""
    text = Cast("polygon", output_field=TextField())
    outline = text if view.outlines else Case(When(latitude__isnull=True, then=text), default=Value(None))
    placed_by_outline = Q(latitude__isnull=True, polygon__isnull=False)
    return records.filter(view.near() | placed_by_outline).order_by().annotate(
        outline_text=outline).values_list(*lookups, "outline_text")


def site_features(user, filters: Filters, view: View) -> list[dict]:
    rows = list(_rows(sites_for(user, filters), view, SITE_FIELDS))
    return _features(rows, user, view, lambda row: {"ref": row[1], "name": row[2], "status": row[3]},
                     lambda row: row[3])


def report_features(user, layer: str, filters: Filters, view: View) -> list[dict]:
    rows = list(_rows(reports_for(user, layer, filters), view, REPORT_FIELDS))
    return _features(rows, user, view, lambda row: {"ref": row[1], "kind": row[2], "status": row[3]},
                     lambda row: row[6] or row[7])


def area_features(user, filters: Filters, view: View) -> Iterator[dict]:
    """A label per governorate (or district, from DISTRICT_LABEL_ZOOM) at the middle of the user's sites in it.

    The middle is rounded to 0.01° (about 1 km), never finer than what a donor viewer sees of a single site."""
    level = AdminArea.Level.DISTRICT if view.zoom >= DISTRICT_LABEL_ZOOM else AdminArea.Level.GOVERNORATE
    per_area = (
        sites_for(user, filters).filter(latitude__isnull=False, admin_area__isnull=False).order_by()
        .values("admin_area_id").annotate(latitude=Avg("latitude"), longitude=Avg("longitude"), sites=Count("pk"))
    )
    areas = {a.pk: a for a in AdminArea.objects.only("pk", "level", "parent_id", "name_en", "name_ar", "pcode")}
    totals: dict[int, list[float]] = {}
    for row in per_area:
        area = areas.get(row["admin_area_id"])
        while area is not None and area.level > level:
            area = areas.get(area.parent_id)
        if area is None or area.level != level:
            continue
        total = totals.setdefault(area.pk, [0.0, 0.0, 0])
        total[0] += row["latitude"] * row["sites"]
        total[1] += row["longitude"] * row["sites"]
        total[2] += row["sites"]
    for pk, (lat_sum, lon_sum, count) in sorted(totals.items()):
        area = areas[pk]
        latitude, longitude = access.coarse(lat_sum / count), access.coarse(lon_sum / count)
        if not view.contains(longitude, latitude):
            continue
        yield {"type": "Feature", "id": pk, "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
               "properties": {"name_en": area.name_en, "name_ar": area.name_ar, "pcode": area.pcode,
                              "level": area.level, "sites": count}}


def features(user, filters: Filters, view: View) -> Iterator[dict]:
    if view.layer == "sites":
        return site_features(user, filters, view)
    if view.layer == "areas":
        return area_features(user, filters, view)
    return report_features(user, view.layer, filters, view)


def collection(user, filters: Filters, view: View) -> bytes:
    """The FeatureCollection as compact UTF-8 JSON, encoded in one call (the C encoder: no Python per feature)."""
    body = {"type": "FeatureCollection", "features": list(features(user, filters, view))}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def etag(user, query: str, layer: str) -> str:
    """Changes when the data, the user's reach or the question changes, so a browser can ask "still the same?" and
    get a 304 instead of the features again."""
    table = Site.objects if layer in ("sites", "areas") else Report.objects
    version = table.aggregate(changed=Max("updated_at"), rows=Count("pk"))
    reach = (access.role(user), user.organisation_id, user.team_id,
             sorted(access.figure_projects(user).values_list("pk", flat=True)))
    key = f"{user.pk}|{reach}|{query}|{version['changed']}|{version['rows']}"
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def extent(records: QuerySet) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the records' points for the first view: rounded as a donor's points are
    (access.coarse, never finer), then widened by that much so that the points at the edges stay in view."""
    box = records.order_by().aggregate(south=Min("latitude"), west=Min("longitude"), north=Max("latitude"),
                                       east=Max("longitude"))
    if box["south"] is None:
        return None
    step = 0.01
    return [[round(access.coarse(box["south"]) - step, 2), round(access.coarse(box["west"]) - step, 2)],
            [round(access.coarse(box["north"]) + step, 2), round(access.coarse(box["east"]) + step, 2)]]


# The list under the map (and instead of it without JavaScript) -------------------------------------------------------


LIST_FIELDS = {
    "sites": ("pk", "reference", "name", "status", "latitude", "longitude", "place_name", "admin_area__name_en",
              "admin_area__name_ar"),
    "reports": ("pk", "reference", "kind", "status", "latitude", "longitude", "place_name", "admin_area__name_en",
                "admin_area__name_ar", "activity_date", "surveyreport__site__status", "clearancereport__site__status"),
}


def records_for(user, filters: Filters, layer: str) -> QuerySet:
    """The records of a layer, in the order the list shows them, as tuples of LIST_FIELDS."""
    if layer == "sites":
        return sites_for(user, filters).order_by("name", "pk").values_list(*LIST_FIELDS["sites"])
    return reports_for(user, layer, filters).order_by("-activity_date", "-pk").values_list(*LIST_FIELDS["reports"])


def list_rows(user, layer: str, rows, arabic: bool) -> list[dict]:
    """One dict per record: what the user may see of its location, and its labels."""
    locate = access.location_rule(user)
    statuses = dict(SiteStatus.choices if layer == "sites" else Report.Status.choices)
    kinds = dict(Report.Kind.choices)
    listed = []
    for pk, reference, name_or_kind, status, latitude, longitude, place, area_en, area_ar, *report in rows:
        if layer == "sites":
            site_status, title, kind, activity_date = status, name_or_kind, None, None
        else:
            activity_date, survey_site, clearance_site = report
            site_status, title, kind = survey_site or clearance_site, kinds.get(name_or_kind), name_or_kind
        latitude, longitude, exact = locate(site_status, latitude, longitude)
        listed.append({"pk": pk, "reference": reference, "title": title, "kind": kind, "status": status,
                       "status_label": statuses.get(status, status), "place": place,
                       "area": (arabic and area_ar) or area_en or "", "date": activity_date,
                       "latitude": latitude, "longitude": longitude, "exact": exact})
    return listed

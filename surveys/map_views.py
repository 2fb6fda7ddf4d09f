"""The maps: one GeoJSON endpoint that every map draws from, and the three pages that draw it.

- /figures/map/  donors, supervisors and IM officers: sites or approved reports, with the indicators' filters;
- /admin/map/    reviewers, in the admin: the review queue (or the sites), coloured by review state;
- /map/          a field team on the phone: its own sites.
Each page also lists what the map shows (paginated), which is the whole page without JavaScript.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from surveys import access, maps
from surveys.admin.common import SPECIFIC_MODEL
from surveys.models import Report

LIST_PAGE_SIZE = 25
FILTER_FIELDS = ("date_from", "date_to", "project", "donor", "organisation", "governorate")


@require_GET
def map_features(request):
    """GeoJSON of one layer for one view of the map (see surveys/maps.py). Private, revalidated by ETag."""
    user = request.user
    if access.role(user) is None:
        return JsonResponse({"error": _("Sign in to see the map.")}, status=403)
    form = maps.MapForm(request.GET, user=user)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    view = form.view
    if not maps.may_see_layer(user, view.layer):
        return JsonResponse({"error": _("You may not see this layer.")}, status=403)
    tag = maps.etag(user, request.GET.urlencode(), view.layer)
    response = get_conditional_response(request, etag=tag)
    if response is None:
        response = HttpResponse(maps.collection(user, form.filters, view), content_type="application/geo+json")
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    patch_vary_headers(response, ["Cookie"])
    return response


def _url_template(name: str) -> str:
    return reverse(name, args=[0]).replace("/0/", "/{id}/")


def _links(user, layer: str) -> dict[str, str]:
    """Where a click on a feature leads, by site or report type: only pages the user may open."""
    if layer == "sites":
        return {"site": _url_template("admin:surveys_site_change")} if access.can_open_site_page(user) else {}
    if layer == "queue":
        return {kind: _url_template(f"admin:surveys_{model}_change") for kind, model in SPECIFIC_MODEL.items()}
    return {kind: _url_template("report_detail") for kind in Report.Kind.values}  # access.visible_reports


def _map_page(request, template: str, layers: list[str], filters_shown: bool, extra: dict | None = None):
    user = request.user
    form = maps.MapForm(request.GET, user=user)
    form.fields["layer"].choices = [choice for choice in maps.LAYERS if choice[0] in layers]
    context = {"form": form, "filters_shown": filters_shown, "show_layers": len(layers) > 1, **(extra or {})}
    if not form.is_valid():
        return render(request, template, context, status=400)
    layer = form.cleaned_data.get("layer") or layers[0]
    filters = form.filters if filters_shown else maps.Filters()
    query = urlencode([(k, request.GET[k]) for k in FILTER_FIELDS if filters_shown and request.GET.get(k)])
    records = maps.records_for(user, filters, layer)
    page = Paginator(records, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    arabic = (get_language() or "").startswith("ar")
    links = _links(user, layer)
    rows = maps.list_rows(user, "sites" if layer == "sites" else "reports", page.object_list, arabic)
    for row in rows:
        link = links.get("site" if layer == "sites" else row["kind"])
        row["url"] = link.replace("{id}", str(row["pk"])) if link else None
    extent_of = maps.sites_for(user, filters) if layer == "sites" else maps.reports_for(user, layer, filters)
    legend = maps.legend(layer)
    endpoint = reverse("map_features")
    context.update({
        "layer": layer,
        "legend": legend,
        "page": page,
        "rows": rows,
        "page_query": urlencode([(k, v) for k, v in request.GET.items() if k != "page"]),
        "geojson_url": f"{endpoint}?{urlencode({'layer': layer, 'zoom': maps.MAX_ZOOM})}{'&' + query if query else ''}",
        "map_config": {
            "endpoint": endpoint,
            "layer": layer,
            "query": query,
            "tiles": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "bounds": maps.extent(extent_of),
            "colours": {code: colour for code, _label, colour in legend},
            "statuses": {code: str(label) for code, label, _colour in legend},
            "kinds": {code: str(label) for code, label in Report.Kind.choices},
            "links": links,
            "lang": "ar" if arabic else "en",
            "labelZoom": maps.DISTRICT_LABEL_ZOOM,
            "messages": {
                "shown": _("{n} shown on the map."),
                "loading": _("Loading the map…"),
                "failed": _("The map could not load its data. The list below still shows everything."),
                "open": _("Open"),
                "rounded": _("Location rounded to about 1 km."),
                "map": _("Map"),
            },
        },
    })
    return render(request, template, context)


@require_GET
@login_required
def figures_map(request):
    if not access.can_see_figures(request.user):
        raise PermissionDenied
    return _map_page(request, "figures/map.html", ["sites", "reports"], filters_shown=True)


@require_GET
@login_required
def field_map(request):
    """A field team's own sites, on the phone."""
    if access.role(request.user) is None:
        raise PermissionDenied
    return _map_page(request, "surveys/map.html", ["sites"], filters_shown=False)


@require_GET
def admin_map(request):
    """The review queue (or the sites) on a map, in the admin. Wrapped by admin.site.admin_view in the URLs."""
    if not access.can_review(request.user):
        raise PermissionDenied
    extra = {**admin.site.each_context(request), "title": _("Map of the review queue")}
    return _map_page(request, "admin/surveys/sites_map.html", ["queue", "sites"], filters_shown=True, extra=extra)

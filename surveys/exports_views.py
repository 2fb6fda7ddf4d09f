"""The XLSX and GeoJSON downloads of the figures pages: the same filters, options and access as the CSV ones
(figures_views.export_csv), in other formats (surveys/exports_xlsx.py, surveys/exports_geo.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from surveys import access, exports, exports_geo, exports_xlsx, indicators


def _form(request):
    if not access.can_see_figures(request.user):
        raise PermissionDenied
    return exports.ExportForm(request.GET, user=request.user)


def _invalid(request, form):
    return render(request, "figures/exports.html", {
        "form": form, "exports": exports.EXPORTS.values(), "geo_slugs": exports_geo.GEO_EXPORTS,
    }, status=400)


@require_GET
@login_required
def export_xlsx(request, slug: str):
    export = exports.EXPORTS.get(slug)
    if export is None:
        raise Http404("No such export.")
    form = _form(request)
    if not form.is_valid():
        return _invalid(request, form)
    records = export.records(request.user, form.filters)
    try:
        return exports_xlsx.export_response(export, request.user, records, form.options, request)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _invalid(request, form)


@require_GET
@login_required
def export_geojson(request, slug: str):
    if slug != "sites" and slug not in exports_geo.GEO_EXPORTS:
        raise Http404("No such export.")
    form = _form(request)
    if not form.is_valid():
        return _invalid(request, form)
    if slug == "sites":
        return exports_geo.sites_response(request.user, form.filters, form.options.labels)
    export = exports.EXPORTS[slug]
    records = export.records(request.user, form.filters)
    return exports_geo.reports_response(export, request.user, records, form.options, request)


@require_GET
@login_required
def indicators_xlsx(request):
    form = _form(request)
    if not form.is_valid():
        return render(request, "figures/indicators.html", {"form": form, "figures": None}, status=400)
    figures = indicators.compute(request.user, form.filters)
    header = ("section", "key", "indicator", "value", "unit")
    return exports_xlsx.xlsx_response(
        lambda target: exports_xlsx.write_table(target, [header, *figures.rows()], "indicators"), "indicators")

"""Figures for donors, supervisors and administrators: the indicators report, its CSV, and the raw CSV exports."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from surveys import access, charts, exports, exports_geo, indicators


def _figures_user(request):
    if not access.can_see_figures(request.user):
        raise PermissionDenied
    return request.user


def _periods(today: date) -> list[tuple[str, date, date]]:
    """Shortcut links: last quarter and this year."""
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_end = quarter_start - timedelta(days=1)
    last_start = date(last_end.year, 3 * ((last_end.month - 1) // 3) + 1, 1)
    return [(_("Last quarter"), last_start, last_end), (_("This year"), date(today.year, 1, 1), today)]


@require_GET
@login_required
def indicators_page(request):
    user = _figures_user(request)
    form = indicators.FiltersForm(request.GET, user=user)  # every filter is optional: no filter is all time
    figures = indicators.compute(user, form.filters) if form.is_valid() else None
    return render(request, "figures/indicators.html", {
        "form": form,
        "figures": figures,
        "charts": charts.indicator_charts(figures) if figures else None,
        "periods": _periods(timezone.localdate()),
        "destroyed": indicators.DESTROYED_LABELS,
        "query": request.GET.urlencode(),
    })


@require_GET
@login_required
def indicators_csv(request):
    user = _figures_user(request)
    form = exports.ExportForm(request.GET, user=user)
    if not form.is_valid():
        return render(request, "figures/indicators.html", {"form": form, "figures": None}, status=400)
    figures = indicators.compute(user, form.filters)
    header = [("section", "key", "indicator", "value", "unit")]
    return exports.csv_response(exports.table_csv([*header, *figures.rows()], form.options.bom), "indicators")


@require_GET
@login_required
def exports_page(request):
    user = _figures_user(request)
    return render(request, "figures/exports.html", {
        "form": exports.ExportForm(request.GET or None, user=user),
        "exports": exports.EXPORTS.values(),
        "geo_slugs": exports_geo.GEO_EXPORTS,
        "site_properties": exports_geo.SITE_PROPERTIES,
    })


@require_GET
@login_required
def export_csv(request, slug: str):
    user = _figures_user(request)
    export = exports.EXPORTS.get(slug)
    if export is None:
        raise Http404("No such export.")
    form = exports.ExportForm(request.GET, user=user)
    if not form.is_valid():
        return render(request, "figures/exports.html", {
            "form": form, "exports": exports.EXPORTS.values(),
        }, status=400)
    records = export.records(user, form.filters)
    return exports.export_response(export, user, records, form.options, request)

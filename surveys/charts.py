"""Charts drawn on the server as inline SVG: readable without JavaScript, printable, and right-to-left in Arabic.

Each function takes a series (labels and numbers), returns markup ready for a template, and draws no zeros: a series
with nothing in it becomes one line of text saying so. The numbers are written in the chart itself (next to each bar)
and repeated in the SVG's <desc>, so a screen reader reads the same figures a sighted reader sees.

Right to left: every x coordinate is computed as if left to right and mirrored at the end (`_Canvas.x`), and the SVG
says `direction="rtl"`, so a text's "start" anchor is its right end. Widths are in SVG user units on a viewBox that
the page scales to its column (at 360 px, 1 unit is about 1 px), so nothing here overflows a phone's width.
"""

from collections.abc import Sequence
from decimal import Decimal
from itertools import count

from django.utils import formats, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 320  # user units; the SVG is drawn at 100 % of its column's width
FONT = 12
PALETTE = ("#0b4f9c", "#b35c00", "#146c2e", "#6f2d91")  # contrast ≥ 4.5:1 on white, told apart by legend and order
_ids = count(1)

Number = int | Decimal | float


def number(value: Number, decimals: int = 0) -> str:
    """A figure in the current language's format (grouped thousands), as the tables show it."""
    if decimals:
        value = Decimal(value).quantize(Decimal(1).scaleb(-decimals))
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def _with_unit(value: Number, unit: str, decimals: int) -> str:
    return f"{number(value, decimals)} {unit}".strip()


def empty(message: str) -> SafeString:
    """The one line that replaces a chart (or a section) with nothing to show for the chosen filters."""
    return format_html('<p class="chart-empty">{}</p>', message)


class _Canvas:
    """Collects SVG elements in left-to-right coordinates and mirrors them when the page is right to left."""

    def __init__(self, rtl: bool | None):
        self.rtl = translation.get_language_bidi() if rtl is None else rtl
        self.parts: list[SafeString] = []

    def x(self, logical: float, width: float = 0) -> float:
        """The physical x of a box that starts at `logical` (from the reading start) and is `width` wide."""
        return WIDTH - logical - width if self.rtl else logical

    def rect(self, x: float, y: float, width: float, height: float, fill: str) -> None:
        self.parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                                      _n(self.x(x, width)), _n(y), _n(width), _n(height), fill))

    def text(self, x: float, y: float, content: str, anchor: str = "start", bold: bool = False,
             size: int = FONT) -> None:
        # With direction="rtl" on the SVG, "start" is the right end of the text: mirroring x is enough.
        self.parts.append(format_html('<text x="{}" y="{}" text-anchor="{}" font-size="{}" font-weight="{}">{}</text>',
                                      _n(self.x(x)), _n(y), anchor, size, "bold" if bold else "normal", content))

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.parts.append(format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#555" stroke-width="1"/>',
                                      _n(self.x(x1)), _n(y1), _n(self.x(x2)), _n(y2)))

    def svg(self, title: str, description: str, height: float) -> SafeString:
        """The chart in a figure: its title as the visible caption (wrapping as the text needs), the numbers in <desc>,
        both naming the SVG for screen readers."""
        n = next(_ids)
        direction = "rtl" if self.rtl else "ltr"
        return format_html(
            '<figure class="chart-figure"><figcaption id="chart{}-title" class="chart-title">{}</figcaption>'
            '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="chart{}-title chart{}-desc" '
            'direction="{}" font-family="system-ui, sans-serif" fill="#111" xmlns="http://www.w3.org/2000/svg">'
            '<desc id="chart{}-desc">{}</desc>{}</svg></figure>',
            n, title, WIDTH, f"{height:.0f}", n, n, direction, n, description,
            format_html_join("", "{}", ((part,) for part in self.parts)),
        )


def _n(value: float) -> str:
    """A coordinate: one decimal is finer than a pixel; never the page's decimal comma."""
    return f"{value:.1f}".removesuffix(".0")


def _scale(values: Sequence[Number], length: float) -> float:
    top = max((float(v) for v in values), default=0)
    return length / top if top > 0 else 0


def _legend(canvas: _Canvas, labels: Sequence[str], y: float) -> float:
    """Swatches and names, wrapped onto as many lines as they need; returns the y below them."""
    x = 0.0
    for i, label in enumerate(labels):
        width = 16 + len(label) * FONT * 0.55
        if x and x + width > WIDTH:
            x, y = 0.0, y + 18
        canvas.rect(x, y - 10, 10, 10, PALETTE[i % len(PALETTE)])
        canvas.text(x + 14, y, label)
        x += width + 10
    return y + 12


def bars(title: str, rows: Sequence[tuple[str, Number]], *, unit: str = "", decimals: int = 0,
         empty_message: str, rtl: bool | None = None) -> SafeString:
    """One horizontal bar per row: its label on a line, the bar below it with the value at its end.

    Rows whose value is zero are left out; when every value is zero the chart is `empty_message` instead.
    """
    shown = [(label, value) for label, value in rows if value]
    if not shown:
        return empty(empty_message)
    canvas = _Canvas(rtl)
    value_room = 90
    scale = _scale([v for _l, v in shown], WIDTH - value_room)
    y = 0.0
    for label, value in shown:
        canvas.text(0, y + 13, label)
        width = max(float(value) * scale, 1.5)
        canvas.rect(0, y + 18, width, 14, PALETTE[0])
        canvas.text(width + 4, y + 29, _with_unit(value, unit, decimals), bold=True)
        y += 40
    description = "; ".join(f"{label}: {_with_unit(value, unit, decimals)}" for label, value in shown)
    return canvas.svg(title, description, y)


def grouped_bars(title: str, series: Sequence[str], groups: Sequence[tuple[str, Sequence[Number]]], *,
                 unit: str = "", empty_message: str, rtl: bool | None = None) -> SafeString:
    """For each group (e.g. a site type), one thin bar per series (e.g. surveyed, worked on, closed), with a legend.

    Groups whose values are all zero are left out; with none left the chart is `empty_message` instead.
    """
    shown = [(label, values) for label, values in groups if any(values)]
    if not shown:
        return empty(empty_message)
    canvas = _Canvas(rtl)
    y = _legend(canvas, series, 12) + 4
    scale = _scale([v for _l, values in shown for v in values], WIDTH - 60)
    lines = []
    for label, values in shown:
        canvas.text(0, y + 13, label, bold=True)
        y += 18
        for i, value in enumerate(values):
            width = float(value) * scale
            if width:
                canvas.rect(0, y, max(width, 1.5), 10, PALETTE[i % len(PALETTE)])
            canvas.text(width + 4, y + 9, number(value), size=11)
            y += 13
        y += 8
        lines.append(f"{label}: " + ", ".join(f"{s} {number(v)}" for s, v in zip(series, values, strict=True)))
    return canvas.svg(title, f"{unit}. " + "; ".join(lines) if unit else "; ".join(lines), y)


def pyramid(title: str, rows: Sequence[tuple[str, Number, Number]], *, left: str, right: str, empty_message: str,
            rtl: bool | None = None) -> SafeString:
    """A population pyramid: one row per age band (the first row drawn at the bottom), `left` values growing from
    the middle towards the reading start, `right` values towards the end, the band's label in the middle."""
    if not any(a or b for _l, a, b in rows):
        return empty(empty_message)
    canvas = _Canvas(rtl)
    middle = 52  # the label column
    half = (WIDTH - middle) / 2
    scale = _scale([v for _l, a, b in rows for v in (a, b)], half - 44)
    canvas.text(half - 2, 14, left, anchor="end", bold=True)
    canvas.text(half + middle + 2, 14, right, bold=True)
    y = 24.0
    for label, a, b in reversed(rows):
        wa, wb = float(a) * scale, float(b) * scale
        if wa:
            canvas.rect(half - wa, y, wa, 16, PALETTE[0])
        if wb:
            canvas.rect(half + middle, y, wb, 16, PALETTE[1])
        canvas.text(half - wa - 3, y + 12, number(a), anchor="end", size=11)
        canvas.text(half + middle + wb + 3, y + 12, number(b), size=11)
        canvas.text(half + middle / 2, y + 12, label, anchor="middle", size=11)
        y += 20
    description = "; ".join(f"{label}: {left} {number(a)}, {right} {number(b)}" for label, a, b in rows)
    return canvas.svg(title, description, y + 4)


def columns(title: str, rows: Sequence[tuple[str, Number]], *, unit: str = "", empty_message: str,
            rtl: bool | None = None) -> SafeString:
    """A trend: one column per period in reading order (months run right to left in Arabic), with the highest value
    written above its column and the first, last and every few labels under the axis so that they never overlap."""
    if not any(value for _l, value in rows):
        return empty(empty_message)
    canvas = _Canvas(rtl)
    top, plot = 22.0, 110.0
    slot = WIDTH / len(rows)
    scale = _scale([v for _l, v in rows], plot)
    peak = max(range(len(rows)), key=lambda i: rows[i][1])
    every = max(1, -(-len(rows) * 56 // WIDTH))  # a label needs about 56 units
    for i, (label, value) in enumerate(rows):
        height = float(value) * scale
        x = i * slot + slot * 0.15
        if height:
            canvas.rect(x, top + plot - height, max(slot * 0.7, 1), height, PALETTE[0])
        if i == peak:
            anchor = "start" if i == 0 else "end" if i == len(rows) - 1 else "middle"
            at = x if anchor == "start" else x + slot * 0.7 if anchor == "end" else x + slot * 0.35
            canvas.text(at, top + plot - height - 5, _with_unit(value, unit, 0), anchor=anchor, bold=True, size=11)
        if i % every == 0 or i == len(rows) - 1:
            if i == len(rows) - 1 and i % every and i - (i // every) * every < every / 2 and i > 0:
                continue  # too close to the previous label
            anchor = "start" if i == 0 else "end" if i == len(rows) - 1 else "middle"
            at = i * slot + 2 if anchor == "start" else (i + 1) * slot - 2 if anchor == "end" else i * slot + slot / 2
            canvas.text(at, top + plot + 16, label, anchor=anchor, size=11)
    canvas.line(0, top + plot, WIDTH, top + plot)
    description = "; ".join(f"{label}: {_with_unit(value, unit, 0)}" for label, value in rows)
    return canvas.svg(title, description, top + plot + 22)


# The indicators page's charts -----------------------------------------------------------------------------------------


def indicator_charts(figures) -> dict[str, SafeString]:
    """Every chart of the indicators page (surveys.indicators.Indicators), by name, in the current language."""
    from django.utils.dateformat import format as date_format
    from django.utils.translation import gettext as _

    none = _("Nothing for these filters.")
    eore = figures.risk_education
    trend = [(date_format(row.month, formats.get_format("YEAR_MONTH_FORMAT")), row) for row in figures.trend]
    return {
        "sites": grouped_bars(
            _("Sites by type and status"),
            [_("Surveyed"), _("Worked on"), _("Closed and handed over")],
            [(str(row.label), (row.surveyed, row.worked_on, row.closed)) for row in figures.sites],
            unit=_("sites"), empty_message=_("No site surveyed, worked on or closed for these filters."),
        ),
        "land": bars(
            _("Land released (m²)"),
            [(_("Cancelled (non-technical survey)"), figures.land.cancelled_m2),
             (_("Reduced (technical survey)"), figures.land.reduced_m2),
             (_("Cleared"), figures.land.cleared_m2)],
            unit=_("m²"), empty_message=_("No land released for these filters."),
        ),
        "land_by_method": bars(
            _("Land cleared by method (m²)"),
            [(str(row.label), row.cleared_m2) for row in figures.land_by_method],
            unit=_("m²"), empty_message=_("No land cleared for these filters."),
        ),
        "items_quantity": bars(
            _("Explosive items destroyed, by category (count)"),
            [(str(row.label), row.quantity) for row in figures.items],
            empty_message=_("No explosive item destroyed for these filters."),
        ),
        "items_tonnes": bars(
            _("Explosive items destroyed, by category (tonnes)"),
            [(str(row.label), row.tonnes) for row in figures.items],
            unit=_("tonnes"), decimals=3, empty_message=_("No weight recorded for these filters."),
        ),
        "pyramid": pyramid(
            _("People reached by sex and age"),
            [(str(row.label), row.male, row.female) for row in eore.by_age if row.key != "all"],
            left=_("Male"), right=_("Female"), empty_message=_("No one reached for these filters."),
        ),
        "trend_released": columns(
            _("Land released per month (m²)"), [(label, row.released_m2) for label, row in trend],
            unit=_("m²"), empty_message=none,
        ),
        "trend_items": columns(
            _("Explosive items destroyed per month"), [(label, row.items_destroyed) for label, row in trend],
            empty_message=none,
        ),
        "trend_people": columns(
            _("People reached per month"), [(label, row.people_reached) for label, row in trend],
            empty_message=none,
        ),
    }


# A report's outline ---------------------------------------------------------------------------------------------------


def outline(polygon: dict, point: tuple[float, float] | None, *, title: str, description: str) -> SafeString:
    """The drawn outline (GeoJSON Polygon, WGS84) as a small SVG, with the GPS point if there is one: a map without
    tiles or JavaScript, north up. Longitudes are scaled by the cosine of the latitude so that shapes keep their form.
    Maps are not mirrored in Arabic: east stays on the right."""
    import math

    ring = polygon["coordinates"][0]
    points = [(float(lon), float(lat)) for lon, lat, *_rest in ring]
    if point is not None:
        points.append((float(point[1]), float(point[0])))
    lons, lats = zip(*points, strict=True)
    squeeze = math.cos(math.radians(sum(lats) / len(lats)))
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    width_deg, height_deg = max((east - west) * squeeze, 1e-9), max(north - south, 1e-9)
    size, pad = 240.0, 12.0
    scale = (size - 2 * pad) / max(width_deg, height_deg)
    w, h = width_deg * scale + 2 * pad, height_deg * scale + 2 * pad

    def xy(lon: float, lat: float) -> str:
        return f"{_n(pad + (lon - west) * squeeze * scale)},{_n(pad + (north - lat) * scale)}"

    path = " ".join(xy(lon, lat) for lon, lat in points[:len(ring)])
    marker = ""
    if point is not None:
        x, y = xy(point[1], point[0]).split(",")
        marker = format_html('<circle cx="{}" cy="{}" r="5" fill="#0b4f9c" stroke="#fff" stroke-width="2"/>', x, y)
    n = next(_ids)
    return format_html(
        '<svg class="outline-map" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-labelledby="outline{}-title outline{}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="outline{}-title">{}</title><desc id="outline{}-desc">{}</desc>'
        '<rect width="100%" height="100%" fill="#eef2f5"/>'
        '<polygon points="{}" fill="#b35c00" fill-opacity="0.25" stroke="#b35c00" stroke-width="2"/>{}</svg>',
        _n(w), _n(h), _n(w), _n(h), n, n, n, title, n, description, path, marker,
    )

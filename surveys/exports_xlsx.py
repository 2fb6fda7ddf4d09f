"""XLSX exports: each CSV export and the indicators as a spreadsheet, written by XlsxWriter in constant-memory mode.

The workbook is written row by row to a temporary file (constant_memory: each row is flushed as the next begins, so
memory stays flat whatever the number of rows), then streamed from that file, which goes when the response closes.
The first byte leaves once the whole file is written: a zip cannot be streamed before its directory is known. So an
export of more than settings.XLSX_MAX_ROWS records is refused before anything is written, with a message offering the
CSV, which streams (a browser, or a proxy's read timeout, would otherwise wait minutes for a first byte).

The rows, access and donor rounding are the CSV exports' (exports.Plan via exports_typed.TypedPlan). The cells:
- text as string cells, always: nothing a person typed becomes a formula, a number or a link (the writer's string
  conversions are off as well), and Arabic is stored as it is (XLSX is UTF-8 inside);
- numbers as numbers, dates as dates (yyyy-mm-dd), times as UTC date-times;
- the header row in bold and frozen, so it stays in view while scrolling.
"""

import tempfile
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

import xlsxwriter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from surveys import exports
from surveys.exports_typed import TypedPlan

MAX_CELL_CHARS = 32767  # Excel's limit for one cell
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Sheet:
    """One worksheet written top to bottom; cell types decided by the value's Python type."""

    def __init__(self, workbook: xlsxwriter.Workbook, name: str, header: list[str]):
        self.sheet = workbook.add_worksheet(name[:31])
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        bold = workbook.add_format({"bold": True})
        for c, title in enumerate(header):
            self.sheet.write_string(0, c, str(title), bold)
        self.sheet.freeze_panes(1, 0)
        self.row = 1

    def write(self, values: Iterable) -> None:
        sheet, r = self.sheet, self.row
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(r, c, float(value))
            elif isinstance(value, datetime):
                sheet.write_datetime(r, c, value, self.datetime)
            elif isinstance(value, date):
                sheet.write_datetime(r, c, datetime.combine(value, time()), self.date)
            else:
                sheet.write_string(r, c, str(value)[:MAX_CELL_CHARS])
        self.row += 1


def _workbook(target) -> xlsxwriter.Workbook:
    return xlsxwriter.Workbook(target, {
        "constant_memory": True, "in_memory": False, "tmpdir": tempfile.gettempdir(),
        "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
    })


def write_export(target, plan: TypedPlan, records, title: str) -> None:
    """The export's rows into an XLSX file (a path or a binary file object)."""
    workbook = _workbook(target)
    sheet = Sheet(workbook, title, plan.header)
    rows = records.values_list(*plan.lookups).iterator(chunk_size=exports.CHUNK_SIZE)
    chunk: list[tuple] = []
    for values in rows:
        chunk.append(values)
        if len(chunk) == exports.CHUNK_SIZE:
            _write_chunk(sheet, plan, chunk)
            chunk = []
    _write_chunk(sheet, plan, chunk)
    workbook.close()


def _write_chunk(sheet: Sheet, plan: TypedPlan, chunk: list[tuple]) -> None:
    if chunk:
        plan.prepare(chunk)
        for values in chunk:
            sheet.write(plan.row(values))


def write_table(target, rows: Iterable[Iterable], title: str) -> None:
    """A small table (the indicators): its first row is the header."""
    workbook = _workbook(target)
    rows = iter(rows)
    sheet = Sheet(workbook, title, [str(v) for v in next(rows)])
    for row in rows:
        sheet.write(str(v) if not isinstance(v, int | float | Decimal | date | type(None)) else v for v in row)
    workbook.close()


def xlsx_response(write, name: str) -> FileResponse:
    """Write the workbook into a temporary file, then stream that file (removed when the response is closed)."""
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (the response closes it, once sent)
    write(spool)
    spool.seek(0)
    response = FileResponse(spool, content_type=CONTENT_TYPE, as_attachment=True,
                            filename=f"{name}-{timezone.localdate().isoformat()}.xlsx")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def check_size(records) -> None:
    """Raises ValidationError when the export holds more records than an XLSX download may (counted no further)."""
    limit = settings.XLSX_MAX_ROWS
    if records.order_by()[:limit + 1].count() > limit:
        raise ValidationError(
            _("This export holds more than %(limit)s records: too many for an XLSX file. Narrow the period or the "
              "filters, or download it as CSV, which has no limit and opens in Excel."),
            code="too_many_rows", params={"limit": f"{limit:,}"})


def export_response(export: exports.Export, user, records, options: exports.Options, request=None) -> FileResponse:
    """The XLSX download; ValidationError (before anything is written) when check_size() refuses it."""
    check_size(records)
    plan = TypedPlan(export, user, options, request)
    return xlsx_response(lambda target: write_export(target, plan, records, export.slug), export.slug)


def _selected_response(export: exports.Export, user, records, options: exports.Options, request):
    try:
        return export_response(export, user, records, options, request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None  # back to the list, with the message


export_selected_xlsx = exports.export_action(_selected_response, "export_selected_xlsx",
                                             _("Export selected reports as XLSX"))

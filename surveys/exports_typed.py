"""Export cells as values rather than CSV text, for the formats that carry types (XLSX, GeoJSON).

The columns, rows, access and donor rounding are the CSV exports' own (surveys/exports.py: EXPORTS, Plan); only the
cells differ: text as it was typed (the format itself keeps it from being read as a formula: XLSX writes it as a
string cell, GeoJSON as a JSON string), dates as dates and times as UTC datetimes. Every other kind of cell (choices,
coordinates as access.location_rule gives them, yes/no, photo links) is the CSV's.
"""

from collections.abc import Callable
from datetime import UTC

from surveys.exports import Column, Plan


class TypedPlan(Plan):
    def _cell(self, column: Column) -> Callable[[tuple], object]:
        at = [self.lookups.index(lookup) for lookup in column.lookups]
        i = at[0]
        if column.kind == "text":
            return lambda v: None if v[i] is None else str(v[i])
        if column.kind == "date":
            return lambda v: v[i]
        if column.kind == "datetime":  # spreadsheets have no time zones: UTC, as the column says
            return lambda v: v[i].astimezone(UTC).replace(tzinfo=None) if v[i] else None
        if column.kind == "area_name":
            return lambda v: (self.arabic and v[at[1]]) or v[at[0]]
        if column.kind == "governorate":
            pairs = [(at[4], at[5]), (at[2], at[3]), (at[0], at[1])]
            return lambda v: next(((self.arabic and v[ar]) or v[en] for en, ar in pairs if v[en]), None)
        return super()._cell(column)


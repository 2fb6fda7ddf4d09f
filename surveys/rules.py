"""The rules a report must meet, declared once per report type, as data: the server enforces them (models' clean(),
the form and the API through surveys.capture) and the phone gets them as JSON (as_json) and checks them offline with
the same messages. A rule added here reaches every door and the phone; the parity test fails if the phone's checker
does not know a rule's kind.

The interface (see RULES_INTERFACE.md) — changes and precisions made here, keep the phone's checker in step:

- `check(report_type, data, *, items=None, context=None) -> {path: [message, ...]}` returns ALL errors at once. Paths
  are a field name, `items.<i>.<field>` for an item line, or `__all__`. Values may be typed (int, float, Decimal,
  date) or strings as a form posts them: strings are normalised (normalise_digits) and parsed by the `number` and
  `date` rules themselves, so an unparseable value gets that rule's `invalid_message`. `items` may hold None for a
  blank or deleted line: it keeps its index and is not checked.
- Empty means None, "" (after stripping spaces) or a missing key; only `required`/`required_if` report an empty
  value, every other rule skips it.
- `required` may carry `"unless_field"`: not required when that other field is filled (a survey's site name, which
  the server copies from the chosen site).
- `number`: a value with a fraction where `integer` is true, "nan"/"inf", a value beyond a double (1e999), a comma
  ("1,5": ambiguous), or anything unparseable gets `invalid_message`; a number outside min..max gets `message`.
  Digits are normalised first (Arabic-Indic, Persian, ٫ as the decimal point, U+2212 as minus, thousands separators
  ٬ and spaces dropped).
- `date`: an ISO date (YYYY-MM-DD); before `min` or (with `not_future`) after today gets `message`.
- `gte_field`/`lte_field`: skipped when either side is empty or does not parse.
- `sum_equals`: skipped when the field itself is empty (the server then sets it to the sum) or any part does not
  parse; empty parts count as 0.
- `coordinate`: only "both or neither"; the error goes under whichever of `lat_field`/`lon_field` is empty. The
  ranges of latitude and longitude are `number` rules of their own.
- `choice`: for a list value (contamination types) every element must be one of the choices.
- `outline`: one message whatever the failure; the value is a GeoJSON Polygon object (or its JSON text). Besides
  the interface's checks: at most `max_points` positions in all, and only the "Polygon" type (a Feature is refused).

Bounds (`AREA_MAX_M2` ...) are named constants here because the database's CheckConstraints, the last line of
defence, are built from them too.
"""

import contextlib
import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import import_module
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from surveys import geo

# Plausible upper bounds. A stored sum (a site's released area, the figures shown to donors) stays far inside a 64-bit
# integer even over thousands of reports.
AREA_MAX_M2 = 100_000_000  # 100 km²: larger than any single hazard area or clearance task
DEPTH_MAX_CM = 1000
GPS_ACCURACY_MAX_M = 10_000
PHOTOS_EXPECTED_MAX = 50
PEOPLE_MAX = 100_000  # per count of a risk-education session
BENEFICIARIES_MAX = 10_000_000
MATERIALS_MAX = 1_000_000
ITEM_QUANTITY_MAX = 100_000
ITEM_WEIGHT_MAX_KG = 100_000
ITEMS_MAX = 200  # item lines on one clearance report
NOTES_MAX_CHARS = 5000
NAME_MAX_CHARS = 200
OUTLINE_MAX_POINTS = 2000
DATE_MIN = date(1990, 1, 1)

REPORT_TYPES = ("survey", "clearance", "eore")


@dataclass(frozen=True)
class Rule:
    """One rule: `kind` says how to check `field`; `params` holds the kind's own keys of the JSON (see the docstring)."""

    id: str
    kind: str
    field: str
    message: Any  # a lazy translation
    scope: str = "report"
    params: dict = field(default_factory=dict)
    invalid_message: Any = None

    def as_dict(self) -> dict:
        data = {"id": self.id, "kind": self.kind, "field": self.field, "scope": self.scope, "message": str(self.message)}
        for key, value in self.params.items():
            if key == "choices":
                value = _choices(value)
            elif isinstance(value, date):
                value = value.isoformat()
            data[key] = value
        if self.invalid_message is not None:
            data["invalid_message"] = str(self.invalid_message)
        return data


def _choices(value) -> list[str]:
    """Choices are named by their TextChoices class in surveys.models.choices (looked up late: no import cycle)."""
    if isinstance(value, str):
        return list(getattr(import_module("surveys.models.choices"), value).values)
    return list(value)


# Declaring rules ------------------------------------------------------------------------------------------------------

REQUIRED = _("This field is required.")
WHOLE_NUMBER = _("Enter a whole number.")
NUMBER = _("Enter a number.")
CHOOSE = _("Choose one of the options.")
DATE_INVALID = _("Enter a valid date.")


def _fmt(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def required(prefix: str, name: str, message=REQUIRED, *, scope: str = "report", unless: str | None = None) -> Rule:
    params = {"unless_field": unless} if unless else {}
    return Rule(f"{prefix}.{name}.required", "required", name, message, scope, params)


def required_if(prefix: str, name: str, if_field: str, values: list[str], message) -> Rule:
    return Rule(f"{prefix}.{name}.required_if", "required_if", name, message, "report",
                {"if_field": if_field, "in": values})


def number(prefix: str, name: str, low, high, *, integer: bool = True, scope: str = "report", message=None) -> Rule:
    if message is None:
        template = (_("Enter a whole number from %(min)s to %(max)s.") if integer
                    else _("Enter a number from %(min)s to %(max)s."))
        message = _Formatted(template, {"min": _fmt(low), "max": _fmt(high)})
    return Rule(f"{prefix}.{name}.range", "number", name, message, scope,
                {"min": low, "max": high, "integer": integer}, WHOLE_NUMBER if integer else NUMBER)


def max_length(prefix: str, name: str, limit: int, *, scope: str = "report") -> Rule:
    message = _Formatted(_("Write at most %(max)s characters."), {"max": _fmt(limit)})
    return Rule(f"{prefix}.{name}.max_length", "max_length", name, message, scope, {"max": limit})


def date_rule(prefix: str, name: str) -> Rule:
    message = _Formatted(_("Enter a date from %(min)s to today, not in the future."), {"min": DATE_MIN.isoformat()})
    return Rule(f"{prefix}.{name}.date", "date", name, message, "report",
                {"min": DATE_MIN, "not_future": True}, DATE_INVALID)


def compare(prefix: str, name: str, kind: str, other: str, message) -> Rule:
    suffix = {"gte_field": "gte", "lte_field": "lte"}[kind]
    return Rule(f"{prefix}.{name}.{suffix}_{other}", kind, name, message, "report", {"other": other})


def choice(prefix: str, name: str, choices: str, message=CHOOSE, *, scope: str = "report") -> Rule:
    return Rule(f"{prefix}.{name}.choice", "choice", name, message, scope, {"choices": choices})


class _Formatted:
    """A lazy translation with %-parameters, formatted in the language active when it is read."""

    def __init__(self, template, params: dict):
        self.template, self.params = template, params

    def __str__(self) -> str:
        return str(self.template) % self.params


@cache
def declaration() -> dict[str, tuple[Rule, ...]]:
    """Every rule, by report type: the shared report rules first, then the type's own, then its item lines'."""
    from surveys.models.choices import PARTICIPANT_FIELDS

    common = (
        required("report", "activity_date"),
        date_rule("report", "activity_date"),
        max_length("report", "place_name", NAME_MAX_CHARS),
        number("report", "latitude", -90, 90, integer=False,
               message=_("Latitude must be between -90 and 90 degrees.")),
        number("report", "longitude", -180, 180, integer=False,
               message=_("Longitude must be between -180 and 180 degrees.")),
        Rule("report.location.coordinate", "coordinate", "latitude",
             _("Enter both latitude and longitude, or neither."), "report",
             {"lat_field": "latitude", "lon_field": "longitude"}),
        number("report", "gps_accuracy_m", 0, GPS_ACCURACY_MAX_M, integer=False),
        Rule("report.polygon.outline", "outline", "polygon", geo.OUTLINE_MESSAGE, "report",
             {"max_points": OUTLINE_MAX_POINTS}),
        max_length("report", "notes", NOTES_MAX_CHARS),
        number("report", "photos_expected", 0, PHOTOS_EXPECTED_MAX),
    )
    survey = (
        choice("survey", "survey_type", "SurveyType"),
        required("survey", "site_name", _("Enter the name of the new site, or pick an existing site."),
                 unless="site"),
        max_length("survey", "site_name", NAME_MAX_CHARS),
        required("survey", "site_type"),
        choice("survey", "site_type", "SiteType"),
        choice("survey", "priority", "Priority"),
        required("survey", "classification"),
        choice("survey", "classification", "Classification"),
        required("survey", "evidence"),
        choice("survey", "evidence", "Evidence"),
        choice("survey", "contamination", "EOCategory", _("Choose contamination types from the list.")),
        required("survey", "estimated_area_m2"),
        number("survey", "estimated_area_m2", 0, AREA_MAX_M2),
        choice("survey", "blockage", "Blockage"),
        number("survey", "expected_beneficiaries", 0, BENEFICIARIES_MAX),
    )
    clearance = (
        required("clearance", "site"),
        choice("clearance", "stage", "ClearanceKind"),
        required("clearance", "method"),
        choice("clearance", "method", "ClearanceMethod"),
        required("clearance", "start_date"),
        date_rule("clearance", "start_date"),
        required("clearance", "end_date"),
        date_rule("clearance", "end_date"),
        compare("clearance", "end_date", "gte_field", "start_date", _("The end date is before the start date.")),
        compare("clearance", "activity_date", "gte_field", "start_date",
                _("The date of the report cannot be before the work started.")),
        *(number("clearance", name, 0, AREA_MAX_M2)
          for name in ("cancelled_area_m2", "reduced_area_m2", "cleared_area_m2")),
        number("clearance", "depth_cm", 0, DEPTH_MAX_CM),
        required_if("clearance", "handover_date", "stage", ["completion"],
                    _("A completion report needs the date the land was handed over.")),
        date_rule("clearance", "handover_date"),
        compare("clearance", "handover_date", "gte_field", "start_date",
                _("The handover cannot be before the work started.")),
        required_if("clearance", "handed_over_to", "stage", ["completion"],
                    _("A completion report needs who received the land.")),
        max_length("clearance", "handed_over_to", NAME_MAX_CHARS),
        max_length("clearance", "handover_notes", NOTES_MAX_CHARS),
        required("item", "category", scope="item"),
        choice("item", "category", "EOCategory", scope="item"),
        required("item", "quantity", scope="item"),
        number("item", "quantity", 1, ITEM_QUANTITY_MAX, scope="item"),
        required("item", "weight_kg", scope="item"),
        number("item", "weight_kg", 0, ITEM_WEIGHT_MAX_KG, integer=False, scope="item"),
        required("item", "disposal", scope="item"),
        choice("item", "disposal", "Disposal", scope="item"),
    )
    eore = (
        required("eore", "place_type"),
        choice("eore", "place_type", "PlaceType"),
        required("eore", "delivery_method"),
        choice("eore", "delivery_method", "DeliveryMethod"),
        *(number("eore", name, 0, PEOPLE_MAX) for name in PARTICIPANT_FIELDS),
        number("eore", "total_participants", 0, PEOPLE_MAX * len(PARTICIPANT_FIELDS)),
        Rule("eore.total_participants.sum", "sum_equals", "total_participants",
             _("The total is not the sum of the people counted by sex and age."), "report",
             {"fields": list(PARTICIPANT_FIELDS)}),
        number("eore", "persons_with_disabilities", 0, PEOPLE_MAX * len(PARTICIPANT_FIELDS)),
        compare("eore", "persons_with_disabilities", "lte_field", "total_participants",
                _("Persons with disabilities cannot be more than the total.")),
        number("eore", "first_time_attendees", 0, PEOPLE_MAX * len(PARTICIPANT_FIELDS)),
        compare("eore", "first_time_attendees", "lte_field", "total_participants",
                _("First-time attendees cannot be more than the total.")),
        number("eore", "posters_qty", 0, MATERIALS_MAX),
        number("eore", "brochures_qty", 0, MATERIALS_MAX),
        max_length("eore", "other_materials", NAME_MAX_CHARS),
    )
    return {"survey": common + survey, "clearance": common + clearance, "eore": common + eore}


def rules_for(report_type: str, scope: str | None = None) -> tuple[Rule, ...]:
    found = declaration()[report_type]
    return tuple(r for r in found if scope is None or r.scope == scope)


def fields(report_type: str, scope: str = "report") -> set[str]:
    """The fields the rule set checks (the models leave these to it rather than to their own field validators)."""
    names = set()
    for rule in rules_for(report_type, scope):
        names.add(rule.field)
        if rule.kind == "coordinate":
            names.update((rule.params["lat_field"], rule.params["lon_field"]))
    return names


def number_rule(report_type: str, name: str, scope: str = "report") -> Rule | None:
    return next((r for r in rules_for(report_type, scope) if r.kind == "number" and r.field == name), None)


def count() -> int:
    """How many distinct rules the set holds (the shared report rules counted once)."""
    return len({rule.id for rules in declaration().values() for rule in rules})


# Normalising what a phone typed ---------------------------------------------------------------------------------------

# Arabic-Indic and Persian digits to Latin, the Arabic decimal separator and the minus sign (U+2212) to ASCII;
# thousands separators (Arabic, spaces) dropped.
_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫−",
    "01234567890123456789.-",
    "٬\u00a0\u202f\u2009 ",
)


def normalise_digits(value):
    """Latin digits for whatever digits the phone's keyboard typed (strings only; other values as they are)."""
    if isinstance(value, str):
        return value.translate(_DIGITS)
    return value


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class Invalid(ValueError):
    """A value that does not parse."""


def parse_number(value, *, integer: bool):
    """int (integer) or Decimal from a typed or string value; None when empty; Invalid when not a (whole) number."""
    if _empty(value):
        return None
    if isinstance(value, bool):
        raise Invalid(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Invalid(value)
        value = Decimal(repr(value))
    elif isinstance(value, str):
        text = normalise_digits(value).strip()
        if len(text) > 64 or not _NUMBER.fullmatch(text):
            raise Invalid(value)
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise Invalid(value) from exc
    elif isinstance(value, int):
        value = Decimal(value)
    elif not isinstance(value, Decimal):
        raise Invalid(value)
    if not value.is_finite() or not math.isfinite(float(value)):  # beyond a double (1e999): as the phone reads it
        raise Invalid(value)
    if integer:
        if value != value.to_integral_value():
            raise Invalid(value)
        return int(value)
    return value


def parse_date(value) -> date | None:
    if _empty(value):
        return None
    if isinstance(value, date):
        return value.date() if hasattr(value, "date") and callable(value.date) else value
    if isinstance(value, str):
        text = normalise_digits(value).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
    raise Invalid(value)


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


# Checking -------------------------------------------------------------------------------------------------------------


def check(report_type: str, data: dict, *, items: list[dict | None] | None = None, context: dict | None = None
          ) -> dict[str, list[str]]:
    """All errors of a report: {path: [messages]} (empty when it meets every rule). See the module docstring."""
    today = (context or {}).get("today") or timezone.localdate()
    errors: dict[str, list[str]] = {}
    for rule in rules_for(report_type, "report"):
        _apply(rule, data, "", today, errors)
    for index, line in enumerate(items or []):
        if line is None:
            continue
        for rule in rules_for(report_type, "item"):
            _apply(rule, line, f"items.{index}.", today, errors)
    return errors


def check_item(report_type: str, line: dict, *, context: dict | None = None) -> dict[str, list[str]]:
    """The errors of one item line, keyed by its field names."""
    today = (context or {}).get("today") or timezone.localdate()
    errors: dict[str, list[str]] = {}
    for rule in rules_for(report_type, "item"):
        _apply(rule, line, "", today, errors)
    return errors


def _add(errors: dict, path: str, message) -> None:
    text = str(message)
    messages = errors.setdefault(path, [])
    if text not in messages:
        messages.append(text)


def _value(rule: Rule, data: dict, name: str | None = None):
    """A field's value parsed as its own number or date rule would; _BAD when it does not parse."""
    name = name or rule.field
    value = data.get(name)
    try:
        return _typed(value, _parser_of(rule, name))
    except Invalid:
        return _BAD


_BAD = object()


def _parser_of(rule: Rule, name: str) -> Callable | None:
    """How to read `name` for comparisons: by the number or date rule declared on it, if any."""
    for other in _rules_by_field().get((rule.scope, name), ()):
        if other.kind == "number":
            return lambda v, integer=other.params["integer"]: parse_number(v, integer=integer)
        if other.kind == "date":
            return parse_date
    return None


@cache
def _rules_by_field() -> dict[tuple[str, str], tuple[Rule, ...]]:
    found: dict[tuple[str, str], list[Rule]] = {}
    for rules in declaration().values():
        for rule in rules:
            found.setdefault((rule.scope, rule.field), [])
            if rule not in found[(rule.scope, rule.field)]:
                found[(rule.scope, rule.field)].append(rule)
    return {key: tuple(value) for key, value in found.items()}


def _typed(value, parser: Callable | None):
    if _empty(value):
        return None
    return parser(value) if parser else value


def _apply(rule: Rule, data: dict, prefix: str, today: date, errors: dict) -> None:
    path = prefix + rule.field
    value = data.get(rule.field)
    kind, p = rule.kind, rule.params
    if kind == "coordinate":
        _apply_coordinate(rule, data, prefix, errors)
    elif kind == "required":
        unless = p.get("unless_field")
        if _empty(value) and not (unless and not _empty(data.get(unless))):
            _add(errors, path, rule.message)
    elif kind == "required_if":
        if _empty(value) and data.get(p["if_field"]) in p["in"]:
            _add(errors, path, rule.message)
    elif _empty(value):
        return
    elif kind == "number":
        try:
            number_value = parse_number(value, integer=p["integer"])
        except Invalid:
            _add(errors, path, rule.invalid_message)
            return
        if not p["min"] <= number_value <= p["max"]:
            _add(errors, path, rule.message)
    elif kind == "date":
        try:
            day = parse_date(value)
        except Invalid:
            _add(errors, path, rule.invalid_message)
            return
        if day < p["min"] or (p.get("not_future") and day > today):
            _add(errors, path, rule.message)
    elif kind == "max_length":
        if len(str(value)) > p["max"]:
            _add(errors, path, rule.message)
    elif kind == "choice":
        allowed = set(_choices(p["choices"]))
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) and v in allowed for v in values):
            _add(errors, path, rule.message)
    elif kind in ("gte_field", "lte_field"):
        mine, other = _value(rule, data), _value(rule, data, p["other"])
        if mine is None or other is None or _BAD in (mine, other):
            return
        if (kind == "gte_field" and mine < other) or (kind == "lte_field" and mine > other):
            _add(errors, path, rule.message)
    elif kind == "sum_equals":
        total = _value(rule, data)
        parts = [_value(rule, data, name) for name in p["fields"]]
        if total is _BAD or _BAD in parts:
            return
        if total != sum(part or 0 for part in parts):
            _add(errors, path, rule.message)
    elif kind == "outline":
        if outline_problem(value, max_points=p["max_points"]):
            _add(errors, path, rule.message)
    else:  # pragma: no cover - a kind declared without its check is a programming error
        raise ValueError(f"Unknown rule kind {kind}")


def _apply_coordinate(rule: Rule, data: dict, prefix: str, errors: dict) -> None:
    lat, lon = data.get(rule.params["lat_field"]), data.get(rule.params["lon_field"])
    if _empty(lat) != _empty(lon):
        missing = rule.params["lat_field"] if _empty(lat) else rule.params["lon_field"]
        _add(errors, prefix + missing, rule.message)


def outline_problem(value, *, max_points: int = OUTLINE_MAX_POINTS) -> str | None:
    """Why an outline is not a valid area (a short code), or None. The value is a GeoJSON Polygon or its JSON text."""
    if isinstance(value, str):
        try:
            value = safe_json_loads(value)
        except ValueError:
            return "json"
    return geo.outline_problem(value, max_points=max_points)


# JSON that cannot exhaust the server ---------------------------------------------------------------------------------

JSON_MAX_DEPTH = 32
JSON_MAX_BYTES = 2_000_000


def safe_json_loads(text: str | bytes, *, max_depth: int = JSON_MAX_DEPTH, max_bytes: int = JSON_MAX_BYTES):
    """json.loads with a size limit and a nesting limit checked BEFORE parsing (the standard parser recurses once per
    level and raises RecursionError on deep input). Raises ValueError with a short reason."""
    if isinstance(text, bytes | bytearray):
        if len(text) > max_bytes:
            raise ValueError("too large")
        text = bytes(text).decode("utf-8")
    if len(text) > max_bytes:
        raise ValueError("too large")
    if _nesting(text) > max_depth:
        raise ValueError("nested too deeply")
    return json.loads(text)


def _nesting(text: str) -> int:
    """The deepest bracket nesting of a JSON text, ignoring brackets inside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


# Raw input, as the phone posts it --------------------------------------------------------------------------------------


def check_raw(report_type: str, raw: dict, items: Iterable[dict | None] | None = None, *,
              context: dict | None = None) -> dict[str, list[str]]:
    """Run a form-like dict of strings (as a phone posts it) through the normalisation and checks the capture service
    uses: digits normalised, the EORE total derived from the grid when left empty, then check()."""
    data = prepare(report_type, raw)
    lines = None if items is None else [None if line is None else prepare_item(report_type, line) for line in items]
    return check(report_type, data, items=lines, context=context)


def prepare(report_type: str, raw: dict, scope: str = "report") -> dict:
    """Values typed by their own number or date rule where they parse (digits normalised; an empty string becomes
    None), everything else as sent; then the defaults derived from other fields that need no database: the EORE
    total from the grid when left empty. A value that does not parse is kept as sent, for its rule to report."""
    data = dict(raw)
    for name, value in raw.items():
        parser = _parser_for(report_type, scope, name)
        if isinstance(value, str) and not value.strip():
            data[name] = None
        elif parser is not None:
            with contextlib.suppress(Invalid):  # kept as sent: its rule reports it
                data[name] = parser(value)
    if scope == "report" and report_type == "eore" and _empty(data.get("total_participants")):
        parts = [data.get(name) for name in _sum_rule().params["fields"]]
        if all(part is None or (isinstance(part, int) and not isinstance(part, bool)) for part in parts):
            data["total_participants"] = sum(part or 0 for part in parts)
    return data


def prepare_item(report_type: str, raw: dict) -> dict:
    return prepare(report_type, raw, scope="item")


def _parser_for(report_type: str, scope: str, name: str) -> Callable | None:
    for rule in rules_for(report_type, scope):
        if rule.field == name and rule.kind in ("number", "date"):
            return _parser_of(rule, name)
    return None


def _sum_rule() -> Rule:
    return next(r for r in rules_for("eore") if r.kind == "sum_equals")


# The rule set for the phone -------------------------------------------------------------------------------------------


def as_json(report_type: str | None = None) -> dict:
    """The rule set as the phone gets it, messages in the active language (see RULES_INTERFACE.md)."""
    types = [report_type] if report_type else list(REPORT_TYPES)
    return {
        "version": version(),
        "types": {name: {"rules": [rule.as_dict() for rule in rules_for(name)]} for name in types},
    }


@cache
def version() -> str:
    """A hash of the declaration (English messages), so a phone can tell its cached copy is stale."""
    with translation.override("en"):
        body = {name: [rule.as_dict() for rule in rules_for(name)] for name in REPORT_TYPES}
    return "sha256-" + hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:32]

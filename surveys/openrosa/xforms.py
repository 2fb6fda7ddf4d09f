"""The three report forms as XForms, generated from the one rule set (surveys.rules) and the models' labels and
choices, through pyxform: an XLSForm-shaped dict is built here and pyxform turns it into the XForm.

How each rule kind becomes XForm (the server checks every rule again on submission, whatever the form said):
- required → `required`, with the rule's message as `jr:requiredMsg`; required with `unless_field` and required_if →
  `relevant` (asked only when it applies) and `required`;
- number, max_length, date, gte_field, lte_field → one `constraint` per field (the field's rules joined by `and`);
  a field with one such rule shows that rule's message as `jr:constraintMsg`; a field with several shows the
  messages of the rules it breaks, worked out by hidden `calculate`s (one per language: a message cannot hold an
  expression, but it can show a calculated value);
- sum_equals → the total is a `calculate` of its parts (the EORE grid's total), so it cannot disagree;
- choice → the question's own list; coordinate → a geopoint (both or neither by construction);
- outline → a geoshape, converted to a GeoJSON Polygon on the server, where the outline rule is checked.
Every message is in English and Arabic (itext translations), taken from the rule set in each language.

A form's version is a hash of the rule set's version and the form itself: a rule changed on the server gives every
form a new version, so Collect downloads it again.
"""

import hashlib
import json
from functools import cache

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from pyxform.xls2xform import convert

from surveys import rules
from surveys.models import ClearanceReport, EoreSession, ExplosiveItem, SurveyReport
from surveys.models.choices import PARTICIPANT_FIELDS, EOCategory

LANGUAGES = {"en": "English (en)", "ar": "Arabic (ar)"}
FORM_IDS = {"survey": "fieldapp_survey", "clearance": "fieldapp_clearance", "eore": "fieldapp_eore"}
KINDS = {form_id: kind for kind, form_id in FORM_IDS.items()}
MODELS = {"survey": SurveyReport, "clearance": ClearanceReport, "eore": EoreSession}
# The pick lists sent as media files with each form (see surveys.openrosa.media).
MEDIA = {"sites.csv", "admin_areas.csv", "grants.csv"}

# The questions of each form, in the order the web form asks them. `location` (a geopoint) stands for latitude,
# longitude and GPS accuracy; `polygon` is a geoshape; `photos` a repeat of photos with captions.
COMMON = ["activity_date", "project", "admin_area", "place_name", "location", "polygon"]
QUESTIONS = {
    "survey": [*COMMON, "survey_type", "site", "site_name", "site_type", "priority", "classification", "evidence",
               "contamination", "estimated_area_m2", "blockage", "expected_beneficiaries"],
    "clearance": [*COMMON, "site", "stage", "method", "start_date", "end_date", "cancelled_area_m2",
                  "reduced_area_m2", "cleared_area_m2", "depth_cm", "handover_date", "handed_over_to",
                  "handover_notes", "items"],
    "eore": [*COMMON, "place_type", "delivery_method", *PARTICIPANT_FIELDS, "total_participants",
             "persons_with_disabilities", "first_time_attendees", "posters_qty", "brochures_qty", "other_materials"],
}
TAIL = ["notes", "photos"]
ITEM_QUESTIONS = ["category", "quantity", "weight_kg", "disposal"]
PICK_LISTS = {"site": "sites.csv", "admin_area": "admin_areas.csv", "project": "grants.csv"}
# What the server reads from a submission into latitude, longitude and gps_accuracy_m (see submissions.py).
POINT_FIELDS = ("latitude", "longitude", "gps_accuracy_m")
CONSTRAINT_KINDS = ("number", "max_length", "date", "gte_field", "lte_field")


def _in_languages(text_of) -> dict[str, str]:
    """{"label::English (en)": …, "label::Arabic (ar)": …} style values: `text_of()` read in each language."""
    found = {}
    for code, name in LANGUAGES.items():
        with translation.override(code):
            found[name] = str(text_of())
    return found


def _columns(column: str, text_of) -> dict[str, str]:
    return {f"{column}::{lang}": text for lang, text in _in_languages(text_of).items()}


def _label(model: type[models.Model], name: str) -> dict[str, str]:
    labels = {
        "location": lambda: _("GPS location"),
        "polygon": lambda: _("Outline of the area (optional)"),
        "notes": lambda: _("Notes"),
        "photos": lambda: _("Photos"),
        "photo": lambda: _("Photo"),
        "caption": lambda: _("Caption"),
        "items": lambda: _("Explosive items found"),
        "admin_area": lambda: _("Administrative area"),
        "items_found": lambda: _("Were explosive items found?"),
    }
    if name in labels:
        return _columns("label", labels[name])
    field = model._meta.get_field(name)
    return _columns("label", lambda: str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:])


def _xpath_value(value) -> str:
    if isinstance(value, str):
        return f"date('{value}')" if len(value) == 10 and value[4] == "-" else f"'{value}'"
    return repr(value) if not isinstance(value, bool) else ("true()" if value else "false()")


def _condition(rule: dict, subject: str = ".") -> str:
    """The XPath of one rule on `subject` (the answer itself by default), true when the answer meets it."""
    kind = rule["kind"]
    if kind == "number":
        return f"{subject} >= {rule['min']} and {subject} <= {rule['max']}"
    if kind == "max_length":
        return f"string-length({subject}) <= {rule['max']}"
    if kind == "date":
        parts = [f"{subject} >= date('{rule['min']}')"]
        if rule.get("not_future"):
            parts.append(f"{subject} <= today()")
        return " and ".join(parts)
    other = "${" + rule["other"] + "}"
    op = ">=" if kind == "gte_field" else "<="
    return f"({other} = '' or {subject} {op} {other})"


def _relevant(rule: dict) -> str:
    if rule["kind"] == "required_if":
        return " or ".join(f"${{{rule['if_field']}}} = '{value}'" for value in rule["in"])
    return f"${{{rule['unless_field']}}} = ''"


def _rules_json(kind: str) -> dict[str, list[dict]]:
    """The rule set's JSON of one report type in each language: {lang: [rule, …]} (same order in both)."""
    found = {}
    for code in LANGUAGES:
        with translation.override(code):
            found[code] = rules.as_json(kind)["types"][kind]["rules"]
    return found


def _question(kind: str, model, name: str, by_field: dict, scope: str = "report") -> list[dict]:
    """The XLSForm rows of one question: the question, and hidden calculates for messages where needed."""
    if name == "location":
        return [{"type": "geopoint", "name": "location", **_label(model, name),
                 **_columns("hint", lambda: _("Stand at the site and wait for a good accuracy."))}]
    if name == "polygon":
        return [{"type": "geoshape", "name": "polygon", **_label(model, name)}]
    if name == "photos":
        return [
            {"type": "begin_repeat", "name": "photos", **_label(model, "photos")},
            {"type": "image", "name": "photo", **_label(model, "photo"), "parameters": "max-pixels=1600"},
            {"type": "text", "name": "caption", **_label(model, "caption")},
            {"type": "end_repeat"},
        ]
    if name == "items":
        # Asked first, so a report without items does not open on an empty item line whose answers are required.
        rows = [{"type": "select_one yes_no", "name": "items_found", "required": "yes", **_label(model, "items_found")},
                {"type": "begin_repeat", "name": "items", "relevant": "${items_found} = 'yes'",
                 **_label(model, "items")}]
        for item in ITEM_QUESTIONS:
            rows += _question(kind, ExplosiveItem, item, by_field, scope="item")
        return [*rows, {"type": "end_repeat"}]
    field = model._meta.get_field(name)
    row: dict = {"name": name, **_label(model, name)}
    if name in PICK_LISTS:
        row["type"] = f"select_one_from_file {PICK_LISTS[name]}"
        row["appearance"] = "minimal autocomplete"
    elif name == "contamination":
        row["type"] = "select_multiple eo_category"
    elif field.choices:
        row["type"] = f"select_one {name}"
        if field.has_default() and not callable(field.default):
            row["default"] = field.default
    elif isinstance(field, models.DateField):
        row["type"] = "date"
        if name == "activity_date":
            row["default"] = "today()"  # the phone's date, as the web form's script sets it
    elif isinstance(field, (models.IntegerField,)):
        row["type"] = "integer"
    elif isinstance(field, (models.DecimalField, models.FloatField)):
        row["type"] = "decimal"
    elif isinstance(field, models.TextField):
        row["type"], row["appearance"] = "text", "multiline"
    else:
        row["type"] = "text"
    extra = []
    mine = by_field.get((scope, name), {"en": [], "ar": []})
    constraints = [i for i, r in enumerate(mine["en"]) if r["kind"] in CONSTRAINT_KINDS]
    for i, rule in enumerate(mine["en"]):
        if rule["kind"] in ("required", "required_if"):
            row["required"] = "yes"
            row.update({f"required_message::{LANGUAGES[c]}": mine[c][i]["message"] for c in LANGUAGES})
            if rule["kind"] == "required_if" or rule.get("unless_field"):
                row["relevant"] = _relevant(rule)
        elif rule["kind"] == "sum_equals":
            row = {"type": "calculate", "name": name,
                   "calculation": " + ".join(f"coalesce(${{{part}}}, 0)" for part in rule["fields"])}
            shown = {key: f"{text}: ${{{name}}}" for key, text in _label(model, name).items()}
            return [row, {"type": "note", "name": f"{name}_shown", **shown,
                          **_columns("hint", lambda: _("Worked out from the counts above."))}]
    if constraints:
        row["constraint"] = " and ".join(f"({_condition(mine['en'][i])})" for i in constraints)
        if len(constraints) == 1:
            row.update({f"constraint_message::{LANGUAGES[c]}": mine[c][constraints[0]]["message"] for c in LANGUAGES})
        else:
            for code, lang in LANGUAGES.items():
                why = f"{name}_why_{code}"
                subject = f"${{{name}}}"
                parts = [f"if({subject} = '' or ({_condition(mine['en'][i], subject)}), '', "
                         f"'{_escape(mine[code][i]['message'])} ')" for i in constraints]
                extra.append({"type": "calculate", "name": why, "calculation": "concat(" + ", ".join(parts) + ")"})
                row[f"constraint_message::{lang}"] = f"${{{why}}}"
    return [row, *extra]


def _escape(text: str) -> str:
    """A message inside an XPath string literal (single quotes): XPath 1.0 has no escape, so use the typographic one."""
    return text.replace("'", "’")


def _choices(model, names: list[str]) -> list[dict]:
    rows = []
    for name in names:
        if name in PICK_LISTS or name in ("location", "polygon", "photos", "items", "notes"):
            continue
        model_ = ExplosiveItem if name in ITEM_QUESTIONS else model
        field = model_._meta.get_field(name)
        list_name = "eo_category" if name == "contamination" else name
        choices = EOCategory.choices if name == "contamination" else field.choices
        if not choices:
            continue
        for value, label in choices:
            rows.append({"list_name": list_name, "name": value, **_columns("label", lambda label=label: label)})
    return rows


def xlsform(kind: str) -> dict:
    """The XLSForm (as pyxform's dict of sheets) of one report type."""
    model = MODELS[kind]
    by_field: dict[tuple[str, str], dict[str, list[dict]]] = {}
    for code, found in _rules_json(kind).items():
        for rule in found:
            by_field.setdefault((rule["scope"], rule["field"]), {c: [] for c in LANGUAGES})[code].append(rule)
    names = [*QUESTIONS[kind], *TAIL]
    survey = []
    for name in names:
        survey += _question(kind, model, name, by_field)
    choices = _choices(model, [n for n in names if n != "contamination"] + (["contamination"] if kind == "survey"
                                                                            else []))
    if kind == "clearance":
        choices += _choices(ExplosiveItem, ITEM_QUESTIONS)
        choices += [{"list_name": "yes_no", "name": "yes", **_columns("label", lambda: _("Yes"))},
                    {"list_name": "yes_no", "name": "no", **_columns("label", lambda: _("No"))}]
    return {
        "survey": survey,
        "choices": choices,
        "settings": [{"form_title": title(kind), "form_id": FORM_IDS[kind],
                      "default_language": LANGUAGES["en"], "version": "pending"}],
    }


def title(kind: str) -> str:
    """The form's name in Collect's list (English: the form itself offers both languages)."""
    with translation.override("en"):
        name = str(MODELS[kind]._meta.verbose_name)
    return name[:1].upper() + name[1:]


@cache
def _generated(kind: str, rules_version: str) -> tuple[str, str]:
    form = xlsform(kind)
    body = json.dumps(form, sort_keys=True, ensure_ascii=False)
    version = hashlib.sha256(f"{rules_version}\n{body}".encode()).hexdigest()[:16]
    form["settings"][0]["version"] = version
    xml = convert(form, form_name="data").xform
    return xml, version


def xform(kind: str) -> tuple[str, str]:
    """(the XForm's XML, its version) of one report type; cached per version of the rule set."""
    return _generated(kind, rules.version())


def md5(content: str | bytes) -> str:
    data = content.encode() if isinstance(content, str) else content
    return "md5:" + hashlib.md5(data, usedforsecurity=False).hexdigest()

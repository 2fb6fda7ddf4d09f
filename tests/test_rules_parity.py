"""One corpus of bad reports, checked by the server's rule set (surveys.rules.check_raw: the normalisation and rules
both doors run) and by the phone's checker (static/js/rules.js, in Chromium, reading rules.as_json()): both must give
the same errors, as a set of (path, message), in English and in Arabic.

A rule added on the server without the phone knowing it fails here: every rule id of the rule set must be hit by the
corpus (its message at its path), and every kind must be one the phone's checker knows."""

import json
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.utils import translation

from surveys import rules

pytestmark = [pytest.mark.browser]

TODAY = date(2026, 6, 15)
FUTURE = (TODAY + timedelta(days=1)).isoformat()
LONG = "ب" * 201  # Arabic letters: characters, not bytes, are counted on both sides


def square(lon=38.0, lat=36.0, size=0.001):
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


BOWTIE = {"type": "Polygon", "coordinates": [[[38, 36], [38.001, 36.001], [38.001, 36], [38, 36.001], [38, 36]]]}
OUTLINES = [
    json.dumps(BOWTIE),  # crosses itself
    {"type": "Polygon", "coordinates": [square(), square(39.0)]},  # the hole lies outside the shell
    {"type": "Polygon", "coordinates": [square()[:-1]]},  # not closed
    {"type": "Polygon", "coordinates": [[[-170, 0], [170, 0], [170, 10], [-170, 10], [-170, 0]]]},  # wraps the globe
    {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square()]}},  # a Feature, not a Polygon
    {"type": "Polygon", "coordinates": [[[38, 36], [38.1, 36], [38, 36]]]},  # too few corners
    {"type": "Polygon", "coordinates": [[[38, 36], [181, 36], [181, 37], [38, 36]]]},  # not a real coordinate
    {"type": "Polygon", "coordinates": [[[38, 36], ["x", 36], [38, 37], [38, 36]]]},  # not a number
    "{not json",
    "[" * 40 + "]" * 40,  # nested too deeply
    {"type": "Polygon", "coordinates": [[[38, 36]] * 2001]},  # too many corners
    {"type": "Polygon", "coordinates": [[[38, 36], [38.001, 36], [38.002, 36], [38, 36]]]},  # no area at all
]
VALID_OUTLINE = json.dumps({"type": "Polygon", "coordinates": [square(), [[38.0002, 36.0002], [38.0004, 36.0002],
                                                                          [38.0004, 36.0004], [38.0002, 36.0002]]]})

BASE = {
    "survey": {"activity_date": "2026-06-01", "site_name": "Al-Rashid school", "site_type": "school",
               "classification": "sha", "evidence": "direct", "estimated_area_m2": "١٢٠٠", "latitude": "36.1",
               "longitude": "38.2", "polygon": VALID_OUTLINE, "contamination": ["ied"]},
    "clearance": {"activity_date": "2026-06-10", "site": "4", "stage": "progress", "method": "manual",
                  "start_date": "2026-06-01", "end_date": "2026-06-09", "cleared_area_m2": "1200"},
    "eore": {"activity_date": "2026-06-10", "place_type": "school", "delivery_method": "house_to_house",
             "female_5_12": "٤", "male_5_12": "3", "total_participants": "7", "persons_with_disabilities": "1"},
}
ITEM = {"category": "ied", "quantity": "2", "weight_kg": "1.5", "disposal": "destroyed_in_situ"}
PARTICIPANTS = next(r for r in rules.rules_for("eore") if r.kind == "sum_equals").params["fields"]


def case(kind, name, changes=None, items=None, drop=()):
    raw = {k: v for k, v in {**BASE[kind], **(changes or {})}.items() if k not in drop}
    return pytest.param(kind, raw, items, id=f"{kind}-{name}")


COMMON_NUMBERS = {"latitude": "95", "longitude": "−181", "gps_accuracy_m": "1e308", "photos_expected": "2147483648"}
# Valid reports give no error on either side (digits as Arabic phones type them included).
VALID = [
    case("survey", "valid"), case("clearance", "valid", items=[ITEM, None, {**ITEM, "quantity": "٣"}]),
    case("eore", "valid"), case("eore", "total-derived", drop=["total_participants"]),
    case("survey", "site-chosen-instead-of-name", {"site_name": "", "site": "3"}),
]
CORPUS = [
    # Survey.
    case("survey", "all-missing", dict.fromkeys(BASE["survey"], "")),
    case("survey", "bad-choices", {"survey_type": "x", "site_type": "x", "priority": "x", "classification": "x",
                                   "evidence": "x", "contamination": ["ied", "x"], "blockage": "x"}),
    case("survey", "numbers-out-of-range", {**COMMON_NUMBERS, "estimated_area_m2": "4.6e18",
                                            "expected_beneficiaries": "-1"}),
    case("survey", "numbers-unreadable", {"estimated_area_m2": "abc", "latitude": "1,5", "longitude": "nan",
                                          "gps_accuracy_m": "١٢x", "expected_beneficiaries": "1.5",
                                          "photos_expected": "inf"}),
    case("survey", "negative-area-unicode-minus", {"estimated_area_m2": "−1200"}),
    case("survey", "too-long", {"place_name": LONG, "site_name": LONG, "notes": "x" * 5001}),
    case("survey", "future", {"activity_date": FUTURE}),
    case("survey", "before-the-floor", {"activity_date": "0001-01-01"}),
    case("survey", "not-a-date", {"activity_date": "2026-02-30"}),
    case("survey", "latitude-alone", {"longitude": ""}),
    case("survey", "longitude-alone", {"latitude": " "}),
    *(case("survey", f"outline-{i}", {"polygon": outline}) for i, outline in enumerate(OUTLINES)),
    # Clearance.
    case("clearance", "all-missing", dict.fromkeys(BASE["clearance"], "")),
    case("clearance", "completion-without-handover", {"stage": "completion"}),
    case("clearance", "dates-out-of-order", {"end_date": "2026-05-01", "activity_date": "2026-05-02",
                                              "handover_date": "2026-05-03", "stage": "completion",
                                              "handed_over_to": "Mukhtar"}),
    case("clearance", "future-dates", {"start_date": FUTURE, "end_date": FUTURE, "handover_date": FUTURE}),
    case("clearance", "numbers-out-of-range", {**COMMON_NUMBERS, "cancelled_area_m2": "100000001",
                                               "reduced_area_m2": "-1", "cleared_area_m2": "-1200",
                                               "depth_cm": "1001"}),
    case("clearance", "bad-choices-and-lengths", {"stage": "x", "method": "x", "handed_over_to": LONG,
                                                   "handover_notes": "x" * 5001}),
    case("clearance", "item-lines", items=[
        {"category": "", "quantity": "", "weight_kg": "", "disposal": ""},
        None,  # a removed line keeps its index and is not checked
        {"category": "x", "quantity": "-2", "weight_kg": "abc", "disposal": "x"},
        {**ITEM, "quantity": "100001", "weight_kg": "100001"},
        {**ITEM, "quantity": "1.5"},
    ]),
    # Risk education.
    case("eore", "all-missing", dict.fromkeys(BASE["eore"], "")),
    case("eore", "bad-choices-and-length", {"place_type": "x", "delivery_method": "x", "other_materials": LONG}),
    case("eore", "counts-out-of-range", {**dict.fromkeys(PARTICIPANTS, "100001"), "total_participants": "1200013",
                                         "persons_with_disabilities": "1200013", "first_time_attendees": "1200013",
                                         "posters_qty": "1000001", "brochures_qty": "-1"}),
    case("eore", "total-is-not-the-sum", {"total_participants": "8"}),
    case("eore", "more-than-the-total", {"persons_with_disabilities": "8", "first_time_attendees": "٨"}),
    case("eore", "unreadable-part-skips-the-sum", {"male_5_12": "three", "total_participants": "99"}),
]


def server_errors(kind, raw, items) -> set[tuple[str, str]]:
    found = rules.check_raw(kind, raw, items, context={"today": TODAY})
    return {(path, message) for path, messages in found.items() for message in messages}


ORIGIN = "http://phone.test"
STATIC = Path(settings.BASE_DIR) / "static"


def serve_from_source(route):
    """The page and the static modules from the source folder: the checker needs no server, only Chromium."""
    path = urlparse(route.request.url).path
    if path == "/":
        route.fulfill(body="<!doctype html><title>checker</title>", content_type="text/html")
        return
    found = STATIC / path.removeprefix("/static/")
    if path.startswith("/static/") and found.is_file() and STATIC in found.resolve().parents:
        route.fulfill(path=found, content_type="text/javascript" if found.suffix == ".js" else "text/plain")
    else:
        route.fulfill(status=404, body="not found")


@pytest.fixture(scope="module")
def checker(browser):
    """A blank page with the phone's checker imported, and the rule set in each language."""
    page = browser.new_page()
    page.route(f"{ORIGIN}/**", serve_from_source)
    page.goto(f"{ORIGIN}/")
    page.evaluate("async () => { window.checker = await import('/static/js/rules.js'); }")
    sets = {}
    for language in ("en", "ar"):
        with translation.override(language):
            sets[language] = rules.as_json()
    yield page, sets
    page.close()


def phone_errors(checker, language, kind, raw, items) -> set[tuple[str, str]]:
    page, sets = checker
    found = page.evaluate(
        "([set, kind, raw, items, today]) => window.checker.check(set, kind, raw, items, today)",
        [sets[language], kind, raw, items, TODAY.isoformat()],
    )
    return {(path, message) for path, messages in found.items() for message in messages}


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize(("kind", "raw", "items"), CORPUS)
def test_the_phone_and_the_server_find_the_same_errors(checker, language, kind, raw, items):
    with translation.override(language):
        expected = server_errors(kind, raw, items)

    assert expected, "a bad report of the corpus that the server accepts"
    assert phone_errors(checker, language, kind, raw, items) == expected


@pytest.mark.parametrize(("kind", "raw", "items"), VALID)
def test_a_valid_report_passes_on_both_sides(checker, kind, raw, items):
    assert server_errors(kind, raw, items) == set()
    assert phone_errors(checker, "en", kind, raw, items) == set()


def test_every_rule_of_the_rule_set_is_in_the_corpus():
    """A rule added on the server needs its bad report here (and so is checked against the phone)."""
    hit: dict[str, set[tuple[str, str]]] = {}
    for param in CORPUS:
        kind, raw, items = param.values
        with translation.override("en"):
            hit.setdefault(kind, set()).update(server_errors(kind, raw, items))
    covered, unreadable, every = set(), set(), set()
    for kind, body in rules.as_json()["types"].items():
        for rule in body["rules"]:
            every.add(rule["id"])
            fields = [rule["lat_field"], rule["lon_field"]] if rule["kind"] == "coordinate" else [rule["field"]]
            found = {(path.split(".")[-1], message) for path, message in hit.get(kind, ())
                     if (rule["scope"] == "item") == path.startswith("items.")}
            if any((f, rule["message"]) in found for f in fields):
                covered.add(rule["id"])
            if "invalid_message" in rule and (rule["field"], rule["invalid_message"]) in found:
                unreadable.add((rule["kind"], rule.get("integer"), rule["scope"]))
    assert sorted(every - covered) == []
    # An unreadable value of each sort (whole number, decimal, date; on the report and on an item line).
    assert unreadable == {("number", True, "report"), ("number", False, "report"), ("date", None, "report"),
                          ("number", True, "item"), ("number", False, "item")}


def test_the_phone_knows_every_kind_of_rule(checker):
    page, sets = checker
    known = set(page.evaluate("Object.keys(window.checker.KINDS)"))
    kinds = {rule["kind"] for body in sets["en"]["types"].values() for rule in body["rules"]}
    assert kinds <= known
    assert rules.count() == len({r["id"] for body in sets["en"]["types"].values() for r in body["rules"]})


def test_a_kind_the_phone_does_not_know_is_an_error_not_a_pass(checker):
    page, sets = checker
    rule_set = {"version": "x", "types": {"survey": {"rules": [
        {"id": "survey.site_name.new", "kind": "regex", "field": "site_name", "scope": "report", "message": "m"}]}}}
    with pytest.raises(Exception, match="Unknown rule kind regex"):
        page.evaluate("([set]) => window.checker.check(set, 'survey', {site_name: 'x'}, [], '2026-01-01')", [rule_set])


def test_the_outline_area_on_the_phone_is_the_servers(checker):
    """GeographicLib on both sides: the live area the worker sees is the area the supervisor's flag computes."""
    from surveys import geo

    page, _sets = checker
    page.evaluate("async () => { window.area = await import('/static/js/lib/area.js'); }")
    for outline in ({"type": "Polygon", "coordinates": [square()]},
                    {"type": "Polygon", "coordinates": [square(-71.3, -33.4, 0.02)[::-1]]},
                    {"type": "Polygon", "coordinates": [[[44.1, 33.3], [44.2, 33.31], [44.15, 33.4], [44.1, 33.3]]]}):
        phone = page.evaluate("([o]) => window.area.polygonAreaM2(o)", [outline])
        assert phone == pytest.approx(geo.polygon_area_m2(outline), abs=0.01)

"""The rule-parity corpus (tests/test_rules_parity.py) run through the generated XForms, in ODK's own XForm engine
(@getodk/xforms-engine, the engine of ODK Web Forms, bundled in tests/web_forms/), in English and Arabic: every
question the form's constraints or required conditions refuse is a question the server's rule set refuses, with
the rule's message, and the other way round.

Compared is what a form can hold. A typed widget cannot hold what the rule set calls unreadable ("abc" in a number,
1.5 in a whole number, 30 February) nor a value outside its list of choices, so those answers are not set and their
questions not compared; the GPS point and the outline come from the device's sensors and are checked on the server
(as are the photos announced); the pick lists from files (site, grant, area) are the user's own; the EORE total is the
form's calculation, so the server is asked about the report with that total, which is what the form submits."""

import pytest
from django.utils import translation

from surveys import rules
from surveys.openrosa import xforms
from tests.test_openrosa_web_forms import HARNESS
from tests.test_rules_parity import CORPUS, TODAY, VALID

pytestmark = [pytest.mark.browser]

NOT_COMPARED = {"latitude", "longitude", "gps_accuracy_m", "polygon", "photos_expected", "site", "project",
                "admin_area", "total_participants"}
ORIGIN = "http://localhost:9"  # a secure context (the forms use uuid()); the test answers every request


@pytest.fixture(scope="module")
def engine(browser):
    context = browser.new_context()
    page = context.new_page()

    def serve(route):
        name = route.request.url.rsplit("/", 1)[-1]
        if name == "index.html":
            route.fulfill(body='<!doctype html><script type="module" src="xforms-engine-harness.js"></script>',
                          content_type="text/html")
        else:
            route.fulfill(body=(HARNESS / "xforms-engine-harness.js").read_bytes(), content_type="text/javascript")

    page.route(f"{ORIGIN}/**", serve)
    page.clock.set_fixed_time(f"{TODAY.isoformat()}T12:00:00")  # the corpus's "today", for today() in the forms
    page.goto(f"{ORIGIN}/index.html")
    page.wait_for_function("window.engineReady === true")
    yield page
    context.close()


def _choices(kind: str, name: str, scope: str) -> set[str] | None:
    for rule in rules.rules_for(kind, scope):
        if rule.field == name and rule.kind == "choice":
            return set(rules._choices(rule.params["choices"]))
    return None


def _answer(kind: str, name: str, value, scope: str = "report"):
    """The value as the form's widget would hold it, or None when no widget can hold it."""
    if value is None or value == "" or (isinstance(value, str) and not value.strip()):
        return ""
    choices = _choices(kind, name, scope)
    if choices is not None:
        values = value if isinstance(value, list) else [value]
        return " ".join(values) if all(v in choices for v in values) else None
    for rule in rules.rules_for(kind, scope):
        if rule.field == name and rule.kind == "number":
            try:
                number = rules.parse_number(value, integer=rule.params["integer"])
            except rules.Invalid:
                return None
            # An integer question holds a 32-bit integer (Collect's widget takes 9 digits at most).
            return str(number) if not rule.params["integer"] or abs(number) < 2**31 else None
        if rule.field == name and rule.kind == "date":
            try:
                return rules.parse_date(value).isoformat()
            except rules.Invalid:
                return None
    return value


def as_form(kind: str, raw: dict, items):
    """(answers, repeats, unset paths, the report the form submits) of a corpus case."""
    answers, unset, submitted = {}, set(), dict(raw)
    for name, value in raw.items():
        if name in NOT_COMPARED:
            continue
        answer = _answer(kind, name, value)
        if answer is None:
            unset.add(name)
        else:
            answers[name] = answer
    repeats = {}
    lines = [line for line in (items or []) if line is not None]
    index_of = [i for i, line in enumerate(items or []) if line is not None]
    if kind == "clearance":
        answers["items_found"] = "yes" if lines else "no"
        repeats["items"] = len(lines)
    for position, line in enumerate(lines):
        for name, value in line.items():
            answer = _answer(kind, name, value, "item")
            if answer is None:
                unset.add(f"items.{index_of[position]}.{name}")
            else:
                answers[f"items.{position}.{name}"] = answer
    if kind == "eore":
        prepared = rules.prepare("eore", {n: raw.get(n) for n in xforms.PARTICIPANT_FIELDS})
        parts = [prepared[n] for n in xforms.PARTICIPANT_FIELDS]
        if all(p is None or isinstance(p, int) for p in parts):
            submitted["total_participants"] = str(sum(p or 0 for p in parts))
    # A question asked only in some cases (the handover, on a completion report) is not asked, so not sent, otherwise.
    for rule in rules.rules_for(kind):
        if rule.kind == "required_if" and answers.get(rule.params["if_field"]) not in rule.params["in"]:
            answers.pop(rule.field, None)
            submitted.pop(rule.field, None)
    return answers, repeats, unset, submitted, index_of


def compared(path: str, unset: set[str]) -> bool:
    return path.split(".")[-1] not in NOT_COMPARED and path not in unset


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize(("kind", "raw", "items"), CORPUS + VALID)
def test_the_generated_xform_refuses_what_the_rule_set_refuses(engine, language, kind, raw, items):
    if kind == "survey" and raw.get("site"):
        pytest.skip("a survey of an existing site: the site comes from the user's own pick list")
    answers, repeats, unset, submitted, index_of = as_form(kind, raw, items)
    with translation.override(language):
        server = rules.check_raw(kind, submitted, items, context={"today": TODAY})
        xml = xforms.xform(kind)[0]
    expected = {path: messages for path, messages in server.items() if compared(path, unset)}

    found = engine.evaluate("([xml, answers, repeats, language]) => window.xformViolations(xml, answers, repeats, "
                            "language).catch((e) => ({error: [String(e.message), String(e.stack).slice(0, 300), String(e.constructor.name)]}))",
                            [xml, answers, repeats, language])
    assert "error" not in found, found

    # The engine numbers repeat instances without the corpus's removed lines: back to the corpus's indexes.
    found = {(f"items.{index_of[int(p.split('.')[1])]}.{p.split('.')[2]}" if p.startswith("items.") else p): v
             for p, v in found.items()}
    found = {path: value for path, value in found.items() if compared(path, unset)}
    assert set(found) == set(expected)
    for path, (_condition, message) in found.items():
        assert all(text in message for text in expected[path]), (path, message, expected[path])

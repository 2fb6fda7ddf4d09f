"""The shared rule set (surveys.rules): its declaration and JSON for the phone, its checks, and both capture doors (the
HTML form and the API) answering with ALL of a report's errors at once, with the same messages, beside each field or
item line."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from surveys import rules
from surveys.models import ClearanceReport, EoreSession, Report, SurveyReport
from tests import factories as f
from tests import report_data as data
from tests.test_api_reports import clearance_body, eore_body, survey_body

KINDS = {"required", "required_if", "number", "max_length", "date", "gte_field", "lte_field", "sum_equals",
         "coordinate", "outline", "choice"}

# The bad clearance of the issue: each mistake the phone let through, all in one report.
BAD_CLEARANCE = {
    "activity_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
    "start_date": "2026-01-10", "end_date": "2026-01-05",
    "cleared_area_m2": "−1200", "reduced_area_m2": "abc", "cancelled_area_m2": "1,5",
    "latitude": "95", "longitude": "39", "method": "manual",
}
BAD_CLEARANCE_ERRORS = {
    "activity_date": "Enter a date from 1990-01-01 to today, not in the future.",
    "end_date": "The end date is before the start date.",
    "cleared_area_m2": "Enter a whole number from 0 to 100,000,000.",
    "reduced_area_m2": "Enter a whole number.",
    "cancelled_area_m2": "Enter a whole number.",
    "latitude": "Latitude must be between -90 and 90 degrees.",
    "items.0.quantity": "Enter a whole number from 1 to 100,000.",
}
BAD_ITEM = {"category": "uxo", "quantity": "−2", "weight_kg": "4", "disposal": "destroyed_in_situ"}


# The declaration and its JSON -------------------------------------------------------------------------------------------


def test_every_rule_has_an_id_a_known_kind_a_field_and_a_message():
    payload = rules.as_json()
    assert set(payload["types"]) == {"survey", "clearance", "eore"}
    assert payload["version"].startswith("sha256-")
    for kind in payload["types"].values():
        ids = [rule["id"] for rule in kind["rules"]]
        assert len(ids) == len(set(ids))
        for rule in kind["rules"]:
            assert rule["kind"] in KINDS and rule["field"] and rule["message"]
            assert rule["scope"] in ("report", "item")
            if rule["kind"] in ("number", "date"):
                assert rule["invalid_message"]
    json.dumps(payload)  # plain JSON all through
    assert rules.count() == len({r["id"] for k in payload["types"].values() for r in k["rules"]})


def test_the_json_speaks_the_active_language_and_keeps_its_version():
    english = rules.as_json("clearance")
    with translation.override("ar"):
        arabic = rules.as_json("clearance")
    assert english["version"] == arabic["version"]
    pairs = zip(english["types"]["clearance"]["rules"], arabic["types"]["clearance"]["rules"], strict=True)
    assert all(a["id"] == b["id"] for a, b in pairs)
    for en, ar in zip(english["types"]["clearance"]["rules"], arabic["types"]["clearance"]["rules"], strict=True):
        assert en["message"] != ar["message"], en["id"]  # every message has its Arabic translation


def test_the_rules_are_served_to_the_phone_in_each_language(client):
    english = client.get("/en/rules.json")
    arabic = client.get("/ar/rules.json")
    assert english.status_code == arabic.status_code == 200
    assert english.json()["version"] == arabic.json()["version"]
    assert english.json()["types"]["eore"]["rules"][0]["message"] != arabic.json()["types"]["eore"]["rules"][0]["message"]


def test_each_form_page_embeds_the_rules_of_its_type(client, collector):
    client.force_login(collector)
    page = client.get(reverse("report_new", args=["clearance"])).content.decode()
    embedded = page.split('<script id="report-rules" type="application/json">')[1].split("</script>")[0]
    assert list(json.loads(embedded)["types"]) == ["clearance"]


def test_bounds_of_the_rules_are_the_databases_constraints_too():
    constraint = next(c for c in ClearanceReport._meta.constraints if c.name == "clearance_figures_bounded")
    assert ("cleared_area_m2__lte", rules.AREA_MAX_M2) in constraint.condition.children


# Checking ----------------------------------------------------------------------------------------------------------------


def test_check_raw_gives_every_error_at_once_keyed_by_path():
    errors = rules.check_raw("clearance", {**BAD_CLEARANCE, "site": "4"}, [None, BAD_ITEM])
    assert {path: msgs[0] for path, msgs in errors.items()} == {
        **{k: v for k, v in BAD_CLEARANCE_ERRORS.items() if not k.startswith("items.")},
        "items.1.quantity": "Enter a whole number from 1 to 100,000.",
    }


@pytest.mark.parametrize(("typed", "value"), [
    ("١٢٠٠", 1200), ("۱۲۰۰", 1200), ("−١٢", -12), ("٣٫٥", "3.5"), ("12 000", 12000), ("١٬٢٠٠", 1200),
])
def test_digits_of_any_keyboard_are_read_as_numbers(typed, value):
    parsed = rules.parse_number(typed, integer=not isinstance(value, str))
    assert str(parsed) == str(value)


@pytest.mark.parametrize("value", ["abc", "1,5", "nan", "inf", "1e999", "", "  "])
def test_what_is_not_a_number_says_so(value):
    errors = rules.check_raw("survey", {"estimated_area_m2": value})
    expected = "This field is required." if not value.strip() else "Enter a whole number."
    assert errors["estimated_area_m2"] == [expected]


def test_a_date_before_the_floor_or_in_the_future_is_refused():
    floor = "Enter a date from 1990-01-01 to today, not in the future."
    assert rules.check("eore", {"activity_date": date(1, 1, 1)})["activity_date"] == [floor]
    assert rules.check("eore", {"activity_date": "1989-12-31"})["activity_date"] == [floor]
    assert "activity_date" not in rules.check("eore", {"activity_date": timezone.localdate()})
    assert rules.check("eore", {"activity_date": "2026-02-30"})["activity_date"] == ["Enter a valid date."]


def test_eore_parts_cannot_exceed_the_total_and_the_total_is_the_grid():
    errors = rules.check_raw("eore", {"female_0_4": "3", "male_0_4": "2", "total_participants": "6",
                                      "persons_with_disabilities": "7", "first_time_attendees": "5"})
    assert errors["total_participants"] == ["The total is not the sum of the people counted by sex and age."]
    assert errors["persons_with_disabilities"] == ["Persons with disabilities cannot be more than the total."]
    assert "first_time_attendees" not in errors
    assert "total_participants" not in rules.check_raw("eore", {"female_0_4": "3", "total_participants": ""})


def test_a_survey_needs_a_site_name_unless_a_site_is_picked():
    assert rules.check_raw("survey", {"site_name": ""})["site_name"] == [
        "Enter the name of the new site, or pick an existing site."]
    assert "site_name" not in rules.check_raw("survey", {"site_name": "", "site": "12"})


def test_a_completion_needs_its_handover():
    errors = rules.check_raw("clearance", {"stage": "completion"})
    assert errors["handover_date"] == ["A completion report needs the date the land was handed over."]
    assert errors["handed_over_to"] == ["A completion report needs who received the land."]
    assert "handover_date" not in rules.check_raw("clearance", {"stage": "progress"})


# The two doors: same errors, all at once ----------------------------------------------------------------------------------


def test_the_api_answers_every_error_of_a_report_at_once_by_path(api, collector, site):
    body = clearance_body(site, **BAD_CLEARANCE, items=[BAD_ITEM])
    response = api(collector).post("/api/v1/clearances/", body, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    for path, message in BAD_CLEARANCE_ERRORS.items():
        assert message in errors[path], path
    assert "quantity" in json.dumps(response.json()["items"])  # DRF's own shape is kept for existing clients
    assert not Report.objects.exists()


def test_the_form_shows_every_error_beside_its_field_and_item_line(client, collector, site):
    client.force_login(collector)
    post = data.clearance(site, items=[BAD_ITEM], **BAD_CLEARANCE)
    response = client.post(reverse("report_new", args=["clearance"]), post)

    assert response.status_code == 400
    form, items = response.context["form"], response.context["items"]
    for path, message in BAD_CLEARANCE_ERRORS.items():
        if path.startswith("items."):
            assert items.forms[0].errors["quantity"] == [message]
        else:
            assert message in form.errors[path], path
    assert not form.non_field_errors() and not items.non_form_errors()
    assert not Report.objects.exists()


def test_both_doors_and_check_raw_agree_on_the_messages(api, client, collector, site):
    """The server side of the parity: the form, the API and check_raw give the same (path, message) set."""
    raw = {**BAD_CLEARANCE, "site": str(site.pk)}
    expected = {(p, m) for p, ms in rules.check_raw("clearance", raw, [BAD_ITEM]).items() for m in ms}

    api_errors = api(collector).post("/api/v1/clearances/", clearance_body(site, **BAD_CLEARANCE, items=[BAD_ITEM]),
                                     format="json").json()["errors"]
    client.force_login(collector)
    page = client.post(reverse("report_new", args=["clearance"]), data.clearance(site, items=[BAD_ITEM], **BAD_CLEARANCE))
    form_errors = {(p, m) for p, ms in page.context["form"].errors.items() for m in ms}
    form_errors |= {(f"items.{i}.{p}", m) for i, line in enumerate(page.context["items"].forms)
                    for p, ms in line.errors.items() for m in ms}

    assert {(p, m) for p, ms in api_errors.items() for m in ms} == expected
    assert form_errors == expected


def test_the_api_fills_the_site_name_from_the_site_as_the_form_does(api, collector, site):
    response = api(collector).post("/api/v1/surveys/", survey_body(site=site.pk, site_name=""), format="json")
    assert response.status_code == 201, response.data
    assert SurveyReport.objects.get().site_name == site.name


def test_the_api_reads_arabic_digits_and_the_unicode_minus_as_the_form_does(api, collector):
    response = api(collector).post("/api/v1/eore-sessions/", eore_body(
        female_5_12="١٠", male_5_12="۱۲", latitude="٣٥٫٩٥", longitude="٣٩٫٠١", gps_accuracy_m="−1"), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"gps_accuracy_m": ["Enter a number from 0 to 10,000."]}
    response = api(collector).post("/api/v1/eore-sessions/", eore_body(
        female_5_12="١٠", male_5_12="۱۲", latitude="٣٥٫٩٥", longitude="٣٩٫٠١"), format="json")
    assert response.status_code == 201, response.data
    session = EoreSession.objects.get()
    assert (session.female_5_12, session.male_5_12, session.latitude) == (10, 12, 35.95)
    assert session.total_participants == 25


def test_the_form_derives_the_eore_total_when_left_empty(client, collector):
    client.force_login(collector)
    response = client.post(reverse("report_new", args=["eore"]), data.eore(total_participants=""))
    assert response.status_code == 302
    assert EoreSession.objects.get().total_participants == 34


# Who owns a report, and what they may choose ------------------------------------------------------------------------------


def test_a_collector_cannot_put_another_teams_site_on_a_report_through_the_api(api, collector, org):
    tabqa = f.site(org, team=f.team(org, name="Tabqa Team"))
    draft = f.survey(collector)
    response = api(collector).patch(f"/api/v1/surveys/{draft.pk}/", {"site": tabqa.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["site"] == ["This site is not one you may report on: choose one of your team's "
                                                 "sites."]
    draft.refresh_from_db()
    assert draft.site_id is None


def test_nor_through_the_admin(rf, collector, org, site):
    from django.contrib import admin

    tabqa = f.site(org, team=f.team(org, name="Tabqa Team"))
    report = f.clearance(collector, site)
    request = rf.get("/")
    request.user = collector
    form_class = admin.site._registry[ClearanceReport].get_form(request, report)
    choices = form_class.base_fields["site"].queryset
    assert site in choices and tabqa not in choices


def test_a_new_report_belongs_to_its_capturer_whatever_the_door(api, client, collector):
    api(collector).post("/api/v1/eore-sessions/", eore_body(), format="json")
    client.force_login(collector)
    client.post(reverse("report_new", args=["eore"]), data.eore())
    owners = set(Report.objects.values_list("captured_by", "team", "organisation"))
    assert owners == {(collector.pk, collector.team_id, collector.team.organisation_id)}

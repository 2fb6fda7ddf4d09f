"""The survey form: a new site or one of the team's, and the server's checks."""

import pytest
from django.utils import timezone

from surveys.forms import SurveyForm
from tests import factories as f
from tests import report_data as data


def form(user, **kw) -> SurveyForm:
    return SurveyForm(data.survey(**kw), user=user)


def test_a_complete_survey_of_a_new_site_is_valid(collector):
    survey = form(collector)

    assert survey.is_valid(), survey.errors
    assert survey.cleaned_data["contamination"] == ["uxo", "ied"]


def test_it_reads_arabic_digits_in_areas_and_coordinates(collector):
    survey = form(collector, estimated_area_m2="١٢٠٠٠", expected_beneficiaries="۴۵۰", latitude="٣٥٫٩٥١٢",
                  longitude="٣٩٫٠١", gps_accuracy_m="٨")

    assert survey.is_valid(), survey.errors
    assert survey.cleaned_data["estimated_area_m2"] == 12_000
    assert survey.cleaned_data["expected_beneficiaries"] == 450
    assert survey.cleaned_data["latitude"] == pytest.approx(35.9512)


def test_picking_an_existing_site_fills_in_its_name(collector, site):
    survey = form(collector, site=str(site.pk), site_name="")

    assert survey.is_valid(), survey.errors
    assert survey.instance.site_name == site.name


def test_a_new_site_needs_a_name(collector):
    survey = form(collector, site="", site_name="")

    assert not survey.is_valid()
    assert survey.errors["site_name"] == ["Enter the name of the new site, or pick an existing site."]


def test_only_the_teams_and_unassigned_sites_of_the_organisation_can_be_picked(collector, org, other_org):
    mine = f.site(org, team=collector.team)
    unassigned = f.site(org)
    other_team = f.site(org, team=f.team(org))
    elsewhere = f.site(other_org)

    choices = set(SurveyForm(user=collector).fields["site"].queryset)

    assert choices == {mine, unassigned}
    assert not form(collector, site=str(elsewhere.pk)).is_valid()
    assert not form(collector, site=str(other_team.pk)).is_valid()


def test_the_site_list_carries_the_sites_facts_for_the_page_script(collector, site):
    page = SurveyForm(user=collector)["site"].as_widget()

    assert f'data-name="{site.name}"' in page and 'data-classification="cha"' in page


@pytest.mark.parametrize("field, value, message", [
    ("site_type", "", "This field is required."),
    ("classification", "minefield", "Choose one of the options."),
    ("contamination", ["uxo", "nuclear"], "Choose contamination types from the list."),
    ("estimated_area_m2", "-5", "Enter a whole number from 0 to 100,000,000."),
    ("latitude", "135", "Latitude must be between -90 and 90 degrees."),
    ("activity_date", str(timezone.localdate() + timezone.timedelta(days=3)), "not in the future."),
])
def test_it_refuses_a_wrong_answer_with_a_message_beside_the_field(collector, field, value, message):
    survey = form(collector, **{field: value})

    assert not survey.is_valid()
    assert message in " ".join(survey.errors[field])


def test_a_point_needs_both_coordinates(collector):
    survey = form(collector, longitude="")

    assert not survey.is_valid()
    assert survey.errors["longitude"] == ["Enter both latitude and longitude, or neither."]


def test_an_outline_that_crosses_itself_is_refused(collector):
    bowtie = '{"type": "Polygon", "coordinates": [[[39.0, 35.9], [39.01, 35.91], [39.01, 35.9], [39.0, 35.91], [39.0, 35.9]]]}'

    survey = form(collector, polygon=bowtie)

    assert not survey.is_valid()
    assert "not a valid area" in survey.errors["polygon"][0]


def test_a_drawn_outline_is_kept_as_geojson(collector):
    square = '{"type": "Polygon", "coordinates": [[[39.0, 35.9], [39.001, 35.9], [39.001, 35.901], [39.0, 35.901], [39.0, 35.9]]]}'

    survey = form(collector, polygon=square)

    assert survey.is_valid(), survey.errors
    assert survey.cleaned_data["polygon"]["type"] == "Polygon"


def test_the_grant_must_be_one_of_the_organisations(collector, project, other_org):
    theirs = f.project(other_org)

    assert form(collector, project=str(project.pk)).is_valid()
    assert "project" in form(collector, project=str(theirs.pk)).errors

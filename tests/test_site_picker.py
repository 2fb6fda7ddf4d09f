"""Site pick lists that do not grow the page: a few sites listed, the rest found by search (JSON, or the Find button
without JavaScript), any site of the team accepted."""

import re

import pytest

from surveys.forms import SITES_LISTED
from surveys.models import Report, Site
from tests import factories as f
from tests import report_data

NEW_SURVEY = "/en/reports/new/survey/"
NEW_CLEARANCE = "/en/reports/new/clearance/"


@pytest.fixture
def many_sites(org, team):
    Site.objects.bulk_create([
        Site(name=f"School {i:04d} of Raqqa district number {i}", organisation=org, team=team, site_type="school",
             classification="cha", estimated_area_m2=5_000 + i, reference=f"SITE-2026-{i:06d}")
        for i in range(1, 1501)
    ])
    return Site.objects.filter(team=team)


@pytest.mark.parametrize("url", [NEW_SURVEY, NEW_CLEARANCE])
def test_the_form_page_stays_small_with_1500_sites(client, collector, many_sites, url):
    client.force_login(collector)
    response = client.get(url)
    assert response.status_code == 200
    assert len(response.content) <= 50_000
    options = re.findall(r'<option value="\d+"', response.text)
    assert 0 < len(options) <= SITES_LISTED


def test_a_site_not_listed_can_still_be_picked(client, collector, many_sites):
    unlisted = many_sites.order_by("updated_at").first()
    client.force_login(collector)
    assert f'<option value="{unlisted.pk}"' not in client.get(NEW_CLEARANCE).text
    response = client.post(NEW_CLEARANCE, report_data.clearance(unlisted))
    assert response.status_code == 302
    assert Report.objects.get().clearancereport.site == unlisted


def test_the_search_answers_the_teams_sites_by_name_or_reference(client, collector, many_sites, other_org):
    f.site(other_org, name="School 0007 elsewhere")
    client.force_login(collector)
    found = client.get("/en/sites/search/", {"q": "school 0007"}).json()["sites"]
    assert [s["name"] for s in found] == ["School 0007 of Raqqa district number 7"]
    assert found[0]["site-type"] == "school" and found[0]["area"] == 5_007
    by_reference = client.get("/en/sites/search/", {"q": "site-2026-00150"}).json()["sites"]
    assert {s["id"] for s in by_reference} == set(
        many_sites.filter(reference__startswith="SITE-2026-00150").values_list("pk", flat=True))
    assert len(client.get("/en/sites/search/", {"q": "school"}).json()["sites"]) == 30


def test_the_search_is_for_field_workers_only(client, donor, many_sites):
    client.force_login(donor)
    assert client.get("/en/sites/search/", {"q": "school"}).json()["sites"] == []
    client.logout()
    assert client.get("/en/sites/search/", {"q": "school"}).status_code == 302


def test_find_without_javascript_lists_matches_and_keeps_what_was_typed(client, collector, many_sites):
    client.force_login(collector)
    data = report_data.survey(site_q="0042", find_site="1", place_name="Typed place", notes="Typed notes")
    response = client.post(NEW_SURVEY, data)
    assert response.status_code == 200
    assert not Report.objects.exists()
    page = response.text
    wanted = many_sites.get(name__contains="0042 ")
    assert f'<option value="{wanted.pk}"' in page
    assert "Typed place" in page and "Typed notes" in page and 'value="0042"' in page
    assert "invalid-feedback" not in page

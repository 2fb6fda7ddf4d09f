"""The phone's copy of the sites a worker may pick: /api/v1/sites/choices/ lists exactly the sites the report forms
accept from the user (capture.site_choices), by change, in keyset pages; /api/v1/sites/choices/ids/ lists their ids,
so that the copy drops the sites that are no longer the user's."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys import capture
from surveys.models import Role, Site
from tests import factories as f

CHOICES = "/api/v1/sites/choices/"
IDS = "/api/v1/sites/choices/ids/"


def walk(client, url: str) -> list[dict]:
    rows = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.data
        rows += response.data["results"]
        url = response.data["next"]
    return rows


@pytest.fixture
def sites(org, team, other_org):
    """The collector's team's sites, an unheld site of their organisation, another team's, another organisation's."""
    return {
        "team": [f.site(org, team=team, name=f"Team site {i}") for i in range(5)],
        "unheld": f.site(org, team=None, name="Unheld site"),
        "other_team": f.site(org, team=f.team(org), name="Other team's site"),
        "other_org": f.site(other_org, team=f.team(other_org), name="Other organisation's site"),
    }


def test_a_collector_gets_exactly_the_sites_the_forms_accept_from_them(api, collector, sites):
    rows = walk(api(collector), f"{CHOICES}?limit=2")

    expected = set(capture.site_choices(collector).values_list("pk", flat=True))
    assert {row["id"] for row in rows} == expected
    assert expected == {s.pk for s in sites["team"]} | {sites["unheld"].pk}
    assert sites["other_team"].pk not in expected and sites["other_org"].pk not in expected
    assert set(api(collector).get(IDS).data["ids"]) == expected


def test_a_row_holds_what_the_form_search_needs_and_no_more(api, collector, sites):
    site = sites["team"][0]
    row = next(r for r in api(collector).get(CHOICES).data["results"] if r["id"] == site.pk)
    assert row == {
        "id": site.pk, "reference": site.reference, "label": f"{site.reference} {site.name}", "name": site.name,
        "site_type": "school", "priority": "medium", "classification": "cha", "evidence": "",
        "estimated_area_m2": 10_000, "updated_at": row["updated_at"],
    }


@pytest.mark.parametrize("persona", ["donor", "supervisor", "outsider"])
def test_who_does_not_capture_for_the_team_gets_none_of_its_sites(api, request, sites, persona):
    user = request.getfixturevalue(persona)
    rows = walk(api(user), CHOICES)
    assert not {row["id"] for row in rows} & {s.pk for s in sites["team"]}
    assert not set(api(user).get(IDS).data["ids"]) & {s.pk for s in sites["team"]}


def test_signed_out_gets_nothing(api, sites):
    assert api(None).get(CHOICES).status_code in (401, 403)
    assert api(None).get(IDS).status_code in (401, 403)


def test_pages_go_oldest_change_first_by_keyset(api, collector, sites):
    rows = walk(api(collector), f"{CHOICES}?limit=2")
    expected = list(capture.site_choices(collector).order_by("updated_at", "id").values_list("pk", flat=True))
    assert [row["id"] for row in rows] == expected
    assert "cursor=" in api(collector).get(f"{CHOICES}?limit=2").data["next"]


def test_rows_changed_between_pages_leave_no_gap_and_come_again_only_as_their_new_version(api, collector, org, team,
                                                                                          sites):
    client = api(collector)
    first = client.get(f"{CHOICES}?limit=3").data
    seen = first["results"]
    renamed = Site.objects.get(pk=seen[0]["id"])
    renamed.name = "Renamed between pages"
    renamed.save()
    Site.objects.filter(pk=seen[1]["id"]).delete()
    unseen = Site.objects.exclude(pk__in=[r["id"] for r in seen]).filter(team=team).first()
    Site.objects.filter(pk=unseen.pk).delete()  # a row after the cursor goes: the next page must not skip another
    added = f.site(org, team=team, name="Added between pages")

    rows = seen + walk(client, first["next"])

    now = set(capture.site_choices(collector).values_list("pk", flat=True))
    ids = [row["id"] for row in rows]
    assert now <= set(ids)  # no gap: every site the user may pick now was listed
    assert [i for i in ids if ids.count(i) > 1] == [renamed.pk, renamed.pk]  # only the changed row came twice
    assert [(r["id"], r["name"]) for r in rows[-2:]] == [(renamed.pk, "Renamed between pages"),
                                                         (added.pk, "Added between pages")]


def test_updated_since_lists_only_what_changed(api, collector, sites):
    client = api(collector)
    before = timezone.now()
    changed = sites["team"][2]
    changed.priority = "high"
    changed.save()
    since = (before - timedelta(microseconds=1)).isoformat()
    rows = walk(client, f"{CHOICES}?{urlencode({'updated_since': since})}")
    assert [row["id"] for row in rows] == [changed.pk]
    assert rows[0]["priority"] == "high"


def test_a_site_moved_to_another_team_leaves_the_ids(api, collector, org, sites):
    client = api(collector)
    moved = sites["team"][1]
    moved.team = f.team(org)
    moved.save()
    assert moved.pk not in client.get(IDS).data["ids"]
    assert moved.pk not in [row["id"] for row in walk(client, CHOICES)]


def test_when_the_worker_changes_team_the_ids_are_the_new_teams(api, collector, org, sites):
    collector.team = sites["other_team"].team
    collector.save()
    ids = api(collector).get(IDS).data["ids"]
    assert set(ids) == {sites["other_team"].pk, sites["unheld"].pk}


def test_an_unchanged_id_list_is_a_304(api, collector, sites):
    client = api(collector)
    first = client.get(IDS)
    assert first["Cache-Control"] == "private, no-cache"
    again = client.get(IDS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    sites["team"][0].delete()
    assert client.get(IDS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_page_is_a_few_hundred_rows_at_most_and_costs_the_same_queries_however_many(api, collector, org, team):
    Site.objects.bulk_create([Site(name=f"Bulk {i}", organisation=org, team=team, site_type="school",
                                   classification="cha", estimated_area_m2=100) for i in range(520)])
    client = api(collector)
    with CaptureQueriesContext(connection) as small:
        client.get(f"{CHOICES}?limit=2")
    with CaptureQueriesContext(connection) as full:
        response = client.get(f"{CHOICES}?limit=1000")
    assert len(response.data["results"]) == 500 and response.data["next"]
    assert len(client.get(CHOICES).data["results"]) == 500
    assert len(full.captured_queries) == len(small.captured_queries)


def test_an_administrator_in_a_team_gets_every_site(api, org, team, sites):
    admin = f.user(Role.ADMINISTRATOR, org, team)
    assert {row["id"] for row in walk(api(admin), CHOICES)} == set(Site.objects.values_list("pk", flat=True))

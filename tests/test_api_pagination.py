"""API lists page by keyset: every row once, in order, forwards and backwards, at the same cost at any depth."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.models import Report
from tests import factories as f


def _walk(client, url: str, key: str = "next") -> list[list[int]]:
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.data
        pages.append([row["id"] for row in response.data["results"]])
        url = response.data[key]
    return pages


@pytest.fixture
def seven(collector):
    days = [date(2025, 1, 1), date(2025, 1, 1), date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 3),
            date(2025, 1, 3), date(2024, 12, 31)]  # ties on a day: the id breaks them
    return [f.eore(collector, activity_date=day).pk for day in days]


def test_it_walks_every_report_once_newest_activity_first(api, collector, seven):
    client = api(collector)
    pages = _walk(client, "/api/v1/eore-sessions/?limit=2")
    expected = list(Report.objects.order_by("-activity_date", "-id").values_list("pk", flat=True))
    assert [pk for page in pages for pk in page] == expected
    assert [len(p) for p in pages] == [2, 2, 2, 1]


def test_previous_links_walk_back_the_same_pages(api, collector, seven):
    client = api(collector)
    forward = _walk(client, "/api/v1/reports/?limit=3")
    last = client.get("/api/v1/reports/?limit=3")
    while last.data["next"]:
        last = client.get(last.data["next"])
    backward = [[row["id"] for row in last.data["results"]]]
    backward += _walk(client, last.data["previous"], key="previous")
    assert backward == list(reversed(forward))
    assert client.get("/api/v1/reports/?limit=3").data["previous"] is None


def test_the_sync_order_is_oldest_change_first(api, collector, seven):
    client = api(collector)
    Report.objects.filter(pk=seven[0]).update(updated_at=Report.objects.get(pk=seven[-1]).updated_at
                                              + timedelta(seconds=1))
    pages = _walk(client, "/api/v1/reports/?order=updated&limit=2")
    expected = list(Report.objects.order_by("updated_at", "id").values_list("pk", flat=True))
    assert [pk for page in pages for pk in page] == expected
    assert expected[-1] == seven[0]


@pytest.mark.parametrize("query", ["cursor=nonsense", "cursor=eyJrIjpbXX0", "limit=0", "limit=x", "order=name"])
def test_a_bad_cursor_limit_or_order_is_a_400(api, collector, seven, query):
    response = api(collector).get(f"/api/v1/reports/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.data


def test_a_deep_page_costs_the_queries_of_the_first(api, collector, seven):
    client = api(collector)
    with CaptureQueriesContext(connection) as first:
        response = client.get("/api/v1/reports/?limit=1")
    url = response.data["next"]
    for _ in range(4):
        url = client.get(url).data["next"]
    with CaptureQueriesContext(connection) as deep:
        client.get(url)
    assert len(deep.captured_queries) == len(first.captured_queries)
    assert "OFFSET" not in deep.captured_queries[-1]["sql"].upper()


def test_sites_and_items_page_by_their_own_order(api, collector, org, team):
    for name in ["Bravo", "Alpha", "Charlie"]:
        f.site(org, team=team, name=name)
    pages = _walk(api(collector), "/api/v1/sites/?limit=2")
    assert len(pages) == 2 and sum(len(p) for p in pages) == 3

"""GET /api/v1/indicators/: the same hand-computed figures as the indicators page (tests/test_indicators.py)."""

from tests.test_indicators import world  # noqa: F401  (the fixture whose totals were computed by hand)

URL = "/api/v1/indicators/"


def test_it_answers_the_quarters_figures(api, world, imofficer):  # noqa: F811
    body = api(imofficer).get(URL, {"date_from": "2025-01-01", "date_to": "2025-03-31"}).json()
    assert body["filters"]["date_from"] == "2025-01-01"
    assert body["sites_total"]["worked_on"] == 3
    assert body["land"] == {"clearance_reports": 4, "cancelled_m2": 1_500, "reduced_m2": 3_000, "cleared_m2": 9_500,
                            "total_m2": 14_000, "remaining_m2": 9_000}
    assert body["items_total"]["quantity"] == 37
    assert body["items_total"]["tonnes"] == 0.072
    assert body["risk_education"]["participants"] == 81
    assert (body["risk_education"]["girls"], body["risk_education"]["boys"]) == (26, 30)


def test_a_donor_gets_only_their_grants(api, world, donor):  # noqa: F811
    body = api(donor).get(URL).json()
    assert body["land"]["total_m2"] == 10_000
    assert body["risk_education"]["participants"] == 77


def test_a_grant_the_donor_may_not_see_is_a_400(api, world, donor):  # noqa: F811
    response = api(donor).get(URL, {"project": world.grant_b.pk})
    assert response.status_code == 400
    assert "project" in response.json()


def test_a_bad_period_is_a_400_with_the_field(api, donor):
    response = api(donor).get(URL, {"date_from": "2025-03-01", "date_to": "2025-01-01"})
    assert response.status_code == 400
    assert "date_to" in response.json()
    assert api(donor).get(URL, {"date_from": "yesterday"}).status_code == 400


def test_field_collectors_and_anonymous_are_refused(api, collector):
    assert api(collector).get(URL).status_code == 403
    assert api(None).get(URL).status_code in (401, 403)

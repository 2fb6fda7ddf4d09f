"""The review desk in plain words: labels for choice lists, the outline's computed area beside the reported one, each
flag with its reason and numbers, a confirmation listing the flagged reports before a bulk approve, a refused move kept
on the page as it was, and the collector's own report page drawing its outline."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys import flags, photos, workflow
from surveys.flags import refresh_flags
from surveys.models import Report, ReviewEvent
from tests import factories as f
from tests.test_admin_review import jpeg
from tests.test_validation import SQUARE  # 9,911 m² (geodesic)

QUEUE = "/en/admin/surveys/report/"


def change_url(report) -> str:
    return f"/en/admin/surveys/{type(report).__name__.lower()}/{report.pk}/change/"


def review_url(report) -> str:
    return f"/en/admin/surveys/{type(report).__name__.lower()}/{report.pk}/review/"


def submitted(report, by):
    refresh_flags(report)
    return workflow.submit(report, by)


def reasons(report) -> dict[str, str]:
    return {e.flag: e.reason for e in flags.explain(Report.objects.get(pk=report.pk))}


# Flags explained, in one place (surveys/flags.py) ---------------------------------------------------------------------


def test_an_outline_mismatch_gives_both_areas_and_the_difference(collector):
    survey = submitted(f.survey(collector, polygon=SQUARE, estimated_area_m2=6_000), collector)
    assert reasons(survey)["polygon_mismatch"] == \
        "Outline 9,911 m² vs reported 6,000 m²: +65 % (more than 20 % apart)"
    smaller = submitted(f.survey(collector, polygon=SQUARE, estimated_area_m2=20_000), collector)
    assert reasons(smaller)["polygon_mismatch"].startswith("Outline 9,911 m² vs reported 20,000 m²: −50 %")


def test_an_area_overrun_says_by_how_much(collector, supervisor, org):
    site = f.site(org, estimated_area_m2=5_000)
    first = f.clearance(collector, site, cleared_area_m2=3_000, reduced_area_m2=0, cancelled_area_m2=0)
    workflow.approve(workflow.submit(first, collector), supervisor)
    over = submitted(f.clearance(collector, site, cleared_area_m2=2_000, reduced_area_m2=500, cancelled_area_m2=0),
                     collector)
    assert reasons(over)["area_overrun"] == (
        "Released on the site with this report 5,500 m² (this report 2,500 m², approved before 3,000 m²) "
        "vs estimated 5,000 m²: 500 m² over (+10 %)")


def test_poor_gps_gives_the_value_and_the_threshold(collector, settings):
    settings.GPS_ACCURACY_WARN_M = 50
    report = submitted(f.eore(collector, gps_accuracy_m=150), collector)
    assert reasons(report)["gps_poor"] == "GPS accuracy ± 150 m, worse than the 50 m threshold"


def test_a_duplicate_names_the_report_it_duplicates(collector, site):
    first = submitted(f.clearance(collector, site), collector)
    second = submitted(f.clearance(collector, site), collector)
    explained = {e.flag: e for e in flags.explain(Report.objects.get(pk=second.pk))}
    assert [r.reference for r in explained["duplicate"].duplicates] == [first.reference]
    assert "Same team, same place, same day of activity" in explained["duplicate"].reason


def test_no_photo_says_how_many_were_announced(collector):
    assert reasons(submitted(f.eore(collector), collector))["no_photo"] == "No photo attached to the report."
    announced = submitted(f.eore(collector, photos_expected=2), collector)
    assert reasons(announced)["no_photo"] == "No photo has arrived yet; the team announced 2."


def test_a_stale_flag_still_says_what_it_is(collector):
    survey = submitted(f.survey(collector, polygon=SQUARE, estimated_area_m2=6_000), collector)
    Report.objects.filter(pk=survey.pk).update(polygon=None)  # the outline went, the stored flag stayed
    assert "have changed since it was raised" in reasons(survey)["polygon_mismatch"]


def test_the_review_page_shows_each_flag_with_its_reason(client, supervisor, collector, settings):
    settings.GPS_ACCURACY_WARN_M = 50
    survey = submitted(f.survey(collector, polygon=SQUARE, estimated_area_m2=6_000, gps_accuracy_m=80,
                                contamination=["ied", "uxo"]), collector)
    client.force_login(supervisor)
    page = client.get(change_url(survey)).text

    assert "Outline 9,911 m² vs reported 6,000 m²: +65 %" in page
    assert "GPS accuracy ± 80 m, worse than the 50 m threshold" in page
    # Plain words: labels, not stored values; areas, not coordinates.
    assert "Improvised explosive device, Unexploded ordnance" in page
    assert "[&quot;ied&quot;" not in page and '["ied"' not in page
    assert "Drawn on the map: 9,911 m² computed from the outline, 6,000 m² reported" in page
    assert "39.0011" not in page.split('id="review-map-data"')[0]  # no raw coordinates outside the map's data


# Bulk approve: a confirmation page first ------------------------------------------------------------------------------


def test_bulk_approve_lists_the_flagged_reports_before_anything_moves(client, supervisor, collector, site, settings):
    settings.GPS_ACCURACY_WARN_M = 50
    poor = submitted(f.eore(collector, gps_accuracy_m=300, place_name="Camp A"), collector)
    fine = submitted(f.clearance(collector, site), collector)
    client.force_login(supervisor)
    response = client.post(QUEUE, {"action": "approve_selected", "_selected_action": [poor.pk, fine.pk],
                                   "index": "0"})

    assert response.status_code == 200
    page = response.text
    assert 'id="review-flagged"' in page
    assert "GPS accuracy ± 300 m, worse than the 50 m threshold" in page
    assert poor.reference in page and fine.reference in page
    assert Report.objects.filter(status=Report.Status.APPROVED).count() == 0
    assert not ReviewEvent.objects.filter(action="approve").exists()

    response = client.post(QUEUE, {"action": "approve_selected", "_selected_action": [poor.pk, fine.pk],
                                   "confirm": "1", "comment": ""})
    assert response.status_code == 302
    assert ReviewEvent.objects.filter(action="approve").count() == 2


def test_the_confirmation_page_runs_a_bounded_number_of_queries(client, supervisor, collector, site):
    reports = [submitted(f.eore(collector, place_name=f"Camp {i}"), collector) for i in range(3)]
    client.force_login(supervisor)
    data = {"action": "approve_selected", "index": "0"}
    with CaptureQueriesContext(connection) as few:
        client.post(QUEUE, {**data, "_selected_action": [r.pk for r in reports]})
    more = reports + [submitted(f.eore(collector, place_name=f"Camp {i}"), collector) for i in range(3, 9)]
    with CaptureQueriesContext(connection) as many:
        client.post(QUEUE, {**data, "_selected_action": [r.pk for r in more]})
    # Each flagged report is explained (its type's row, then its flags' numbers): a few queries each, never more.
    assert len(many) - len(few) <= 6 * 3


# A refused move keeps the page as it was ------------------------------------------------------------------------------


def test_return_without_comment_keeps_the_review_page_with_the_error_beside_the_box(client, supervisor, collector):
    survey = submitted(f.survey(collector, polygon=SQUARE, estimated_area_m2=9_900), collector)
    client.force_login(supervisor)
    response = client.post(review_url(survey), {"move": "return", "comment": "   "})

    page = response.text
    assert response.status_code == 200
    assert 'id="review-map"' in page  # the same page: map, history, photos
    assert 'class="module review-photos"' in page and 'class="module review-timeline"' in page
    assert 'id="review-comment-error"' in page
    assert 'aria-describedby="review-comment-error"' in page and 'aria-invalid="true"' in page
    assert "Write a comment saying what the team must correct." in page
    assert Report.objects.get(pk=survey.pk).status == Report.Status.SUBMITTED


def test_a_refused_move_keeps_the_comment_typed(client, supervisor, imofficer, collector):
    survey = submitted(f.survey(collector), collector)
    workflow.approve(survey, imofficer)
    client.force_login(supervisor)
    response = client.post(review_url(survey), {"move": "return", "comment": "Depth is missing"})

    assert 'id="review-error"' in response.text
    assert ">Depth is missing</textarea>" in response.text


# The queue at 1366 px -------------------------------------------------------------------------------------------------


def test_the_queue_shows_flags_as_signs_with_their_names(client, supervisor, collector, settings):
    settings.GPS_ACCURACY_WARN_M = 50
    submitted(f.eore(collector, gps_accuracy_m=300), collector)
    client.force_login(supervisor)
    page = client.get(QUEUE).text
    assert 'class="review-flag review-flag-gps_poor" title="poor GPS accuracy"' in page
    assert '<span class="visually-hidden">poor GPS accuracy</span>' in page


# The collector's own report page ---------------------------------------------------------------------------------------


def test_the_report_page_draws_the_outline_with_its_areas(client, collector):
    survey = f.survey(collector, polygon=SQUARE, estimated_area_m2=9_000, latitude=35.9504, longitude=39.0005)
    client.force_login(collector)
    page = client.get(f"/en/reports/{survey.pk}/").text

    assert '<svg class="outline-map"' in page and "<polygon points=" in page and "<circle" in page
    assert "Drawn on the map: 9,911 m² computed from the outline, 9,000 m² reported" in page
    assert 'role="img"' in page


def test_photo_links_have_a_name_without_a_caption(client, collector):
    survey = f.survey(collector)
    photos.add_photo(survey, jpeg(), collector, caption="")
    client.force_login(collector)
    page = client.get(f"/en/reports/{survey.pk}/").text
    assert 'alt="Photo 1"' in page


def test_the_site_page_shows_contamination_as_labels_to_those_who_only_look(client, supervisor, org):
    site = f.site(org, contamination=["ap_mine", "uxo"], polygon=SQUARE, estimated_area_m2=10_000)
    client.force_login(supervisor)
    page = client.get(f"/en/admin/surveys/site/{site.pk}/change/").text
    assert "Anti-personnel mine, Unexploded ordnance" in page
    assert "Drawn on the map: 9,911 m² computed from the outline, 10,000 m² reported" in page

"""The admin speaks the user's language: Arabic admin is right-to-left, the review desk included."""

from surveys import workflow
from tests import factories as f


def test_the_arabic_admin_is_right_to_left(client, supervisor):
    client.force_login(supervisor)
    page = client.get("/ar/admin/").text
    assert '<html lang="ar" dir="rtl"' in page
    assert "/static/admin/css/rtl.css" in page


def test_the_english_admin_is_left_to_right(client, supervisor):
    client.force_login(supervisor)
    page = client.get("/en/admin/").text
    assert '<html lang="en" dir="ltr"' in page
    assert "rtl.css" not in page


def test_the_arabic_review_page_is_right_to_left_and_keeps_the_map_left_to_right(client, supervisor, collector):
    report = workflow.submit(f.survey(collector), collector)
    client.force_login(supervisor)
    response = client.get(f"/ar/admin/surveys/surveyreport/{report.pk}/change/")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl"' in response.text
    assert 'id="review-map" dir="ltr"' in response.text
    assert 'action="/ar/admin/surveys/surveyreport/' in response.text  # the buttons stay in Arabic


def test_the_arabic_queue_keeps_its_links_in_arabic(client, supervisor, collector):
    report = workflow.submit(f.eore(collector), collector)
    client.force_login(supervisor)
    page = client.get("/ar/admin/surveys/report/").text
    assert '<html lang="ar" dir="rtl"' in page
    assert f'href="/ar/admin/surveys/eoresession/{report.pk}/change/"' in page
    assert "/ar/admin/surveys/report/?status__exact=submitted" in client.get("/ar/admin/").text

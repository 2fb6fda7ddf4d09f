"""API v1 photos: upload one at a time (idempotent by the photo's UUID), list, download; the offline client's flow."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from surveys.models import Photo, Report, ReviewEvent, SurveyReport
from surveys.photos import add_photo
from tests import factories as f
from tests.test_api_reports import survey_body


def jpeg(color: str = "red") -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(data, "JPEG")
    return SimpleUploadedFile("photo.jpg", data.getvalue(), content_type="image/jpeg")


def upload(client, report_key, photo_id=None, file=None, **fields):
    body = {"image": file or jpeg(), **fields}
    if photo_id:
        body["id"] = str(photo_id)
    return client.post(f"/api/v1/reports/{report_key}/photos/", body, format="multipart")


def test_a_photo_is_stored_once_however_often_it_is_sent(api, collector):
    report = f.survey(collector)
    client = api(collector)
    photo_id = uuid.uuid4()
    first = upload(client, report.uuid, photo_id, caption="North wall", latitude=35.95, longitude=39.01)
    second = upload(client, report.pk, photo_id, caption="North wall", latitude=35.95, longitude=39.01)
    assert (first.status_code, second.status_code) == (201, 200), first.data
    assert first.data["id"] == second.data["id"] == str(photo_id)
    photo = Photo.objects.get()
    assert (photo.report_id, photo.caption, photo.latitude, photo.uploaded_by) == (report.pk, "North wall", 35.95,
                                                                                  collector)


def test_a_photo_id_already_used_by_another_report_is_a_conflict(api, collector):
    first, second = f.survey(collector), f.survey(collector)
    client = api(collector)
    photo_id = uuid.uuid4()
    upload(client, first.pk, photo_id)
    response = upload(client, second.pk, photo_id)
    assert response.status_code == 409
    assert Photo.objects.get().report_id == first.pk


@pytest.mark.parametrize("file", [
    SimpleUploadedFile("notes.jpg", b"this is not an image", content_type="image/jpeg"),
    SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"),
])
def test_a_file_that_is_not_a_photo_is_refused_with_the_reason(api, collector, file):
    report = f.survey(collector)
    response = upload(api(collector), report.pk, uuid.uuid4(), file=file)
    assert response.status_code == 400
    assert "image" in response.data
    assert Photo.objects.count() == 0


def test_a_photo_without_its_file_is_400(api, collector):
    report = f.survey(collector)
    response = api(collector).post(f"/api/v1/reports/{report.pk}/photos/", {"id": str(uuid.uuid4())}, format="json")
    assert response.status_code == 400
    assert "image" in response.data


def test_only_the_capturer_adds_photos(api, collector, teammate, outsider):
    report = f.survey(collector)
    assert upload(api(teammate), report.pk).status_code == 403
    assert upload(api(outsider), report.pk).status_code == 404
    assert Photo.objects.count() == 0


def test_a_submitted_report_takes_photos_only_while_it_waits_for_them(api, collector):
    report = f.set_status(f.survey(collector, photos_expected=1), Report.Status.SUBMITTED)
    client = api(collector)
    assert upload(client, report.pk, uuid.uuid4()).status_code == 201
    refused = upload(client, report.pk, uuid.uuid4())
    assert refused.status_code == 409
    assert "not waiting for photos" in refused.data["detail"]
    assert report.photos.count() == 1


def test_photos_are_listed_and_downloaded_by_those_who_see_the_report(api, collector, teammate, supervisor, outsider,
                                                                      donor, project):
    report = f.set_status(f.survey(collector, project=project), Report.Status.APPROVED)
    photo_id = uuid.uuid4()
    add_photo(report, jpeg(), collector, photo_id=photo_id)
    for user in (collector, teammate, supervisor):
        client = api(user)
        listed = client.get(f"/api/v1/reports/{report.pk}/photos/")
        assert [row["id"] for row in listed.data] == [str(photo_id)]
        download = client.get(listed.data[0]["file_url"])
        assert (download.status_code, download["Content-Type"]) == (200, "image/jpeg")
        assert b"".join(download.streaming_content)[:2] == b"\xff\xd8"
        thumbnail = client.get(listed.data[0]["thumbnail_url"])
        assert thumbnail.status_code == 200
    assert api(outsider).get(f"/api/v1/photos/{photo_id}/file/").status_code == 404
    assert api(donor).get(f"/api/v1/reports/{report.pk}/photos/").status_code == 403
    assert api(donor).get(f"/api/v1/photos/{photo_id}/file/").status_code == 404
    assert api(donor).get(f"/api/v1/photos/{photo_id}/").status_code == 404


def test_the_offline_clients_flow_with_retries_ends_with_one_report_and_all_its_photos(api, collector):
    """POST the report (submitted, two photos announced), then each photo; every step is resent once, as after a
    lost answer."""
    client = api(collector)
    body = survey_body(photos_expected=2, submit=True)
    photo_ids = [uuid.uuid4(), uuid.uuid4()]

    assert client.post("/api/v1/surveys/", body, format="json").status_code == 201
    assert client.get("/api/v1/reports/?waiting_for_photos=true").data["count"] == 1
    assert client.post("/api/v1/surveys/", body, format="json").status_code == 200
    assert upload(client, body["uuid"], photo_ids[0]).status_code == 201
    assert upload(client, body["uuid"], photo_ids[0]).status_code == 200
    report = client.get(f"/api/v1/surveys/{body['uuid']}/").data
    assert (report["status"], report["photos_received"], report["waiting_for_photos"]) == ("submitted", 1, True)
    assert upload(client, body["uuid"], photo_ids[1]).status_code == 201
    assert upload(client, body["uuid"], photo_ids[1]).status_code == 200  # resent after the last one arrived
    assert client.post("/api/v1/surveys/", body, format="json").status_code == 200

    stored = SurveyReport.objects.get()
    assert sorted(stored.photos.values_list("id", flat=True)) == sorted(photo_ids)
    assert (stored.status, stored.waiting_for_photos, stored.flag_no_photo) == ("submitted", False, False)
    assert ReviewEvent.objects.filter(report=stored).count() == 1
    assert client.get("/api/v1/reports/?waiting_for_photos=true").data["count"] == 0
    assert client.get("/api/v1/reports/?waiting_for_photos=false").data["count"] == 1

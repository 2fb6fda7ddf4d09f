"""OpenRosa protocol: every request ODK Collect / KoboCollect makes and the answers it expects."""

import base64
import csv
import hashlib
import io
import re
import threading
import uuid
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from surveys import rules, workflow
from surveys.models import ClearanceReport, EoreSession, OpenRosaInstance, Photo, Report, Role
from surveys.openrosa import xforms
from tests import factories as f
from tests.images import small_jpeg
from tests.test_concurrency import in_thread, on_postgres

XF = "{http://www.w3.org/2002/xforms}"
TODAY = timezone.localdate()


def basic(user, password: str = f.PASSWORD) -> dict:
    token = base64.b64encode(f"{user.username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def form_version(kind: str) -> str:
    return xforms.xform(kind)[1]


def clearance_xml(site, instance_id: uuid.UUID, *, photos=("a.jpg", "b.jpg"), deprecated: uuid.UUID | None = None,
                  **values) -> bytes:
    fields = {
        "activity_date": str(TODAY - timedelta(days=1)), "project": "", "admin_area": "", "place_name": "Al-Mashlab",
        "location": "35.95 39.01 250.0 6.5", "polygon": "", "site": str(site.pk), "stage": "progress",
        "method": "manual", "start_date": str(TODAY - timedelta(days=5)), "end_date": str(TODAY - timedelta(days=1)),
        "cancelled_area_m2": "0", "reduced_area_m2": "100", "cleared_area_m2": "1200", "depth_cm": "30",
        "handover_date": "", "handed_over_to": "", "handover_notes": "", "items_found": "yes", "notes": "",
        **values,
    }
    body = "".join(f"<{k}>{v}</{k}>" for k, v in fields.items())
    body += ("<items><category>uxo</category><quantity>3</quantity><weight_kg>4.5</weight_kg>"
             "<disposal>destroyed_in_situ</disposal></items>")
    body += "".join(f"<photos><photo>{name}</photo><caption>before</caption></photos>" for name in photos)
    meta = f"<instanceID>uuid:{instance_id}</instanceID>"
    if deprecated:
        meta += f"<deprecatedID>uuid:{deprecated}</deprecatedID>"
    xml = (f'<?xml version="1.0"?><data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms"'
           f' id="fieldapp_clearance" version="{form_version("clearance")}">{body}<meta>{meta}</meta></data>')
    return xml.encode()


def photo(name: str, color: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, small_jpeg(640 + color, 480), content_type="image/jpeg")


def submit(client, user, xml: bytes, *files, **headers):
    data = {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, content_type="text/xml")}
    for upload in files:
        data[upload.name] = upload
    return client.post("/openrosa/submission", data, **basic(user), **headers)


def message(response) -> tuple[str, str]:
    root = ElementTree.fromstring(response.content)
    node = root.find("{http://openrosa.org/http/response}message")
    return node.get("nature", ""), node.text or ""


# Headers, authentication ----------------------------------------------------------------------------------------------


def test_a_request_without_credentials_gets_401_with_the_challenge_collect_answers(client, collector):
    response = client.get("/openrosa/formList")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic realm=")
    assert response["X-OpenRosa-Version"] == "1.0" and response["Date"]
    assert message(response)[0] == "error"


def test_a_wrong_password_gets_401_and_repeated_ones_lock_the_account_out(client, collector, settings):
    """The sign-in lockout (django-axes) counts wrong passwords typed in Collect like any other."""
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(2):
        wrong = client.get("/openrosa/formList", **basic(collector, "guess"))
        assert wrong.status_code == 401 and wrong["WWW-Authenticate"].startswith("Basic")

    assert client.get("/openrosa/formList", **basic(collector, "guess")).status_code == 429
    locked = client.get("/openrosa/formList", **basic(collector))

    assert locked.status_code == 429 and message(locked)[0] == "error"
    assert locked["X-OpenRosa-Version"] == "1.0"


def test_form_list_gives_each_form_with_version_hash_and_urls_that_work(client, collector):
    response = client.get("/openrosa/formList", **basic(collector))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    ns = "{http://openrosa.org/xforms/xformsList}"
    forms = ElementTree.fromstring(response.content).findall(f"{ns}xform")
    assert {x.find(f"{ns}formID").text for x in forms} == set(xforms.KINDS)
    for entry in forms:
        download = client.get(entry.find(f"{ns}downloadUrl").text, **basic(collector))
        assert download.status_code == 200
        assert entry.find(f"{ns}hash").text == "md5:" + hashlib.md5(download.content).hexdigest()
        root = ElementTree.fromstring(download.content)
        data = root.find(f".//{XF}instance/*")
        assert data.get("version") == entry.find(f"{ns}version").text
        manifest = client.get(entry.find(f"{ns}manifestUrl").text, **basic(collector))
        assert manifest.status_code == 200


def test_the_manifest_lists_the_users_pick_lists_with_hashes_of_what_they_download(client, collector, site, other_org):
    other_site = f.site(other_org, name="Nineveh bridge")
    mns = "{http://openrosa.org/xforms/xformsManifest}"

    manifest = client.get("/openrosa/forms/fieldapp_clearance/manifest", **basic(collector))

    files = ElementTree.fromstring(manifest.content).findall(f"{mns}mediaFile")
    assert {m.find(f"{mns}filename").text for m in files} == {"sites.csv", "admin_areas.csv", "grants.csv"}
    for entry in files:
        content = client.get(entry.find(f"{mns}downloadUrl").text, **basic(collector)).content
        assert entry.find(f"{mns}hash").text == "md5:" + hashlib.md5(content).hexdigest()
    sites = list(csv.DictReader(io.StringIO(
        client.get("/openrosa/forms/fieldapp_clearance/media/sites.csv", **basic(collector)).content.decode())))
    assert [row["name"] for row in sites] == [str(site.pk)]
    assert str(other_site.pk) not in {row["name"] for row in sites}


def test_a_user_without_a_team_sees_no_forms_and_cannot_submit(client, supervisor, site):
    listed = client.get("/openrosa/formList", **basic(supervisor))
    assert listed.status_code == 200 and b"<xform>" not in listed.content
    assert client.get("/openrosa/forms/fieldapp_eore/form.xml", **basic(supervisor)).status_code == 404

    response = submit(client, supervisor, clearance_xml(site, uuid.uuid4()))

    assert response.status_code == 403 and "team" in message(response)[1]
    assert not Report.objects.exists()


def test_the_pre_flight_head_answers_204_with_the_size_accepted(client, collector):
    response = client.head("/openrosa/submission", **basic(collector))

    assert response.status_code == 204
    assert int(response["X-OpenRosa-Accept-Content-Length"]) > 1_000_000
    assert response["X-OpenRosa-Version"] == "1.0" and response["Date"]


# Submissions ----------------------------------------------------------------------------------------------------------


def test_a_submission_split_over_two_posts_makes_one_report_with_both_photos(client, collector, site):
    instance_id = uuid.uuid4()
    xml = clearance_xml(site, instance_id)

    first = submit(client, collector, xml, photo("a.jpg"))

    assert first.status_code == 201 and message(first)[0] == "submit_success"
    report = ClearanceReport.objects.get(uuid=instance_id)
    assert report.status == Report.Status.SUBMITTED and report.captured_by == collector
    assert report.photos_expected == 2 and report.waiting_for_photos
    assert (report.cleared_area_m2, report.gps_accuracy_m, report.items.get().quantity) == (1200, 6.5, 3)
    assert report.reference in message(first)[1]

    second = submit(client, collector, xml, photo("b.jpg", 1))

    assert second.status_code == 201
    report.refresh_from_db()
    assert report.photos.count() == 2 and not report.waiting_for_photos


def test_a_resend_answers_success_and_stores_nothing_new(client, collector, site):
    instance_id = uuid.uuid4()
    xml = clearance_xml(site, instance_id, photos=("a.jpg",))
    submit(client, collector, xml, photo("a.jpg"))

    again = submit(client, collector, xml, photo("a.jpg"))

    assert again.status_code == 201 and message(again)[0] == "submit_success"
    assert Report.objects.count() == 1 and Photo.objects.count() == 1 and OpenRosaInstance.objects.count() == 1
    assert Report.objects.get().review_events.count() == 1


def test_a_different_body_with_the_same_instance_id_is_a_conflict(client, collector, site):
    instance_id = uuid.uuid4()
    submit(client, collector, clearance_xml(site, instance_id, photos=()))

    response = submit(client, collector, clearance_xml(site, instance_id, photos=(), cleared_area_m2="999"))

    assert response.status_code == 409 and message(response)[0] == "error"
    assert ClearanceReport.objects.get().cleared_area_m2 == 1200


def test_a_submission_that_breaks_rules_is_refused_with_each_rules_message(client, collector, site):
    xml = clearance_xml(site, uuid.uuid4(), photos=(), cleared_area_m2="-5",
                        end_date=str(TODAY - timedelta(days=9)))

    response = submit(client, collector, xml)

    assert response.status_code == 400
    text = message(response)[1]
    assert "The end date is before the start date." in text
    assert str(rules.number_rule("clearance", "cleared_area_m2").message) in text
    assert not Report.objects.exists()


def test_rule_messages_come_in_arabic_for_an_arabic_phone(client, collector, site):
    xml = clearance_xml(site, uuid.uuid4(), photos=(), end_date=str(TODAY - timedelta(days=9)))

    response = submit(client, collector, xml, HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 400 and "تاريخ الانتهاء يسبق تاريخ البدء" in message(response)[1]


def test_another_teams_site_is_refused(client, collector, other_org):
    foreign = f.site(other_org)

    response = submit(client, collector, clearance_xml(foreign, uuid.uuid4(), photos=()))

    assert response.status_code == 400 and not Report.objects.exists()


@pytest.mark.parametrize("body", [
    b"not xml at all",
    b"<data id='fieldapp_clearance'><unclosed></data>",
    b"<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;'>]>"
    b"<data id='fieldapp_clearance'>&lol2;</data>",
    b"<data id='someone_elses_form'><meta><instanceID>uuid:" + str(uuid.uuid4()).encode() + b"</instanceID></meta></data>",
    b"<data id='fieldapp_eore'><meta><instanceID>not-a-uuid</instanceID></meta></data>",
    b"<data id='fieldapp_eore'><place_type>school</place_type></data>",
    b"<data id='fieldapp_eore'><notes>" + b"x" * 1_000_001 + b"</notes></data>",
])
def test_bad_xml_and_xml_bombs_get_400_and_store_nothing(client, collector, body):
    response = submit(client, collector, body)

    assert response.status_code in (400, 413) and message(response)[0] == "error"
    assert not Report.objects.exists()


def test_a_body_over_the_announced_size_is_refused_before_it_is_read(client, collector, settings, site):
    settings.OPENROSA_MAX_SUBMISSION_BYTES = 50_000

    response = submit(client, collector, clearance_xml(site, uuid.uuid4()), photo("a.jpg"), photo("b.jpg", 1))

    assert response.status_code == 413 and not Report.objects.exists()


def test_a_post_without_the_instance_file_is_refused(client, collector):
    response = client.post("/openrosa/submission", {"other": "x"}, **basic(collector))

    assert response.status_code == 400 and not Report.objects.exists()


def test_an_edited_instance_updates_a_returned_report(client, collector, supervisor, site):
    first_id = uuid.uuid4()
    submit(client, collector, clearance_xml(site, first_id, photos=()))
    report = ClearanceReport.objects.get()
    workflow.return_for_correction(report, supervisor, "The cleared area looks too large.")

    edited = submit(client, collector, clearance_xml(site, uuid.uuid4(), photos=(), deprecated=first_id,
                                                     cleared_area_m2="800"))

    assert edited.status_code == 201 and "correction" in message(edited)[1]
    report.refresh_from_db()
    assert (report.cleared_area_m2, report.status, report.uuid) == (800, Report.Status.SUBMITTED, first_id)
    assert report.items.count() == 1 and Report.objects.count() == 1


def test_an_edited_instance_of_a_report_with_the_supervisor_is_a_conflict(client, collector, site):
    first_id = uuid.uuid4()
    submit(client, collector, clearance_xml(site, first_id, photos=()))

    edited = submit(client, collector, clearance_xml(site, uuid.uuid4(), photos=(), deprecated=first_id,
                                                     cleared_area_m2="800"))

    assert edited.status_code == 409
    assert ClearanceReport.objects.get().cleared_area_m2 == 1200


def test_an_edited_instance_never_received_is_a_new_report(client, collector, site):
    response = submit(client, collector, clearance_xml(site, uuid.uuid4(), photos=(), deprecated=uuid.uuid4()))

    assert response.status_code == 201 and Report.objects.count() == 1


def test_someone_else_resending_an_instance_id_is_a_conflict(client, collector, teammate, site):
    xml = clearance_xml(site, uuid.uuid4(), photos=())
    submit(client, collector, xml)

    assert submit(client, teammate, xml).status_code == 409


def test_an_eore_session_gets_its_total_from_the_grid(client, collector):
    instance_id = uuid.uuid4()
    xml = (f'<data id="fieldapp_eore" version="x"><activity_date>{TODAY}</activity_date><place_type>school'
           f"</place_type><delivery_method>face_to_face_group</delivery_method><female_5_12>12</female_5_12>"
           f"<male_5_12>9</male_5_12><total_participants>21</total_participants>"
           f"<persons_with_disabilities>2</persons_with_disabilities>"
           f"<meta><instanceID>uuid:{instance_id}</instanceID></meta></data>").encode()

    response = submit(client, collector, xml)

    assert response.status_code == 201, message(response)
    session = EoreSession.objects.get(uuid=instance_id)
    assert (session.total_participants, session.persons_with_disabilities) == (21, 2)


# The generated forms --------------------------------------------------------------------------------------------------


def binds(kind: str) -> dict[str, dict]:
    root = ElementTree.fromstring(xforms.xform(kind)[0].encode())
    return {b.get("nodeset").removeprefix("/data/"): b.attrib for b in root.iter(f"{XF}bind")}


def test_the_clearance_form_carries_the_rules_as_constraints_and_relevance():
    found = binds("clearance")

    assert found["cleared_area_m2"]["constraint"] == "(. >= 0 and . <= 100000000)"
    assert found["items/quantity"]["constraint"] == "(. >= 1 and . <= 100000)"
    assert "start_date" in found["end_date"]["constraint"] and "today()" in found["end_date"]["constraint"]
    assert found["handover_date"]["relevant"].strip() == "/data/stage  = 'completion'"
    assert found["handover_date"]["required"] == "true()"
    assert found["site"]["required"] == "true()"


def test_the_eore_total_is_calculated_from_the_grid_and_caps_the_other_counts():
    found = binds("eore")

    assert "/data/female_0_4" in found["total_participants"]["calculate"]
    assert "/data/male_60_plus" in found["total_participants"]["calculate"]
    assert "/data/total_participants" in found["persons_with_disabilities"]["constraint"]


def test_constraint_messages_are_in_english_and_arabic():
    xml = xforms.xform("clearance")[0]

    assert "The end date is before the start date." in xml
    assert "تاريخ الانتهاء يسبق تاريخ البدء" in xml
    assert 'lang="Arabic (ar)"' in xml


def test_a_changed_rule_set_changes_every_forms_version(monkeypatch):
    before = {kind: form_version(kind) for kind in xforms.FORM_IDS}

    monkeypatch.setattr(rules, "version", lambda: "sha256-another-rule-set")

    assert all(form_version(kind) != before[kind] for kind in xforms.FORM_IDS)
    assert re.search(r'version="([0-9a-f]+)"', xforms.xform("survey")[0]).group(1) == form_version("survey")


def test_an_administrator_in_a_team_may_use_collect_too(client, org, team):
    admin = f.user(Role.ADMINISTRATOR, org, team, username="imo-field")

    assert b"<xform>" in client.get("/openrosa/formList", **basic(admin)).content


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_instance_sent_at_once_from_several_connections_stores_one_report(collector, site):
    """Collect retrying a slow POST while the first is still being stored."""
    xml = clearance_xml(site, uuid.uuid4(), photos=("a.jpg",))
    start = threading.Barrier(4)
    results: dict = {}

    def send():
        start.wait(10)
        return submit(Client(), collector, xml, photo("a.jpg"))

    threads = [in_thread(send, results, str(i)) for i in range(4)]
    for thread in threads:
        thread.join(60)

    assert all(not isinstance(r, Exception) for r in results.values()), results
    assert {r.status_code for r in results.values()} == {201}
    assert (Report.objects.count(), Photo.objects.count(), OpenRosaInstance.objects.count()) == (1, 1, 1)

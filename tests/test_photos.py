"""Photo uploads against real files: what is stored, what is refused (with nothing stored), and who may see a photo."""

import io
import uuid
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from surveys import photos
from surveys.models import PendingPhoto, Photo, Report
from tests import factories as f
from tests import images


@pytest.fixture(scope="module")
def camera_photo() -> bytes:
    return images.camera_jpeg()


@pytest.fixture
def report(collector):
    return f.survey(collector)


def stored_files(folder: str = "") -> list[str]:
    """Every file in the photo storage: the test's disk folder, or its prefix in the bucket (S3_TEST_ENDPOINT)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # nothing stored on disk yet
        return []
    return [folder + name for name in files] + [f for sub in folders for f in stored_files(f"{folder}{sub}/")]


def refuse(report, collector, data: bytes, name: str = "photo.jpg") -> str:
    with pytest.raises(ValidationError) as refused:
        photos.add_photo(report, images.upload(data, name), collector)
    return " ".join(refused.value.messages)


# Accepted ----------------------------------------------------------------------------------------------------------------


def test_it_stores_a_camera_photo_downscaled_upright_and_without_metadata(report, collector, camera_photo):
    assert len(camera_photo) > 1_500_000

    photo, created = photos.add_photo(report, images.upload(camera_photo), collector, caption="North wall")

    assert created
    assert sorted(stored_files()) == sorted([photo.image.name, photo.thumbnail.name])
    photo.refresh_from_db()
    with Image.open(photo.image.open("rb")) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (1200, 1600)  # orientation 6 applied: the 4000×3000 landscape is a portrait photo
        assert not stored.getexif()  # camera model, GPS, orientation: all dropped
        assert "exif" not in stored.info
    assert (photo.width, photo.height) == (1200, 1600)
    assert photo.bytes < len(camera_photo) / 3
    with Image.open(photo.thumbnail.open("rb")) as thumb:
        assert max(thumb.size) <= photos.THUMB_EDGE_PX
    assert photo.taken_at == datetime(2026, 11, 20, 9, 30, 15, tzinfo=UTC)
    assert photo.latitude == pytest.approx(35.95)
    assert photo.longitude == pytest.approx(39.01)
    assert photo.caption == "North wall"


def test_it_accepts_photos_whose_pixel_data_happens_to_contain_markup_characters(report, collector):
    # Compressed pixel data is random-looking: short patterns such as "<%" turn up in it by chance, and a photo must
    # not be refused for that.
    data = None
    for sigma in range(30, 90, 5):
        noise = Image.merge("RGB", [Image.effect_noise((800, 600), sigma) for _ in range(3)])
        out = io.BytesIO()
        noise.save(out, "JPEG", quality=90)
        if b"<%" in out.getvalue():
            data = out.getvalue()
            break
    assert data is not None

    photo, created = photos.add_photo(report, images.upload(data), collector)

    assert created and photo.width == 800


def test_it_accepts_a_two_picture_mpo_from_a_phone_camera(report, collector):
    out = io.BytesIO()
    images.scene(800, 600).save(out, "MPO", save_all=True, append_images=[images.scene(800, 600, seed=2)])

    photo, created = photos.add_photo(report, images.upload(out.getvalue()), collector)

    assert created and (photo.width, photo.height) == (800, 600)


def test_it_accepts_a_progressive_jpeg_with_restart_markers(report, collector):
    out = io.BytesIO()
    images.scene(900, 700).save(out, "JPEG", quality=85, progressive=True, restart_marker_blocks=4)

    photo, created = photos.add_photo(report, images.upload(out.getvalue()), collector)

    assert created and photo.width == 900


def test_it_puts_a_transparent_png_on_white(report, collector):
    photo, _ = photos.add_photo(report, images.upload(images.png_with_alpha(), "drawing.png", "image/png"), collector)

    with Image.open(photo.image.open("rb")) as stored:
        red, green, blue = stored.getpixel((10, 10))
    assert red > 240 and 110 < green < 145 and 110 < blue < 145


def test_it_accepts_webp(report, collector):
    out = io.BytesIO()
    images.scene(500, 400).save(out, "WEBP", quality=80)

    photo, created = photos.add_photo(report, images.upload(out.getvalue(), "p.webp", "image/webp"), collector)

    assert created and photo.width == 500


def test_it_stores_a_photo_sent_twice_once(report, collector):
    photo_id = uuid.uuid4()
    first, created_first = photos.add_photo(report, images.upload(images.small_jpeg()), collector, photo_id=photo_id)
    again, created_again = photos.add_photo(report, images.upload(images.small_jpeg()), collector, photo_id=photo_id)

    assert created_first and not created_again
    assert first.pk == again.pk
    assert report.photos.count() == 1


# Refused, with nothing stored --------------------------------------------------------------------------------------------


def test_it_refuses_a_truncated_jpeg(report, collector, media_root):
    message = refuse(report, collector, images.truncated_jpeg())

    assert "damaged or incomplete" in message
    assert not Photo.objects.exists() and stored_files() == []


def test_it_refuses_a_png_decompression_bomb(report, collector, media_root):
    bomb = images.png_bomb()
    assert len(bomb) < 100_000  # a few KB on the wire, 200 million pixels once decoded

    message = refuse(report, collector, bomb, "bomb.png")

    assert "too many pixels" in message
    assert not Photo.objects.exists() and stored_files() == []


def test_it_refuses_an_image_over_the_pixel_limit_below_pillows_own(report, collector, media_root):
    message = refuse(report, collector, images.png_bomb(8_000, 7_000), "big.png")

    assert "too many pixels" in message and "56 megapixels" in message
    assert stored_files() == []


def test_it_refuses_a_text_file_renamed_jpg(report, collector, media_root):
    message = refuse(report, collector, images.text_as_jpg(), "notes.jpg")

    assert "not a photo we can read" in message
    assert not Photo.objects.exists() and stored_files() == []


def test_it_refuses_a_jpeg_with_a_script_appended(report, collector, media_root):
    message = refuse(report, collector, images.jpeg_with_script())

    assert "something other than an image" in message
    assert not Photo.objects.exists() and stored_files() == []


def test_it_refuses_a_jpeg_with_a_script_in_its_comment(report, collector):
    out = io.BytesIO()
    images.scene(400, 300).save(out, "JPEG", comment=b"<script src=//evil.example/x.js></script>")

    assert "something other than an image" in refuse(report, collector, out.getvalue())


def test_it_refuses_a_gif(report, collector):
    out = io.BytesIO()
    images.scene(100, 100).save(out, "GIF")

    assert "Only JPEG, PNG and WebP" in refuse(report, collector, out.getvalue(), "a.gif")


def test_it_refuses_a_file_over_15_mb(report, collector):
    assert "too large" in refuse(report, collector, b"\xff\xd8" + b"\0" * photos.MAX_BYTES)


def test_it_refuses_an_empty_file(report, collector):
    assert "empty" in refuse(report, collector, b"")


# Who sees a photo --------------------------------------------------------------------------------------------------------


@pytest.fixture
def stored_photo(collector, project):
    report = f.survey(collector, project=project)
    photo, _ = photos.add_photo(report, images.upload(images.small_jpeg()), collector)
    return photo


@pytest.mark.parametrize("persona, status", [
    ("collector", 200), ("teammate", 200), ("supervisor", 200), ("imofficer", 200),
    ("donor", 404), ("outsider", 404), ("other_supervisor", 404),
])
@pytest.mark.parametrize("url_name", ["photo", "photo_thumbnail"])
def test_photo_urls_answer_only_those_who_may_see_the_report(client, request, stored_photo, persona, status, url_name):
    f.set_status(stored_photo.report, Report.Status.APPROVED)  # a donor's grant: figures yes, photos never
    client.force_login(request.getfixturevalue(persona))

    response = client.get(f"/en/photos/{stored_photo.pk}/" + ("thumbnail/" if url_name == "photo_thumbnail" else ""))

    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, max-age=86400"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_photo_urls_send_anonymous_visitors_to_sign_in(client, stored_photo):
    response = client.get(f"/en/photos/{stored_photo.pk}/")

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_stored_photos_have_no_public_media_url(client, collector, stored_photo):
    client.force_login(collector)

    assert client.get(f"/media/{stored_photo.image.name}").status_code == 404
    assert client.get(f"/en/media/{stored_photo.image.name}").status_code == 404


# Photos sent by the page's script before the report is saved ---------------------------------------------------------


def send_pending(client, form_uuid, data: bytes, photo_id=None, **extra):
    return client.post("/en/photos/pending/", {
        "form_uuid": str(form_uuid), "photo_id": str(photo_id or uuid.uuid4()),
        "image": images.upload(data), **extra,
    })


def test_a_photo_sent_ahead_waits_for_its_report_with_the_facts_the_phone_read(client, collector):
    client.force_login(collector)
    form_uuid = uuid.uuid4()

    response = send_pending(client, form_uuid, images.small_jpeg(), taken_at="2026-11-21T08:15:00",
                            latitude="35.951", longitude="٣٩٫٠١٢")

    assert response.status_code == 201
    pending = PendingPhoto.objects.get(pk=response.json()["id"])
    assert pending.form_uuid == form_uuid and pending.uploaded_by == collector
    assert pending.latitude == pytest.approx(35.951) and pending.longitude == pytest.approx(39.012)
    assert pending.taken_at == datetime(2026, 11, 21, 8, 15, tzinfo=UTC)
    assert client.get(response.json()["thumbnail"]).status_code == 200


def test_a_photo_sent_ahead_twice_waits_once(client, collector):
    client.force_login(collector)
    form_uuid, photo_id = uuid.uuid4(), uuid.uuid4()

    first = send_pending(client, form_uuid, images.small_jpeg(), photo_id)
    again = send_pending(client, form_uuid, images.small_jpeg(), photo_id)

    assert first.status_code == again.status_code == 201
    assert PendingPhoto.objects.count() == 1


def test_a_refused_photo_sent_ahead_gets_its_message_and_stores_nothing(client, collector, media_root):
    client.force_login(collector)

    response = send_pending(client, uuid.uuid4(), images.jpeg_with_script())

    assert response.status_code == 400
    assert "something other than an image" in response.json()["error"]
    assert not PendingPhoto.objects.exists() and stored_files() == []


def test_only_the_person_who_chose_a_waiting_photo_sees_it(client, collector, teammate, supervisor):
    client.force_login(collector)
    url = send_pending(client, uuid.uuid4(), images.small_jpeg()).json()["thumbnail"]

    for other in (teammate, supervisor):
        client.force_login(other)
        assert client.get(url).status_code == 404


def test_nobody_may_send_photos_for_a_report_they_cannot_edit(client, collector, donor):
    submitted = f.set_status(f.survey(collector), Report.Status.SUBMITTED)
    client.force_login(collector)
    assert send_pending(client, submitted.uuid, images.small_jpeg()).status_code == 403

    client.force_login(donor)
    assert send_pending(client, uuid.uuid4(), images.small_jpeg()).status_code == 403
    assert not PendingPhoto.objects.exists()

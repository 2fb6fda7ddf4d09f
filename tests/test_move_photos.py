"""manage.py move_photos: photos copied from disk to the bucket and back, resumable, every copy checked by SHA-256.

The bucket is the real S3 server when S3_TEST_ENDPOINT is set (CI: SeaweedFS); without one, a second folder stands in
for it, so the command's logic is tested by `make test` too.
"""

import hashlib
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import CommandError, call_command

from surveys import capture, photos
from surveys.management.commands.move_photos import stored_names
from surveys.models import Photo
from tests import factories as f
from tests import images
from tests.conftest import s3_test_storage


@pytest.fixture
def places(settings, tmp_path):
    """(disk, bucket): the default storage is the disk (MEDIA_ROOT), the bucket is configured but not yet in use."""
    disk = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"base_url": None}}
    settings.STORAGES = {**settings.STORAGES, "default": disk}
    settings.PHOTO_BUCKET_STORAGE = (s3_test_storage(f"move-{uuid.uuid4().hex}") if s3_test_storage else
                                     {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                      "OPTIONS": {"location": str(tmp_path / "bucket")}})
    return FileSystemStorage(location=settings.MEDIA_ROOT), storages.create_storage(settings.PHOTO_BUCKET_STORAGE)


@pytest.fixture
def stored(places, collector):
    """Two photos of a report and one photo waiting for its report, on disk: six files."""
    report = f.survey(collector)
    for seed in (1, 2):
        photos.add_photo(report, images.upload(images.small_jpeg(320 + seed, 240)), collector)
    capture.hold_photo(collector, uuid.uuid4(), images.upload(images.small_jpeg(300, 200)))
    names = list(stored_names())
    assert len(names) == 6
    return names


def digest(storage, name) -> str:
    with storage.open(name, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def move(to: str, *extra) -> str:
    from io import StringIO

    out = StringIO()
    call_command("move_photos", "--to", to, *extra, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_copies_every_photo_to_the_bucket_identically_and_then_skips_them(places, stored):
    disk, bucket = places
    assert "6 copied, 0 skipped" in move("bucket")
    assert all(digest(bucket, name) == digest(disk, name) for name in stored)
    assert "0 copied, 6 skipped" in move("bucket")  # resumable: a second run finds everything there


def test_an_interrupted_run_is_completed_and_a_cut_copy_replaced(places, stored):
    disk, bucket = places
    move("bucket")
    bucket.delete(stored[0])  # never copied
    bucket.delete(stored[1])
    with disk.open(stored[1], "rb") as whole:
        bucket.save(stored[1], ContentFile(whole.read()[:500]))  # cut short
    assert "2 copied, 4 skipped" in move("bucket")
    assert digest(bucket, stored[0]) == digest(disk, stored[0])
    assert digest(bucket, stored[1]) == digest(disk, stored[1])


def test_photos_go_to_the_bucket_and_come_back_to_disk_and_are_served_from_either(
        places, stored, settings, client, collector):
    disk, bucket = places
    originals = {name: digest(disk, name) for name in stored}
    move("bucket", "--delete-source")
    assert not any(disk.exists(name) for name in stored)
    settings.STORAGES = {**settings.STORAGES, "default": settings.PHOTO_BUCKET_STORAGE}  # the servers switch over
    photo = Photo.objects.first()
    client.force_login(collector)
    served = b"".join(client.get(f"/en/photos/{photo.pk}/").streaming_content)
    assert hashlib.sha256(served).hexdigest() == originals[photo.image.name]

    assert "6 copied" in move("disk", "--delete-source")
    assert {name: digest(disk, name) for name in stored} == originals
    assert not any(bucket.exists(name) for name in stored)


def test_a_photo_missing_from_both_places_is_reported_and_the_rest_still_copied(places, stored):
    disk, bucket = places
    disk.delete(stored[2])
    with pytest.raises(CommandError, match="1 missing"):
        move("bucket")
    assert sum(bucket.exists(name) for name in stored) == 5


def test_it_refuses_without_a_bucket(settings):
    settings.PHOTO_BUCKET_STORAGE = None
    with pytest.raises(CommandError, match="AWS_STORAGE_BUCKET_NAME"):
        move("bucket")

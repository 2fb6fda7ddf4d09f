"""Photos in an S3-compatible bucket (marker s3: run when S3_TEST_ENDPOINT names a real S3 server; CI starts
SeaweedFS). The rest of the suite runs its photo tests against the same server then (tests/conftest.py)."""

import hashlib
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from surveys import photos
from tests import factories as f
from tests import images

pytestmark = pytest.mark.s3


def test_a_photo_is_stored_in_the_bucket_and_served_only_through_the_access_checked_view(client, collector, outsider):
    photo, _ = photos.add_photo(f.survey(collector), images.upload(images.camera_jpeg(1200, 900)), collector)
    assert type(default_storage._wrapped).__module__ == "storages.backends.s3"
    options = settings.STORAGES["default"]["OPTIONS"]
    key = f"{options['location']}/{photo.image.name}"
    bucket = default_storage.bucket
    stored = bucket.Object(key).get()["Body"].read()
    assert stored[:2] == b"\xff\xd8" and len(stored) == photo.bytes

    client.force_login(collector)
    response = client.get(f"/en/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert hashlib.sha256(b"".join(response.streaming_content)).digest() == hashlib.sha256(stored).digest()
    client.force_login(outsider)
    assert client.get(f"/en/photos/{photo.pk}/").status_code == 404

    # The bucket itself is private: the object's plain URL, without the keys, is refused.
    with pytest.raises(HTTPError) as refused:
        urlopen(f"{options['endpoint_url']}/{options['bucket_name']}/{key}", timeout=10)  # noqa: S310
    assert refused.value.code in (401, 403)


def test_a_photo_that_loses_a_race_deletes_only_its_own_copy(collector):
    """Two uploads of one photo at once: file_overwrite is off, so the second file gets its own key and the loser's
    clean-up cannot delete the winner's file."""
    first = default_storage.save("race/same.jpg", images.upload(images.small_jpeg()))
    second = default_storage.save("race/same.jpg", images.upload(images.small_jpeg(320, 240)))
    assert first != second
    default_storage.delete(second)
    assert default_storage.exists(first)


def test_healthz_says_which_part_fails_when_the_bucket_refuses_the_keys(client, db, settings):
    assert client.get("/healthz").status_code == 200
    default = settings.STORAGES["default"]
    settings.STORAGES = {**settings.STORAGES, "default": {
        **default, "OPTIONS": {**default["OPTIONS"], "secret_key": "wrong-secret"}}}
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["storage"] == "failing"

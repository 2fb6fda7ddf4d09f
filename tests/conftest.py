"""Personas: a field collector, a supervisor, a donor viewer, an administrator, and outsiders of another organisation."""

import os
import uuid

import pytest
from django.utils import translation

from surveys.models import Role
from tests import factories as f


@pytest.fixture
def org(db):
    return f.organisation(name="Euphrates Mine Action")


@pytest.fixture
def team(org):
    return f.team(org, name="Raqqa Team 1")


@pytest.fixture
def project(org):
    return f.project(org)


@pytest.fixture
def collector(org, team):
    return f.user(Role.COLLECTOR, org, team, username="collector")


@pytest.fixture
def teammate(org, team):
    return f.user(Role.COLLECTOR, org, team, username="teammate")


@pytest.fixture
def supervisor(org):
    return f.user(Role.SUPERVISOR, org, username="supervisor")


@pytest.fixture
def donor(org, project):
    return f.user(Role.DONOR, projects=[project], username="donor")


@pytest.fixture
def imofficer(db):
    return f.user(Role.ADMINISTRATOR, username="imofficer")


@pytest.fixture
def other_org(db):
    return f.organisation(name="Nineveh Clearance Group")


@pytest.fixture
def outsider(other_org):
    """A field collector of another organisation."""
    return f.user(Role.COLLECTOR, other_org, f.team(other_org), username="outsider")


@pytest.fixture
def other_supervisor(other_org):
    return f.user(Role.SUPERVISOR, other_org, username="other_supervisor")


@pytest.fixture
def site(org, team):
    return f.site(org, team=team)


@pytest.fixture(autouse=True)
def english():
    """Each test starts in English: a request for an Arabic page leaves Arabic active in the thread."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores photos under its own temporary folder, never in the project's var/media.

    With S3_TEST_ENDPOINT set (CI starts SeaweedFS), photos go to that S3 server instead, each test under its own key
    prefix in the bucket S3_TEST_BUCKET: the whole suite then runs with photos in object storage.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    if s3_test_storage is not None:
        settings.STORAGES = {**settings.STORAGES, "default": s3_test_storage(f"test-{uuid.uuid4().hex}")}
    return settings.MEDIA_ROOT


S3_TEST_ENDPOINT = os.getenv("S3_TEST_ENDPOINT", "")


def _s3_test_storage(prefix: str) -> dict:
    """The settings of a storage in the test S3 server, under `prefix`, the same options as production's."""
    from django.conf import settings

    base = settings.PHOTO_BUCKET_STORAGE or {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "default_acl": None, "file_overwrite": False, "querystring_auth": True, "querystring_expire": 300}}
    return {"BACKEND": base["BACKEND"], "OPTIONS": {
        **base["OPTIONS"], "bucket_name": os.getenv("S3_TEST_BUCKET", "fieldapp-test"), "endpoint_url": S3_TEST_ENDPOINT,
        "region_name": os.getenv("S3_TEST_REGION", "us-east-1"), "location": prefix,
        "access_key": os.getenv("S3_TEST_ACCESS_KEY", ""), "secret_key": os.getenv("S3_TEST_SECRET_KEY", "")}}


s3_test_storage = _s3_test_storage if S3_TEST_ENDPOINT else None


def pytest_runtest_setup(item):
    if item.get_closest_marker("s3") and not S3_TEST_ENDPOINT:
        pytest.skip("needs an S3 server: set S3_TEST_ENDPOINT (CI starts SeaweedFS; see .ci/run)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright drives Debian's Chromium; background networking off, as the machine has no internet."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters (and anything else cached) do not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api():
    """api(user): a DRF test client signed in as `user` (api(None): anonymous)."""
    from rest_framework.test import APIClient

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make

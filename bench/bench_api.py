"""API v1 timings: a page of a long report list (and its query count), the "waiting for photos" filter, creating a
report, resending it (the idempotent answer), and uploading a photo.

    python bench/bench_api.py [reports]     (default 5000; a throwaway SQLite database under a temp dir)
    python bench/bench_api.py --postgres    (or with DATABASE_URL=postgres://…: PostgreSQL)

Prints medians in milliseconds. On PostgreSQL the script works in test_<name of DATABASE_URL's database> (or
BENCH_DB_NAME: bench/fake_data.py), which it creates and drops.
"""

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="bench_api_"))
os.environ.update({
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789-abcdefghijkl", "ALLOWED_HOSTS": "testserver", "DEBUG": "0", "VAR_DIR": str(TMP),
    "MEDIA_ROOT": str(TMP / "media"), "API_THROTTLE_USER": "100000000/hour", "DJANGO_SETTINGS_MODULE":
    "fieldapp.settings",
})
ARGS = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ARGS.add_argument("reports", nargs="?", type=int, default=5000)
ARGS.add_argument("--postgres", action="store_true", help="PostgreSQL at DATABASE_URL (default .../fieldapp_bench)")
ARGS.add_argument("--keep", action="store_true", help="ignored (accepted as the other benchmarks do)")
ARGS = ARGS.parse_args()
if ARGS.postgres and not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = "postgres://fieldapp:fieldapp@127.0.0.1:5432/fieldapp_bench"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from PIL import Image  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bench import fake_data  # noqa: E402
from surveys.access import GROUP_NAMES  # noqa: E402
from surveys.models import Organisation, Role, SurveyReport, Team, User  # noqa: E402

N = ARGS.reports
RUNS = 20


def median_ms(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def body() -> dict:
    return {
        "uuid": str(uuid.uuid4()), "activity_date": (date.today() - timedelta(days=1)).isoformat(),
        "place_name": "Al-Mashlab", "latitude": 35.95, "longitude": 39.01, "gps_accuracy_m": 8,
        "site_name": "Al-Rashid school", "site_type": "school", "classification": "sha", "evidence": "direct",
        "contamination": ["uxo"], "estimated_area_m2": 12000, "photos_expected": 1,
    }


def jpeg() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (1200, 900), "olive").save(data, "JPEG", quality=85)
    data.seek(0)
    data.name = "photo.jpg"
    return data


def main() -> None:
    setup_test_environment()
    # As a server with persistent connections (CONN_MAX_AGE) would: no reconnection per request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    (TMP / "staticfiles").mkdir()
    if connection.vendor == "sqlite":  # a file, not SQLite's in-memory test database: closer to a server's disk
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(TMP / "test.sqlite3")
    else:
        connection.settings_dict["TEST"]["NAME"] = fake_data.throwaway_name(os.environ["DATABASE_URL"])
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        org = Organisation.objects.create(name="Bench organisation", code="bench")
        team = Team.objects.create(organisation=org, name="Bench team", code="bench-team")
        user = User.objects.create_user("bench", password="x", organisation=org, team=team)
        user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.COLLECTOR]))
        start = time.perf_counter()
        with transaction.atomic():
            for n in range(N):  # one by one: bulk_create cannot make multi-table children
                SurveyReport.objects.create(
                    organisation=org, team=team, captured_by=user, activity_date=date.today() - timedelta(days=n % 300),
                    site_name=f"Site {n}", site_type="school", classification="sha", evidence="direct",
                    estimated_area_m2=1000 + n, photos_expected=n % 3,
                )
        print(f"{connection.vendor}: {N} survey reports stored in {time.perf_counter() - start:.1f} s")

        client = APIClient()
        client.force_authenticate(User.objects.get(pk=user.pk))
        client.get("/api/v1/surveys/")
        profile = os.getenv("PROFILE")
        if profile:
            import cProfile

            cProfile.runctx("for _ in range(5): client.get(profile)", globals(), {"client": client, "profile": profile},
                            sort="cumulative")
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            assert client.get("/api/v1/surveys/?limit=50").status_code == 200
        print(f"GET /api/v1/surveys/?limit=50: {median_ms(lambda: client.get('/api/v1/surveys/?limit=50')):.1f} ms "
              f"median, {len(queries)} queries")
        limit = settings.API_MAX_PAGE_SIZE
        print(f"GET /api/v1/surveys/?limit={limit}: "
              f"{median_ms(lambda: client.get(f'/api/v1/surveys/?limit={limit}')):.1f} ms median")
        waiting = client.get("/api/v1/reports/?waiting_for_photos=true&limit=1").data["count"]
        print(f"GET /api/v1/reports/?waiting_for_photos=true ({waiting} of {N} waiting): "
              f"{median_ms(lambda: client.get('/api/v1/reports/?waiting_for_photos=true')):.1f} ms median")

        bodies = [body() for _ in range(RUNS)]
        created = iter(bodies)
        print(f"POST /api/v1/surveys/ (new): "
              f"{median_ms(lambda: client.post('/api/v1/surveys/', next(created), format='json')):.1f} ms median")
        resent = iter(bodies)
        print(f"POST /api/v1/surveys/ (resend, 200): "
              f"{median_ms(lambda: client.post('/api/v1/surveys/', next(resent), format='json')):.1f} ms median")
        targets = iter(bodies)

        def upload():
            response = client.post(f"/api/v1/reports/{next(targets)['uuid']}/photos/",
                                   {"id": str(uuid.uuid4()), "image": jpeg()}, format="multipart")
            assert response.status_code == 201, response.data

        print(f"POST /api/v1/reports/{{uuid}}/photos/ (1200×900 JPEG): {median_ms(upload):.1f} ms median")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(TMP, ignore_errors=True)  # the SQLite file, the photos uploaded


if __name__ == "__main__":
    main()

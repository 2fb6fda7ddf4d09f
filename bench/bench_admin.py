"""Admin review desk with 10,000 reports: median time and query count of the queue and a review page.

Budget (issue 4): the queue changelist and a review page each answer in under 300 ms, with a query count that does
not depend on the number of reports. Run from the repository root: python bench/bench_admin.py [runs] [--postgres]
(SQLite in a temporary directory; PostgreSQL with --postgres or a postgres DATABASE_URL, in a throwaway test_<name>
database).
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="bench_admin_"))
PARSER = argparse.ArgumentParser(description="Admin review desk timings")
PARSER.add_argument("runs", nargs="?", type=int, default=15)
PARSER.add_argument("--postgres", action="store_true", help="PostgreSQL at DATABASE_URL (default .../fieldapp_bench)")
PARSER.add_argument("--keep", action="store_true", help="ignored (accepted as the other benchmarks do)")
ARGS = PARSER.parse_args()

from bench import fake_data  # noqa: E402

if fake_data.wants_postgres(ARGS.postgres):
    os.environ["MEDIA_ROOT"] = str(TMP / "media")
    DB = fake_data.setup_django(postgres=True)
else:
    os.environ.update({
        "DATABASE_URL": f"sqlite:///{TMP / 'bench.sqlite3'}",
        "VAR_DIR": str(TMP),
        "MEDIA_ROOT": str(TMP / "media"),
        "DJANGO_SETTINGS_MODULE": "tests.settings",  # production settings, DEBUG off, static files without a manifest
        "LOG_LEVEL": "ERROR",
    })

    import django

    django.setup()
    DB = None

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from surveys import workflow  # noqa: E402
from surveys.models import AdminArea, Photo, Report, ReviewEvent, Role  # noqa: E402
from tests import factories as f  # noqa: E402

REPORTS = 10_000
BUDGET_MS = 300
RUNS = ARGS.runs
STATUSES = [Report.Status.SUBMITTED] * 3 + [Report.Status.APPROVED] * 4 + [Report.Status.DRAFT] * 2 + [
    Report.Status.RETURNED]


def build() -> dict:
    """Two organisations, eight teams, 300 sites, 10,000 reports of every type and state, photos on a third."""
    rng = random.Random(4)
    call_command("migrate", verbosity=0)
    now = timezone.now()
    events, photos = [], []
    with transaction.atomic():
        gov = AdminArea.objects.create(level=1, name_en="Ar-Raqqa", name_ar="الرقة", pcode="SY11")
        district = AdminArea.objects.create(level=2, name_en="Ath-Thawrah", pcode="SY1102", parent=gov)
        org, other = f.organisation(name="Euphrates Mine Action"), f.organisation(name="Nineveh Clearance Group")
        supervisor = f.user(Role.SUPERVISOR, org, username="supervisor")
        collectors = [f.user(Role.COLLECTOR, o, f.team(o)) for o in [org] * 6 + [other] * 2]
        sites: dict[int, list] = {}
        for c in collectors:
            sites.setdefault(c.organisation_id, []).extend(
                f.site(c.organisation, team=c.team, admin_area=district) for _ in range(38))
        builders = [
            lambda c: f.survey(c, admin_area=district),
            lambda c: f.clearance(c, rng.choice(sites[c.organisation_id])),
            lambda c: f.eore(c, admin_area=gov),
        ]
        for i in range(REPORTS):
            collector = collectors[i % len(collectors)]
            report = builders[i % 3](collector)
            status = STATUSES[i % len(STATUSES)]
            if status != Report.Status.DRAFT:
                submitted_at = now - timedelta(hours=rng.randint(1, 24 * 60))
                Report.objects.filter(pk=report.pk).update(
                    status=status, submitted_at=submitted_at, flag_no_photo=i % 3 != 0, flag_gps_poor=i % 17 == 0)
                events.append(ReviewEvent(report_id=report.pk, actor=collector, action="submit", at=submitted_at,
                                          from_status="draft", to_status="submitted"))
            if i % 3 == 0:
                photos.append(Photo(report_id=report.pk, image=f"photos/{report.pk}/a.jpg",
                                    thumbnail=f"photos/{report.pk}/a_thumb.jpg", width=1600, height=1200,
                                    uploaded_by=collector))
        ReviewEvent.objects.bulk_create(events, batch_size=1000)
        Photo.objects.bulk_create(photos, batch_size=1000)
        Report.objects.filter(pk__in=[p.report_id for p in photos]).update(photos_received=1)  # as Photo.save counts

    # The report under review: a clearance with items and photos, returned once, corrected and resubmitted.
    collector = collectors[0]
    review = f.clearance(collector, sites[org.pk][0], items=[
        {"category": "uxo", "quantity": 3, "weight_kg": "4.50", "disposal": "destroyed_in_situ"},
        {"category": "ied", "quantity": 1, "weight_kg": "12.00", "disposal": "rendered_safe"},
    ])
    Photo.objects.bulk_create([Photo(report_id=review.pk, image=f"photos/{review.pk}/{n}.jpg",
                                     thumbnail=f"photos/{review.pk}/{n}_t.jpg", uploaded_by=collector)
                               for n in range(4)])
    workflow.submit(review, collector)
    review = workflow.return_for_correction(review, supervisor, "The cleared area does not match the outline")
    review.cleared_area_m2, review.depth_cm = 2_500, 40
    review.save()
    workflow.submit(review, collector)
    return {"supervisor": supervisor, "review": review}


def measure(client: Client, url: str) -> tuple[float, int]:
    """Median milliseconds over RUNS requests (after one warm-up), and the query count of one request."""
    assert client.get(url).status_code == 200, url
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main() -> int:
    setup_test_environment()
    start = time.perf_counter()
    data = build()
    connection.close()  # measure on a fresh connection, as a server process would have
    print(f"{Report.objects.count():,} reports, {Photo.objects.count():,} photos, built in "
          f"{time.perf_counter() - start:.0f} s ({connection.vendor})")
    client = Client()
    client.force_login(data["supervisor"])
    review = data["review"]
    pages = [
        ("queue changelist (submitted, oldest first)", "/en/admin/surveys/report/?status__exact=submitted", True),
        ("review page (resubmitted clearance)", f"/en/admin/surveys/clearancereport/{review.pk}/change/", True),
        ("queue changelist (all reports)", "/en/admin/surveys/report/", False),
        ("clearance changelist, flagged", "/en/admin/surveys/clearancereport/?flag=any", False),
        ("site changelist", "/en/admin/surveys/site/", False),
        ("admin index with queue overview", "/en/admin/", False),
    ]
    over = []
    print(f"{'page':<46} {'median ms':>10} {'queries':>8}")
    for name, url, budgeted in pages:
        median, queries = measure(client, url)
        print(f"{name:<46} {median:>10.1f} {queries:>8}{'  (budget 300 ms)' if budgeted else ''}")
        if budgeted and median >= BUDGET_MS:
            over.append(name)
    if over:
        print(f"OVER BUDGET: {', '.join(over)}")
        return 1
    print(f"within budget: both under {BUDGET_MS} ms")
    return 0


if __name__ == "__main__":
    try:
        status = main()
    finally:
        connection.close()
        if DB is not None:
            DB.teardown()
        shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(status)

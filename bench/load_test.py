"""Load test: 50 phones send reports with three photos each through the API to gunicorn on PostgreSQL, with retries
and duplicate resends (bench/locustfile.py); then the database is checked: zero lost, zero duplicated reports and
photos, no 5xx. Prints reports per second and the 95th percentile of the response times.

    DATABASE_URL=postgres://fieldapp:fieldapp@127.0.0.1:5432/fieldapp_bench python bench/load_test.py \\
        [--phones 50] [--reports 4] [--port 8105] [--seconds 240]

Works in test_<name> of DATABASE_URL's database (created, then dropped); gunicorn and locust listen and connect on
127.0.0.1 only, and both are stopped at the end. Bounded: each phone sends --reports reports, and locust stops after
--seconds whatever happens.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import fake_data  # noqa: E402

ROOT = HERE.parent
BIN = Path(sys.executable).parent


def seed(phones: int) -> dict[str, str]:
    """One organisation, ten teams, a field collector per phone, each with an API token."""
    from django.contrib.auth.models import Group

    from surveys import accounts
    from surveys.access import GROUP_NAMES
    from surveys.models import Organisation, Role, Team, User

    org = Organisation.objects.create(name="Load test operator", code="load")
    teams = [Team.objects.create(organisation=org, name=f"Team {i}", code=f"load-{i}") for i in range(10)]
    group = Group.objects.get(name=GROUP_NAMES[Role.COLLECTOR])
    tokens = {}
    for i in range(phones):
        user = User.objects.create_user(f"phone{i:02d}", password="load-pass-2026", organisation=org,
                                        team=teams[i % len(teams)])
        user.groups.add(group)
        _device, tokens[user.username] = accounts.issue_token(user, f"load test {user.username}")
    return tokens


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers (401 without a token)
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer at {url}")


def check(results: dict) -> dict:
    """Compare what the phones meant to store with the database."""
    from django.db.models import Count

    from surveys.models import Photo, Report

    intents = results["intents"]
    wanted = {i["uuid"]: set(i["photos"]) for i in intents}
    stored = {str(u): n for u, n in Report.objects.values_list("uuid").annotate(n=Count("photos"))}
    photos: dict[str, set[str]] = {}
    for report_uuid, photo_id in Photo.objects.values_list("report__uuid", "id"):
        photos.setdefault(str(report_uuid), set()).add(str(photo_id))
    lost_reports = [u for u in wanted if u not in stored]
    extra_reports = [u for u in stored if u not in wanted]
    lost_photos = sum(len(ids - photos.get(u, set())) for u, ids in wanted.items())
    extra_photos = sum(len(photos.get(u, set()) - ids) for u, ids in wanted.items())
    counters_wrong = Report.objects.exclude(photos_received=3).count()
    return {
        "reports_meant": len(wanted), "reports_stored": Report.objects.count(),
        "photos_meant": sum(len(v) for v in wanted.values()), "photos_stored": Photo.objects.count(),
        "lost_reports": len(lost_reports), "duplicated_or_unexpected_reports": len(extra_reports),
        "lost_photos": lost_photos, "duplicated_or_unexpected_photos": extra_photos,
        "photo_counters_wrong": counters_wrong,
        "waiting_for_photos": Report.objects.waiting_for_photos().count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="Load test of the API with locust")
    parser.add_argument("--phones", type=int, default=50)
    parser.add_argument("--reports", type=int, default=4, help="reports per phone")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", "8105")))
    parser.add_argument("--seconds", type=int, default=240, help="locust stops after this, whatever happens")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    if not fake_data.wants_postgres():
        os.environ["DATABASE_URL"] = fake_data.DEFAULT_POSTGRES
    db = fake_data.setup_django(postgres=True)
    tmp = Path(tempfile.mkdtemp(prefix="fieldapp-load-"))
    server = None
    try:
        tokens = seed(args.phones)
        (tmp / "tokens.json").write_text(json.dumps(tokens))
        from django.db import connection

        connection.close()
        base = f"http://127.0.0.1:{args.port}"
        env = {**os.environ, **db.env, "DJANGO_SETTINGS_MODULE": "fieldapp.settings", "DEBUG": "0",
               "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789-abcdefghijkl", "ALLOWED_HOSTS": "127.0.0.1", "SECURE_COOKIES": "0",
               "MEDIA_ROOT": str(tmp / "media"), "API_THROTTLE_USER": "1000000/hour", "LOG_LEVEL": "WARNING"}
        # The production settings keep the cache (API throttles) in a database table: make it, as `make serve` does.
        subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
        log = (tmp / "gunicorn.log").open("w")  # noqa: SIM115 - open for the server's lifetime, closed below
        # The README's production settings: gthread workers, whose timeout does not cut a long response.
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "fieldapp.wsgi", "--bind", f"127.0.0.1:{args.port}", "--workers",
             str(args.workers), "--worker-class", "gthread", "--threads", "4", "--timeout", "30"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
        wait_for(base + "/api/v1/reports/")
        started = time.time()
        subprocess.run(
            [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless", "--host", base,
             "--users", str(args.phones), "--spawn-rate", str(max(args.phones // 5, 1)),
             "--run-time", f"{args.seconds}s", "--stop-timeout", "30", "--csv", str(tmp / "load"), "--only-summary",
             "--loglevel", "WARNING"],
            cwd=ROOT, env={**env, "LOAD_TOKENS": str(tmp / "tokens.json"), "LOAD_RESULTS": str(tmp / "results.json"),
                           "LOAD_REPORTS": str(args.reports)},
            timeout=args.seconds + 120, check=False)
        elapsed = time.time() - started
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
            log.close()
    try:
        results = json.loads((tmp / "results.json").read_text())
        found = check(results)
        with (tmp / "load_stats.csv").open() as rows:
            stats = {row["Name"]: row for row in csv.DictReader(rows)}
        total = stats["Aggregated"]
        intents = results["intents"]
        span = (max(i["at"] for i in intents) - started) if intents else elapsed
        print(f"{args.phones} phones × {args.reports} reports × 3 photos, gunicorn {args.workers} gthread workers on "
              f"PostgreSQL (127.0.0.1:{args.port}); machine shared with other work")
        for name, row in stats.items():
            print(f"  {name:<24} requests {row['Request Count']:>6}  failures {row['Failure Count']:>4}  "
                  f"median {row['50%']:>6} ms  p95 {row['95%']:>6} ms")
        print(f"  reports/s: {len(intents) / span:.1f} ({len(intents)} complete reports in {span:.0f} s)")
        print(f"  p95 of all requests: {total['95%']} ms")
        print(f"  5xx answers: {len(results['server_errors'])}; requests given up after retries: "
              f"{len(results['gave_up'])}")
        for key, value in found.items():
            print(f"  {key}: {value}")
        bad = (found["lost_reports"] or found["duplicated_or_unexpected_reports"] or found["lost_photos"]
               or found["duplicated_or_unexpected_photos"] or found["photo_counters_wrong"]
               or results["server_errors"] or found["reports_meant"] < args.phones * args.reports)
        print("FAILED" if bad else "zero lost, zero duplicated, no 5xx")
        return 1 if bad else 0
    finally:
        from django.db import connection

        connection.close()
        db.teardown()


if __name__ == "__main__":
    sys.exit(main())

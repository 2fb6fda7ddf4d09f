"""Benchmark: streaming CSV exports of 100,000 reports against the floor, and the memory they take.

    python bench/bench_exports.py              # SQLite, in a temporary directory
    python bench/bench_exports.py --postgres   # PostgreSQL at DATABASE_URL (default .../fieldapp_bench)

Budgets (issue 5): exporting 100,000 reports grows the process's peak memory by less than 50 MB, and takes at most 3×
the floor: a bare csv.writer over values_list() of the same rows and columns.

Each export is downloaded through the real view (Django's test client, signed in), consuming the streamed response.
Time is the best of three runs. Memory is measured in a fresh child process per export, so that memory freed by an
earlier run cannot hide growth: peak RSS growth (VmHWM, reset before the export) and the tracemalloc peak of Python
allocations (a second pass, as tracing slows the run).
"""

import argparse
import csv
import gc
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fake_data  # noqa: E402

MEMORY_BUDGET_MB = 50
TIME_BUDGET = 3.0
RUNS = 3
# (user, export, query): the shared columns of every report, each type, and a donor's (rounded points, fewer rows).
CASES = [
    ("imofficer", "reports", {}),
    ("imofficer", "surveys", {}),
    ("imofficer", "clearances", {"photos": "1"}),
    ("imofficer", "eore", {}),
    ("imofficer", "items", {}),
    ("donor", "reports", {}),
]


class Sink:
    """A file that forgets what it is given, so the floor measures producing CSV, not storing it."""

    def write(self, text: str) -> int:
        return len(text)


def _client(username: str):
    from django.test import Client

    from surveys.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _download(client, slug: str, query: dict) -> int:
    response = client.get(f"/en/figures/exports/{slug}.csv?{urlencode(query)}")
    assert response.status_code == 200, response.status_code
    return sum(len(chunk) for chunk in response.streaming_content)


def _floor(username: str, slug: str, query: dict) -> tuple[int, float]:
    """A bare csv.writer over values_list() of the same rows (same access filter) and the same lookups."""
    from django.test import RequestFactory

    from surveys import exports
    from surveys.indicators import Filters
    from surveys.models import User

    user = User.objects.get(username=username)
    export = exports.EXPORTS[slug]
    options = exports.Options(photos=query.get("photos") == "1")
    plan = exports.Plan(export, user, options, RequestFactory().get("/"))
    records = export.records(user, Filters())
    started = time.perf_counter()
    rows = records.values_list(*plan.lookups)
    writer = csv.writer(Sink())
    writer.writerow(plan.header)
    writer.writerows(rows)
    return len(rows), time.perf_counter() - started


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def measure_memory(username: str, slug: str, query: dict) -> dict:
    """In this (fresh) process: peak RSS growth and tracemalloc peak while one export is consumed."""
    client = _client(username)
    _download(client, slug, {**query, "date_from": "2099-01-01"})  # warm up: imports, templates, connection
    gc.collect()
    rss_before = _rss_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
    size = _download(client, slug, query)
    rss_growth_mb = (_rss_kb("VmHWM") - rss_before) / 1024
    gc.collect()
    tracemalloc.start()
    _download(client, slug, query)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"bytes": size, "rss_growth_mb": rss_growth_mb, "tracemalloc_peak_mb": peak / 2**20}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL (DATABASE_URL or fieldapp_bench)")
    parser.add_argument("--reports", type=int, default=100_000, help="how many reports to make (default 100,000)")
    parser.add_argument("--keep", action="store_true", help="PostgreSQL: keep the database for the next run")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: measure memory of one case in this process
    args = parser.parse_args()

    if args.child:
        request = json.loads(args.child)
        fake_data.setup_django(child_env=request["env"])
        print(json.dumps(measure_memory(*request["case"])))
        return 0

    started = time.perf_counter()
    db = fake_data.setup_django(postgres=args.postgres, keep=args.keep)
    from django.db import connection

    fake_data.seed(args.reports)
    print(f"Exports benchmark on {connection.vendor}, {args.reports:,} reports "
          f"(set up in {time.perf_counter() - started:.0f} s)")
    print(f"{'user':<10} {'export':<17} {'rows':>8} {'MB out':>7} {'floor s':>8} {'export s':>9} {'ratio':>6} "
          f"{'RSS +MB':>8} {'py peak MB':>11}  budget")
    failed = False
    try:
        for username, slug, query in CASES:
            client = _client(username)
            floors, timings = [], []
            for _ in range(RUNS):  # interleaved, so that a busy moment of the machine hits both alike
                rows, seconds = _floor(username, slug, query)
                floors.append(seconds)
                t0 = time.perf_counter()
                _download(client, slug, query)
                timings.append(time.perf_counter() - t0)
            floor = min(floors)
            child = subprocess.run(
                [sys.executable, __file__, "--child", json.dumps({"env": db.env, "case": [username, slug, query]})],
                capture_output=True, text=True, check=True)
            memory = json.loads(child.stdout.strip().splitlines()[-1])
            ratio = min(timings) / floor
            ok = ratio <= TIME_BUDGET and memory["rss_growth_mb"] < MEMORY_BUDGET_MB
            failed |= not ok
            label = slug + ("+photos" if query.get("photos") else "")
            print(f"{username:<10} {label:<17} {rows:>8,} {memory['bytes'] / 1e6:>7.1f} {floor:>8.2f} "
                  f"{min(timings):>9.2f} {ratio:>5.2f}× {memory['rss_growth_mb']:>8.1f} "
                  f"{memory['tracemalloc_peak_mb']:>11.1f}  {'ok' if ok else 'OVER'}")
    finally:
        connection.close()
        db.teardown()
    print(f"Budgets: time ≤ {TIME_BUDGET:.0f}× the floor, peak memory growth < {MEMORY_BUDGET_MB} MB: "
          + ("met" if not failed else "NOT MET"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: GeoJSON and XLSX exports of 100,000 reports, and the memory they take.

    python bench/bench_exports_geo_xlsx.py              # SQLite, in a temporary directory
    python bench/bench_exports_geo_xlsx.py --postgres   # PostgreSQL at DATABASE_URL (default .../fieldapp_bench)

Budget (issue 10): exporting 100,000 reports as GeoJSON or XLSX grows the process's peak memory by less than 50 MB.

XLSX files are measured with XLSX_MAX_ROWS raised above the benchmark's size: an XLSX export of more records than
XLSX_MAX_ROWS (default 50,000) is refused before anything is written, with the CSV offered (issue 12), which the last
line checks and times with the limit at half the benchmark's size.

Each export is downloaded through the real view (Django's test client, signed in), consuming the response, in a fresh
child process (bench_exports.measure_memory's method: peak RSS growth, VmHWM reset before the export), so that memory
freed by an earlier run cannot hide growth. Time is one run. The data is bench/fake_data.py's.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_exports  # noqa: E402
import fake_data  # noqa: E402

MEMORY_BUDGET_MB = 50
# (user, path): every report as GeoJSON and as XLSX, one type's richer columns, the sites, a donor's rounded file.
CASES = [
    ("imofficer", "/en/figures/exports/reports.geojson"),
    ("imofficer", "/en/figures/exports/reports.xlsx"),
    ("imofficer", "/en/figures/exports/clearances.xlsx"),
    ("imofficer", "/en/figures/exports/sites.geojson"),
    ("donor", "/en/figures/exports/reports.geojson"),
    ("donor", "/en/figures/exports/reports.xlsx"),
]


def _download(client, path: str, query: dict) -> int:
    response = client.get(f"{path}?{urlencode(query)}")
    assert response.status_code == 200, response.status_code
    return sum(len(chunk) for chunk in response.streaming_content)


def refused(username: str, path: str) -> dict:
    """In this process, at the default XLSX_MAX_ROWS: the refusal's status and time."""
    client = bench_exports._client(username)
    started = time.perf_counter()
    response = client.get(path)
    return {"status": response.status_code, "seconds": time.perf_counter() - started}


def measure(username: str, path: str) -> dict:
    """In this (fresh) process: time and peak RSS growth while one export is consumed."""
    import gc

    client = bench_exports._client(username)
    _download(client, path, {"date_from": "2099-01-01"})  # warm up: imports, templates, connection
    gc.collect()
    rss_before = bench_exports._rss_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
    started = time.perf_counter()
    size = _download(client, path, {})
    seconds = time.perf_counter() - started
    return {"bytes": size, "seconds": seconds, "rss_growth_mb": (bench_exports._rss_kb("VmHWM") - rss_before) / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL (DATABASE_URL or fieldapp_bench)")
    parser.add_argument("--reports", type=int, default=100_000, help="how many reports to make (default 100,000)")
    parser.add_argument("--keep", action="store_true", help="PostgreSQL: keep the database for the next run")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: measure one case in this process
    args = parser.parse_args()

    if args.child:
        request = json.loads(args.child)
        fake_data.setup_django(child_env=request["env"])
        print(json.dumps((refused if request.get("refused") else measure)(*request["case"])))
        return 0

    started = time.perf_counter()
    db = fake_data.setup_django(postgres=args.postgres, keep=args.keep)
    from django.db import connection

    fake_data.seed(args.reports)
    print(f"GeoJSON and XLSX exports benchmark on {connection.vendor}, {args.reports:,} reports "
          f"(set up in {time.perf_counter() - started:.0f} s)")
    print(f"{'user':<10} {'export':<18} {'MB out':>7} {'seconds':>8} {'RSS +MB':>8}  budget")
    failed = False
    try:
        for username, path in CASES:
            env = {**db.env, "XLSX_MAX_ROWS": str(args.reports * 2)}  # see the docstring
            child = subprocess.run(
                [sys.executable, __file__, "--child", json.dumps({"env": env, "case": [username, path]})],
                capture_output=True, text=True, check=True)
            m = json.loads(child.stdout.strip().splitlines()[-1])
            ok = m["rss_growth_mb"] < MEMORY_BUDGET_MB
            failed |= not ok
            print(f"{username:<10} {path.rsplit('/', 1)[1]:<18} {m['bytes'] / 1e6:>7.1f} {m['seconds']:>8.1f} "
                  f"{m['rss_growth_mb']:>8.1f}  < {MEMORY_BUDGET_MB} MB: {'ok' if ok else 'OVER'}", flush=True)
        child = subprocess.run(
            [sys.executable, __file__, "--child", json.dumps({"env": {**db.env, "XLSX_MAX_ROWS": str(args.reports // 2)},
                                                              "refused": True,
                                                              "case": ["imofficer", "/en/figures/exports/reports.xlsx"]})],
            capture_output=True, text=True, check=True)
        m = json.loads(child.stdout.strip().splitlines()[-1])
        failed |= m["status"] != 400
        print(f"imofficer reports.xlsx over XLSX_MAX_ROWS ({args.reports // 2:,}): status {m['status']} in {m['seconds']:.2f} s "
              f"(refused, CSV offered: {'ok' if m['status'] == 400 else 'NOT REFUSED'})", flush=True)
    finally:
        connection.close()
        db.teardown()
    print(f"Budget: peak memory growth < {MEMORY_BUDGET_MB} MB: " + ("met" if not failed else "NOT MET"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

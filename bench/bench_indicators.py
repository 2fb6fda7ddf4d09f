"""Benchmark: the indicators report over 100,000 approved reports.

    python bench/bench_indicators.py              # SQLite, in a temporary directory
    python bench/bench_indicators.py --postgres   # PostgreSQL at DATABASE_URL (default .../fieldapp_bench)

Budget (issue 5): the indicators report answers in under 1 s on PostgreSQL. Timed: indicators.compute() for several
users and filters, and the whole page (Django's test client, signed in); best of five runs after a warm-up. The
query count shows that the work is the database's: it does not grow with the number of reports.

Issue 10 (charts): the page with its server-drawn SVG charts stays under the same 1 s, and its first load on a phone
stays under the form pages' byte budget (100 KB of HTML + CSS + JS, compressed) plus the SVG. Weighed here: the HTML
as Django sends it (uncompressed: no GZipMiddleware, see the README), its inline SVG, and the page's own CSS and JS
gzipped as whitenoise serves them.
"""

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fake_data  # noqa: E402

BUDGET_S = 1.0
RUNS = 5
FORM_PAGE_BUDGET_KB = 100
STATIC = Path(__file__).resolve().parent.parent / "static"


def _page_weight(html: str) -> tuple[int, int, int]:
    """(HTML bytes, inline SVG bytes, gzipped bytes of the CSS and JS files the page loads)."""
    svg = sum(len(m.encode()) for m in re.findall(r"<svg.*?</svg>", html, flags=re.S))
    assets = 0
    for url in re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html):
        assets += len(gzip.compress((STATIC / url).read_bytes(), compresslevel=9))
    return len(html.encode()), svg, assets


def _best(fn) -> float:
    fn()  # warm-up
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL (DATABASE_URL or fieldapp_bench)")
    parser.add_argument("--reports", type=int, default=100_000, help="how many approved reports (default 100,000)")
    parser.add_argument("--keep", action="store_true", help="PostgreSQL: keep the database for the next run")
    args = parser.parse_args()

    started = time.perf_counter()
    db = fake_data.setup_django(postgres=args.postgres, keep=args.keep)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from surveys import indicators
    from surveys.indicators import Filters
    from surveys.models import AdminArea, Report

    people = fake_data.seed(args.reports)
    total = Report.objects.count()
    print(f"Indicators benchmark on {connection.vendor}, {args.reports:,} approved reports of {total:,} "
          f"(set up in {time.perf_counter() - started:.0f} s)")
    governorate = AdminArea.objects.filter(level=1).first()
    year = {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)}
    cases = [
        ("administrator, all time", people.imofficer, Filters()),
        ("administrator, 2024, one governorate", people.imofficer, Filters(**year, governorate=governorate)),
        ("supervisor, all time", people.supervisor, Filters()),
        ("donor, all time", people.donor, Filters()),
        ("donor, 2024, one grant", people.donor, Filters(**year, project=people.donor.projects.first())),
    ]
    on_postgres = connection.vendor == "postgresql"
    failed = False
    print(f"{'case':<40} {'queries':>7} {'seconds':>8}  {'budget' if on_postgres else ''}")
    try:
        for label, user, filters in cases:
            with CaptureQueriesContext(connection) as queries:
                figures = indicators.compute(user, filters)
            seconds = _best(lambda user=user, filters=filters: indicators.compute(user, filters))
            ok = seconds < BUDGET_S
            failed |= on_postgres and not ok
            # The same made-up data gives the same digest on SQLite and PostgreSQL when every figure is the same.
            digest = hashlib.sha256(json.dumps(figures.as_dict(), default=str, sort_keys=True).encode()).hexdigest()
            print(f"{label:<40} {len(queries):>7} {seconds:>8.3f}  {('ok' if ok else 'OVER') if on_postgres else ''}"
                  f"   figures {digest[:12]}: {figures.land.total_m2:,} m² released")
        for label, user in (("page: administrator, all time", people.imofficer), ("page: donor", people.donor)):
            client = Client()
            client.force_login(user)
            seconds = _best(lambda client=client: client.get("/en/figures/"))
            ok = seconds < BUDGET_S
            failed |= on_postgres and not ok
            print(f"{label:<40} {'':>7} {seconds:>8.3f}  {('ok' if ok else 'OVER') if on_postgres else ''}")
            for language in ("en", "ar"):
                html = client.get(f"/{language}/figures/").content.decode()
                page, svg, assets = _page_weight(html)
                first_load = page + assets
                ok = first_load <= FORM_PAGE_BUDGET_KB * 1024 + svg
                failed |= not ok
                print(f"  first load ({language}): HTML {page / 1024:.1f} KB, of which {html.count('<svg')} SVG "
                      f"charts {svg / 1024:.1f} KB; CSS + JS {assets / 1024:.1f} KB gzip; total "
                      f"{first_load / 1024:.1f} KB vs {FORM_PAGE_BUDGET_KB} KB + SVG: {'ok' if ok else 'OVER'}")
    finally:
        connection.close()
        db.teardown()
    if on_postgres:
        print(f"Budget: under {BUDGET_S:.0f} s on PostgreSQL: " + ("met" if not failed else "NOT MET"))
    else:
        print(f"(The {BUDGET_S:.0f} s budget is for PostgreSQL: run with --postgres.)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

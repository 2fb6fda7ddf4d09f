"""Offline-first budgets: the app shell the service worker caches (at most 300 KB), and 20 reports with 3 photos each,
queued on a phone with no network, synced to a local server: the time it takes and the browser's memory.

Runs the real deployment: a throwaway database (SQLite in a temp dir; PostgreSQL with --postgres or a postgres
DATABASE_URL: bench/fake_data.py) and media folder, DEBUG off with bench-only secrets, `collectstatic` (whitenoise's
compressed, hashed files), the demo data (`seed_demo --force`: 60 sites, so the forms' pick lists are realistic),
`manage.py runserver` on a port of BENCH_PORTS; Chromium (Playwright) at 360×740 signs in as `collector`, opens the
home page once so the service worker caches the shell, goes offline, queues the reports, comes back online and sends
them; then the stored rows are counted.

    python bench/bench_offline.py [--postgres]
"""

import argparse
import base64
import io
import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench import fake_data  # noqa: E402
from tests.images import scene  # noqa: E402

REPORTS, PHOTOS_EACH = 20, 3
BUDGET_SHELL_BYTES = 300 * 1024
PASSWORD = "demo-pass-2026"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--enable-precise-memory-info"]

CACHED = """async () => {
  const rows = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const body = await (await cache.match(request)).arrayBuffer();
      rows.push([name.replace(/-[0-9a-f]+$/, ""), new URL(request.url).pathname, body.byteLength]);
    }
  }
  return rows;
}"""

QUEUE = """async ({reports, photos}) => {
  // The page's own outbox module (its hashed name in production): the same instance the page runs.
  const src = document.querySelector('script[type=module][src*="/js/outbox."]').src;
  const store = (await import(src)).offline.store;
  const blobs = photos.map(b64 => new Blob([Uint8Array.from(atob(b64), c => c.charCodeAt(0))], {type: "image/jpeg"}));
  let order = 0;
  for (const body of reports) {
    for (let i = 0; i < body.photos_expected; i++) {
      await store.savePhoto({id: crypto.randomUUID(), report: body.uuid, blob: blobs[i % blobs.length],
                             caption: "Photo " + (i + 1), facts: {}, order: order++});
    }
    await store.saveReport({uuid: body.uuid, kind: "survey", state: "queued", body: body, isNew: true,
                            title: body.site_name, date: body.activity_date, created: Date.now(), photosDone: 0});
  }
}"""

OUTBOX_SIZE = """() => new Promise(resolve => {
  const open = indexedDB.open("fieldapp");
  open.onsuccess = () => {
    const t = open.result.transaction(["reports", "photos"]);
    const r = t.objectStore("reports").count(), p = t.objectStore("photos").count();
    t.oncomplete = () => { resolve([r.result, p.result]); open.result.close(); };
  };
})"""


def manage(env, *args, **kw):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kw)


def photo_jpegs() -> list[str]:
    """Three 1600×1200 camera-like JPEGs, as photos.js leaves them (quality 0.8): base64 for the page."""
    out = []
    for seed in range(3):
        buffer = io.BytesIO()
        scene(1600, 1200, seed=seed).save(buffer, "JPEG", quality=80)
        out.append(base64.b64encode(buffer.getvalue()).decode())
    return out


def report_bodies() -> list[dict]:
    day = (date.today() - timedelta(days=1)).isoformat()
    return [{
        "uuid": str(uuid.uuid4()), "captured_at": datetime.now(UTC).isoformat(), "activity_date": day,
        "photos_expected": PHOTOS_EACH, "submit": True, "survey_type": "non_technical",
        "site_name": f"Bench school {i + 1}", "site_type": "school", "priority": "high", "classification": "sha",
        "evidence": "direct", "contamination": ["uxo"], "estimated_area_m2": 1000 + i, "blockage": "none",
        "expected_beneficiaries": 120, "place_name": "Al-Mashlab", "latitude": 35.95, "longitude": 39.01,
        "gps_accuracy_m": 6,
    } for i in range(REPORTS)]


def heap(cdp) -> int:
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return int(metrics["JSHeapUsedSize"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL at DATABASE_URL (default .../fieldapp_bench)")
    parser.add_argument("--keep", action="store_true", help="ignored (accepted as the other benchmarks do)")
    args = parser.parse_args()
    outer = dict(os.environ)  # the server's environment: not what Django's setup in this process adds to it
    db = fake_data.setup_django(postgres=args.postgres)  # the stored rows are counted through this process's Django
    from django.db import connection

    print(f"Offline benchmark on {connection.vendor}")
    connection.close()
    tmp = db.env["VAR_DIR"]
    env = {**{k: v for k, v in outer.items() if k not in {"DATABASE_URL", "REDIS_URL"} and not k.startswith("AWS_")},
           **db.env, "DJANGO_SETTINGS_MODULE": "fieldapp.settings", "DEBUG": "0",
           "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789-abcdefghijkl",
           "ALLOWED_HOSTS": "localhost,127.0.0.1", "SECURE_COOKIES": "0", "LOG_LEVEL": "ERROR"}
    try:
        print("setting up: migrate, collectstatic, seed_demo …", flush=True)
        manage(env, "migrate", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "seed_demo", "--force", stdout=subprocess.DEVNULL)
        port = fake_data.free_port()
        base = f"http://localhost:{port}"
        log_path = Path(tmp) / "server.log"
        log = log_path.open("w")
        server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if server.poll() is not None:
                        raise SystemExit("runserver stopped:\n" + log_path.read_text()[-3000:])
                    time.sleep(0.1)
            run(base)
        finally:
            server.terminate()
            server.wait(10)
            log.close()
    finally:
        connection.close()
        db.teardown()


def stored_rows(uuids: list[str]) -> tuple[tuple[int, int], int]:
    """(reports stored, photos they announce), photos stored: of the reports sent."""
    from django.db import connection
    from django.db.models import Count, Sum

    from surveys.models import Photo, Report

    try:
        stored = Report.objects.filter(uuid__in=uuids).aggregate(n=Count("pk"), photos=Sum("photos_expected"))
        return (stored["n"], stored["photos"]), Photo.objects.filter(report__uuid__in=uuids).count()
    finally:
        # Playwright's sync API runs this in its own greenlet, which has its own Django connection: closed here, or
        # PostgreSQL would refuse to drop the database it is still open on.
        connection.close()


def run(base: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(f"{base}/en/login/")
        page.fill("#id_username", "collector")
        page.fill("#id_password", PASSWORD)
        page.click("button:has-text('Sign in')")
        page.wait_for_url(f"{base}/en/")
        page.wait_for_selector("html[data-shell]", state="attached", timeout=30_000)

        # 1. The app shell, as the service worker cached it --------------------------------------------------------
        page.wait_for_selector("html[data-shell-reports]", state="attached", timeout=30_000)
        cached = page.evaluate(CACHED)
        # The team's latest reports and the correction forms, kept for offline reading: bounded by their own list
        # (30 reports, 150 thumbnails), reported apart from the shell.
        kept = [row for row in cached if row[0] == "fieldapp-pages-reports"]
        rows = [row for row in cached if row[0] != "fieldapp-pages-reports"]
        total = sum(size for _cache, _url, size in rows)
        print(f"\nApp shell cached by the service worker (response bodies as stored; budget {BUDGET_SHELL_BYTES:,} B):")
        for cache, url, size in sorted(rows):
            print(f"  {cache:17} {size:>9,} B  {url}")
        verdict = "within" if total <= BUDGET_SHELL_BYTES else "OVER"
        print(f"  {'total':17} {total:>9,} B  = {total / 1024:.1f} KB, {verdict} the 300 KB budget ({len(rows)} entries)")
        kept_bytes = sum(size for _cache, _url, size in kept)
        print(f"Latest reports kept for offline reading: {len(kept)} entries "
              f"({sum(1 for _c, url, _s in kept if '/photos/' in url)} thumbnails), {kept_bytes / 1024:.1f} KB")

        # 2. 20 reports × 3 photos queued offline, then synced -------------------------------------------------------
        context.set_offline(True)
        page.goto(f"{base}/en/")  # from the phone's cache
        bodies = report_bodies()
        photos = photo_jpegs()
        page.evaluate(QUEUE, {"reports": bodies, "photos": photos})
        queued = page.evaluate(OUTBOX_SIZE)
        photo_bytes = sum(len(base64.b64decode(photos[i % len(photos)])) for i in range(PHOTOS_EACH)) * REPORTS
        page.reload()  # the worker sees them waiting, from the cached page
        page.wait_for_selector(f"[data-outbox][data-waiting='{REPORTS}']", state="attached")
        print(f"\nQueued offline: {queued[0]} reports, {queued[1]} photos ({photo_bytes / 1e6:.1f} MB of JPEG); "
              f"the page says: {page.inner_text('[data-outbox-summary]')!r}")

        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        cdp.send("HeapProfiler.collectGarbage")
        before = heap(cdp)
        peak = before
        started = time.perf_counter()
        context.set_offline(False)  # the "online" event starts the sync
        while page.evaluate(OUTBOX_SIZE) != [0, 0]:
            peak = max(peak, heap(cdp))
            if time.perf_counter() - started > 600:
                raise SystemExit("the outbox did not empty in 10 minutes")
            page.wait_for_timeout(100)
        elapsed = time.perf_counter() - started
        peak = max(peak, heap(cdp))
        after = heap(cdp)
        memory = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : null")

        stored, arrived = stored_rows([b["uuid"] for b in bodies])
        print(f"Synced {REPORTS} reports × {PHOTOS_EACH} photos to the local server in {elapsed:.2f} s "
              f"({elapsed / REPORTS:.2f} s per report, {photo_bytes / 1e6 / elapsed:.1f} MB/s of photos)")
        print(f"  server: {stored[0]} reports, {arrived} of {stored[1]} announced photos; outbox empty")
        print(f"  JS heap used (CDP JSHeapUsedSize): before {before / 1e6:.1f} MB, peak {peak / 1e6:.1f} MB, "
              f"after {after / 1e6:.1f} MB; performance.memory.usedJSHeapSize after: "
              f"{(memory or 0) / 1e6:.1f} MB")
        if stored[0] != REPORTS or arrived != REPORTS * PHOTOS_EACH:
            raise SystemExit("not every report and photo arrived")
        browser.close()


if __name__ == "__main__":
    main()

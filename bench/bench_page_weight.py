"""Page weight of the field forms: what Chromium transfers on a form page's first load (budget: HTML + CSS + JS at
most 50 KB compressed, nothing from another host), and what opening the map adds.

The server is the production serve itself: `bin/serve` (what `make serve` runs: gunicorn, DEBUG off, collectstatic
with whitenoise's pre-compressed hashed files, HTML gzipped by GZipMiddleware) on a throwaway database (SQLite; with
--postgres or a postgres DATABASE_URL, PostgreSQL: bench/fake_data.py) and a port of BENCH_PORTS. Sizes are Chromium's
own transfer counts (encodedDataLength: headers and body as they crossed the wire), read over CDP, with the browser
cache cleared before each page.

    python bench/bench_page_weight.py [--postgres]
"""

import argparse
import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import fake_data  # noqa: E402

BUDGET_KB = 50
PASSWORD = "bench-pass-2026"
LAUNCH = {"executable_path": "/usr/bin/chromium",
          "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--no-first-run"]}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@contextlib.contextmanager
def production_server(postgres: bool = False):
    """`make serve` (bin/serve) on a throwaway database and port; yields (base URL, manage.py runner, database)."""
    outer = dict(os.environ)  # the server's environment: not what Django's setup in this process adds to it
    db = fake_data.setup_django(postgres=postgres)  # made here, so that it is dropped whatever happens to the server
    from django.db import connection

    vendor = connection.vendor
    connection.close()
    try:
        port = fake_data.free_port()
        keep = {k: v for k, v in outer.items()
                if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"} and not k.startswith("AWS_")}
        env = {**keep, **db.env, "PORT": str(port), "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
               "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_COOKIES": "0", "LOG_LEVEL": "WARNING",
               "VENV_BIN": str(Path(sys.executable).parent), "WEB_CONCURRENCY": "2"}

        def manage(*args: str, stdin: str | None = None) -> str:
            return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**env, "DEBUG": "0"},
                                  check=True, text=True, input=stdin, capture_output=True).stdout

        log_path = Path(db.env["VAR_DIR"]) / "serve.log"
        log = log_path.open("w")
        server = subprocess.Popen([str(ROOT / "bin" / "serve")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                with contextlib.suppress(OSError):
                    urlopen(base + "/healthz", timeout=1)  # noqa: S310 (our own local server)
                    break
                if server.poll() is not None:
                    raise SystemExit("bin/serve stopped before serving:\n" + log_path.read_text()[-3000:])
                time.sleep(0.2)
            else:
                raise SystemExit("bin/serve did not answer /healthz in two minutes")
            manage("shell", "--no-imports", "-c", _SETUP)
            yield base, manage, vendor
        finally:
            server.terminate()
            server.wait(30)
            log.close()
    finally:
        db.teardown()


# A collector in a team, and the team's sites (a realistic pick list for the forms).
_SETUP = f"""
from django.contrib.auth.models import Group
from surveys.access import GROUP_NAMES
from surveys.models import Organisation, Role, Site, Team, User
org = Organisation.objects.create(name="Euphrates Mine Action", code="euphrates")
team = Team.objects.create(organisation=org, name="Raqqa Team 1", code="raqqa-1")
user = User.objects.create_user("collector", password="{PASSWORD}", organisation=org, team=team)
user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.COLLECTOR]))
for i in range(40):
    Site.objects.create(name=f"Site {{i}} Al-Mashlab", organisation=org, team=team, site_type="school",
                        classification="cha", estimated_area_m2=10000)
"""


def sign_in(page, base: str) -> None:
    page.goto(base + "/en/login/")
    page.fill("#id_username", "collector")
    page.fill("#id_password", PASSWORD)
    page.locator("form button.btn-primary").click()
    page.wait_for_url(base + "/en/")


class Transfers:
    """Every response of a page, with the bytes Chromium counted on the wire, from the DevTools protocol."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.requests: dict[str, dict] = {}
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event):
        response = event["response"]
        if response["url"].startswith("data:"):  # inline in the CSS: nothing crosses the network
            return
        self.requests[event["requestId"]] = {
            "url": response["url"], "type": event["type"], "encoding": response["headers"].get(
                "content-encoding", response["headers"].get("Content-Encoding", "")),
            "from_cache": response.get("fromDiskCache") or response.get("fromPrefetchCache"), "bytes": 0}

    def _finished(self, event):
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]]["bytes"] = event["encodedDataLength"]

    def clear(self):
        self.cdp.send("Network.clearBrowserCache")
        self.requests = {}

    def by_kind(self) -> dict[str, int]:
        kinds = {"Document": "html", "Stylesheet": "css", "Script": "js"}
        totals: dict[str, int] = {}
        for request in self.requests.values():
            kind = kinds.get(request["type"], "other")
            totals[kind] = totals.get(kind, 0) + request["bytes"]
        return totals


def main() -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL at DATABASE_URL (default .../fieldapp_bench)")
    parser.add_argument("--keep", action="store_true", help="ignored (accepted as the other benchmarks do)")
    args = parser.parse_args()
    failures = []
    with production_server(args.postgres) as (base, _manage, vendor), sync_playwright() as playwright:
        browser = playwright.chromium.launch(**LAUNCH)
        # A first visit: no service worker yet (once installed, it serves the shell from the phone: bench_offline.py).
        context = browser.new_context(**PHONE, service_workers="block")
        page = context.new_page()
        transfers = Transfers(page)
        sign_in(page, base)
        host = urlparse(base).netloc
        print(f"Form pages, first load (browser cache cleared), Chromium {browser.version}, served by make serve "
              f"(gunicorn; HTML gzipped by GZipMiddleware, static files by whitenoise) on {vendor}:")
        print(f"{'page':<34}{'html':>8}{'css':>8}{'js':>8}{'total':>9}   files")
        for lang, kind in [("en", "survey"), ("en", "clearance"), ("en", "eore"), ("ar", "eore")]:
            transfers.clear()
            page.goto(f"{base}/{lang}/reports/new/{kind}/", wait_until="networkidle")
            totals = transfers.by_kind()
            weight = totals.get("html", 0) + totals.get("css", 0) + totals.get("js", 0)
            files = ", ".join(sorted(
                f"{Path(urlparse(r['url']).path).name or 'page'}({r['encoding'] or 'plain'})"
                for r in transfers.requests.values()))
            print(f"/{lang}/reports/new/{kind}/".ljust(34) + f"{totals.get('html', 0) / 1024:>7.1f}K"
                  f"{totals.get('css', 0) / 1024:>7.1f}K{totals.get('js', 0) / 1024:>7.1f}K{weight / 1024:>8.1f}K   "
                  f"{files}")
            foreign = [r["url"] for r in transfers.requests.values() if urlparse(r["url"]).netloc != host]
            if weight > BUDGET_KB * 1024:
                failures.append(f"{kind} ({lang}): {weight / 1024:.1f} KB > {BUDGET_KB} KB")
            if foreign:
                failures.append(f"{kind} ({lang}) loaded from another host: {foreign}")

        transfers.requests = {}
        page.locator("[data-map-open]").click()
        page.locator("[data-map-tools]").wait_for()
        page.wait_for_load_state("networkidle")
        added = transfers.by_kind()
        hosts = {urlparse(r["url"]).netloc for r in transfers.requests.values()}
        print(f"Opening the map adds {sum(added.values()) / 1024:.1f} KB (css {added.get('css', 0) / 1024:.1f}K, "
              f"js {added.get('js', 0) / 1024:.1f}K), hosts: {', '.join(sorted(hosts))} (no tile URL configured)")

        page.goto(f"{base}/en/reports/new/survey/", wait_until="networkidle")
        transfers.requests = {}
        page.goto(f"{base}/en/reports/new/survey/", wait_until="networkidle")
        again = transfers.by_kind()
        print(f"The same form opened again (CSS and JS from the browser cache): {sum(again.values()) / 1024:.1f} KB "
              f"transferred")
        browser.close()
    print(f"Budget: {BUDGET_KB} KB of HTML + CSS + JS per form page, no other host. "
          + ("Within budget." if not failures else "OVER: " + "; ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

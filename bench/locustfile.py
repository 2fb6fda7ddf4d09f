"""Locust: phones sending survey reports with three photos each through the API, as the outbox does, on a bad network.

Each simulated phone (one field collector, token from LOAD_TOKENS) sends LOAD_REPORTS reports. For each: POST the
report (submitted, photos_expected 3), then its three photos one by one. A request that fails (connection error,
5xx, 429) is retried with backoff, the same body and UUIDs. On purpose, some requests are sent twice although they
succeeded (a phone that lost the answer): about a third of the reports and a fifth of the photos. Every 5xx is
counted. When the test stops, what each phone meant to store is written to LOAD_RESULTS for bench/load_test.py to
check against the database.

Run by bench/load_test.py (gunicorn on PostgreSQL, headless locust, bounded in time and count).
"""

import io
import itertools
import json
import os
import random
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.exception import StopUser
from PIL import Image

TOKENS: dict[str, str] = json.loads(Path(os.environ["LOAD_TOKENS"]).read_text())
PHONES = sorted(TOKENS)
REPORTS = int(os.environ.get("LOAD_REPORTS", "4"))
RETRIES = 6
_next_phone = itertools.count()
_lock = threading.Lock()
INTENTS: list[dict] = []
FINISHED: list[str] = []
SERVER_ERRORS: list[str] = []
GAVE_UP: list[str] = []


def _jpeg(seed: int) -> bytes:
    image = Image.effect_noise((640, 480), 40 + seed % 30).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


PHOTOS = [_jpeg(i) for i in range(6)]


@events.request.add_listener
def _count_server_errors(request_type, name, response_time, response_length, response=None, exception=None, **kw):
    status = getattr(response, "status_code", 0) or 0
    if status >= 500:
        with _lock:
            SERVER_ERRORS.append(f"{request_type} {name} {status}")


@events.test_stop.add_listener
def _write_results(environment, **kw):
    with open(os.environ["LOAD_RESULTS"], "w") as out:
        json.dump({"intents": INTENTS, "server_errors": SERVER_ERRORS, "gave_up": GAVE_UP}, out)


class Phone(HttpUser):
    wait_time = between(0.05, 0.3)

    def on_start(self):
        self.username = PHONES[next(_next_phone) % len(PHONES)]
        self.client.headers["Authorization"] = f"Token {TOKENS[self.username]}"
        self.sent = 0

    def _send(self, name: str, url: str, ok: tuple[int, ...], **kwargs) -> int:
        """One request, retried like the outbox: the same body until the server answers one of `ok` or refuses."""
        for attempt in range(RETRIES):
            with self.client.post(url, name=name, catch_response=True, **kwargs) as response:
                status = response.status_code
                if status in ok:
                    response.success()
                    return status
                if status == 0 or status >= 500 or status == 429:
                    response.failure(f"{status}: retrying")
                    wait = float(response.headers.get("Retry-After", 0) or 0) if status == 429 else 0
                    time.sleep(max(wait, 0.2 * 2 ** attempt) * random.uniform(0.8, 1.2))
                    if "files" in kwargs:  # the file objects were read: rewind them for the resend
                        for _field, (_n, f, _t) in kwargs["files"].items():
                            f.seek(0)
                    continue
                response.failure(f"{status}: {response.text[:200]}")
                return status
        with _lock:
            GAVE_UP.append(f"{name} {url}")
        return 0

    @task
    def send_report(self):
        if self.sent >= REPORTS:
            with _lock:
                FINISHED.append(self.username)
                everyone = len(FINISHED) >= self.environment.parsed_options.num_users
            if everyone:  # every phone has sent all its reports: the test is over
                self.environment.runner.quit()
            raise StopUser()
        report_id = str(uuid.uuid4())
        body = {
            "uuid": report_id, "activity_date": (date.today() - timedelta(days=1)).isoformat(),
            "place_name": "Al-Mashlab", "latitude": 35.95, "longitude": 39.01, "gps_accuracy_m": 8,
            "site_name": f"Load test school {report_id[:8]}", "site_type": "school", "classification": "sha",
            "evidence": "direct", "contamination": ["uxo"], "estimated_area_m2": 12000, "photos_expected": 3,
            "submit": True,
        }
        self._send("POST report", "/api/v1/surveys/", (201, 200), json=body)
        if random.random() < 0.33:  # the answer was lost: the phone sends the same report again
            self._send("POST report (resend)", "/api/v1/surveys/", (200,), json=body)
        photo_ids = []
        for n in range(3):
            photo_id = str(uuid.uuid4())
            photo_ids.append(photo_id)
            data = PHOTOS[random.randrange(len(PHOTOS))]

            def files(data: bytes = data) -> dict:
                return {"image": ("photo.jpg", io.BytesIO(data), "image/jpeg")}

            url = f"/api/v1/reports/{report_id}/photos/"
            self._send("POST photo", url, (201, 200), data={"id": photo_id, "caption": f"photo {n + 1}"},
                       files=files())
            if random.random() < 0.2:
                self._send("POST photo (resend)", url, (200,), data={"id": photo_id, "caption": f"photo {n + 1}"},
                           files=files())
        with _lock:
            INTENTS.append({"phone": self.username, "uuid": report_id, "photos": photo_ids, "at": time.time()})
        self.sent += 1

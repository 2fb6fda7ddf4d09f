"""Request bodies over REQUEST_BODY_MAX_BYTES are refused with 413 from their Content-Length, before being read."""

import contextlib
import socket
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings

from tests import factories as f

HUGE = 100 * 1024 * 1024


def test_a_huge_content_length_is_refused_before_the_body_is_read(client, collector):
    client.force_login(collector)
    response = client.generic("POST", "/en/photos/pending/", b"x" * 10, content_type="application/octet-stream",
                              CONTENT_LENGTH=str(HUGE))
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_the_api_answers_413_in_json(api, collector):
    response = api(collector).generic("POST", "/api/v1/surveys/", b"{}", content_type="application/json",
                                      CONTENT_LENGTH=str(HUGE))
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_a_body_within_the_limit_passes(client, collector):
    client.force_login(collector)
    assert client.post("/en/login/", {"username": "collector", "password": f.PASSWORD}).status_code == 302


def test_the_limit_fits_the_largest_photo_and_the_form_around_it():
    from surveys.photos import MAX_BYTES

    assert MAX_BYTES < django_settings.REQUEST_BODY_MAX_BYTES <= MAX_BYTES + 2 * 1024 * 1024


@pytest.mark.django_db(transaction=True)
def test_a_streamed_upload_over_the_limit_is_cut_short_on_a_real_server(live_server, settings):
    """A client streams a body twice the limit: the server answers 413 long before the body could have arrived."""
    settings.REQUEST_BODY_MAX_BYTES = 1024 * 1024
    url = urlsplit(live_server.url)
    declared = 2 * settings.REQUEST_BODY_MAX_BYTES
    sent = 0
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall((f"POST /api/v1/surveys/ HTTP/1.1\r\nHost: {url.netloc}\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {declared}\r\n\r\n").encode())
        sock.setblocking(False)
        chunk = b"x" * 16384
        answer = b""
        deadline = time.monotonic() + 10
        while b"\r\n\r\n" not in answer and time.monotonic() < deadline:
            try:
                answer += sock.recv(65536)
                continue
            except BlockingIOError:
                pass
            if sent < declared:
                with contextlib.suppress(BlockingIOError, BrokenPipeError, ConnectionResetError):
                    sent += sock.send(chunk)
            time.sleep(0.001)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < settings.REQUEST_BODY_MAX_BYTES  # answered before even the limit had been sent

"""The API docs (Swagger UI) in Chromium: every operation listed, from this server's files only."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_every_operation_without_the_internet(page, live_server):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock")
    operations = page.locator(".opblock-summary-path")
    assert operations.count() >= 30
    assert "/api/v1/reports/{id}/photos/" in operations.all_text_contents()
    assert "photos_expected" in page.locator(".information-container").text_content()
    assert errors == []
    assert [url for url in requests if not url.startswith(live_server.url)] == []

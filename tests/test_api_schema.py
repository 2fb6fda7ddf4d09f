"""The API's OpenAPI schema validates, describes every endpoint, field and parameter; its docs load nothing remote."""

import re

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.validation import validate_schema


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_validates_without_warnings(tmp_path, db):
    # --fail-on-warn: an endpoint whose types spectacular had to guess fails here.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/surveys/" in yaml.safe_load((tmp_path / "schema.yaml").read_text())["paths"]


def test_the_served_schema_validates_and_explains_the_offline_flow(schema):
    validate_schema(schema)
    assert "photos_expected" in schema["info"]["description"]
    assert "409" in schema["info"]["description"]


def test_every_operation_field_and_parameter_is_described(schema):
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if not (operation.get("summary") or operation.get("description")):
                missing.append(f"{method} {path}")
            missing += [f"{method} {path} ?{p['name']}" for p in operation.get("parameters", [])
                        if not p.get("description")]
    for name, component in schema["components"]["schemas"].items():
        missing += [f"{name}.{field}" for field, spec in component.get("properties", {}).items()
                    if not spec.get("description")]
    assert missing == []


def test_every_report_endpoint_is_in_the_schema(schema):
    expected = {
        "/api/v1/surveys/", "/api/v1/surveys/{id}/", "/api/v1/surveys/{id}/submit/",
        "/api/v1/clearances/", "/api/v1/clearances/{id}/", "/api/v1/clearances/{id}/submit/",
        "/api/v1/eore-sessions/", "/api/v1/eore-sessions/{id}/", "/api/v1/eore-sessions/{id}/submit/",
        "/api/v1/reports/", "/api/v1/reports/{id}/", "/api/v1/reports/{id}/photos/",
        "/api/v1/photos/{id}/", "/api/v1/photos/{id}/file/", "/api/v1/sites/", "/api/v1/admin-areas/",
        "/api/v1/explosive-items/", "/api/v1/me/", "/api/v1/auth/token/",
    }
    assert expected <= set(schema["paths"])
    create = schema["paths"]["/api/v1/clearances/"]["post"]
    assert {"200", "201", "400", "409"} <= set(create["responses"])


def test_the_docs_page_loads_only_this_servers_files(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    remote = re.findall(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", page)
    assert remote == []
    assets = re.findall(r"""(?:src|href)\s*=\s*["'](/static/[^"']+)""", page)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset

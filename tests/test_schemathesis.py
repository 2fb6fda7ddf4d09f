"""Property-based requests against the API's own OpenAPI schema (schemathesis, in process through WSGI): whatever a
client sends that the schema allows, or nearly allows (negative cases: wrong types, missing fields, NUL bytes...),
the answer is never a server error.

Bounded: SCHEMATHESIS_EXAMPLES examples per operation (default 12), derandomised so a CI run is repeatable; raise it
locally to dig deeper (SCHEMATHESIS_EXAMPLES=200 .venv/bin/pytest tests/test_schemathesis.py). Schemathesis's
"coverage" phase (every field × every kind of wrong value) takes minutes: it runs with SCHEMATHESIS_COVERAGE=1."""

import os
import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from fieldapp.wsgi import application
from surveys import accounts
from surveys.photos import add_photo
from tests import factories as f
from tests.test_api_photos import jpeg

EXAMPLES = int(os.getenv("SCHEMATHESIS_EXAMPLES", "12"))

# Loaded when the module is collected (generating the schema reads no database). schemathesis.pytest.from_fixture
# would load it lazily, but its loader does not work with pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.phases.coverage.enabled = os.getenv("SCHEMATHESIS_COVERAGE") == "1"

# Which record a generated {id} becomes, by the collection in the path: random ids would only ever find nothing.
FRESH_REPORT = {
    "surveys": lambda by, site: f.survey(by),
    "reports": lambda by, site: f.survey(by, photos_expected=2),
    "clearances": lambda by, site: f.clearance(by, site, items=[
        {"category": "uxo", "quantity": 2, "weight_kg": 3, "disposal": "destroyed_in_situ"}]),
    "eore-sessions": lambda by, site: f.eore(by),
}


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Requests go through the real WSGI handler, which closes a database connection found inside a transaction at
    the start and end of each request (on PostgreSQL that ends the test's transaction); Django's test client does
    the same as this: it leaves connections alone during a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(collector, site, project):
    """A field collector's token and a few records around them, so lists and lookups have rows."""
    report = f.survey(collector, project=project)
    photo, _created = add_photo(report, jpeg(), collector, photo_id=uuid.uuid4())
    clearance = FRESH_REPORT["clearances"](collector, site)
    return {
        "token": accounts.issue_token(collector, "schemathesis")[1],
        "collector": collector,
        "site": site,
        "ids": {"photos": str(photo.pk), "sites": str(site.pk), "explosive-items": str(clearance.items.first().pk)},
    }


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_never_answers_with_a_server_error(case, world):
    if case.path_parameters and "id" in case.path_parameters:
        collection = case.operation.path.split("/")[3]
        if collection == "auth":  # a token of its own to revoke: the one the requests are signed with stays
            case.path_parameters["id"] = str(accounts.issue_token(world["collector"], "spare")[0].pk)
        elif collection in FRESH_REPORT:  # a new draft each time: an example may submit or change the last one
            case.path_parameters["id"] = str(FRESH_REPORT[collection](world["collector"], world["site"]).pk)
        else:
            case.path_parameters["id"] = world["ids"][collection]
    response = case.call(headers={"Authorization": f"Token {world['token']}"})
    case.validate_response(response, checks=[not_a_server_error])


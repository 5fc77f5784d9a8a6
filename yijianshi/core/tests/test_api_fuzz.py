"""Fuzz the whole OpenAPI document with schemathesis, authenticated as a demo applicant.

It must find no 5xx and no response that breaks the document. It covers every operation the API has, so it grows
with the API. YJS_FUZZ_EXAMPLES sets the examples per operation (CI uses the default).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from config.wsgi import application
from yijianshi.accounts import services
from yijianshi.accounts.tests.factories import UserFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# The test sends its own valid token; generated (and mutated) credentials would be overwritten by it.
schema.config.generation.update(with_security_parameters=False)

EXAMPLES = int(os.environ.get("YJS_FUZZ_EXAMPLES", "25"))


@pytest.fixture
def keep_test_connection():
    """schemathesis calls the WSGI app directly; like Django's test client, keep the test's connection open."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer_header(db, keep_test_connection):
    user = UserFactory()
    raw, _token = services.token_issue(user=user)
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@pytest.mark.django_db
def test_api_conforms_to_its_document(case, bearer_header):
    # Where domain rules apply (DOMAIN_RULES), schema-valid input may rightly be refused; every other check holds.
    excluded = [positive_data_acceptance] if case.operation.definition.raw.get("x-yjs-domain-rules") else []
    case.call_and_validate(headers=bearer_header, excluded_checks=excluded)

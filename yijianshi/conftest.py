"""Fixtures shared by every domain's tests."""

import os

import pytest

from yijianshi.accounts import services
from yijianshi.accounts.tests.factories import StaffFactory, UserFactory, city


def require_service(reason: str) -> None:
    """Skip when a local service is missing, unless CI demands every service (YJS_REQUIRE_SERVICES=1)."""
    if os.environ.get("YJS_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture
def test_city(db):
    return city()


@pytest.fixture
def person(db):
    return UserFactory()


@pytest.fixture
def other_person(db):
    return UserFactory()


def staff_with_role(role_code: str, *, region=None, department=None, **fields):
    staff = StaffFactory(**fields)
    services.role_assign(user=staff, role_code=role_code, region=region, department=department)
    return staff


@pytest.fixture
def make_staff(db):
    return staff_with_role


def bearer(user=None, client=None) -> dict:
    """Headers carrying a fresh token for a user or an API client."""
    raw, _token = services.token_issue(user=user, client=client)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def auth():
    return bearer

"""Fixtures shared by every domain's tests."""

import importlib
import os

import pytest
from django.apps import apps as django_apps

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


# Data migrations whose rows the application relies on. Transactional tests (browser tests) flush the database,
# and serialized rollback cannot restore it under Playwright: its greenlets give Django a fresh connection.
SEED_MIGRATIONS = [
    ("yijianshi.accounts.migrations.0002_seed_roles_and_scopes", "seed"),
    ("yijianshi.accounts.migrations.0003_retire_account_self_scope", "retire"),
    ("yijianshi.accounts.migrations.0004_calendar_scope", "seed"),
    ("yijianshi.accounts.migrations.0005_license_scope", "seed"),
]


@pytest.fixture(autouse=True)
def reseed_after_flush(request):
    """Before a transactional test, put back what the data migrations seeded."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or (marker is not None and marker.kwargs.get("transaction"))
    if transactional:
        request.getfixturevalue("transactional_db")
        for module, function in SEED_MIGRATIONS:
            getattr(importlib.import_module(module), function)(django_apps, None)


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


@pytest.fixture(scope="session")
def chromium():
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from yijianshi.browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        require_service(f"Chromium at {CHROMIUM} (Debian package chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=["phone", "desktop"])
def page(request, chromium, live_server):
    """A fresh browser tab at phone or desktop width, in Chinese, pointed at the live server."""
    from yijianshi.browser import WIDTHS

    context = chromium.new_context(viewport={"width": WIDTHS[request.param], "height": 800}, locale="zh-CN")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.width_name = request.param
    tab.base_url = live_server.url
    yield tab
    context.close()


@pytest.fixture
def accessible():
    """Assert that the page in its current state has no serious or critical axe-core violation."""
    from yijianshi.browser import accessibility_problems

    def check(page):
        problems = accessibility_problems(page)
        assert not problems, "axe-core found:\n" + "\n".join(problems)

    return check


@pytest.fixture(autouse=True)
def fresh_search_index():
    """Each test starts without the process's search index: tests roll the catalog's generation counter back, so
    two tests' different catalogs can share a generation number."""
    from yijianshi.catalog import search

    search._index = None


@pytest.fixture(autouse=True)
def fresh_principal_cache():
    """Each test starts without the process's cached principals: rolled-back tests reuse user ids (and access
    versions) on SQLite."""
    from yijianshi.accounts import principal_cache

    principal_cache.clear()


@pytest.fixture(autouse=True)
def fresh_subscription_cache():
    """Each test starts without the process's webhook subscriptions: rolled-back tests reuse department ids."""
    from yijianshi.cases import notices

    notices._SUBSCRIPTIONS.clear()


@pytest.fixture(autouse=True)
def fresh_version_numbers():
    """Each test starts without the process's catalog version numbers: rolled-back tests reuse version ids on
    SQLite."""
    from yijianshi.cases import selectors

    selectors.VERSION_NUMBERS.clear()

"""A web worker's warm-up at start: URL patterns, search index and snapshots built, then frozen for the collector."""

import gc
import logging

import pytest

from yijianshi.catalog import search
from yijianshi.catalog.tests.conftest import demo_catalog  # noqa: F401  (a fixture)
from yijianshi.portal import warm

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_catalog")]


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


def test_a_worker_builds_what_its_first_requests_need_and_freezes_it(unfrozen):
    assert search._index is None
    warm.worker_warm()
    assert search._index is not None and search._index.documents
    assert gc.get_freeze_count() > 0


def test_a_failed_warm_up_is_logged_and_the_worker_starts(unfrozen, monkeypatch, caplog):
    def unavailable():
        raise ConnectionError("database not ready")

    monkeypatch.setattr(search, "current_index", unavailable)
    with caplog.at_level(logging.ERROR, logger="yijianshi.portal.warm"):
        warm.worker_warm()
    assert "worker warm-up failed" in caplog.text

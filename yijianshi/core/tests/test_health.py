import pytest
from huey import RedisHuey

from yijianshi.core import health


def test_healthz_answers_without_touching_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_database_and_queue(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["queue"]["status"] == "ok"
    assert body["checks"]["queue"]["pending"] >= 0


@pytest.mark.django_db
def test_readyz_is_503_and_names_the_queue_when_it_cannot_be_reached(client, monkeypatch):
    unreachable = RedisHuey("unreachable", url="redis://127.0.0.1:1/0")
    monkeypatch.setattr(health, "HUEY", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["queue"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"

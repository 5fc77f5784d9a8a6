from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from yijianshi.accounts.models import ApiToken
from yijianshi.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def get_token(client, user, password=PASSWORD):
    return client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": password},
        content_type="application/json",
    )


def test_a_user_exchanges_username_and_password_for_a_token(client, person):
    response = get_token(client, person)
    assert response.status_code == 200
    body = response.json()
    assert body["token"].startswith("yjs_")
    assert body["token_type"] == "Bearer"
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200
    assert me.json()["user"]["username"] == person.username


def test_only_the_digest_of_a_token_is_stored(client, person):
    raw = get_token(client, person).json()["token"]
    token = ApiToken.objects.get(user=person)
    assert raw not in (token.key_digest, token.prefix)
    assert raw.startswith(token.prefix)


def test_a_wrong_password_is_401_and_says_so(client, person):
    response = get_token(client, person, password="wrong-password")
    assert response.status_code == 401
    assert response.json() == {"code": "invalid_credentials", "message": "用户名或密码错误。", "fields": {}}
    assert not ApiToken.objects.exists()


def test_a_token_expires(client, person, settings):
    raw = get_token(client, person).json()["token"]
    with time_machine.travel(timezone.now() + settings.YJS_TOKEN_TTL + timedelta(seconds=1)):
        response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_token_is_good_until_it_expires(client, person, settings):
    raw = get_token(client, person).json()["token"]
    with time_machine.travel(timezone.now() + settings.YJS_TOKEN_TTL - timedelta(minutes=1)):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_revoking_the_current_token_logs_out(client, person):
    raw = get_token(client, person).json()["token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.post("/api/v1/auth/token/revoke", **headers).status_code == 204
    assert client.get("/api/v1/me", **headers).status_code == 401


def test_a_user_lists_and_revokes_their_own_tokens(client, person):
    first = get_token(client, person).json()["token"]
    second = get_token(client, person).json()["token"]
    listed = client.get("/api/v1/auth/tokens", HTTP_AUTHORIZATION=f"Bearer {first}").json()
    assert len(listed) == 2
    other_id = next(t["id"] for t in listed if second.startswith(t["prefix"]))
    assert client.delete(f"/api/v1/auth/tokens/{other_id}", HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 204
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 200


def test_someone_elses_token_cannot_be_revoked_and_looks_missing(client, person, other_person, auth):
    theirs = get_token(client, other_person).json()["token"]
    their_id = ApiToken.objects.get(user=other_person).pk
    response = client.delete(f"/api/v1/auth/tokens/{their_id}", **auth(person))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    missing = client.delete("/api/v1/auth/tokens/999999", **auth(person))
    assert missing.json() == response.json()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {theirs}").status_code == 200


def test_a_disabled_user_loses_their_tokens(client, person):
    raw = get_token(client, person).json()["token"]
    person.is_active = False
    person.save()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer yjs_nothing", "Bearer " + "x" * 500, "Token abc", "Basic Zm9vOmJhcg=="]
)
def test_malformed_or_unknown_tokens_are_401(client, header):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401

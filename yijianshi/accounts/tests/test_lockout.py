from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from yijianshi.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def api_login(client, username, password, address="192.0.2.10"):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, person, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert api_login(client, person.username, "wrong").status_code == 401
    locking = api_login(client, person.username, "wrong")
    assert locking.status_code == 429
    assert locking.json()["code"] == "locked_out"
    assert "锁定".encode() in locking.content  # Chinese as itself, also when axes answers
    response = api_login(client, person.username, PASSWORD)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out"
    assert "30 分钟" in body["message"]
    assert response["Retry-After"] == str(30 * 60)


def test_nobody_can_lock_an_account_from_elsewhere(client, person, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 2):
        api_login(client, person.username, "wrong", address="203.0.113.66")
    assert api_login(client, person.username, PASSWORD, address="192.0.2.10").status_code == 200


def test_the_lock_lifts_after_the_cool_off(client, person, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        api_login(client, person.username, "wrong")
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        assert api_login(client, person.username, PASSWORD).status_code == 200


def test_a_success_resets_the_failure_count(client, person, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        api_login(client, person.username, "wrong")
    assert api_login(client, person.username, PASSWORD).status_code == 200
    assert api_login(client, person.username, "wrong").status_code == 401


def test_the_lock_is_per_account(client, person, other_person, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        api_login(client, person.username, "wrong")
    assert api_login(client, other_person.username, PASSWORD).status_code == 200


def test_a_locked_out_page_login_says_so_in_chinese(client, person, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": person.username, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
    assert response.status_code == 429
    assert response["Retry-After"] == str(30 * 60)
    assert "账户已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_page_login_names_the_problem(client, person):
    response = client.post("/accounts/login/", {"username": person.username, "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()

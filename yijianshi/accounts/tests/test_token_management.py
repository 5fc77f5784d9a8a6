"""Who may revoke which token, and what ends a token besides its expiry."""

import pytest
from django.test import Client

from yijianshi.accounts import services
from yijianshi.accounts.models import ApiToken
from yijianshi.accounts.tests.factories import ApiClientFactory, PersonFactory, RegionFactory, UserFactory, city

pytestmark = pytest.mark.django_db


def test_an_account_manager_revokes_tokens_of_people_in_their_region_only(client, make_staff, auth):
    manager = make_staff("system_admin", region=city())
    inside = UserFactory()  # applicants of 金水区, inside the city
    outside_region = RegionFactory(code="440305000000", name="南山区", parent=None)
    outside = UserFactory(applicant=PersonFactory(region=outside_region))
    _raw, inside_token = services.token_issue(user=inside)
    _raw, outside_token = services.token_issue(user=outside)
    assert client.delete(f"/api/v1/auth/tokens/{inside_token.pk}", **auth(manager)).status_code == 204
    assert client.delete(f"/api/v1/auth/tokens/{outside_token.pk}", **auth(manager)).status_code == 404
    outside_token.refresh_from_db()
    assert outside_token.revoked_at is None


def test_an_api_client_cannot_revoke_a_persons_token_even_with_accounts_manage(client, person, auth):
    from yijianshi.accounts.models import Scope

    api_client = ApiClientFactory()
    api_client.scopes.set(Scope.objects.filter(code="accounts.manage"))
    _raw, token = services.token_issue(user=person)
    assert client.delete(f"/api/v1/auth/tokens/{token.pk}", **auth(client=api_client)).status_code == 404


def test_a_new_password_ends_every_token(client, person):
    raw, _token = services.token_issue(user=person)
    person.set_password("Another-pass-2026")
    person.save()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_logging_in_again_does_not_end_tokens(client, person):
    from yijianshi.accounts.tests.factories import PASSWORD

    raw, _token = services.token_issue(user=person)
    assert person.check_password(PASSWORD)
    client.post(
        "/api/v1/auth/token", {"username": person.username, "password": PASSWORD}, content_type="application/json"
    )
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_revoking_through_a_browser_session_logs_out():
    browser = Client(enforce_csrf_checks=True)
    person = UserFactory()
    browser.force_login(person)
    browser.get("/")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    assert browser.post("/api/v1/auth/token/revoke", HTTP_X_CSRFTOKEN=token).status_code == 204
    assert browser.get("/api/v1/me").status_code == 401


def test_a_session_call_without_the_csrf_token_is_refused_and_says_why():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    response = browser.post("/api/v1/auth/token/revoke")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert ApiToken.objects.count() == 0

"""Administration by scope: roles decide who administers what, and where."""

import pytest

from yijianshi.accounts import services
from yijianshi.accounts.models import ApiToken
from yijianshi.accounts.tests.factories import (
    ApiClientFactory,
    DepartmentFactory,
    PersonFactory,
    RegionFactory,
    UserFactory,
    city,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_admin(client, make_staff):
    """A system administrator of the city who is not a superuser."""
    admin = make_staff("system_admin", region=city())
    client.force_login(admin)
    return client


def test_a_system_admin_administers_accounts_of_their_region_only(city_admin):
    inside = DepartmentFactory(name="郑州市测试局")
    shenzhen = RegionFactory(code="440300000000", name="深圳市", parent=None)
    outside = DepartmentFactory(name="深圳市测试局", region=shenzhen)
    page = city_admin.get("/admin/accounts/department/").content.decode()
    assert inside.name in page
    assert outside.name not in page
    assert city_admin.get(f"/admin/accounts/department/{outside.pk}/change/").status_code in (302, 404)


def test_a_system_admin_can_only_pick_regions_of_their_own_when_assigning_roles(city_admin):
    RegionFactory(code="440300000000", name="深圳市", parent=None)
    RegionFactory(code="410105000000", name="金水区")

    def pick(term):
        response = city_admin.get(
            "/admin/autocomplete/",
            {"app_label": "accounts", "model_name": "roleassignment", "field_name": "region", "term": term},
        )
        return [row["text"] for row in response.json()["results"]]

    assert any("金水区" in text for text in pick("金水"))
    assert pick("深圳") == []


def test_a_catalog_admin_reads_departments_but_does_not_administer_accounts(client, make_staff):
    client.force_login(make_staff("catalog_admin", region=city()))
    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get("/admin/accounts/department/").status_code == 200
    assert client.get("/admin/accounts/department/add/").status_code == 403
    assert "/admin/catalog/lifeevent/" in client.get("/admin/").content.decode()


def test_applicants_never_reach_admin(client, person):
    client.force_login(person)
    assert client.get("/admin/").status_code == 302


def test_applicant_lists_mask_personal_identifiers(city_admin):
    applicant = PersonFactory(name="张大山")
    page = city_admin.get("/admin/accounts/applicant/").content.decode()
    assert applicant.id_number not in page
    assert applicant.masked_id_number in page
    assert "张*山" in page


def test_a_new_client_token_is_shown_once_on_an_uncached_page_and_never_stored_in_a_cookie(city_admin):
    api_client = ApiClientFactory()
    response = city_admin.post(
        "/admin/accounts/apiclient/", {"action": "issue_token", "_selected_action": [api_client.pk]}
    )
    page = response.content.decode()
    assert "yjs_" in page
    assert "no-store" in response["Cache-Control"]
    assert "messages" not in response.cookies
    raw = page.split("<code>")[1].split("</code>")[0]
    assert ApiToken.objects.get(client=api_client).prefix == raw[:12]


def test_a_revoked_token_cannot_be_revived_in_admin(city_admin):
    person = UserFactory()
    _raw, token = services.token_issue(user=person)
    services.token_revoke(token=token)
    revoked_at = token.revoked_at
    city_admin.post(f"/admin/accounts/apitoken/{token.pk}/change/", {"revoked_at_0": "", "revoked_at_1": ""})
    token.refresh_from_db()
    assert token.revoked_at == revoked_at


def test_a_superuser_sees_every_region(client, make_staff):
    root = make_staff("system_admin", region=city(), is_superuser=True, is_staff=True)
    client.force_login(root)
    inside = DepartmentFactory(name="郑州市测试局")
    outside = DepartmentFactory(
        name="深圳市测试局", region=RegionFactory(code="440300000000", name="深圳市", parent=None)
    )
    page = client.get("/admin/accounts/department/").content.decode()
    assert inside.name in page and outside.name in page

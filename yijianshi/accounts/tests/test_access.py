"""Scopes are data, and applicants never reach each other's data; staff see their regions, masked."""

import pytest

from yijianshi.accounts import scopes, services
from yijianshi.accounts.models import Role, Scope
from yijianshi.accounts.tests.factories import (
    ApiClientFactory,
    DepartmentFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    city,
)

pytestmark = pytest.mark.django_db


def test_every_scope_code_checks_is_seeded_and_held_by_some_role():
    seeded = set(Scope.objects.values_list("code", flat=True))
    assert seeded >= scopes.ALL
    held = set(Role.objects.values_list("scopes__code", flat=True))
    assert held >= scopes.ALL


def test_me_shows_the_applicants_role_and_scopes(client, person, auth):
    body = client.get("/api/v1/me", **auth(person)).json()
    assert [role["code"] for role in body["roles"]] == ["person"]
    assert scopes.CASE_SUBMIT in body["scopes"]
    assert scopes.CASE_ACCEPT not in body["scopes"]
    assert body["user"]["applicant"]["id_number_masked"].count("*") == 8


def test_me_shows_a_staff_members_roles_with_their_department(client, make_staff, auth):
    department = DepartmentFactory()
    approver = make_staff("approver", department=department)
    body = client.get("/api/v1/me", **auth(approver)).json()
    assert body["roles"] == [
        {
            "code": "approver",
            "name": "部门审批人员",
            "region_code": department.region.code,
            "department_id": department.pk,
        }
    ]
    assert scopes.TASK_DECIDE in body["scopes"]
    assert scopes.CASE_ACCEPT not in body["scopes"]


def test_changing_a_roles_scopes_changes_what_its_holders_may_do(client, person, make_staff, auth):
    clerk = make_staff("window_clerk", region=city())
    url = f"/api/v1/applicants/{person.applicant_id}"
    assert client.get(url, **auth(clerk)).status_code == 200
    Role.objects.get(code="window_clerk").scopes.remove(Scope.objects.get(code=scopes.APPLICANT_READ))
    assert client.get(url, **auth(clerk)).status_code == 404
    assert scopes.APPLICANT_READ not in client.get("/api/v1/me", **auth(clerk)).json()["scopes"]


def test_an_applicant_sees_themselves_in_full(client, person, auth):
    body = client.get(f"/api/v1/applicants/{person.applicant_id}", **auth(person)).json()
    assert body["id_number"] == person.applicant.id_number
    assert body["name"] == person.applicant.name


def test_an_applicant_never_reaches_another_applicants_data(client, person, other_person, auth):
    theirs = client.get(f"/api/v1/applicants/{other_person.applicant_id}", **auth(person))
    missing = client.get("/api/v1/applicants/987654321", **auth(person))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert other_person.applicant.id_number not in theirs.content.decode()


def test_a_person_reaches_the_organisation_they_represent_and_only_while_authorised(client, person, auth):
    company = OrganizationFactory()
    member = services.organization_member_add(organization=company, user=person, role="agent")
    assert client.get(f"/api/v1/applicants/{company.pk}", **auth(person)).status_code == 200
    acting = client.get("/api/v1/me", **auth(person)).json()["acting_for"]
    assert [(a["id"], a["role"]) for a in acting] == [(company.pk, "agent")]
    member.revoked_at = member.granted_at
    member.save()
    assert client.get(f"/api/v1/applicants/{company.pk}", **auth(person)).status_code == 404


def test_an_organisation_account_reaches_its_organisation_only(client, auth):
    company_user = UserFactory(organization=True)
    other_company = OrganizationFactory()
    assert client.get(f"/api/v1/applicants/{company_user.applicant_id}", **auth(company_user)).status_code == 200
    assert client.get(f"/api/v1/applicants/{other_company.pk}", **auth(company_user)).status_code == 404


def test_staff_read_applicants_of_their_region_masked(client, person, make_staff, auth):
    clerk = make_staff("window_clerk", region=city())
    body = client.get(f"/api/v1/applicants/{person.applicant_id}", **auth(clerk)).json()
    assert body["id_number"] != person.applicant.id_number
    assert body["id_number"][:6] == person.applicant.id_number[:6]
    assert "*" in body["name"]
    assert "*" in body["phone"]


def test_staff_of_another_region_do_not_reach_the_applicant(client, person, make_staff, auth):
    elsewhere = RegionFactory(code="410102000000", name="中原区")
    clerk = make_staff("window_clerk", region=elsewhere)
    assert client.get(f"/api/v1/applicants/{person.applicant_id}", **auth(clerk)).status_code == 404


def test_an_approver_without_applicant_read_does_not_reach_applicants(client, person, make_staff, auth):
    approver = make_staff("approver", department=DepartmentFactory())
    assert client.get(f"/api/v1/applicants/{person.applicant_id}", **auth(approver)).status_code == 404


def test_an_api_client_acts_with_its_own_scopes_in_its_department(client, auth):
    api_client = ApiClientFactory()
    api_client.scopes.set(Scope.objects.filter(code__in=[scopes.CASE_READ, scopes.TASK_DECIDE]))
    body = client.get("/api/v1/me", **auth(client=api_client)).json()
    assert body["user"] is None
    assert body["client"]["name"] == api_client.name
    assert body["scopes"] == [scopes.CASE_READ, scopes.TASK_DECIDE]
    assert body["roles"][0]["department_id"] == api_client.department_id


def test_a_registered_client_gets_a_working_first_token(client):
    department = DepartmentFactory()
    api_client, raw = services.client_create(
        name="卫健业务系统", department=department, scope_codes=[scopes.TASK_DECIDE]
    )
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["client"]["id"] == api_client.pk


def test_a_disabled_client_is_refused(client, auth):
    api_client = ApiClientFactory()
    headers = auth(client=api_client)
    api_client.is_active = False
    api_client.save()
    assert client.get("/api/v1/me", **headers).status_code == 401


def test_departments_and_regions_are_listed_for_any_caller(client, person, auth):
    department = DepartmentFactory()
    listed = client.get("/api/v1/departments", {"region": "410100000000"}, **auth(person)).json()
    assert department.code in [d["code"] for d in listed["items"]]
    children = client.get("/api/v1/regions", {"parent": "410000000000"}, **auth(person)).json()
    assert [r["code"] for r in children] == ["410100000000"]
    assert client.get("/api/v1/regions/419999000000", **auth(person)).status_code == 404


def test_any_caller_reads_me_even_without_scopes(client, auth):
    api_client = ApiClientFactory()
    body = client.get("/api/v1/me", **auth(client=api_client)).json()
    assert body["scopes"] == []


def test_filters_refuse_a_malformed_region_and_find_nothing_in_an_unknown_one(client, person, auth):
    # Regression: a malformed filter was silently ignored.
    for path, name in (("/api/v1/departments", "region"), ("/api/v1/regions", "parent")):
        for bad in ("abc", "", "４１０１００００００００"):
            response = client.get(path, {name: bad}, **auth(person))
            assert response.status_code == 422
            assert response.json()["fields"] == {name: "行政区划代码应为 12 位数字。"}
    DepartmentFactory()
    assert client.get("/api/v1/departments", {"region": "419999000000"}, **auth(person)).json()["count"] == 0
    assert client.get("/api/v1/regions", {"parent": "419999000000"}, **auth(person)).json() == []

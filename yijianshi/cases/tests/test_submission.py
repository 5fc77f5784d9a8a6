"""Submitting a case: one application, checked completely, stored completely or not at all."""

import pytest

from yijianshi.accounts.models import Applicant
from yijianshi.accounts.services import organization_member_add
from yijianshi.accounts.tests.factories import OrganizationFactory, UserFactory
from yijianshi.cases.models import Case, CaseEvent, CaseMaterial
from yijianshi.cases.tests.conftest import complete_application, newborn_catalog, upload
from yijianshi.catalog.importer import catalog_import
from yijianshi.catalog.tests import builders as b

pytestmark = pytest.mark.django_db
CASES = "/api/v1/cases"


def post(client, headers, url, body, **extra):
    return client.post(url, body, content_type="application/json", **headers, **extra)


def state():
    return Case.objects.count(), CaseMaterial.objects.count(), CaseEvent.objects.count()


def test_a_complete_application_is_submitted_with_a_number_and_the_frozen_plan(client, auth, person, bundle):
    response = post(client, auth(person), CASES, complete_application(person))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "submitted"
    assert body["number"].startswith("410100-")
    assert [i["code"] for i in body["plan"]["items"]] == ["BIRTH", "HUKOU", "VACCINE"]
    # The birth certificate comes from BIRTH; the applicant is never asked for it.
    assert "birth-cert" not in {m["key"] for m in body["materials"]}
    # The joint form holds each field once: child-name is asked by BIRTH and HUKOU.
    assert body["form"]["child-name"] == "张小宝"
    assert body["applicant"]["id_number_masked"] == person.applicant.id_number  # the applicant sees their own
    assert body["channel"] == "online"


def test_case_numbers_count_up_per_region_and_day(client, auth, person, bundle):
    first = post(client, auth(person), CASES, complete_application(person)).json()["number"]
    second = post(client, auth(person), CASES, complete_application(person)).json()["number"]
    assert int(second[-6:]) == int(first[-6:]) + 1
    assert first[:15] == second[:15]


def test_the_same_idempotency_key_gives_one_case(client, auth, person, bundle):
    application = complete_application(person)
    first = post(client, auth(person), CASES, application, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(client, auth(person), CASES, application, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Case.objects.count() == 1


def test_an_idempotency_key_reused_for_another_application_is_a_conflict(client, auth, person, bundle):
    post(client, auth(person), CASES, complete_application(person), HTTP_IDEMPOTENCY_KEY="k-2")
    other = complete_application(person)
    other["form"]["child-name"] = "李小宝"
    response = post(client, auth(person), CASES, other, HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"


def test_keys_are_per_caller(client, auth, person, other_person, bundle):
    post(client, auth(person), CASES, complete_application(person), HTTP_IDEMPOTENCY_KEY="same")
    response = post(client, auth(other_person), CASES, complete_application(other_person), HTTP_IDEMPOTENCY_KEY="same")
    assert response.status_code == 201
    assert Case.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda a: a["form"].update({"favourite-colour": "红"}), "form.favourite-colour", "本申请没有这一项"),
        (lambda a: a["answers"].pop("insure"), "answers.insure", "请回答"),
        (lambda a: a["answers"].update({"insure": "maybe"}), "answers.insure", "没有这个选项"),
        (lambda a: a["form"].pop("child-name"), "form.child-name", "请填写：新生儿姓名"),
        (lambda a: a["form"].update({"child-name": "张" * 11}), "form.child-name", "不能超过 10 个字"),
        (lambda a: a["form"].update({"birth-date": "2026-02-30"}), "form.birth-date", "应为日期"),
        (lambda a: a["materials"].pop("hukou-book"), "materials.hukou-book", "请提交：户口簿"),
        (lambda a: a["materials"].update({"birth-cert": a["materials"]["id-card"]}), "materials.birth-cert",
         "由“事项BIRTH”办理后直接取得"),
        (lambda a: a["materials"].update({"diploma": a["materials"]["id-card"]}), "materials.diploma",
         "本申请不需要此材料"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_changes_nothing(client, auth, person, bundle, change, field, message):
    application = complete_application(person)
    change(application)
    before = state()
    response = post(client, auth(person), CASES, application)
    assert response.status_code == 422, response.json()
    assert message in response.json()["fields"][field]
    assert state() == before


def test_a_material_in_a_format_it_does_not_accept_is_refused(client, auth, person, bundle):
    application = complete_application(person)
    application["materials"]["delivery-record"] = {"files": [str(upload(person, "png").pk)]}
    response = post(client, auth(person), CASES, application)
    assert response.status_code == 422
    assert "只接受 PDF 格式" in response.json()["fields"]["materials.delivery-record"]


def test_someone_elses_file_cannot_be_used(client, auth, person, other_person, bundle):
    application = complete_application(person)
    application["materials"]["hukou-book"] = {"files": [str(upload(other_person).pk)]}
    response = post(client, auth(person), CASES, application)
    assert response.status_code == 422
    assert "不是您上传的" in response.json()["fields"]["materials.hukou-book"]


def test_every_problem_is_reported_at_once(client, auth, person, bundle):
    application = complete_application(person)
    application["form"] = {}
    application["materials"] = {}
    fields = post(client, auth(person), CASES, application).json()["fields"]
    assert {"form.child-name", "form.address", "materials.id-card", "materials.hukou-book"} <= set(fields)


def test_unknown_request_fields_are_refused(client, auth, person, bundle):
    application = {**complete_application(person), "priority": "high"}
    assert post(client, auth(person), CASES, application).status_code == 422


def test_a_draft_is_saved_incomplete_edited_and_then_submitted(client, auth, person, bundle):
    me = auth(person)
    draft = post(client, me, CASES, {"life_event": "NEWBORN", "form": {"child-name": "张小宝"}, "submit": False})
    assert draft.status_code == 201, draft.json()
    assert draft.json()["status"] == "draft"
    assert draft.json()["number"] is None
    url = f"{CASES}/{draft.json()['id']}"
    # A draft still refuses what no answer could ever ask for.
    assert client.patch(url, {"form": {"nope": 1}}, content_type="application/json", **me).status_code == 422
    complete = complete_application(person)
    edited = client.patch(
        url,
        {"answers": complete["answers"], "form": complete["form"], "materials": complete["materials"]},
        content_type="application/json",
        **me,
    )
    assert edited.status_code == 200, edited.json()
    submitted = post(client, me, f"{url}/submit", {})
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    assert post(client, me, f"{url}/submit", {}).status_code == 409
    assert client.patch(url, {"form": {}}, content_type="application/json", **me).status_code == 409


def test_submitting_an_incomplete_draft_lists_what_is_missing(client, auth, person, bundle):
    me = auth(person)
    draft = post(client, me, CASES, {"life_event": "NEWBORN", "submit": False}).json()
    response = post(client, me, f"{CASES}/{draft['id']}/submit", {})
    assert response.status_code == 422
    assert "answers.insure" in response.json()["fields"]
    assert Case.objects.get(pk=draft["id"]).status == Case.Status.DRAFT


def test_a_patch_can_remove_a_material_and_clear_a_field(client, auth, person, bundle):
    me = auth(person)
    complete = complete_application(person)
    draft = post(client, me, CASES, {**complete, "submit": False}).json()
    url = f"{CASES}/{draft['id']}"
    patched = client.patch(
        url, {"form": {"address": None}, "materials": {"hukou-book": None}}, content_type="application/json", **me
    ).json()
    assert "address" not in patched["form"]
    assert "hukou-book" not in {m["key"] for m in patched["materials"]}


def test_a_draft_made_before_the_catalog_changed_is_checked_against_the_live_version(client, auth, person, bundle):
    me = auth(person)
    draft = post(client, me, CASES, {**complete_application(person), "submit": False}).json()
    changed = newborn_catalog()
    changed["items"][0]["name"] = "出生医学证明签发（新版）"
    catalog_import(text=b.as_yaml(changed))
    submitted = post(client, me, f"{CASES}/{draft['id']}/submit", {}).json()
    assert submitted["plan"]["items"][0]["name"] == "出生医学证明签发（新版）"


def test_a_single_item_can_be_applied_for(client, auth, person, bundle):
    application = {
        "item": "PERMIT",
        "form": {"reason": "探亲"},
        "materials": {"id-card": {"files": [str(upload(person).pk)]}},
    }
    response = post(client, auth(person), CASES, application)
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "item"
    assert response.json()["code"] == "PERMIT"


def test_naming_neither_or_both_targets_is_refused(client, auth, person, bundle):
    assert post(client, auth(person), CASES, {"submit": False}).status_code == 422
    both = post(client, auth(person), CASES, {"life_event": "NEWBORN", "item": "PERMIT", "submit": False})
    assert both.status_code == 422
    unknown = post(client, auth(person), CASES, {"life_event": "NOPE", "submit": False})
    assert unknown.status_code == 422
    assert "NOPE" in unknown.json()["fields"]["life_event"]


def test_mail_delivery_needs_an_address(client, auth, person, bundle):
    application = {**complete_application(person), "delivery": {"method": "mail", "address": {"recipient": "张三"}}}
    response = post(client, auth(person), CASES, application)
    assert response.status_code == 422
    assert {"delivery.address.phone", "delivery.address.address"} <= set(response.json()["fields"])


def test_a_person_applies_for_an_organisation_they_represent_as_its_agent(client, auth, person, bundle):
    company = OrganizationFactory()
    organization_member_add(organization=company, user=person, role="agent")
    response = post(client, auth(person), CASES, {**complete_application(person), "applicant_id": company.pk})
    assert response.status_code == 201, response.json()
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.applicant, case.agent) == (company, person)
    stranger = OrganizationFactory()
    refused = post(client, auth(person), CASES, {**complete_application(person), "applicant_id": stranger.pk})
    assert refused.status_code == 422


def test_a_window_clerk_registers_a_walk_in_applicant_and_submits_for_them(client, auth, clerk, bundle):
    from yijianshi.demo.identifiers import citizen_id

    id_number = citizen_id("410105", "19900307", 52)
    application = {
        **complete_application(clerk),
        "walk_in": {"name": "王五", "id_number": id_number, "phone": "13900000001"},
    }
    response = post(client, auth(clerk), CASES, application)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["channel"] == "window"
    assert body["applicant"]["name"] == "王五"
    assert body["applicant"]["id_number_masked"] == id_number[:6] + "********" + id_number[-4:]
    assert Applicant.objects.filter(id_number=id_number).count() == 1
    # The same person again is found, not registered twice; a wrong name is refused.
    post(client, auth(clerk), CASES, application)
    assert Applicant.objects.filter(id_number=id_number).count() == 1
    wrong = {**application, "walk_in": {**application["walk_in"], "name": "王六"}}
    assert post(client, auth(clerk), CASES, wrong).json()["fields"]["walk_in.name"]


def test_a_walk_in_with_a_bad_id_number_is_refused_naming_it(client, auth, clerk, bundle):
    application = {**complete_application(clerk), "walk_in": {"name": "王五", "id_number": "410105199003070000"}}
    response = post(client, auth(clerk), CASES, application)
    assert response.status_code == 422
    assert "校验位" in response.json()["fields"]["walk_in.id_number"]


def test_applicants_choose_online_channels_only(client, auth, person, bundle):
    response = post(client, auth(person), CASES, {**complete_application(person), "channel": "window"})
    assert response.status_code == 422
    assert "channel" in response.json()["fields"]


def test_staff_without_window_role_cannot_submit(client, auth, approvers, bundle):
    approver = approvers["wjw"]
    assert post(client, auth(approver), CASES, complete_application(approver)).status_code == 403


def test_an_applicant_may_withdraw_before_acceptance(client, auth, person, bundle):
    case = post(client, auth(person), CASES, complete_application(person)).json()
    response = post(client, auth(person), f"{CASES}/{case['id']}/withdraw", {"reason": "不办了"})
    assert response.json()["status"] == "withdrawn"
    assert post(client, auth(person), f"{CASES}/{case['id']}/withdraw", {}).status_code == 409


def test_nobody_else_can_see_or_edit_an_applicants_case(client, auth, person, other_person, bundle):
    case = post(client, auth(person), CASES, {**complete_application(person), "submit": False}).json()
    stranger = auth(other_person)
    assert client.get(f"{CASES}/{case['id']}", **stranger).status_code == 404
    assert client.patch(f"{CASES}/{case['id']}", {}, content_type="application/json", **stranger).status_code == 404
    assert post(client, stranger, f"{CASES}/{case['id']}/submit", {}).status_code == 404
    assert client.get(CASES, **stranger).json()["count"] == 0
    assert client.get(CASES, **auth(person)).json()["count"] == 1


def test_another_user_of_the_same_family_is_not_the_applicant(client, auth, person, bundle):
    other = UserFactory()
    case = post(client, auth(person), CASES, complete_application(person)).json()
    assert client.get(f"{CASES}/{case['id']}/events", **auth(other)).status_code == 404


def test_the_api_status_filters_name_every_model_status():
    from typing import get_args

    from yijianshi.cases.models import Case, Task
    from yijianshi.cases.schemas import CaseStatusIn, TaskStatusIn

    assert set(get_args(CaseStatusIn)) == set(Case.Status.values)
    assert set(get_args(TaskStatusIn)) == set(Task.Status.values)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_number_that_is_not_finite_is_not_a_number(value):
    from yijianshi.cases.form_data import check_form

    field = {"key": "count", "label": "数量", "type": "number", "required": True, "max_length": None,
             "pattern": "", "min": 0, "max": None, "options": []}  # fmt: skip
    _cleaned, problems = check_form([field], {"count": value}, complete=True)
    assert problems == {"form.count": "数量：应为数字"}

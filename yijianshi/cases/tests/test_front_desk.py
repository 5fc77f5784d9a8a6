"""前台综合受理: accept, refuse, or ask for every correction at once; hand results out."""

import pytest

from yijianshi.accounts.models import Region
from yijianshi.cases.models import Case, CorrectionNotice, Task
from yijianshi.cases.tests.conftest import approve, principal, submit_case, task_of
from yijianshi.conftest import staff_with_role

pytestmark = pytest.mark.django_db


def post(client, headers, url, body=None):
    return client.post(url, body or {}, content_type="application/json", **headers)


def url(case, action=""):
    return f"/api/v1/cases/{case.pk}/{action}" if action else f"/api/v1/cases/{case.pk}"


def test_acceptance_creates_one_task_per_item_for_its_department(client, auth, person, clerk, bundle):
    case = submit_case(person, insure=True)
    body = post(client, auth(clerk), url(case, "accept")).json()
    assert body["status"] == "in_progress"
    tasks = {t["item_code"]: t for t in body["tasks"]}
    assert {code: t["department"]["code"] for code, t in tasks.items()} == {
        "BIRTH": "wjw", "HUKOU": "gaj", "INSURE": "ybj", "VACCINE": "jkzx",
    }  # fmt: skip
    assert tasks["HUKOU"]["depends_on"] == ["BIRTH"]  # implied: it needs the birth certificate
    assert tasks["INSURE"]["depends_on"] == ["HUKOU"]
    assert body["due_date"] is not None
    assert Task.objects.get(pk=tasks["BIRTH"]["id"]).item_version.version == 1


def test_only_a_submitted_case_can_be_accepted(client, auth, person, clerk, bundle):
    case = submit_case(person)
    assert post(client, auth(clerk), url(case, "accept")).status_code == 200
    again = post(client, auth(clerk), url(case, "accept"))
    assert again.status_code == 409
    assert "办理中" in again.json()["message"]


def test_applicants_and_approvers_cannot_accept(client, auth, person, approvers, bundle):
    case = submit_case(person)
    assert post(client, auth(person), url(case, "accept")).status_code == 403
    assert post(client, auth(approvers["wjw"]), url(case, "accept")).status_code == 403


def test_a_clerk_of_another_region_does_not_see_the_case(client, auth, person, bundle):
    elsewhere = Region.objects.create(code="410200000000", name="开封市")
    stranger = staff_with_role("window_clerk", region=elsewhere)
    case = submit_case(person)
    assert client.get(url(case), **auth(stranger)).status_code == 404
    assert post(client, auth(stranger), url(case, "accept")).status_code == 404


def test_refusal_needs_a_reason_and_is_final(client, auth, person, clerk, bundle):
    case = submit_case(person)
    assert post(client, auth(clerk), url(case, "refuse"), {"reason": " "}).status_code == 422
    refused = post(
        client,
        auth(clerk),
        url(case, "refuse"),
        {"reason": "不属于本机关职权范围", "legal_basis": "《行政许可法》第三十二条"},
    )
    assert refused.json()["status"] == "refused"
    assert refused.json()["refusal_reason"] == "不属于本机关职权范围"
    assert post(client, auth(clerk), url(case, "accept")).status_code == 409


def problems():
    return [
        {"target": "material", "key": "hukou-book", "message": "户口簿首页不清晰，请重新扫描"},
        {"target": "field", "key": "address", "message": "请填写到门牌号"},
    ]


def test_a_correction_notice_lists_everything_once_and_the_applicant_resubmits(client, auth, person, clerk, bundle):
    case = submit_case(person)
    notice = post(client, auth(clerk), url(case, "request-correction"), {"problems": problems(), "note": "请一次补齐"})
    assert notice.status_code == 201, notice.json()
    assert [p["label"] for p in notice.json()["problems"]] == ["户口簿", "落户地址"]
    seen = client.get(url(case), **auth(person)).json()
    assert seen["status"] == "correcting"
    assert seen["correction"]["problems"][0]["message"] == "户口簿首页不清晰，请重新扫描"

    # Still the same submission: no second notice.
    again = post(client, auth(clerk), url(case, "request-correction"), {"problems": problems()})
    assert again.status_code == 409
    assert again.json()["code"] == "correction_already_requested"

    from yijianshi.cases.tests.conftest import upload

    fixed = post(
        client,
        auth(person),
        url(case, "resubmit"),
        {
            "form": {"address": "金水路 1 号 3 单元 502"},
            "materials": {"hukou-book": {"files": [str(upload(person).pk)]}},
        },
    )
    assert fixed.status_code == 200, fixed.json()
    assert (fixed.json()["status"], fixed.json()["round"]) == ("submitted", 2)
    assert CorrectionNotice.objects.get(case=case).resolved_at is not None
    # The new submission may get its own notice.
    assert post(client, auth(clerk), url(case, "request-correction"), {"problems": problems()}).status_code == 201
    assert CorrectionNotice.objects.filter(case=case).count() == 2


def test_a_correction_notice_must_name_things_of_this_case(client, auth, person, clerk, bundle):
    case = submit_case(person)
    bad = [
        {"target": "material", "key": "diploma", "message": "x"},
        {"target": "field", "key": "address", "message": " "},
    ]
    response = post(client, auth(clerk), url(case, "request-correction"), {"problems": bad})
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"problems.0.key", "problems.1.message"}
    assert post(client, auth(clerk), url(case, "request-correction"), {"problems": []}).status_code == 422
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED


def test_resubmission_is_checked_in_full(client, auth, person, clerk, bundle):
    case = submit_case(person)
    post(client, auth(clerk), url(case, "request-correction"), {"problems": problems()})
    response = post(client, auth(person), url(case, "resubmit"), {"form": {"child-name": None}})
    assert response.status_code == 422
    assert "form.child-name" in response.json()["fields"]
    assert Case.objects.get(pk=case.pk).status == Case.Status.CORRECTING


def test_a_clerk_can_settle_immediate_items_at_the_window(client, auth, person, clerk, bundle):
    case = submit_case(person)
    body = post(client, auth(clerk), url(case, "accept"), {"approve_immediate": True, "opinion": "材料齐全"}).json()
    tasks = {t["item_code"]: t["status"] for t in body["tasks"]}
    assert tasks["VACCINE"] == "approved"
    assert tasks["BIRTH"] == "active"


def test_a_clerk_may_decide_an_immediate_task_but_not_others(client, auth, person, clerk, bundle):
    case = submit_case(person)
    post(client, auth(clerk), url(case, "accept"))
    decide = {"decision": "approve", "opinion": "当场办结"}
    assert post(client, auth(clerk), f"/api/v1/tasks/{task_of(case, 'VACCINE').pk}/decide", decide).status_code == 200
    assert post(client, auth(clerk), f"/api/v1/tasks/{task_of(case, 'BIRTH').pk}/decide", decide).status_code == 403


def finished(case, clerk, approvers):
    from yijianshi.cases.front_desk import case_accept

    case_accept(case_id=case.pk, by=principal(clerk))
    for code, dept in (("VACCINE", "jkzx"), ("BIRTH", "wjw"), ("HUKOU", "gaj")):
        approve(case, code, approvers[dept])
    case.refresh_from_db()
    return case


def test_window_pickup_needs_the_applicants_code(client, auth, person, clerk, approvers, bundle):
    case = submit_case(person, delivery={"method": "pickup"})
    case = finished(case, clerk, approvers)
    code = client.get(url(case), **auth(person)).json()["delivery"]["pickup_code"]
    assert len(code) == 6
    assert "pickup_code" not in client.get(url(case), **auth(clerk)).json()["delivery"]
    wrong = "000000" if code != "000000" else "111111"
    assert post(client, auth(clerk), url(case, "deliver"), {"pickup_code": wrong}).status_code == 422
    handed = post(client, auth(clerk), url(case, "deliver"), {"pickup_code": code})
    assert handed.json()["delivered_at"] is not None
    assert post(client, auth(clerk), url(case, "deliver"), {"pickup_code": code}).status_code == 409


def test_mailed_results_record_the_tracking_number(client, auth, person, clerk, approvers, bundle):
    address = {"recipient": "张三", "phone": "13800138000", "address": "郑州市金水路 1 号"}
    case = finished(submit_case(person, delivery={"method": "mail", "address": address}), clerk, approvers)
    assert post(client, auth(clerk), url(case, "deliver"), {}).status_code == 422
    body = post(client, auth(clerk), url(case, "deliver"), {"tracking_number": "SF1234567890"}).json()
    assert body["delivery"]["tracking_number"] == "SF1234567890"


def test_results_cannot_be_handed_out_before_completion(client, auth, person, clerk, bundle):
    case = submit_case(person, delivery={"method": "pickup"})
    assert post(client, auth(clerk), url(case, "deliver"), {"pickup_code": "123456"}).status_code == 409


def test_the_window_queue_lists_submitted_cases_oldest_first(client, auth, person, other_person, clerk, bundle):
    first = submit_case(person)
    second = submit_case(other_person)
    listed = client.get("/api/v1/cases?status=submitted", **auth(clerk)).json()["items"]
    assert {c["id"] for c in listed} == {str(first.pk), str(second.pk)}
    assert all("*" in c["applicant_name"] for c in listed)  # names are masked in lists

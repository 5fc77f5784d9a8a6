"""The issue's "done when", on the demo data, through the HTTP API: a restaurant case with a deferred material is
accepted, reminded, supplied and approved; another, left late, is terminated; a false commitment found in a
post-check revokes the license and blocks the next commitment until credit is repaired; an instant-approval item is
approved within the submission request. Bad choices are refused and change nothing."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from yijianshi.accounts.models import Department, User
from yijianshi.cases.catalog_target import target_live
from yijianshi.cases.events import chain_problems
from yijianshi.cases.models import Case, Task, WebhookDelivery
from yijianshi.cases.tests.test_webhooks import subscribe
from yijianshi.catalog.models import ServiceItem
from yijianshi.catalog.plan import OPTIONAL
from yijianshi.commitments import deferrals
from yijianshi.commitments.models import Commitment, CreditRecord, Deferral, PostCheck
from yijianshi.conftest import bearer
from yijianshi.core.calendar import current_calendar
from yijianshi.demo.tests.test_demo_journey import answered, upload, value_for
from yijianshi.licenses.models import License
from yijianshi.notifications.models import Notification

pytestmark = pytest.mark.django_db

FOOD = "1141010000000006X04010060020000"  # 食品经营许可: commitments allowed, 食品安全规章制度目录清单 deferrable
REPAIR = "1141010000000017494100170360000"  # 行政处罚信息信用修复: repairs false commitments
PROOF = "11410100000000043D4200040510000"  # 个人参保缴费证明开具: instant approval


@pytest.fixture
def demo():
    call_command("demo", verbosity=0)


def user(name: str) -> User:
    return User.objects.get(username=name)


def post(client, url, data, who):
    return client.post(url, data, content_type="application/json", **bearer(who))


def form_for(plan, applicant) -> dict:
    values = {}
    for field in plan["form"]:
        if field["type"] == "credit_code":
            values[field["key"]] = applicant.id_number
        elif field["type"] == "citizen_id":
            values[field["key"]] = applicant.legal_representative_id_number or applicant.id_number
        else:
            values[field["key"]] = value_for(field, applicant)
    return values


def application(client, who, *, item=None, life_event=None, skip=(), **extra) -> dict:
    target = target_live(life_event=life_event, item=item)
    plan, answers = answered(target) if life_event else (target.plan({}), {})
    applicant = who.applicant
    return {
        **({"life_event": life_event, "answers": answers} if life_event else {"item": item}),
        "form": form_for(plan, applicant),
        "materials": {
            m["key"]: {"files": [upload(client, who, (m["formats"] or ["pdf"])[0])]}
            for m in plan["materials"]
            if m["need"] != OPTIONAL and m["key"] not in skip
        },
        **extra,
    }


def text_version(client, code) -> int:
    return client.get(f"/api/v1/items/{code}/commitment").json()["version"]


def sign(client, code) -> dict:
    return {"item": code, "version": text_version(client, code), "confirmed": True}


def accepted_food_case(client, hongtu) -> str:
    """A 食品经营许可 case with 食品安全规章制度目录清单 deferred under a signed commitment, accepted at the window."""
    body = application(
        client, hongtu, item=FOOD, skip={"food-safety-rules"}, commitments=[sign(client, FOOD)],
        deferred=["food-safety-rules"],
    )  # fmt: skip
    response = post(client, "/api/v1/cases", body, hongtu)
    assert response.status_code == 201, response.json()
    case_id = response.json()["id"]
    materials = {m["key"]: m["kind"] for m in response.json()["materials"]}
    assert materials["food-safety-rules"] == "deferred"
    response = post(client, f"/api/v1/cases/{case_id}/accept", {"opinion": "容缺受理"}, user("chuangkou"))
    assert response.status_code == 200, response.json()
    return case_id


def test_a_deferred_material_is_noticed_reminded_supplied_checked_and_then_approved(client, demo):
    hongtu, clerk, approver = user("hongtu"), user("chuangkou"), user("shenpi-scjgj")
    case_id = accepted_food_case(client, hongtu)

    seen = client.get(f"/api/v1/cases/{case_id}/commitments", **bearer(hongtu)).json()
    (signed,) = seen["commitments"]
    assert signed["text_version"] == text_version(client, FOOD) and len(signed["sm3"]) == 64
    assert signed["channel"] == "online" and signed["deferred"] == ["food-safety-rules"]
    notice = seen["notice"]
    assert notice["title"] == "容缺受理通知书" and notice["entries"][0]["name"] == "食品安全规章制度目录清单"
    due = datetime.date.fromisoformat(notice["entries"][0]["due"])
    assert due == current_calendar().add_working_days(timezone.localdate(), 3)  # the item's deferral rule
    assert "终止办理" in notice["consequence"]
    pdf = client.get(notice["pdf_url"], **bearer(hongtu))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # The department cannot approve while the material is owed.
    task = Task.objects.get(case_id=case_id)
    response = post(client, f"/api/v1/tasks/{task.pk}/decide", {"decision": "approve", "opinion": "同意"}, approver)
    assert response.status_code == 409 and response.json()["code"] == "deferred_outstanding"

    # Reminded when two working days are left, once.
    before = current_calendar().subtract_working_days(due, 2)
    assert deferrals.deferrals_remind(today=before) == 1
    assert deferrals.deferrals_remind(today=before) == 0
    assert Notification.objects.filter(recipient=hongtu, title="请补交容缺材料").count() == 1

    # Supplied, sent back once, supplied again, accepted; then approved, and checked afterwards (rule: always).
    url = f"/api/v1/cases/{case_id}/deferred/food-safety-rules"
    response = post(client, f"{url}/supply", {"files": [upload(client, hongtu, "pdf")]}, hongtu)
    assert response.status_code == 200 and response.json()["status"] == "supplied", response.json()
    queue = client.get("/api/v1/deferrals", **bearer(clerk)).json()["items"]
    assert [(row["case_id"], row["status"]) for row in queue] == [(case_id, "supplied")]
    response = post(client, f"{url}/check", {"accepted": False, "note": "缺少进货查验制度"}, clerk)
    assert response.json()["status"] == "owed"
    post(client, f"{url}/supply", {"files": [upload(client, hongtu, "pdf")]}, hongtu)
    assert post(client, f"{url}/check", {"accepted": True}, clerk).json()["status"] == "accepted"
    response = post(client, f"/api/v1/tasks/{task.pk}/decide", {"decision": "approve", "opinion": "同意"}, approver)
    assert response.status_code == 200, response.json()
    assert Case.objects.get(pk=case_id).status == Case.Status.COMPLETED
    checks = client.get("/api/v1/post-checks", **bearer(approver)).json()["items"]
    assert [row["case_id"] for row in checks] == [case_id]
    actions = [e["action"] for e in client.get(f"/api/v1/cases/{case_id}/events", **bearer(hongtu)).json()]
    for action in ("commitment_signed", "deferral_notice_issued", "deferred_supplied", "deferred_checked",
                   "task_approved", "completed"):  # fmt: skip
        assert action in actions
    # Whether it was drawn for a post-check is the departments' business, not the applicant's.
    assert "post_check_scheduled" not in actions
    assert client.get(f"/api/v1/cases/{case_id}/commitments", **bearer(hongtu)).json()["post_checks"] == []
    staff_actions = [e["action"] for e in client.get(f"/api/v1/cases/{case_id}/events", **bearer(clerk)).json()]
    assert "post_check_scheduled" in staff_actions
    # Supplying changed the case's content and sealed the new digests: the audit finds the chain intact.
    assert list(chain_problems(case_numbers=[Case.objects.get(pk=case_id).number])) == []
    assert (
        any("容缺受理通知书" in m.subject for m in mail.outbox)
        or Notification.objects.filter(recipient=hongtu, title="容缺受理通知书").exists()
    )


def test_a_case_left_late_is_terminated_and_takes_no_more_material(client, demo):
    hongtu = user("hongtu")
    market = subscribe(Department.objects.get(code="zz-scjgj"), url="https://scjgj.example.gov.cn/hooks")
    case_id = accepted_food_case(client, hongtu)
    due = Deferral.objects.get(case_id=case_id).due_date
    assert deferrals.deferrals_expire(today=due) == 0  # the last day still counts
    assert deferrals.deferrals_expire(today=due + datetime.timedelta(days=1)) == 1
    task = Task.objects.get(case_id=case_id)
    assert task.status == Task.Status.TERMINATED and "食品安全规章制度目录清单" in task.closed_reason
    decided = WebhookDelivery.objects.get(subscription=market, event_type="task.decided")
    assert decided.payload["data"]["task"]["status"] == "terminated"  # the department system hears why it ended
    case = Case.objects.get(pk=case_id)
    assert case.status == Case.Status.COMPLETED and case.outcome == Case.Outcome.REFUSED
    response = post(
        client, f"/api/v1/cases/{case_id}/deferred/food-safety-rules/supply",
        {"files": [upload(client, hongtu, "pdf")]}, hongtu,
    )  # fmt: skip
    assert response.status_code == 409 and response.json()["code"] == "deferral_overdue"


def test_a_false_commitment_revokes_the_license_and_blocks_commitments_until_repaired(client, demo):
    hongtu, approver, clerk = user("hongtu"), user("shenpi-scjgj"), user("chuangkou")
    body = application(client, hongtu, item=FOOD, commitments=[sign(client, FOOD)])
    case_id = post(client, "/api/v1/cases", body, hongtu).json()["id"]
    post(client, f"/api/v1/cases/{case_id}/accept", {}, clerk)
    task = Task.objects.get(case_id=case_id)
    post(client, f"/api/v1/tasks/{task.pk}/decide", {"decision": "approve", "opinion": "同意"}, approver)
    license = License.objects.get(source_task_id=task.pk)
    (check,) = client.get("/api/v1/post-checks", **bearer(approver)).json()["items"]

    finding = {"result": "false_commitment", "finding": "现场无独立粗加工区，与承诺不符"}
    response = post(client, f"/api/v1/post-checks/{check['id']}/record", finding, approver)
    assert response.status_code == 200 and response.json()["status"] == "false", response.json()
    assert post(client, f"/api/v1/post-checks/{check['id']}/record", finding, approver).status_code == 409
    license.refresh_from_db()
    assert license.status == License.Status.REVOKED
    assert "已撤销" in client.get(f"/verify/{license.identifier}").content.decode()
    assert Task.objects.get(pk=task.pk).status == Task.Status.REVOKED
    (mark,) = client.get("/api/v1/me/credit", **bearer(hongtu)).json()
    assert mark["kind"] == "false_commitment" and mark["active"]
    client.force_login(hongtu)
    page = client.get(reverse("portal:my-data")).content.decode()
    assert "虚假承诺" in page and "未修复" in page  # 我的数据 shows the mark and what it bars

    # The next commitment is refused, and nothing is created.
    cases = Case.objects.count()
    response = post(client, "/api/v1/cases", application(client, hongtu, item=FOOD, commitments=[sign(client, FOOD)]),
                    hongtu)  # fmt: skip
    assert response.status_code == 422 and "信用修复" in response.json()["fields"]["commitments"]
    assert Case.objects.count() == cases

    # 信用修复: approving 行政处罚信息信用修复 repairs the mark, and commitments are open again.
    repair_id = post(client, "/api/v1/cases", application(client, hongtu, item=REPAIR), hongtu).json()["id"]
    post(client, f"/api/v1/cases/{repair_id}/accept", {}, clerk)
    repair_task = Task.objects.get(case_id=repair_id)
    response = post(client, f"/api/v1/tasks/{repair_task.pk}/decide", {"decision": "approve", "opinion": "准予修复"},
                    user("shenpi-fgw"))  # fmt: skip
    assert response.status_code == 200, response.json()
    assert not CreditRecord.objects.get(pk=mark["id"]).is_active
    response = post(client, "/api/v1/cases", application(client, hongtu, item=FOOD, commitments=[sign(client, FOOD)]),
                    hongtu)  # fmt: skip
    assert response.status_code == 201, response.json()


def test_an_instant_item_is_approved_within_the_submission_and_its_events_say_why(client, demo):
    zhangsan = user("zhangsan")
    response = post(client, "/api/v1/cases", application(client, zhangsan, item=PROOF, skip={"applicant-id-card"}),
                    zhangsan)  # fmt: skip
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert answer["status"] == "completed" and answer["outcome"] == "approved"
    events = client.get(f"/api/v1/cases/{answer['id']}/events", **bearer(zhangsan)).json()
    checked = next(e for e in events if e["action"] == "instant_checked")
    rules = checked["data"]["items"][PROOF]
    assert checked["data"]["approved"] and all(rule["held"] for rule in rules)
    assert {"switch", "materials", "credit", "field:applicant-citizen-id"} == {rule["rule"] for rule in rules}
    approved = next(e for e in events if e["action"] == "task_approved")
    assert approved["role"] == "system" and "秒批" in approved["data"]["opinion"]

    # Switched off at once: the next case waits for the window, and its events say which rule did not hold.
    response = post(client, f"/api/v1/items/{PROOF}/instant-approval", {"paused": True}, user("mulu"))
    assert response.status_code == 200 and ServiceItem.objects.get(code=PROOF).instant_paused
    response = post(client, "/api/v1/cases", application(client, zhangsan, item=PROOF, skip={"applicant-id-card"}),
                    zhangsan)  # fmt: skip
    assert response.json()["status"] == "submitted"
    events = client.get(f"/api/v1/cases/{response.json()['id']}/events", **bearer(zhangsan)).json()
    checked = next(e for e in events if e["action"] == "instant_checked")
    assert not checked["data"]["approved"]
    assert [r["rule"] for r in checked["data"]["items"][PROOF] if not r["held"]] == ["switch"]


@pytest.mark.parametrize(
    ("choices", "field", "message"),
    [
        ({"commitments": [{"item": FOOD, "version": 99, "confirmed": True}]}, "commitments.0.version", "已更新为第"),
        ({"commitments": [{"item": FOOD, "version": 1, "confirmed": False}]}, "commitments.0.confirmed", "请确认"),
        ({"deferred": ["food-safety-rules"]}, "deferred.0", "须签署"),
        ({"deferred": ["premises-floor-plan"]}, "deferred.0", "不能容缺后补"),
    ],
)
def test_bad_choices_are_refused_by_field_and_change_nothing(client, demo, choices, field, message):
    hongtu = user("hongtu")
    body = application(client, hongtu, item=FOOD, skip={"food-safety-rules"}, **choices)
    before = (Case.objects.count(), Commitment.objects.count(), Deferral.objects.count())
    response = post(client, "/api/v1/cases", body, hongtu)
    assert response.status_code == 422
    assert message in response.json()["fields"][field], response.json()
    assert (Case.objects.count(), Commitment.objects.count(), Deferral.objects.count()) == before


def test_commitments_on_an_item_in_an_excluded_area_are_refused(client, demo):
    fire = "1141010000000007804010070040000"  # 消防安全检查: public safety
    assert client.get(f"/api/v1/items/{fire}/commitment").status_code == 404
    hongtu = user("hongtu")
    body = application(client, hongtu, item=fire, commitments=[{"item": fire, "version": 1, "confirmed": True}])
    response = post(client, "/api/v1/cases", body, hongtu)
    assert response.status_code == 422 and "不实行告知承诺" in response.json()["fields"]["commitments.0.item"]


def test_post_checks_and_deferrals_are_only_seen_by_their_departments_and_windows(client, demo):
    hongtu = user("hongtu")
    case_id = accepted_food_case(client, hongtu)
    assert client.get("/api/v1/deferrals", **bearer(user("shenpi-scjgj"))).status_code == 403  # not a window
    other = post(client, f"/api/v1/cases/{case_id}/deferred/food-safety-rules/check", {"accepted": True},
                 user("shenpi-gaj"))  # fmt: skip
    assert other.status_code == 403
    assert client.get(f"/api/v1/cases/{case_id}/commitments", **bearer(user("zhangsan"))).status_code == 404
    assert PostCheck.objects.count() == 0


def test_a_material_an_e_license_covers_cannot_be_deferred(client, demo):
    liquor = "1141010000000022X74010220050000"  # 酒类商品零售许可: replaces 经营场所使用证明
    hongtu = user("hongtu")
    body = application(client, hongtu, item=liquor, skip={"premises-proof"}, commitments=[sign(client, liquor)])
    response = post(client, "/api/v1/cases", body, hongtu)
    assert response.status_code == 201, response.json()
    kinds = {m["key"]: m["kind"] for m in response.json()["materials"]}
    assert kinds["premises-proof"] == "committed"  # the promise stands in for it: no upload, no deadline
    assert not Deferral.objects.filter(case_id=response.json()["id"]).exists()


def test_a_correction_can_ask_for_a_deferred_material_after_all(client, demo):
    hongtu, clerk = user("hongtu"), user("chuangkou")
    body = application(
        client, hongtu, item=FOOD, skip={"food-safety-rules"}, commitments=[sign(client, FOOD)],
        deferred=["food-safety-rules"],
    )  # fmt: skip
    case_id = post(client, "/api/v1/cases", body, hongtu).json()["id"]
    problems = {"problems": [{"target": "material", "key": "food-safety-rules", "message": "本事项须当场提交"}]}
    assert post(client, f"/api/v1/cases/{case_id}/request-correction", problems, clerk).status_code == 201
    response = post(client, f"/api/v1/cases/{case_id}/resubmit", {}, hongtu)
    assert response.status_code == 422 and "food-safety-rules" in str(response.json()["fields"])
    supplied = {"materials": {"food-safety-rules": {"files": [upload(client, hongtu, "pdf")]}}}
    assert post(client, f"/api/v1/cases/{case_id}/resubmit", supplied, hongtu).status_code == 200
    post(client, f"/api/v1/cases/{case_id}/accept", {}, clerk)
    # Provided after all: nothing owed, nothing blocks the approval.
    assert not Deferral.objects.filter(case_id=case_id).exists()
    task = Task.objects.get(case_id=case_id)
    decision = {"decision": "approve", "opinion": "同意"}
    assert post(client, f"/api/v1/tasks/{task.pk}/decide", decision, user("shenpi-scjgj")).status_code == 200


def test_revoking_the_only_approval_changes_the_outcome(client, demo):
    hongtu, approver = user("hongtu"), user("shenpi-scjgj")
    body = application(client, hongtu, item=FOOD, commitments=[sign(client, FOOD)])
    case_id = post(client, "/api/v1/cases", body, hongtu).json()["id"]
    post(client, f"/api/v1/cases/{case_id}/accept", {}, user("chuangkou"))
    task = Task.objects.get(case_id=case_id)
    post(client, f"/api/v1/tasks/{task.pk}/decide", {"decision": "approve", "opinion": "同意"}, approver)
    check = PostCheck.objects.get(task=task)
    # Another department cannot see or record it.
    other = user("shenpi-gaj")
    assert client.get("/api/v1/post-checks", **bearer(other)).json()["items"] == []
    finding = {"result": "false_commitment", "finding": "不实"}
    assert post(client, f"/api/v1/post-checks/{check.pk}/record", finding, other).status_code == 404
    assert post(client, f"/api/v1/post-checks/{check.pk}/record", finding, approver).status_code == 200
    case = Case.objects.get(pk=case_id)
    assert case.outcome == Case.Outcome.REFUSED and case.status == Case.Status.COMPLETED


def test_credit_records_are_imported_and_repaired_by_a_national_credit_manager_only(client, demo):
    admin, supervisor = user("admin"), user("jiancha")
    zhangsan = user("zhangsan").applicant
    rows = {"records": [{"id_number": zhangsan.id_number, "name": zhangsan.name, "reason": "拒不履行法院判决",
                         "reference": "（2026）豫01执123号"}]}  # fmt: skip
    assert post(client, "/api/v1/credit-records", rows, supervisor).status_code == 403
    bad = {"records": [{"id_number": zhangsan.id_number[:-1] + "0", "name": "张三", "reason": "x"}]}
    response = post(client, "/api/v1/credit-records", bad, admin)
    assert response.status_code == 422 and "records.0.id_number" in response.json()["fields"]
    assert CreditRecord.objects.count() == 0
    response = post(client, "/api/v1/credit-records", rows, admin)
    assert response.status_code == 201, response.json()
    (record,) = response.json()
    assert record["id_number"] == zhangsan.id_number[:6] + "********" + zhangsan.id_number[-4:]
    assert record["subject_name"] == "张*"

    # The mark fails 秒批's credit rule.
    body = application(client, user("zhangsan"), item=PROOF, skip={"applicant-id-card"})
    answer = post(client, "/api/v1/cases", body, user("zhangsan")).json()
    assert answer["status"] == "submitted"

    response = post(client, f"/api/v1/credit-records/{record['id']}/repair", {"note": "法院已撤销失信决定"}, admin)
    assert response.status_code == 200 and not response.json()["active"]
    assert CreditRecord.objects.get(pk=record["id"]).repaired_by == admin
    assert post(client, f"/api/v1/credit-records/{record['id']}/repair", {"note": "再次"}, admin).status_code == 409


def test_a_field_rule_that_does_not_hold_leaves_the_case_to_the_window(client, demo):
    zhangsan = user("zhangsan")
    body = application(client, zhangsan, item=PROOF, skip={"applicant-id-card"})
    body["form"]["applicant-citizen-id"] = user("lisi").applicant.id_number  # someone else's
    answer = post(client, "/api/v1/cases", body, zhangsan).json()
    assert answer["status"] == "submitted"
    events = client.get(f"/api/v1/cases/{answer['id']}/events", **bearer(zhangsan)).json()
    rules = next(e for e in events if e["action"] == "instant_checked")["data"]["items"][PROOF]
    assert [r["rule"] for r in rules if not r["held"]] == ["field:applicant-citizen-id"]


def test_only_catalog_admins_switch_instant_approval(client, demo):
    switch = f"/api/v1/items/{PROOF}/instant-approval"
    assert post(client, switch, {"paused": True}, user("chuangkou")).status_code == 403
    assert post(client, "/api/v1/items/NOPE/instant-approval", {"paused": True}, user("mulu")).status_code == 404
    assert post(client, switch, {"paused": True}, user("mulu")).status_code == 200
    item = ServiceItem.objects.get(code=PROOF)
    assert item.instant_paused and item.instant_switched_by == user("mulu") and item.instant_switched_at

"""后台分类审批: tasks start along the flow, departments decide, and the case completes."""

import pytest

from yijianshi.cases.models import Case, Task
from yijianshi.cases.tests.conftest import accept_case, approve, principal, submit_case, task_of, upload

pytestmark = pytest.mark.django_db


def post(client, headers, url, body=None):
    return client.post(url, body or {}, content_type="application/json", **headers)


def decide_url(case, code, action="decide"):
    return f"/api/v1/tasks/{task_of(case, code).pk}/{action}"


@pytest.fixture
def accepted(person, clerk, approvers):
    case = submit_case(person, insure=True)
    accept_case(case, clerk)
    return case


def test_independent_tasks_start_together_and_a_task_waits_for_what_it_needs(accepted, approvers):
    status = {t.item_code: t.status for t in accepted.tasks.all()}
    assert status == {"BIRTH": "active", "HUKOU": "waiting", "INSURE": "waiting", "VACCINE": "active"}
    approve(accepted, "BIRTH", approvers["wjw"])
    assert task_of(accepted, "HUKOU").status == Task.Status.ACTIVE
    assert task_of(accepted, "INSURE").status == Task.Status.WAITING


def test_a_successor_receives_its_predecessors_result(client, auth, accepted, approvers):
    certificate = upload(approvers["wjw"], "pdf", "出生医学证明")
    response = post(
        client,
        auth(approvers["wjw"]),
        decide_url(accepted, "BIRTH"),
        {"decision": "approve", "opinion": "符合条件", "results": [str(certificate.pk)]},
    )
    assert response.status_code == 200, response.json()
    police = auth(approvers["gaj"])
    task = client.get(f"/api/v1/tasks/{task_of(accepted, 'HUKOU').pk}", **police).json()
    assert [r["file"]["id"] for r in task["inputs"]] == [str(certificate.pk)]
    download = client.get(task["inputs"][0]["file"]["url"], **police)
    assert download.status_code == 200
    # The applicant downloads the result too.
    assert client.get(task["inputs"][0]["file"]["url"], **auth(accepted.created_by)).status_code == 200


def test_a_decision_on_a_task_that_is_not_active_is_a_conflict(client, auth, accepted, approvers):
    waiting = post(
        client, auth(approvers["gaj"]), decide_url(accepted, "HUKOU"), {"decision": "approve", "opinion": "同意"}
    )
    assert waiting.status_code == 409
    assert waiting.json()["code"] == "task_waiting"
    approve(accepted, "BIRTH", approvers["wjw"])
    twice = post(
        client,
        auth(approvers["wjw"]),
        decide_url(accepted, "BIRTH"),
        {"decision": "refuse", "refusal_reason": "x", "legal_basis": "y"},
    )
    assert twice.status_code == 409
    assert "不能重复决定" in twice.json()["message"]
    assert task_of(accepted, "BIRTH").status == Task.Status.APPROVED


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"decision": "approve", "opinion": " "}, {"opinion"}),
        ({"decision": "refuse"}, {"refusal_reason", "legal_basis"}),
        ({"decision": "refuse", "refusal_reason": "不符合条件"}, {"legal_basis"}),
    ],
)
def test_a_decision_must_say_why(client, auth, accepted, approvers, body, fields):
    response = post(client, auth(approvers["wjw"]), decide_url(accepted, "BIRTH"), body)
    assert response.status_code == 422
    assert set(response.json()["fields"]) == fields
    assert task_of(accepted, "BIRTH").status == Task.Status.ACTIVE


def test_a_refused_task_closes_what_depends_on_it_and_the_case_is_partly_done(client, auth, accepted, approvers):
    approve(accepted, "VACCINE", approvers["jkzx"])
    approve(accepted, "BIRTH", approvers["wjw"])
    refusal = {"decision": "refuse", "refusal_reason": "户籍地不在本市", "legal_basis": "《户口登记条例》第七条"}
    assert post(client, auth(approvers["gaj"]), decide_url(accepted, "HUKOU"), refusal).status_code == 200
    insure = task_of(accepted, "INSURE")
    assert insure.status == Task.Status.NOT_APPLICABLE
    assert "事项HUKOU" in insure.closed_reason
    accepted.refresh_from_db()
    assert (accepted.status, accepted.outcome) == (Case.Status.COMPLETED, Case.Outcome.PARTIAL)
    seen = client.get(f"/api/v1/cases/{accepted.pk}", **auth(accepted.created_by)).json()
    outcome = {t["item_code"]: (t["status_label"], t["refusal_reason"] or t["closed_reason"]) for t in seen["tasks"]}
    assert outcome["HUKOU"] == ("不予许可", "户籍地不在本市")
    assert outcome["INSURE"][0] == "不再办理"


def test_when_everything_is_refused_the_outcome_says_so(accepted, approvers):
    from yijianshi.cases.approval import task_decide

    for code, dept in (("BIRTH", "wjw"), ("VACCINE", "jkzx")):
        task_decide(
            task_id=task_of(accepted, code).pk, by=principal(approvers[dept]), role="approver", decision="refuse",
            refusal_reason="不符合条件", legal_basis="依据",
        )  # fmt: skip
    accepted.refresh_from_db()
    assert accepted.outcome == Case.Outcome.REFUSED
    assert set(accepted.tasks.values_list("status", flat=True)) == {"refused", "not_applicable"}


def test_approvers_decide_only_their_departments_tasks(client, auth, accepted, approvers):
    foreign = post(
        client, auth(approvers["gaj"]), decide_url(accepted, "BIRTH"), {"decision": "approve", "opinion": "同意"}
    )
    assert foreign.status_code == 404
    assert task_of(accepted, "BIRTH").status == Task.Status.ACTIVE


def test_an_approver_sees_only_what_their_tasks_need(client, auth, accepted, approvers):
    seen = client.get(f"/api/v1/cases/{accepted.pk}", **auth(approvers["ybj"])).json()
    assert seen["whole"] is False
    assert [t["item_code"] for t in seen["tasks"]] == ["INSURE"]
    assert set(seen["form"]) == {"phone"}
    assert {m["key"] for m in seen["materials"]} == {"id-card"}
    assert seen["plan"] == {} and seen["answers"] == {}
    events = client.get(f"/api/v1/cases/{accepted.pk}/events", **auth(approvers["ybj"]))
    assert events.status_code == 200


def test_the_department_queue_lists_open_tasks_by_urgency(client, auth, person, other_person, clerk, approvers):
    for user in (person, other_person):
        accept_case(submit_case(user), clerk)
    listed = client.get("/api/v1/tasks", **auth(approvers["wjw"])).json()
    assert listed["count"] == 2
    assert all(t["item_code"] == "BIRTH" and t["colour"] == "green" for t in listed["items"])
    assert client.get("/api/v1/tasks?colour=red", **auth(approvers["wjw"])).json()["count"] == 0
    assert client.get("/api/v1/tasks", **auth(approvers["ybj"])).json()["count"] == 0


def test_a_page_of_the_queue_reads_its_ids_then_only_its_rows_in_order(person, other_person, clerk, approvers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yijianshi.cases.selectors import task_list_for

    cases = [submit_case(user) for user in (person, other_person, person)]
    for case in cases:
        accept_case(case, clerk)
    queue = task_list_for(principal(approvers["jkzx"]))  # VACCINE of each, active at once
    with CaptureQueriesContext(connection) as queries:
        page = queue[1:3]
        names = [t.case.applicant.name for t in page]  # the rows come with their case and applicant
    assert [t.pk for t in page] == [t.pk for t in queue.queryset[1:3]]
    assert names == [t.case.applicant.name for t in queue.queryset[1:3]]
    assert len(queries) == 2 and "LIMIT" in queries[0]["sql"] and "LIMIT" not in queries[1]["sql"]
    assert queue.count() == 3 and len(queue[0:20]) == 3


def test_a_department_system_decides_through_the_api(client, auth, accepted, bundle):
    from yijianshi.accounts.services import client_create

    system, _raw = client_create(name="卫健审批系统", department=bundle["wjw"], scope_codes=["task.decide"])
    headers = auth(client=system)
    assert client.get("/api/v1/tasks", **headers).json()["count"] == 1
    response = post(client, headers, decide_url(accepted, "BIRTH"), {"decision": "approve", "opinion": "系统核验通过"})
    assert response.status_code == 200, response.json()
    assert task_of(accepted, "BIRTH").decided_by_client == system

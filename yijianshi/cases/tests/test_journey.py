"""The whole journey through the API, as the issue's "done when" describes it."""

import pytest
from django.core import mail

from yijianshi.cases.models import Case, CaseEvent, Task
from yijianshi.cases.tests.conftest import complete_application
from yijianshi.notifications.models import Notification

pytestmark = pytest.mark.django_db


def post(client, headers, url, body=None):
    return client.post(url, body or {}, content_type="application/json", **headers)


def test_a_newborn_case_goes_from_submission_to_completion(
    client, auth, person, clerk, approvers, jobs, django_capture_on_commit_callbacks
):
    me = auth(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, me, "/api/v1/cases", complete_application(person, insure=True))
    assert response.status_code == 201, response.json()
    case = response.json()
    assert case["status"] == "submitted"
    assert case["number"].startswith("410100-")
    assert [i["code"] for i in case["plan"]["items"]] == ["BIRTH", "HUKOU", "INSURE", "VACCINE"]

    window = auth(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = post(client, window, f"/api/v1/cases/{case['id']}/accept", {"opinion": "材料齐全"})
    assert accepted.status_code == 200, accepted.json()
    tasks = {t["item_code"]: t for t in accepted.json()["tasks"]}
    assert {code: t["status"] for code, t in tasks.items()} == {
        "BIRTH": "active",
        "HUKOU": "waiting",
        "INSURE": "waiting",
        "VACCINE": "active",
    }

    def decide(code, dept, **body):
        with django_capture_on_commit_callbacks(execute=True):
            return post(
                client,
                auth(approvers[dept]),
                f"/api/v1/tasks/{tasks[code]['id']}/decide",
                {"decision": "approve", "opinion": "同意", **body},
            )

    assert decide("VACCINE", "jkzx").status_code == 200
    assert decide("BIRTH", "wjw").status_code == 200
    assert Task.objects.get(pk=tasks["HUKOU"]["id"]).status == Task.Status.ACTIVE
    assert decide("HUKOU", "gaj").status_code == 200
    final = decide("INSURE", "ybj")
    assert final.status_code == 200, final.json()

    done = client.get(f"/api/v1/cases/{case['id']}", **me).json()
    assert done["status"] == "completed"
    assert done["outcome"] == "approved"
    events = client.get(f"/api/v1/cases/{case['id']}/events", **me).json()
    actions = [e["action"] for e in events]
    assert actions[:3] == ["created", "submitted", "accepted"]
    assert actions[-1] == "completed"
    assert actions.count("task_approved") == 4
    assert CaseEvent.objects.filter(case_id=case["id"]).count() == len(events)
    assert Notification.objects.filter(recipient=person, title="申请已办结").exists()
    jobs()
    assert any("已办结" in m.subject or "已办结" in m.body for m in mail.outbox) or not person.email
    assert Case.objects.get(pk=case["id"]).delivered_at is not None

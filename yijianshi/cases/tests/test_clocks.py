"""Statutory clocks: working days, special procedures that stop them, colours and deadline alerts."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from yijianshi.cases.approval import task_resume, task_suspend
from yijianshi.cases.deadlines import alerts_raise
from yijianshi.cases.models import Alert, Task
from yijianshi.cases.tests.conftest import accept_case, approve, principal, submit_case, task_of
from yijianshi.notifications.models import Notification

pytestmark = pytest.mark.django_db
D = datetime.date
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(day: datetime.date, hour: int = 10):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def test_limits_run_in_working_days_from_the_day_after_activation(person, clerk):
    case = submit_case(person)
    with at(D(2026, 9, 28)):  # a Monday; National Day (1–7 October) is near
        accept_case(case, clerk)
    birth = task_of(case, "BIRTH")  # 2 working days
    assert (birth.started_on, birth.due_date) == (D(2026, 9, 28), D(2026, 9, 30))
    hukou_days = 5
    assert task_of(case, "HUKOU").due_date is None  # waiting: its clock has not started
    case.refresh_from_db()
    # The bundle's critical path is BIRTH (2) + HUKOU (5) = 7 working days: 29, 30 Sep, 8, 9, 10 (a worked
    # Saturday), 12, 13 Oct.
    assert case.limit_value == 2 + hukou_days
    assert case.due_date == D(2026, 10, 13)


def test_a_suspension_across_the_holiday_moves_the_due_date_by_the_working_days_it_took(person, clerk, approvers):
    case = submit_case(person)
    with at(D(2026, 9, 28)):
        accept_case(case, clerk)
    birth = task_of(case, "BIRTH")
    by = principal(approvers["wjw"])
    with at(D(2026, 9, 29)):
        task_suspend(
            task_id=birth.pk, by=by, role="approver", kind="inspection", reason="现场核查", expected_end=D(2026, 10, 9)
        )
    assert task_of(case, "BIRTH").status == Task.Status.SUSPENDED
    with at(D(2026, 10, 9)):
        task_resume(task_id=birth.pk, by=by, role="approver")
    birth.refresh_from_db()
    # Suspended 30 Sep, 8 and 9 Oct: three working days (1–7 Oct are holidays). 30 Sep + 3 → 10 Oct (worked Sat).
    assert birth.suspended_days == 3
    assert birth.due_date == D(2026, 10, 10)
    suspension = birth.suspensions.get()
    assert (suspension.days, suspension.ended_on) == (3, D(2026, 10, 9))
    case.refresh_from_db()
    assert case.due_date >= birth.due_date


def test_a_suspended_task_cannot_be_decided_until_resumed(client, auth, person, clerk, approvers):
    case = submit_case(person)
    accept_case(case, clerk)
    birth = task_of(case, "BIRTH")
    headers = auth(approvers["wjw"])
    body = {
        "kind": "expert_review",
        "reason": "专家评审",
        "expected_end": str(timezone.localdate() + datetime.timedelta(days=5)),
    }
    assert (
        client.post(f"/api/v1/tasks/{birth.pk}/suspend", body, content_type="application/json", **headers).status_code
        == 200
    )
    decide = client.post(
        f"/api/v1/tasks/{birth.pk}/decide",
        {"decision": "approve", "opinion": "同意"},
        content_type="application/json",
        **headers,
    )
    assert decide.status_code == 409
    assert decide.json()["code"] == "task_suspended"
    resumed = client.post(f"/api/v1/tasks/{birth.pk}/resume", {}, content_type="application/json", **headers)
    assert resumed.json()["status"] == "active"
    assert (
        client.post(f"/api/v1/tasks/{birth.pk}/resume", {}, content_type="application/json", **headers).status_code
        == 409
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "inspection", "reason": " ", "expected_end": "2026-12-31"}, "reason"),
        ({"kind": "inspection", "reason": "核查", "expected_end": "2020-01-01"}, "expected_end"),
        ({"kind": "inspection", "reason": "核查", "expected_end": "2030-01-01"}, "expected_end"),
    ],
)
def test_a_suspension_needs_a_reason_and_a_sensible_end(client, auth, person, clerk, approvers, body, field):
    case = submit_case(person)
    accept_case(case, clerk)
    with at(D(2026, 11, 23)):
        response = client.post(
            f"/api/v1/tasks/{task_of(case, 'BIRTH').pk}/suspend",
            body,
            content_type="application/json",
            **auth(approvers["wjw"]),
        )
    assert response.status_code == 422
    assert field in response.json()["fields"]


def test_colours_turn_yellow_then_red_and_each_alert_is_raised_once(person, clerk, approvers):
    case = submit_case(person)
    with at(D(2026, 11, 23)):  # Monday
        accept_case(case, clerk)
    birth = task_of(case, "BIRTH")  # 2 working days: due Wednesday 25; 20 % of 2 days is 0 → yellow on the day
    assert (birth.due_date, birth.warning_date) == (D(2026, 11, 25), D(2026, 11, 25))

    def levels():
        return sorted(Alert.objects.filter(task=birth).values_list("level", flat=True))

    alerts_raise(today=D(2026, 11, 24))
    assert levels() == []
    # The 即办件 was due the day it was accepted: it is red already.
    assert Alert.objects.filter(task=task_of(case, "VACCINE"), level=Task.AlertLevel.RED).exists()
    alerts_raise(today=D(2026, 11, 25))
    assert levels() == [Task.AlertLevel.YELLOW]
    assert alerts_raise(today=D(2026, 11, 25)) == {2: 0, 1: 0}  # each level once
    alerts_raise(today=D(2026, 11, 26))
    assert levels() == [Task.AlertLevel.YELLOW, Task.AlertLevel.RED]
    assert alerts_raise(today=D(2026, 11, 27)) == {2: 0, 1: 0}  # red stays raised for this due date
    titles = set(Notification.objects.filter(recipient=approvers["wjw"]).values_list("title", flat=True))
    assert titles == {"审批任务即将到期", "审批任务已超期"}


def test_a_task_first_seen_overdue_turns_red_alone_and_still_overdue_after_a_resume_warns_once(
    person, clerk, approvers
):
    case = submit_case(person)
    with at(D(2026, 11, 23)):
        accept_case(case, clerk)
    birth = task_of(case, "BIRTH")
    alerts_raise(today=D(2026, 11, 26))  # the first scan after its due date (25 November)
    assert list(Alert.objects.filter(task=birth).values_list("level", flat=True)) == [Task.AlertLevel.RED]
    by = principal(approvers["wjw"])
    with at(D(2026, 11, 26)):
        task_suspend(
            task_id=birth.pk, by=by, role="approver", kind="hearing", reason="听证", expected_end=D(2026, 12, 4)
        )
    with at(D(2026, 12, 4)):
        task_resume(task_id=birth.pk, by=by, role="approver")
    birth.refresh_from_db()
    assert birth.due_date == D(2026, 12, 3) and birth.carried_alert_level == Task.AlertLevel.RED  # still overdue
    with at(D(2026, 12, 7)):
        alerts_raise(today=D(2026, 12, 7))
    assert Alert.objects.filter(task=birth, level=Task.AlertLevel.RED).count() == 1


def test_a_yellow_task_resumed_still_yellow_warns_only_when_it_turns_red(person, clerk, approvers):
    case = submit_case(person)
    with at(D(2026, 11, 23)):
        accept_case(case, clerk)
    birth = task_of(case, "BIRTH")  # due and yellow Wednesday 25 November
    alerts_raise(today=D(2026, 11, 24))  # the 即办件 VACCINE, due the day it was accepted, is red
    assert alerts_raise(today=D(2026, 11, 25)) == {2: 0, 1: 1}
    by = principal(approvers["wjw"])
    with at(D(2026, 11, 25)):
        task_suspend(
            task_id=birth.pk, by=by, role="approver", kind="inspection", reason="勘验", expected_end=D(2026, 11, 30)
        )
    with at(D(2026, 11, 30)):  # three working days (26, 27, 30): due 30 November, yellow that day
        task_resume(task_id=birth.pk, by=by, role="approver")
    birth.refresh_from_db()
    assert (birth.due_date, birth.carried_alert_level) == (D(2026, 11, 30), Task.AlertLevel.YELLOW)
    assert alerts_raise(today=D(2026, 11, 30)) == {2: 0, 1: 0}  # still yellow: not twice
    assert alerts_raise(today=D(2026, 12, 1)) == {2: 1, 1: 0}  # overdue against the new due date
    raised = Alert.objects.filter(task=birth).order_by("raised_at", "id").values_list("level", "due_date")
    assert list(raised) == [(Task.AlertLevel.YELLOW, D(2026, 11, 25)), (Task.AlertLevel.RED, D(2026, 11, 30))]


def test_the_scan_writes_no_task(person, clerk):
    case = submit_case(person)
    with at(D(2026, 11, 23)):
        accept_case(case, clerk)
    before = list(Task.objects.filter(case=case).order_by("pk").values())
    assert sum(alerts_raise(today=D(2026, 11, 26)).values()) > 0
    assert list(Task.objects.filter(case=case).order_by("pk").values()) == before


def test_a_decided_task_raises_no_alert(person, clerk, approvers):
    case = submit_case(person)
    with at(D(2026, 11, 23)):
        accept_case(case, clerk)
        approve(case, "BIRTH", approvers["wjw"])
    alerts_raise(today=D(2026, 12, 31))
    assert not Alert.objects.filter(task=task_of(case, "BIRTH")).exists()


def test_the_task_list_filters_by_colour(client, auth, person, clerk, approvers):
    case = submit_case(person)
    with at(D(2026, 11, 23)):
        accept_case(case, clerk)
    with at(D(2026, 11, 26)):
        headers = auth(approvers["wjw"])
        red = client.get("/api/v1/tasks?colour=red", **headers).json()
        green = client.get("/api/v1/tasks?colour=green", **headers).json()
    assert [t["item_code"] for t in red["items"]] == ["BIRTH"]
    assert red["items"][0]["colour"] == "red"
    assert green["count"] == 0


def test_a_deadline_in_a_year_without_published_holidays_is_flagged_until_it_is_confirmed(person, clerk, caplog):
    from yijianshi.cases.selectors import case_detail
    from yijianshi.core.models import CalendarYear

    case = submit_case(person)
    with at(D(2026, 12, 30)):
        accept_case(case, clerk)
    birth = task_of(case, "BIRTH")
    case.refresh_from_db()
    assert birth.due_date.year == 2027
    assert "without a published holiday schedule" in caplog.text
    detail = case_detail(case, principal(person))
    assert next(t for t in detail["tasks"] if t["item_code"] == "BIRTH")["due_date_unconfirmed"]
    assert detail["due_date_unconfirmed"]
    CalendarYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    detail = case_detail(case, principal(person))
    assert not any(t["due_date_unconfirmed"] for t in detail["tasks"]) and not detail["due_date_unconfirmed"]

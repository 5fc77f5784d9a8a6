"""What the case engine's writes cost and leave behind: statements per step (docs/performance.md measures them under
load), row locks that stay on the rows a decision needs, and an intact event chain when a step writes the case's
head once for all its events."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from yijianshi.accounts.models import Department
from yijianshi.cases.events import chain_problems
from yijianshi.cases.locking import lock_case, lock_tasks
from yijianshi.cases.models import Case, CaseEvent, Task
from yijianshi.cases.tests.conftest import (
    accept_case,
    approve,
    complete_application,
    principal,
    submit_case,
    task_of,
)
from yijianshi.licenses.seals import seal_current

pytestmark = pytest.mark.django_db


def refuse(case, code, approver):
    from yijianshi.cases.approval import task_decide

    return task_decide(
        task_id=task_of(case, code).pk, by=principal(approver), role="approver", decision="refuse",
        refusal_reason="不符合条件", legal_basis="《测试条例》第一条",
    )  # fmt: skip


def assert_chain_intact(case):
    case.refresh_from_db()
    assert case.event_count == CaseEvent.objects.filter(case=case).count()
    assert list(chain_problems(case_numbers=[case.number])) == []


def test_every_step_of_an_approved_journey_leaves_the_chain_and_its_head_intact(person, clerk, approvers):
    case = submit_case(person, insure=True)
    assert_chain_intact(case)
    accept_case(case, clerk)
    assert_chain_intact(case)
    for code, department in (("VACCINE", "jkzx"), ("BIRTH", "wjw"), ("HUKOU", "gaj"), ("INSURE", "ybj")):
        approve(case, code, approvers[department])
        assert_chain_intact(case)
    assert Case.objects.get(pk=case.pk).status == Case.Status.COMPLETED


def test_a_refusal_that_closes_dependents_and_completes_the_case_leaves_the_chain_intact(person, clerk, approvers):
    case = submit_case(person, insure=True)
    accept_case(case, clerk, approve_immediate=True)  # VACCINE approved at the window, in the same transaction
    assert_chain_intact(case)
    refuse(case, "BIRTH", approvers["wjw"])  # HUKOU and INSURE become not applicable; the case completes
    assert_chain_intact(case)
    assert Case.objects.get(pk=case.pk).outcome == Case.Outcome.PARTIAL
    actions = list(CaseEvent.objects.filter(case=case).order_by("position").values_list("action", flat=True))
    assert actions[-4:] == ["task_refused", "task_not_applicable", "task_not_applicable", "completed"]


def test_a_submission_costs_a_fixed_number_of_statements(person, bundle, django_assert_max_num_queries):
    from yijianshi.cases.submission import case_create

    submit_case(person)  # the first reads the catalog's snapshot into the process cache
    application = complete_application(person)
    delivery = application.pop("delivery")
    materials = {key: value["files"] for key, value in application.pop("materials").items()}
    by = principal(person)
    # The live version, the files, the lead department; the number, the case (written once), its two events (one
    # statement), its materials and their files, the notice (its recipients selected in the same statement); the
    # savepoint and its release.
    with django_assert_max_num_queries(11):
        case_create(by=by, applicant=person.applicant, materials=materials, delivery_method=delivery["method"],
                    **application)  # fmt: skip


def test_a_decision_costs_a_fixed_number_of_statements(person, clerk, approvers, django_assert_max_num_queries):
    case = submit_case(person, insure=True)
    accept_case(case, clerk)
    seal_current(Department.objects.get(code="wjw"))  # made once, on a department's first license
    # BIRTH's approval issues the birth certificate and starts HUKOU: decided and activated events, one notice, the
    # case's new deadline. The task (the helper finds it), the approver's roles (2, then kept by the process); the
    # case locked through the task's id, its tasks (with their departments, whose webhook subscriptions the process
    # keeps) locked, the decision, the notice, the calendar, HUKOU started, the case's deadline and head, the events
    # (one statement); the savepoint and its release. The license: its type, the applicant, an earlier license of
    # the task, the sequence, the license, the seal and the signed version (7), in a savepoint (2).
    with django_assert_max_num_queries(22):
        approve(case, "BIRTH", approvers["wjw"])
    # HUKOU's approval produces no license and starts INSURE.
    with django_assert_max_num_queries(13):
        approve(case, "HUKOU", approvers["gaj"])


@pytest.mark.django_db(transaction=True)
def test_deciding_locks_the_case_and_its_tasks_but_not_their_departments(person, clerk, bundle):
    """Decisions on different cases of the same departments must not queue on the department rows, or deadlock on
    them when two cases' tasks take the departments in a different order."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's: SQLite locks the whole database for each write")
    case = submit_case(person)
    accept_case(case, clerk)
    locked, done = threading.Event(), threading.Event()
    outcome = {}

    def decide_in_progress():
        try:
            with transaction.atomic():
                lock_tasks(lock_case(case.pk))
                locked.set()
                done.wait(10)
        finally:
            connection.close()

    def other_department_work():
        try:
            locked.wait(10)
            for name, rows in (
                ("department", Department.objects.filter(pk=bundle["wjw"].pk)),
                ("tasks", Task.objects.filter(case=case)),
            ):
                try:
                    with transaction.atomic():
                        list(rows.select_for_update(nowait=True))
                    outcome[name] = "free"
                except DatabaseError:
                    outcome[name] = "locked"
        finally:
            done.set()
            connection.close()

    threads = [threading.Thread(target=decide_in_progress), threading.Thread(target=other_department_work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert outcome == {"department": "free", "tasks": "locked"}

"""Two people acting on the same case at the same moment: exactly one wins, the other is told why.

These tests run real transactions in threads with their own connections: row locks on PostgreSQL, the database
write lock on SQLite (IMMEDIATE transactions).
"""

import threading

import pytest
from django.db import connection

from yijianshi.cases.approval import task_decide
from yijianshi.cases.models import Case, CaseEvent, Task
from yijianshi.cases.submission import case_create
from yijianshi.cases.tests.conftest import accept_case, complete_application, principal, submit_case, task_of
from yijianshi.core.errors import Conflict

pytestmark = pytest.mark.django_db(transaction=True)


def race(*actions):
    """Run the actions at once in threads; return what each returned or raised."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_approvers_deciding_one_task_at_once_make_one_decision(person, clerk, approvers, bundle):
    from yijianshi.conftest import staff_with_role

    colleague = staff_with_role("approver", region=clerk.assignments.first().region, department=bundle["wjw"])
    case = submit_case(person)
    accept_case(case, clerk)
    task = task_of(case, "BIRTH")

    def decide(user, decision):
        extra = {"opinion": "同意"} if decision == "approve" else {"refusal_reason": "不符", "legal_basis": "依据"}
        return lambda: task_decide(task_id=task.pk, by=principal(user), role="approver", decision=decision, **extra)

    outcomes = race(decide(approvers["wjw"], "approve"), decide(colleague, "refuse"))
    winners = [o for o in outcomes if isinstance(o, Task)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(winners), len(losers)) == (1, 1), outcomes
    assert losers[0].code == "task_decided"
    task.refresh_from_db()
    assert task.status == winners[0].status
    decided = CaseEvent.objects.filter(case=case, action__in=["task_approved", "task_refused"])
    assert decided.count() == 1
    positions = list(CaseEvent.objects.filter(case=case).order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))


def test_two_clerks_accepting_one_case_at_once_accept_it_once(person, clerk, bundle):
    from yijianshi.conftest import staff_with_role

    other_clerk = staff_with_role("window_clerk", region=clerk.assignments.first().region)
    case = submit_case(person)
    outcomes = race(lambda: accept_case(case, clerk), lambda: accept_case(case, other_clerk))
    assert sum(isinstance(o, Case) for o in outcomes) == 1
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1
    assert Task.objects.filter(case=case).count() == 3  # BIRTH, HUKOU, VACCINE: created once


def test_a_repeated_submission_with_one_idempotency_key_creates_one_case(person, bundle):
    application = complete_application(person)
    materials = {key: value["files"] for key, value in application.pop("materials").items()}
    application.pop("delivery")

    def submit():
        return case_create(
            by=principal(person), applicant=person.applicant, materials=materials, idempotency_key="retry-1",
            digest="same", **application,
        )  # fmt: skip

    outcomes = race(submit, submit, submit)
    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    assert len({case.pk for case, _created in outcomes}) == 1
    assert sorted(created for _case, created in outcomes) == [False, False, True]
    assert Case.objects.count() == 1


def test_concurrent_submissions_get_distinct_consecutive_numbers(person, other_person, bundle):
    outcomes = race(*(lambda u=u: submit_case(u) for u in (person, other_person, person, other_person)))
    numbers = sorted(o.number for o in outcomes)
    assert len(set(numbers)) == 4
    sequences = [int(n[-6:]) for n in numbers]
    assert sequences == list(range(sequences[0], sequences[0] + 4))

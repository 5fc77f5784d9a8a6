"""Fixed statements read and write exactly what the ORM would, on SQLite and on PostgreSQL alike."""

import datetime

import pytest
from django.db import DatabaseError, connection
from django.db.models.signals import pre_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yijianshi.cases.models import Case, CaseEvent, Task
from yijianshi.cases.tests.conftest import accept_case, submit_case
from yijianshi.core.rows import column, insert_models, prep, select_models, update_columns

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(person, clerk):
    case = submit_case(person)
    accept_case(case, clerk)
    return case


def fields_of(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_rows_come_back_as_the_orm_reads_them(accepted):
    (case,) = select_models(Case, f"{column(Case)} = %s", [prep(Case, "id", accepted.pk)])
    assert fields_of(case) == fields_of(Case.objects.get(pk=accepted.pk))  # JSON, UUIDs, times, dates, numbers
    assert isinstance(case.plan, dict) and isinstance(case.accepted_at, datetime.datetime)
    assert timezone.is_aware(case.accepted_at)

    tasks = select_models(
        Task, f"{column(Task, 'case')} = %s", [prep(Case, "id", accepted.pk)], joined=["department"],
        order_by=column(Task), lock=True,
    )  # fmt: skip
    expected = list(Task.objects.filter(case=accepted).select_related("department").order_by("pk"))
    assert [fields_of(t) for t in tasks] == [fields_of(t) for t in expected]
    with CaptureQueriesContext(connection) as queries:
        assert [t.department.code for t in tasks] == [t.department.code for t in expected]
    assert len(queries) == 0  # the departments came with the tasks
    assert select_models(Case, f"{column(Case)} = %s", [prep(Case, "id", Task.objects.first().pk)]) == []


def test_written_columns_read_back_the_same_and_a_missing_row_is_an_error(accepted):
    case = Case.objects.get(pk=accepted.pk)
    case.due_date, case.plan["note"], case.outcome = datetime.date(2027, 1, 4), "中文", "partial"
    update_columns(case, ["due_date", "plan", "outcome"])
    again = Case.objects.get(pk=case.pk)
    assert (again.due_date, again.plan["note"], again.outcome) == (datetime.date(2027, 1, 4), "中文", "partial")
    Case.objects.filter(pk=case.pk).update(status="withdrawn")
    assert Case.objects.get(pk=case.pk).due_date == datetime.date(2027, 1, 4)  # other columns untouched by it
    case.pk = Task.objects.first().pk  # no case has this id
    with pytest.raises(DatabaseError):
        update_columns(case, ["outcome"])


def test_saving_some_fields_still_sends_signals_when_someone_listens(accepted):
    heard = []

    def receiver(sender, instance, update_fields, **kwargs):
        heard.append(sorted(update_fields))

    pre_save.connect(receiver, sender=Task)
    try:
        task = Task.objects.filter(case=accepted).first()
        task.opinion = "意见"
        task.save(update_fields=["opinion"])
    finally:
        pre_save.disconnect(receiver, sender=Task)
    assert heard == [["opinion"]]
    assert Task.objects.get(pk=task.pk).opinion == "意见"


def test_inserted_instances_read_back_the_same(accepted):
    case = Case.objects.get(pk=accepted.pk)
    now = timezone.now()
    events = [
        CaseEvent(case=case, position=100 + n, action="delivered", role="system", data={"n": n, "名": "值"},
                  created_at=now, previous_hash="0" * 64, hash=f"{n:064d}")
        for n in range(3)
    ]  # fmt: skip
    insert_models(events)
    stored = list(CaseEvent.objects.filter(case=case, position__gte=100).order_by("position"))
    assert [(e.position, e.data, e.created_at, e.hash) for e in stored] == [
        (100 + n, {"n": n, "名": "值"}, now, f"{n:064d}") for n in range(3)
    ]


def test_an_expression_saved_goes_through_the_orm(accepted):
    """F() values cannot be bound as parameters: saving some fields falls back to the ordinary save."""
    from django.db.models import F

    case = Case.objects.get(pk=accepted.pk)
    before = case.event_count
    case.event_count = F("event_count") + 0
    case.save(update_fields=["event_count"])
    assert Case.objects.get(pk=case.pk).event_count == before


def test_events_waiting_on_a_case_go_when_its_head_is_read_again(accepted, clerk):
    """Refreshing the case discards the head the waiting events had moved; saving it afterwards must not write
    them against the head read again (the chain would break)."""
    from yijianshi.accounts.selectors import principal_for_user
    from yijianshi.cases.events import chain_problems, event_append

    case = Case.objects.get(pk=accepted.pk)
    event_append(case=case, action="delivered", by=principal_for_user(clerk), role="clerk", save_head=False)
    case.refresh_from_db(fields=["status"])  # a partial read keeps them: the head was not read again
    assert len(case.pending_events) == 1
    case.refresh_from_db()
    case.save(update_fields=["status"])
    assert CaseEvent.objects.filter(case=case).count() == case.event_count
    assert list(chain_problems(case_numbers=[case.number])) == []


def test_a_cases_rows_are_what_the_orm_reads_in_the_pages_order(person, clerk, approvers):
    """Only the case's own rows, in the pages' order even where it is not the order they were written in."""
    from yijianshi.cases.approval import task_resume, task_suspend
    from yijianshi.cases.case_rows import case_rows
    from yijianshi.cases.models import CaseMaterial, CaseMaterialFile, ResultFile, Suspension
    from yijianshi.cases.tests.conftest import approve, principal, task_of, upload

    def suspend(case, reasons):
        for reason in reasons:  # all but the last ended, the last running when read
            task_suspend(task_id=task_of(case, "BIRTH").pk, by=by, role="approver", kind="inspection", reason=reason,
                         expected_end=timezone.localdate() + datetime.timedelta(days=3))  # fmt: skip
            if reason != reasons[-1]:
                task_resume(task_id=task_of(case, "BIRTH").pk, by=by, role="approver")

    def vaccinate(case, names):
        approve(case, "VACCINE", approvers["jkzx"], results=[upload(approvers["jkzx"], "pdf", n) for n in names])

    by = principal(approvers["wjw"])
    case = submit_case(person, insure=True)
    assert case_rows(case).suspensions == {} and case_rows(case).results == {}  # not accepted: no tasks
    accept_case(case, clerk)
    suspend(case, ["勘验", "听证"])
    vaccinate(case, ["接种证", "接种记录"])
    other = submit_case(person, insure=True)  # the same applicant's other case, with rows of every kind
    accept_case(other, clerk)
    suspend(other, ["专家评审"])
    vaccinate(other, ["另一份接种证"])
    birth, vaccine = task_of(case, "BIRTH"), task_of(case, "VACCINE")
    # Rows whose order on the page is not the order they were written in: the first procedure started last, the
    # first result made last, and a first material's file at a lower position added after every other link.
    ended = Suspension.objects.filter(task=birth).order_by("pk").first()
    Suspension.objects.filter(pk=ended.pk).update(started_at=timezone.now() + datetime.timedelta(minutes=1))
    first_result = ResultFile.objects.filter(task=vaccine).order_by("pk").first()
    ResultFile.objects.filter(pk=first_result.pk).update(created_at=timezone.now() + datetime.timedelta(minutes=1))
    first_link = CaseMaterialFile.objects.filter(material__case=case).order_by("pk").first()
    CaseMaterialFile.objects.filter(pk=first_link.pk).update(position=5)
    CaseMaterialFile.objects.create(material_id=first_link.material_id, file=upload(person, "png", "补充"), position=1)
    found = case_rows(case)

    tasks = case.tasks.order_by("position")
    assert [fields_of(t) for t in found.tasks] == [fields_of(t) for t in tasks]
    assert [t.department.name for t in found.tasks] == [t.department.name for t in tasks]
    assert {k: [fields_of(s) for s in v] for k, v in found.suspensions.items()} == {
        birth.pk: [fields_of(s) for s in Suspension.objects.filter(task=birth).order_by("started_at", "pk")]
    }
    assert [s.reason for s in found.suspensions[birth.pk]] == ["听证", "勘验"]
    assert {k: [(r.name, r.file.name) for r in v] for k, v in found.results.items()} == {
        vaccine.pk: [(r.name, r.file.name) for r in ResultFile.objects.filter(task=vaccine).select_related("file")]
    }
    assert [r.pk for r in found.results[vaccine.pk]][::-1] == sorted(r.pk for r in found.results[vaccine.pk])
    assert [fields_of(m) for m in found.materials] == [fields_of(m) for m in CaseMaterial.objects.filter(case=case)
                                                       .order_by("pk")]  # fmt: skip
    links = CaseMaterialFile.objects.filter(material__case=case).select_related("file").order_by("material", "position")
    assert [(link.material_id, link.position, link.file.sm3) for rows in found.links.values() for link in rows] == [
        (link.material_id, link.position, link.file.sm3) for link in links
    ]
    assert [link.position for link in found.links[first_link.material_id]] == [1, 5]

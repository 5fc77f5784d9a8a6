"""全程留痕: every action is chained with SM3; a changed, removed or appended row is found by audit_verify."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yijianshi.cases.events import chain_problems
from yijianshi.cases.models import CaseEvent
from yijianshi.cases.models.events import AppendOnly
from yijianshi.cases.tests.conftest import accept_case, approve, submit_case, task_of
from yijianshi.core.chain import GENESIS, link_hash

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey(person, clerk, approvers):
    case = submit_case(person)
    accept_case(case, clerk)
    approve(case, "BIRTH", approvers["wjw"])
    return case


def test_each_event_is_chained_to_the_one_before(journey):
    events = list(CaseEvent.objects.filter(case=journey).order_by("position"))
    assert [e.position for e in events] == list(range(1, len(events) + 1))
    previous = GENESIS
    for event in events:
        assert event.previous_hash == previous
        assert event.hash == link_hash(previous, event.chained_content())
        previous = event.hash
    journey.refresh_from_db()
    assert journey.last_event_hash == previous
    assert list(chain_problems()) == []


def test_audit_verify_passes_an_intact_log(journey, capsys):
    call_command("audit_verify", "--no-progress")
    assert "留痕链完整" in capsys.readouterr().out


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_tampered_event_is_reported_as_the_first_broken_link(journey, capsys):
    accepted = CaseEvent.objects.get(case=journey, action="accepted")
    _raw("UPDATE cases_caseevent SET data = %s WHERE id = %s", ['{"opinion": "改过的意见"}', accepted.pk])
    with pytest.raises(CommandError, match="1 个办件"):
        call_command("audit_verify", "--no-progress")
    out = capsys.readouterr().out
    assert journey.number in out
    assert f"第 {accepted.position} 条（受理）记录内容与其哈希不符" in out


def test_a_deleted_event_in_the_middle_breaks_the_chain_there(journey, capsys):
    victim = CaseEvent.objects.get(case=journey, action="accepted")
    _raw("DELETE FROM cases_caseevent WHERE id = %s", [victim.pk])
    with pytest.raises(CommandError):
        call_command("audit_verify", journey.number, "--no-progress")
    assert f"第 {victim.position} 条" in capsys.readouterr().out


def test_a_removed_last_event_is_caught_by_the_case_head(journey, capsys):
    last = CaseEvent.objects.filter(case=journey).order_by("-position").first()
    _raw("DELETE FROM cases_caseevent WHERE id = %s", [last.pk])
    with pytest.raises(CommandError):
        call_command("audit_verify", "--no-progress")
    assert "最新哈希或条数" in capsys.readouterr().out


def test_a_rehashed_forgery_still_breaks_the_next_link(journey, capsys):
    # Someone who recomputes the tampered event's own hash still breaks the link to the event after it.
    accepted = CaseEvent.objects.get(case=journey, action="accepted")
    accepted.data = {"opinion": "伪造"}
    forged = link_hash(accepted.previous_hash, accepted.chained_content())
    _raw(
        "UPDATE cases_caseevent SET data = %s, hash = %s WHERE id = %s",
        ['{"opinion": "伪造"}', forged, accepted.pk],
    )
    with pytest.raises(CommandError):
        call_command("audit_verify", "--no-progress")
    assert f"第 {accepted.position + 1} 条" in capsys.readouterr().out


def test_the_application_cannot_change_or_delete_events(journey):
    event = CaseEvent.objects.filter(case=journey).first()
    event.action = "accepted"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        CaseEvent.objects.filter(case=journey).update(role="x")
    with pytest.raises(AppendOnly):
        CaseEvent.objects.filter(case=journey).delete()


def test_audit_verify_refuses_a_case_number_it_does_not_know(journey):
    with pytest.raises(CommandError, match="没有这些办件"):
        call_command("audit_verify", "410100-20260101-999999", "--no-progress")


def test_a_department_reads_other_items_events_without_who_or_why(client, journey, approvers):
    from yijianshi.conftest import bearer

    # 疾控 (VACCINE) waits for nothing: 卫健's approval of BIRTH is none of its business beyond the fact.
    events = client.get(f"/api/v1/cases/{journey.pk}/events", **bearer(approvers["jkzx"])).json()
    birth = next(e for e in events if e["action"] == "task_approved")
    assert birth["data"] == {} and "审批wjw" not in birth["actor"]
    # 公安 (HUKOU) needs the birth certificate: it reads BIRTH's decision in full.
    events = client.get(f"/api/v1/cases/{journey.pk}/events", **bearer(approvers["gaj"])).json()
    birth = next(e for e in events if e["action"] == "task_approved")
    assert birth["data"]["opinion"] == "同意" and "审批wjw" in birth["actor"]


def test_a_changed_form_value_after_submission_is_caught(journey, capsys):
    _raw("UPDATE cases_case SET form_data = %s WHERE id = %s", ['{"child-name": "改过的名字"}', journey.pk.hex])
    with pytest.raises(CommandError):
        call_command("audit_verify", "--no-progress")
    assert "申请表内容与该次提交时留痕的摘要不符" in capsys.readouterr().out


def test_a_swapped_material_file_after_submission_is_caught(journey, person, capsys):
    from yijianshi.cases.models import CaseMaterialFile
    from yijianshi.cases.tests.conftest import upload

    link = CaseMaterialFile.objects.filter(material__case=journey).first()
    other = upload(person, "png", "换过的文件")
    _raw("UPDATE cases_casematerialfile SET file_id = %s WHERE id = %s", [other.pk.hex, link.pk])
    with pytest.raises(CommandError):
        call_command("audit_verify", "--no-progress")
    assert "申请材料与该次提交时留痕的摘要不符" in capsys.readouterr().out


def test_each_viewer_gets_their_own_timeline_and_it_follows_every_new_event(client, journey, person, approvers):
    def timeline(user, url) -> str:
        client.force_login(user)
        page = client.get(url).content.decode()
        return page[page.index('id="timeline-heading"') :]

    mine = reverse("portal:my-case", args=[journey.pk])
    assert "同意" in timeline(person, mine) and "审批wjw" in timeline(approvers["gaj"], _task_url(journey, "HUKOU"))
    # Rendered for the applicant and for 公安 first, the trail still hides BIRTH's who and why from 疾控.
    vaccine = timeline(approvers["jkzx"], _task_url(journey, "VACCINE"))
    assert "准予许可" in vaccine and "同意" not in vaccine and "审批wjw" not in vaccine
    # Seen again unchanged, the trail is not read again; after a new event it is, and shows it.
    client.force_login(person)
    with CaptureQueriesContext(connection) as seen:
        client.get(mine)
    assert not [q for q in seen if "cases_caseevent" in q["sql"]]
    approve(journey, "HUKOU", approvers["gaj"])
    assert timeline(person, mine).count("准予许可") == 2
    assert task_of(journey, "HUKOU").status == "approved"


def _task_url(case, item: str) -> str:
    return reverse("workbench:task", args=[task_of(case, item).pk])


def test_a_count_ahead_of_the_trail_is_shown_but_not_remembered(journey, person):
    from yijianshi.accounts.selectors import principal_for_user
    from yijianshi.cases.pages import TIMELINES, timeline_html

    journey.refresh_from_db()
    journey.event_count += 1  # as after a step that appended in memory and was rolled back
    kept = len(TIMELINES)
    assert "准予许可" in timeline_html(journey, principal_for_user(person))
    assert len(TIMELINES) == kept
    journey.event_count -= 1
    assert "准予许可" in timeline_html(journey, principal_for_user(person))
    assert len(TIMELINES) == kept + 1

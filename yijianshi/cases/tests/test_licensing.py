"""Results that are licenses: approving BIRTH issues the birth certificate to the applicant, sealed by 卫健委."""

import pytest

from yijianshi.cases.events import chain_problems
from yijianshi.cases.licensing import license_issue_for_task
from yijianshi.cases.models import CaseEvent
from yijianshi.cases.tests.conftest import accept_case, approve, principal, submit_case, task_of
from yijianshi.core.errors import Conflict
from yijianshi.licenses.models import License, LicenseType
from yijianshi.licenses.verification import VALID, verify_identifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(person, clerk, approvers):
    case = submit_case(person)
    accept_case(case, clerk)
    return case


def test_approving_a_task_whose_result_is_a_license_issues_it_to_the_applicant(person, accepted, approvers, bundle):
    approve(accepted, "BIRTH", approvers["wjw"])
    license = License.objects.get()
    task = task_of(accepted, "BIRTH")
    assert (license.holder, license.issuer, license.source_case_id, license.source_task_id) == (
        person.applicant, bundle["wjw"], accepted.pk, task.pk,
    )  # fmt: skip
    assert license.data == {"child-name": "张小宝", "birth-date": "2026-11-20"}
    assert license.area_code == accepted.region_code[:6]
    event = CaseEvent.objects.get(case=accepted, action="license_issued")
    assert event.data["identifier"] == license.identifier
    assert list(chain_problems(case_numbers=[accepted.number])) == []
    assert verify_identifier(license.identifier).result == VALID


def test_items_without_a_license_result_issue_nothing(accepted, approvers):
    approve(accepted, "VACCINE", approvers["jkzx"])
    assert not License.objects.exists()
    assert not CaseEvent.objects.filter(case=accepted, action__startswith="license").exists()


def test_an_unregistered_license_type_does_not_stop_the_decision_and_the_trail_says_why(accepted, approvers):
    LicenseType.objects.update(is_active=False)
    approve(accepted, "BIRTH", approvers["wjw"])
    assert task_of(accepted, "BIRTH").status == "approved"
    assert not License.objects.exists()
    event = CaseEvent.objects.get(case=accepted, action="license_not_issued")
    assert "未登记或已停用" in event.data["reason"]


def test_issuing_for_a_task_that_is_not_approved_is_refused(accepted, approvers):
    task = task_of(accepted, "BIRTH")
    with pytest.raises(Conflict) as error:
        license_issue_for_task(accepted, task, by=principal(approvers["wjw"]), role="approver")
    assert error.value.code == "task_not_approved"
    assert not License.objects.exists()


def test_issuing_twice_for_the_same_task_gives_the_same_license(accepted, approvers):
    approve(accepted, "BIRTH", approvers["wjw"])
    accepted.refresh_from_db()
    events = accepted.event_count
    again = license_issue_for_task(
        accepted, task_of(accepted, "BIRTH"), by=principal(approvers["wjw"]), role="approver"
    )
    assert License.objects.get() == again
    assert accepted.event_count == events  # nothing new happened, nothing new in the trail

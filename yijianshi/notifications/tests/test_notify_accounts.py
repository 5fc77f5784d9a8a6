"""A case's notice goes, in one statement, to each active applicant account of its applicant side; the copies go
out after commit, one job per notice fanning out to one job per address."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from huey.contrib.djhuey import HUEY

from yijianshi.accounts.tests.factories import OrganizationFactory, StaffFactory, UserFactory
from yijianshi.notifications.models import Notification
from yijianshi.notifications.services import notify_accounts
from yijianshi.notifications.sms import OutboxSmsGateway

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(monkeypatch):
    monkeypatch.setattr("huey.contrib.djhuey.close_old_connections", lambda: None)
    HUEY.flush()
    OutboxSmsGateway.outbox.clear()

    def run():
        while (task := HUEY.dequeue()) is not None:
            HUEY.execute(task)

    yield run
    HUEY.flush()


def test_the_applicant_the_agent_and_an_applicant_submitter_are_told_staff_and_inactive_accounts_are_not():
    company = OrganizationFactory()
    account = UserFactory(organization=True, applicant=company)
    agent, clerk, gone = UserFactory(), StaffFactory(), UserFactory(is_active=False)
    UserFactory()  # someone else entirely
    with CaptureQueriesContext(connection) as queries:
        told = notify_accounts(
            applicant_id=company.pk, user_ids=[agent.pk, clerk.pk, gone.pk, None], title="申请已受理", body="…"
        )
    assert len(queries) == 1
    assert sorted(told) == sorted([account.pk, agent.pk])
    assert sorted(Notification.objects.values_list("recipient", flat=True)) == sorted(told)


def test_an_applicant_without_an_account_is_told_of_nobody():
    assert notify_accounts(applicant_id=OrganizationFactory().pk, title="申请已受理", body="…") == []
    assert not Notification.objects.exists()


def test_copies_go_to_each_address_after_commit(jobs, django_capture_on_commit_callbacks):
    person = UserFactory(email="zhang@example.cn", phone="13800138001")
    quiet = UserFactory(email="", phone="13800138002")
    with django_capture_on_commit_callbacks(execute=True):
        notify_accounts(applicant_id=person.applicant_id, user_ids=[quiet.pk], title="申请已办结", body="请下载结果")
    assert not mail.outbox and not OutboxSmsGateway.outbox  # queued, not sent in the request
    jobs()
    assert [(m.to, m.subject) for m in mail.outbox] == [(["zhang@example.cn"], "申请已办结")]
    assert sorted(phone for phone, _text in OutboxSmsGateway.outbox) == ["13800138001", "13800138002"]
    assert all(text.endswith("申请已办结：请下载结果") for _phone, text in OutboxSmsGateway.outbox)


def test_without_sms_only_the_e_mail_goes(jobs, django_capture_on_commit_callbacks):
    person = UserFactory(email="li@example.cn", phone="13800138003")
    with django_capture_on_commit_callbacks(execute=True):
        notify_accounts(applicant_id=person.applicant_id, title="特别程序结束", body="…", sms=False)
    jobs()
    assert len(mail.outbox) == 1 and not OutboxSmsGateway.outbox

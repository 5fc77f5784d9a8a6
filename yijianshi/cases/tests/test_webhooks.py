"""Webhooks to department systems and notices to applicants: recorded in the deciding transaction, sent after it
commits, signed with HMAC-SM3, retried with backoff."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from yijianshi.accounts.services import client_create
from yijianshi.cases.models import WebhookDelivery, WebhookSubscription
from yijianshi.cases.tests.conftest import accept_case, approve, submit_case
from yijianshi.cases.webhooks import BACKOFF, MAX_ATTEMPTS, RecordingTransport, delivery_attempt
from yijianshi.core.crypto import hmac_sm3_matches
from yijianshi.notifications.models import Notification
from yijianshi.notifications.sms import OutboxSmsGateway

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def transport():
    RecordingTransport.sent.clear()
    RecordingTransport.status, RecordingTransport.error = 200, None
    yield RecordingTransport
    RecordingTransport.sent.clear()
    RecordingTransport.status, RecordingTransport.error = 200, None


def subscribe(department, url="https://wjw.example.gov.cn/hooks", events=None):
    system, _raw = client_create(name=f"{department.name}系统", department=department, scope_codes=["task.decide"])
    return WebhookSubscription.objects.create(client=system, url=url, **({"events": events} if events else {}))


def test_a_department_hears_about_its_own_tasks_only(
    person, clerk, approvers, bundle, jobs, django_capture_on_commit_callbacks, transport
):
    health = subscribe(bundle["wjw"])
    police = subscribe(bundle["gaj"], url="https://gaj.example.gov.cn/hooks", events=["task.activated"])
    case = submit_case(person)
    with django_capture_on_commit_callbacks(execute=True):
        accept_case(case, clerk)
    with django_capture_on_commit_callbacks(execute=True):
        approve(case, "BIRTH", approvers["wjw"])
    jobs()
    health_events = sorted(WebhookDelivery.objects.filter(subscription=health).values_list("event_type", flat=True))
    assert health_events == ["case.accepted", "task.activated", "task.decided"]  # in one transaction, no order
    police_events = [d.event_type for d in WebhookDelivery.objects.filter(subscription=police)]
    assert police_events == ["task.activated"]  # HUKOU started once BIRTH was approved; nothing else asked for
    assert WebhookDelivery.objects.exclude(status="delivered").count() == 0
    assert len(transport.sent) == 4


def test_each_delivery_is_signed_with_hmac_sm3_over_timestamp_and_body(
    person, clerk, bundle, jobs, django_capture_on_commit_callbacks, transport
):
    subscription = subscribe(bundle["wjw"], events=["case.accepted"])
    case = submit_case(person)
    with django_capture_on_commit_callbacks(execute=True):
        accept_case(case, clerk)
    jobs()
    ((url, body, headers),) = transport.sent
    assert url == subscription.url
    signed = headers["X-Yjs-Timestamp"].encode() + b"." + body
    assert hmac_sm3_matches(subscription.secret.encode(), signed, headers["X-Yjs-Signature"].removeprefix("hmac-sm3="))
    payload = json.loads(body)
    assert payload["type"] == "case.accepted"
    assert payload["data"]["case"]["number"] == case.number
    assert headers["X-Yjs-Delivery"] == payload["id"]
    assert "applicant" not in json.dumps(payload)  # no personal data leaves in a webhook


def test_a_failing_endpoint_is_retried_with_backoff_then_given_up(person, clerk, bundle, transport):
    subscribe(bundle["wjw"], events=["case.accepted"])
    case = submit_case(person)
    accept_case(case, clerk)
    delivery = WebhookDelivery.objects.get()
    transport.status = 503
    delivery = delivery_attempt(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 503)
    assert delivery.next_attempt_at - timezone.now() <= BACKOFF[0]
    transport.status, transport.error = None, ConnectionRefusedError("connection refused")
    for _ in range(MAX_ATTEMPTS - 1):
        delivery = delivery_attempt(delivery)
    assert delivery.status == "failed"
    assert delivery.attempts == MAX_ATTEMPTS
    assert len(delivery.history) == MAX_ATTEMPTS
    assert "ConnectionRefusedError" in delivery.last_error


def test_a_retry_is_scheduled_in_the_queue(person, clerk, bundle, jobs, django_capture_on_commit_callbacks, transport):
    from huey.contrib.djhuey import HUEY

    subscribe(bundle["wjw"], events=["case.accepted"])
    transport.status = 500
    case = submit_case(person)
    with django_capture_on_commit_callbacks(execute=True):
        accept_case(case, clerk)
    jobs()
    assert WebhookDelivery.objects.get().attempts == 1
    assert HUEY.scheduled_count() == 1


class Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        Receiver.received.append((dict(self.headers), self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@override_settings(YJS_WEBHOOK_TRANSPORT="yijianshi.cases.webhooks.HttpTransport")
def test_a_real_http_endpoint_receives_the_webhook(person, clerk, bundle):
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        Receiver.received.clear()
        subscribe(bundle["wjw"], url=f"http://127.0.0.1:{server.server_port}/hook", events=["case.accepted"])
        accept_case(submit_case(person), clerk)
        delivery = delivery_attempt(WebhookDelivery.objects.select_related("subscription").get())
    finally:
        server.shutdown()
    assert delivery.status == "delivered"
    assert delivery.last_status_code == 204
    headers, body = Receiver.received[0]
    assert headers["X-Yjs-Event"] == "case.accepted"
    assert json.loads(body)["type"] == "case.accepted"


def test_the_applicant_is_told_at_each_step_in_app_by_email_and_by_sms(
    person, clerk, approvers, jobs, django_capture_on_commit_callbacks
):
    person.email, person.phone = "zhang@example.cn", "13800138000"
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        case = submit_case(person)
        accept_case(case, clerk)
        for code, dept in (("VACCINE", "jkzx"), ("BIRTH", "wjw"), ("HUKOU", "gaj")):
            approve(case, code, approvers[dept])
    jobs()
    titles = list(Notification.objects.filter(recipient=person).order_by("id").values_list("title", flat=True))
    assert titles[:2] == ["申请已提交", "申请已受理"]
    assert titles[-1] == "申请已办结"
    assert sum("准予许可" in t for t in titles) == 3
    assert any("已办结" in m.subject for m in mail.outbox)
    assert any(phone == "13800138000" and "已办结" in text for phone, text in OutboxSmsGateway.outbox)


def test_nothing_is_announced_when_the_decision_fails(person, clerk, bundle, jobs, django_capture_on_commit_callbacks):
    from yijianshi.cases.front_desk import case_refuse
    from yijianshi.cases.tests.conftest import principal
    from yijianshi.core.errors import InvalidInput

    subscribe(bundle["wjw"])
    case = submit_case(person)
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidInput):
        case_refuse(case_id=case.pk, by=principal(clerk), reason="")
    assert Notification.objects.count() == before
    assert jobs() == 0


def test_a_walk_in_without_an_account_is_told_by_sms(
    client, auth, clerk, bundle, jobs, django_capture_on_commit_callbacks
):
    from yijianshi.cases.tests.conftest import complete_application
    from yijianshi.demo.identifiers import citizen_id

    application = {
        **complete_application(clerk),
        "walk_in": {"name": "赵六", "id_number": citizen_id("410105", "19850101", 71), "phone": "13900000002"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/cases", application, content_type="application/json", **auth(clerk))
    assert response.status_code == 201
    jobs()
    assert [phone for phone, _text in OutboxSmsGateway.outbox] == ["13900000002"]


def test_stale_pending_deliveries_are_requeued(person, clerk, bundle, jobs, transport):
    from yijianshi.cases.tasks import webhook_sweep

    subscribe(bundle["wjw"], events=["case.accepted"])
    accept_case(submit_case(person), clerk)  # no commit callbacks: the job was never queued (a lost enqueue)
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(minutes=10))
    webhook_sweep.call_local()
    jobs()
    assert WebhookDelivery.objects.get().status == "delivered"


def test_a_redirect_is_not_taken_for_a_delivery():
    """Following a 302 would re-send as a GET without the body and count the final 200 as delivered."""
    from yijianshi.cases.webhooks import HttpTransport

    class Redirecting(BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(302)
            self.send_header("Location", "/elsewhere")
            self.end_headers()

        def do_GET(self):
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Redirecting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        status = HttpTransport().post(f"http://127.0.0.1:{server.server_port}/hook", b"{}", {})
    finally:
        server.shutdown()
    assert status == 302


def test_tasks_activated_at_acceptance_carry_the_case_due_date(person, clerk, bundle, transport):
    subscribe(bundle["wjw"], events=["task.activated"])
    case = submit_case(person)
    accept_case(case, clerk)
    case.refresh_from_db()
    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.payload["data"]["case"]["due_date"] == case.due_date.isoformat()


def test_a_queue_that_is_down_does_not_undo_or_fail_a_committed_decision(
    person, clerk, bundle, monkeypatch, django_capture_on_commit_callbacks
):
    from yijianshi.cases import tasks as case_tasks

    def down(*args, **kwargs):
        raise ConnectionError("queue unreachable")

    subscribe(bundle["wjw"], events=["case.accepted"])
    case = submit_case(person)
    monkeypatch.setattr(case_tasks, "webhook_deliver", down)
    with django_capture_on_commit_callbacks(execute=True):
        accept_case(case, clerk)  # no exception reaches the clerk
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING  # the sweep will send it


def test_deciding_a_closed_task_says_why_it_is_closed(person, clerk, approvers, bundle):
    from yijianshi.cases.approval import task_decide
    from yijianshi.cases.tests.conftest import principal, task_of
    from yijianshi.core.errors import Conflict

    case = submit_case(person)
    accept_case(case, clerk)
    task_decide(
        task_id=task_of(case, "BIRTH").pk, by=principal(approvers["wjw"]), role="approver", decision="refuse",
        refusal_reason="材料不实", legal_basis="母婴保健法",
    )  # fmt: skip
    with pytest.raises(Conflict) as refused:
        approve(case, "HUKOU", approvers["gaj"])
    assert refused.value.code == "task_closed" and "不再办理" in refused.value.message


def test_a_delivery_is_sent_once_when_a_sweep_and_a_job_meet(person, clerk, bundle, transport):
    from yijianshi.cases.webhooks import delivery_claim

    subscribe(bundle["wjw"], events=["case.accepted"])
    accept_case(submit_case(person), clerk)
    delivery = WebhookDelivery.objects.get()
    assert delivery_claim(delivery.pk) is not None
    assert delivery_claim(delivery.pk) is None  # the second comer finds it taken


def test_a_switched_off_subscription_gets_no_more_attempts(person, clerk, bundle, jobs, transport):
    subscription = subscribe(bundle["wjw"], events=["case.accepted"])
    accept_case(submit_case(person), clerk)
    subscription.is_active = False
    subscription.save()
    from yijianshi.cases.tasks import webhook_deliver

    webhook_deliver.call_local(str(WebhookDelivery.objects.get().pk))
    assert transport.sent == []
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.FAILED


def test_an_answer_http_cannot_read_is_a_failed_attempt(person, clerk, bundle, transport):
    import http.client

    subscribe(bundle["wjw"], events=["case.accepted"])
    accept_case(submit_case(person), clerk)
    transport.error = http.client.BadStatusLine("HTTP/1.1 2xx BROKEN")
    delivery = delivery_attempt(WebhookDelivery.objects.select_related("subscription").get())
    assert delivery.attempts == 1 and "BadStatusLine" in delivery.last_error
    assert delivery.status == WebhookDelivery.Status.PENDING


def elsewhere(change):
    """Make a change as another process would: this process keeps the subscriptions it had read."""
    from yijianshi.cases import notices

    kept = dict(notices._SUBSCRIPTIONS)
    result = change()
    notices._SUBSCRIPTIONS.update(kept)
    return result


def test_subscriptions_changed_by_another_process_count_from_the_next_decision(person, clerk, approvers, bundle):
    """Each process keeps a department's subscriptions until the department's webhooks_version moves."""
    case = submit_case(person)
    accept_case(case, clerk)  # reads (and keeps) the departments' subscriptions: none yet
    subscription = elsewhere(lambda: subscribe(bundle["wjw"], events=["task.decided"]))
    approve(case, "BIRTH", approvers["wjw"])
    assert list(WebhookDelivery.objects.values_list("subscription", "event_type")) == [
        (subscription.pk, "task.decided")
    ]


def test_a_subscription_ended_by_another_process_hears_nothing_more(person, clerk, approvers, bundle):
    subscription = subscribe(bundle["gaj"], events=["task.decided"])
    case = submit_case(person)
    accept_case(case, clerk)
    subscription.is_active = False
    elsewhere(subscription.save)
    approve(case, "BIRTH", approvers["wjw"])
    approve(case, "HUKOU", approvers["gaj"])
    assert not WebhookDelivery.objects.exists()


def test_a_system_turned_off_hears_nothing_more(person, clerk, approvers, bundle):
    subscription = subscribe(bundle["wjw"], events=["task.decided"])
    case = submit_case(person)
    accept_case(case, clerk)
    client = subscription.client

    def turn_off():
        client.is_active = False
        client.save()

    elsewhere(turn_off)
    approve(case, "BIRTH", approvers["wjw"])
    assert not WebhookDelivery.objects.exists()


def test_a_subscription_moved_to_another_departments_system_leaves_the_first_department(
    person, clerk, approvers, bundle
):
    """Regression: moving a subscription to another system moved only the new department's version, so other
    processes kept posting the first department's events to it."""
    subscription = subscribe(bundle["wjw"], events=["task.decided"])
    police, _raw = client_create(name="公安系统", department=bundle["gaj"], scope_codes=["task.decide"])
    case = submit_case(person)
    accept_case(case, clerk)  # keeps 卫健委's subscriptions
    subscription.client = police
    elsewhere(subscription.save)
    approve(case, "BIRTH", approvers["wjw"])
    assert not WebhookDelivery.objects.exists()

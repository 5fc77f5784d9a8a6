"""Department systems' webhooks are set up by account administrators, within their regions."""

import pytest

from yijianshi.accounts.services import client_create
from yijianshi.accounts.tests.factories import city
from yijianshi.cases.models import WebhookSubscription
from yijianshi.conftest import staff_with_role

pytestmark = pytest.mark.django_db


def test_an_accounts_administrator_registers_a_webhook_over_https_only(client, bundle):
    client.force_login(staff_with_role("system_admin", region=city()))
    system, _raw = client_create(name="卫健业务系统", department=bundle["wjw"], scope_codes=["task.decide"])
    form = {
        "client": system.pk,
        "url": "http://wjw.example.gov.cn/hooks",
        "events": ["task.activated"],
        "is_active": "on",
    }
    refused = client.post("/admin/cases/webhooksubscription/add/", form)
    assert refused.status_code == 200 and "https://" in refused.content.decode()
    assert WebhookSubscription.objects.count() == 0
    form["url"] = "https://wjw.example.gov.cn/hooks"
    assert client.post("/admin/cases/webhooksubscription/add/", form).status_code == 302
    subscription = WebhookSubscription.objects.get()
    assert subscription.events == ["task.activated"] and len(subscription.secret) >= 32
    assert client.get("/admin/cases/webhookdelivery/").status_code == 200


def test_failed_deliveries_can_be_sent_again_and_secrets_rotated(client, bundle, person, clerk):
    from yijianshi.cases.models import WebhookDelivery
    from yijianshi.cases.tests.conftest import accept_case, submit_case

    client.force_login(staff_with_role("system_admin", region=city()))
    system, _raw = client_create(name="卫健业务系统", department=bundle["wjw"], scope_codes=["task.decide"])
    subscription = WebhookSubscription.objects.create(client=system, url="https://wjw.example.gov.cn/hooks")
    accept_case(submit_case(person), clerk)
    WebhookDelivery.objects.update(status=WebhookDelivery.Status.FAILED, attempts=6)
    failed = list(WebhookDelivery.objects.values_list("pk", flat=True))
    client.post(
        "/admin/cases/webhookdelivery/", {"action": "send_again", "_selected_action": [str(pk) for pk in failed]}
    )
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("pending", 0)}
    old = subscription.secret
    client.post("/admin/cases/webhooksubscription/", {"action": "rotate_secret", "_selected_action": [subscription.pk]})
    subscription.refresh_from_db()
    assert subscription.secret != old

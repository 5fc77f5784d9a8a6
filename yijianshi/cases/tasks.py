"""Background jobs of the case engine. Each only calls a service."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yijianshi.cases import deadlines, webhooks
from yijianshi.cases.models import WebhookDelivery


@db_task()
def webhook_deliver(delivery_id: str) -> None:
    """Attempt a delivery now; a failure is scheduled again by its own backoff."""
    delivery = webhooks.delivery_claim(delivery_id)
    if delivery is None:
        return  # delivered, given up, not due yet, or another job holds it
    delivery = webhooks.delivery_attempt(delivery)
    if delivery.status == WebhookDelivery.Status.PENDING:
        webhook_deliver.schedule(args=(delivery_id,), eta=delivery.next_attempt_at)


@db_periodic_task(crontab(minute="*/5"))
def webhook_sweep() -> None:
    """Re-queue pending deliveries whose time has come but which no queued job holds (e.g. lost in a restart)."""
    late = timezone.now() - webhooks.BACKOFF[0]
    for delivery_id in WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=late
    ).values_list("pk", flat=True)[:1000]:
        webhook_deliver(str(delivery_id))


@db_periodic_task(crontab(minute="*/30"))
def deadline_scan() -> None:
    """Raise yellow and red alerts for tasks that reached them (电子监察预警)."""
    deadlines.alerts_raise(today=timezone.localdate())

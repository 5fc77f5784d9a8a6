"""Changes to department systems and their webhook subscriptions move their departments' webhooks_version, so that
every process reads the subscriptions again (`notices.subscriptions_changed`)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from yijianshi.accounts.models import ApiClient
from yijianshi.cases.models import WebhookSubscription
from yijianshi.cases.notices import subscriptions_changed
from yijianshi.core.before_save import keep_before_save, now_and_before

# A subscription moved to another system, or a system to another department: both departments' subscriptions change.
keep_before_save(WebhookSubscription, "client_id")
keep_before_save(ApiClient, "department_id")


@receiver([post_save, post_delete], sender=WebhookSubscription)
def _subscription_changed(sender, instance, **kwargs):
    clients = now_and_before(instance, "client_id")
    subscriptions_changed(ApiClient.objects.filter(pk__in=clients).values("department_id"))


@receiver([post_save, post_delete], sender=ApiClient)
def _client_changed(sender, instance, **kwargs):
    # A client turned off, or moved to another department.
    subscriptions_changed(now_and_before(instance, "department_id"))

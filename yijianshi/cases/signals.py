"""Changes to department systems and their webhook subscriptions move their departments' webhooks_version, so that
every process reads the subscriptions again (`notices.subscriptions_changed`)."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from yijianshi.accounts.models import ApiClient
from yijianshi.cases.models import WebhookSubscription
from yijianshi.cases.notices import subscriptions_changed


@receiver(pre_save, sender=WebhookSubscription)
def _subscription_before(sender, instance, **kwargs):
    # A subscription moved to another system may be one of another department: both departments' change.
    if instance.pk is not None:
        instance._client_before = (
            WebhookSubscription.objects.filter(pk=instance.pk).values_list("client_id", flat=True).first()
        )


@receiver([post_save, post_delete], sender=WebhookSubscription)
def _subscription_changed(sender, instance, **kwargs):
    clients = {instance.client_id, getattr(instance, "_client_before", None)} - {None}
    subscriptions_changed(ApiClient.objects.filter(pk__in=clients).values("department_id"))


@receiver(pre_save, sender=ApiClient)
def _client_before(sender, instance, **kwargs):
    if instance.pk is not None:
        instance._department_before = (
            ApiClient.objects.filter(pk=instance.pk).values_list("department_id", flat=True).first()
        )


@receiver([post_save, post_delete], sender=ApiClient)
def _client_changed(sender, instance, **kwargs):
    # A client turned off, or moved to another department: the subscriptions of both departments change.
    subscriptions_changed([instance.department_id, getattr(instance, "_department_before", None)])

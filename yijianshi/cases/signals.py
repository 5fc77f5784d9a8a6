"""Changes to department systems and their webhook subscriptions move their departments' webhooks_version, so that
every process reads the subscriptions again (`notices.subscriptions_changed`)."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from yijianshi.accounts.models import ApiClient
from yijianshi.cases.models import WebhookSubscription
from yijianshi.cases.notices import subscriptions_changed


@receiver([post_save, post_delete], sender=WebhookSubscription)
def _subscription_changed(sender, instance, **kwargs):
    subscriptions_changed(ApiClient.objects.filter(pk=instance.client_id).values("department_id"))


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

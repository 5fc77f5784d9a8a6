"""Writes for notifications: one message to each user, with email and SMS copies queued after commit.

Copies are queued with `robust=True`: when the queue is down the change still stands and the in-app notification
is there; the copy is lost and the failure logged."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yijianshi.notifications import tasks
from yijianshi.notifications.models import Notification


def notify(*, users, title: str, body: str, link: str = "", sms: bool = True) -> list[Notification]:
    """Notify each distinct user in-app; email and SMS copies go out once the transaction commits."""
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    notes = Notification.objects.bulk_create(
        Notification(recipient=user, title=title, body=body, link=link) for user in recipients.values()
    )
    text = f"【{settings.YJS_SMS_SIGNATURE}】{title}：{body}"
    for user in recipients.values():
        if user.email:
            transaction.on_commit(lambda address=user.email: tasks.send_email(address, title, body), robust=True)
        if sms and user.phone:
            transaction.on_commit(lambda phone=user.phone: tasks.send_sms(phone, text), robust=True)
    return notes


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification

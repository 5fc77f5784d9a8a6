"""Background jobs for licenses. Each only calls a service."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yijianshi.licenses import reminders


@db_periodic_task(crontab(hour="9", minute="0"))
def expiry_remind() -> None:
    """证照到期提醒: 30 and 7 days before a license expires."""
    reminders.reminders_send(timezone.localdate())

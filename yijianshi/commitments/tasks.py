"""Background jobs of commitments. Each only calls a service."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yijianshi.commitments import deferrals


@db_periodic_task(crontab(hour="8", minute="30"))
def deferrals_daily() -> None:
    """Remind applicants of owed materials, then end what their lateness ends (容缺材料逾期终止)."""
    today = timezone.localdate()
    deferrals.deferrals_remind(today=today)
    deferrals.deferrals_expire(today=today)

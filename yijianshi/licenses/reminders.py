"""证照到期提醒: holders hear 30 and 7 days before a license expires, once for each lead time and expiry date (a
renewed license with a new expiry date is reminded anew). The job can run as often as it likes."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from yijianshi.accounts.models import User
from yijianshi.licenses.models import ExpiryReminder, License
from yijianshi.notifications.services import notify

LEAD_DAYS = (30, 7)


def reminders_due(today: date):
    """(license, days_before) pairs to remind today: valid licenses expiring within a lead time, not yet reminded
    for it (the shortest lead time reached wins: a license found 5 days before expiry gets the 7-day reminder)."""
    horizon = today + timedelta(days=max(LEAD_DAYS))
    candidates = License.objects.filter(
        status=License.Status.VALID, valid_until__gte=today, valid_until__lte=horizon
    ).select_related("license_type")
    sent = {
        (r.license_id, r.valid_until, r.days_before)
        for r in ExpiryReminder.objects.filter(license__in=candidates).only("license_id", "valid_until", "days_before")
    }
    for license in candidates:
        left = (license.valid_until - today).days
        lead = min(days for days in LEAD_DAYS if left <= days)
        if (license.pk, license.valid_until, lead) not in sent:
            yield license, lead


def reminders_send(today: date) -> int:
    """Send today's reminders; return how many were sent."""
    count = 0
    for license, lead in list(reminders_due(today)):
        try:
            with transaction.atomic():
                ExpiryReminder.objects.create(license=license, valid_until=license.valid_until, days_before=lead)
                holders = User.objects.filter(applicant_id=license.holder_id, is_active=True)
                left = (license.valid_until - today).days
                notify(
                    users=holders,
                    title=_("证照到期提醒"),
                    body=_("您的“%(name)s”（编号 %(number)s）将于 %(date)s 到期（还有 %(days)d 天），请及时办理延续。")
                    % {"name": license.name, "number": license.number, "date": license.valid_until, "days": left},
                    link=reverse("portal:my-licenses"),
                )
        except IntegrityError:
            continue  # another run reminded it first
        count += 1
    return count

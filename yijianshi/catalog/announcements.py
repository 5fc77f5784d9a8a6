"""通知公告 as the portal shows them: published, not yet taken down, pinned first."""

from django.db.models import Q
from django.utils import timezone

from yijianshi.catalog.models import Announcement


def current_announcements():
    now = timezone.now()
    return Announcement.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), published_at__lte=now)

"""我的消息: the in-app notices the platform sent (acceptance, corrections, decisions, deadlines, reminders)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.notifications.models import Notification
from yijianshi.portal.access import applicant_principal

PAGE_SIZE = 20


@login_required
def my_messages(request):
    applicant_principal(request)
    own = Notification.objects.filter(recipient=request.user)
    if request.method == "POST" and request.POST.get("action") == "read-all":
        count = own.filter(read_at__isnull=True).update(read_at=timezone.now())
        messages.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": count})
        return redirect("portal:my-messages")
    page = Paginator(own, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = own.filter(read_at__isnull=True).count()
    return render(request, "portal/my_messages.html", {"page": page, "unread": unread})

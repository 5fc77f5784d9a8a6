from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from yijianshi.cases.popularity import popular_services
from yijianshi.catalog.announcements import current_announcements
from yijianshi.catalog.models import LifeEvent
from yijianshi.catalog.selectors import life_event_summaries

HOME_ANNOUNCEMENTS = 5
ANNOUNCEMENTS_PAGE_SIZE = 20


def home(request):
    """Search with suggestions, popular services, notices, and life events grouped by audience and life stage, in
    the order people live them."""
    summaries = life_event_summaries()
    groups = []
    for audience, audience_label in LifeEvent.Audience.choices:
        stages = [
            {
                "label": stage_label,
                "events": [s for s in summaries if s["audience"] == audience and s["life_stage"] == stage],
            }
            for stage, stage_label in LifeEvent.LifeStage.choices
        ]
        groups.append({"audience": audience, "label": audience_label, "stages": [s for s in stages if s["events"]]})
    return render(
        request,
        "portal/home.html",
        {
            "groups": groups,
            "popular": popular_services(),
            "announcements": current_announcements()[:HOME_ANNOUNCEMENTS],
        },
    )


def announcements(request):
    page = Paginator(current_announcements(), ANNOUNCEMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/announcements.html", {"page": page})


def announcement(request, pk):
    return render(
        request, "portal/announcement.html", {"announcement": get_object_or_404(current_announcements(), pk=pk)}
    )

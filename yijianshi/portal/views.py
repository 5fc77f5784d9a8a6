from django.shortcuts import render

from yijianshi.catalog.models import LifeEvent
from yijianshi.catalog.selectors import life_event_summaries


def home(request):
    """Life events grouped by audience and life stage, in the order people live them."""
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
    return render(request, "portal/home.html", {"groups": groups})

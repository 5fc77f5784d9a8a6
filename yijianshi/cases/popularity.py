"""热门服务: what people applied for most in the last weeks, for the portal's home page.

Counted over submitted cases and kept in the cache for a few minutes, so the home page never counts cases itself.
A new platform without cases shows the life events in catalog order instead.
"""

from collections import Counter
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from yijianshi.cases.models import Case
from yijianshi.catalog.search import current_index

POPULAR_DAYS = 90
CACHE_KEY = "yjs:popular-services"
CACHE_SECONDS = 600


def _counts() -> dict[str, int]:
    since = timezone.now() - timedelta(days=POPULAR_DAYS)
    rows = (
        Case.objects.filter(submitted_at__gte=since)
        .values_list("life_event_version__life_event__code", "item_version__item__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = Counter()
    for life_event, item, n in rows:
        counts[f"life_event:{life_event}" if life_event else f"item:{item}"] += n
    return dict(counts)


def popular_services(limit: int = 8) -> list[dict]:
    """The live life events and items most applied for, then life events in catalog order to fill the list."""
    counts = cache.get_or_set(CACHE_KEY, _counts, CACHE_SECONDS)
    documents = current_index().documents
    applied = sorted(
        (d for d in documents if counts.get(f"{d.kind}:{d.code}")),
        key=lambda d: (-counts[f"{d.kind}:{d.code}"], d.kind != "life_event", d.code),
    )[:limit]
    taken = {(d.kind, d.code) for d in applied}
    rest = (d for d in documents if d.kind == "life_event" and (d.kind, d.code) not in taken)
    chosen = applied + [d for _, d in zip(range(limit - len(applied)), rest, strict=False)]
    return [
        {
            "kind": d.kind,
            "code": d.code,
            "name": d.name,
            "department": d.department,
            "applications": counts.get(f"{d.kind}:{d.code}", 0),
        }
        for d in chosen
    ]

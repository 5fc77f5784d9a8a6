"""Reads for the catalog: rows prefetched for snapshots, published versions, plans."""

from functools import lru_cache

from django.db.models import F, Prefetch, QuerySet

from yijianshi.catalog.models import (
    FormField,
    ItemVersion,
    LifeEvent,
    LifeEventItem,
    LifeEventVersion,
    Material,
    Option,
    ProcessStep,
    Question,
    ServiceItem,
    Status,
)
from yijianshi.catalog.plan import compute_plan, full_bundle_answers
from yijianshi.core.errors import NotFound

ITEM_PREFETCH = (
    Prefetch("materials", queryset=Material.objects.order_by("order", "id")),
    Prefetch("fields", queryset=FormField.objects.order_by("order", "id")),
    Prefetch("steps", queryset=ProcessStep.objects.order_by("order", "id")),
)


def item_rows() -> QuerySet[ServiceItem]:
    """Items with what `format.item_to_dict` reads, in a fixed number of queries."""
    return ServiceItem.objects.select_related("department", "region").prefetch_related(*ITEM_PREFETCH)


def life_event_rows() -> QuerySet[LifeEvent]:
    """Life events with what `snapshot.life_event_snapshot` reads, in a fixed number of queries."""
    members = LifeEventItem.objects.select_related("item__department", "item__region").prefetch_related(
        *(Prefetch(f"item__{p.prefetch_through}", queryset=p.queryset) for p in ITEM_PREFETCH),
        Prefetch("depends_on", queryset=LifeEventItem.objects.select_related("item").order_by("order", "id")),
    )
    return LifeEvent.objects.select_related("lead_department").prefetch_related(
        Prefetch("members", queryset=members.order_by("order", "id")),
        Prefetch(
            "questions",
            queryset=Question.objects.order_by("order", "id").prefetch_related(
                Prefetch("options", queryset=Option.objects.order_by("order", "id"))
            ),
        ),
    )


def published_life_events() -> QuerySet[LifeEvent]:
    return LifeEvent.objects.filter(status=Status.PUBLISHED, version__gt=0).select_related("lead_department")


def published_items() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(status=Status.PUBLISHED, version__gt=0).select_related("department")


def life_event_version(code: str) -> LifeEventVersion:
    """The current published version of a life event (without its snapshot); NotFound when there is none."""
    version = (
        LifeEventVersion.objects.defer("snapshot")
        .filter(life_event__code=code, life_event__status=Status.PUBLISHED, version=F("life_event__version"))
        .first()
    )
    if version is None:
        raise NotFound()
    return version


def item_version(code: str) -> ItemVersion:
    version = (
        ItemVersion.objects.defer("snapshot")
        .filter(item__code=code, item__status=Status.PUBLISHED, version=F("item__version"))
        .first()
    )
    if version is None:
        raise NotFound()
    return version


@lru_cache(maxsize=512)
def _snapshot(model: type, pk: int, published_at) -> dict:
    """Published versions never change; each is read and parsed once per process.

    Keyed by publication time too: a database that reuses row ids (tests roll back) must not hit a stale entry.
    """
    return model.objects.only("snapshot").get(pk=pk).snapshot


def life_event_snapshot(code: str) -> dict:
    version = life_event_version(code)
    return _snapshot(LifeEventVersion, version.pk, version.published_at)


def item_snapshot(code: str) -> dict:
    version = item_version(code)
    return _snapshot(ItemVersion, version.pk, version.published_at)


def plan_for_answers(*, code: str, answers: dict) -> dict:
    """The plan of the published life event `code` for these answers."""
    return compute_plan(life_event_snapshot(code), answers)


def bundle_metrics(snapshot: dict) -> dict:
    """The reductions of the bundle as defined (answers that change nothing)."""
    return compute_plan(snapshot, full_bundle_answers(snapshot["life_event"]["questions"]))["reductions"]


def item_summaries(*, department: str | None = None) -> QuerySet[ServiceItem]:
    items = published_items().order_by("code")
    if department is not None:
        items = items.filter(department__code=department)
    return items


def _department_ref(snapshot: dict, code: str) -> dict:
    return {"code": code, "name": snapshot["departments"][code]["name"]}


def item_detail(code: str) -> dict:
    snapshot = item_snapshot(code)
    item = dict(snapshot["items"][code])
    item["department"] = _department_ref(snapshot, item["department"])
    return item


@lru_cache(maxsize=512)
def _metrics(pk: int, published_at) -> dict:
    return bundle_metrics(_snapshot(LifeEventVersion, pk, published_at))


def _current_versions(life_events: QuerySet[LifeEvent]) -> list[LifeEventVersion]:
    return list(
        LifeEventVersion.objects.defer("snapshot")
        .filter(life_event__in=life_events, version=F("life_event__version"))
        .order_by("life_event__code")
    )


def _summary(snapshot: dict, metrics: dict) -> dict:
    event = snapshot["life_event"]
    return {
        "code": event["code"],
        "name": event["name"],
        "aliases": event["aliases"],
        "audience": event["audience"],
        "life_stage": event["life_stage"],
        "lead_department": _department_ref(snapshot, event["lead_department"]),
        "item_count": len(event["items"]),
        "version": event["version"],
        "sample": event["sample"],
        "metrics": metrics,
    }


def life_event_summaries(*, audience: str | None = None, life_stage: str | None = None) -> list[dict]:
    """Published life events with the reductions of each bundle, in two queries (snapshots parsed once)."""
    life_events = published_life_events()
    if audience is not None:
        life_events = life_events.filter(audience=audience)
    if life_stage is not None:
        life_events = life_events.filter(life_stage=life_stage)
    return [
        _summary(_snapshot(LifeEventVersion, v.pk, v.published_at), _metrics(v.pk, v.published_at))
        for v in _current_versions(life_events)
    ]


def life_event_detail(code: str) -> dict:
    version = life_event_version(code)
    snapshot = _snapshot(LifeEventVersion, version.pk, version.published_at)
    event, items = snapshot["life_event"], snapshot["items"]
    lead = event["lead_department"]
    return {
        **_summary(snapshot, _metrics(version.pk, version.published_at)),
        "description": event["description"],
        "member_departments": [
            _department_ref(snapshot, code)
            for code in dict.fromkeys(items[m["item"]]["department"] for m in event["items"])
            if code != lead
        ],
        "items": [
            {
                "code": m["item"],
                "name": items[m["item"]]["name"],
                "department": _department_ref(snapshot, items[m["item"]]["department"]),
                "default": m["default"],
                "depends_on": m["depends_on"],
            }
            for m in event["items"]
        ],
        "questions": event["questions"],
    }

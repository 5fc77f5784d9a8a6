"""Reads for the catalog.

Administrators read rows (prefetched for snapshots and export). Everyone else reads *live versions*: the published
snapshot of an item or life event whose latest version is greater than 0 and that is not withdrawn. Edits to a row
reach the public only when the row is published again (docs/catalog-format.md § Versions).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from django.db.models import F, Prefetch, QuerySet

from yijianshi.catalog.commitment_texts import latest_texts
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


def current_item_versions() -> QuerySet[ItemVersion]:
    """The live version of every item that has one (snapshots deferred)."""
    return (
        ItemVersion.objects.defer("snapshot")
        .filter(version=F("item__version"), item__version__gt=0)
        .exclude(item__status=Status.WITHDRAWN)
    )


def current_life_event_versions() -> QuerySet[LifeEventVersion]:
    return (
        LifeEventVersion.objects.defer("snapshot")
        .filter(version=F("life_event__version"), life_event__version__gt=0)
        .exclude(life_event__status=Status.WITHDRAWN)
    )


class SnapshotCache:
    """Parsed snapshots by (model, id, publication time): versions never change, so each is read once per process.

    Publication time is part of the key: a database that reuses row ids (tests roll back) must not hit a stale entry.
    Missing snapshots are read in one query however many a listing needs.
    """

    def __init__(self, size: int = 4096):
        self.size = size
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def many(self, versions: Sequence) -> list[dict]:
        """The snapshots of these versions, in order; those not cached are read in bulk.

        Results do not depend on what the cache keeps: one call may ask for more than it holds (an index build).
        """
        if not versions:
            return []
        model = type(versions[0])
        keys = [(model.__name__, v.pk, v.published_at) for v in versions]
        found: dict[tuple, dict] = {}
        with self.lock:
            for key in keys:
                if key in self.entries:
                    self.entries.move_to_end(key)
                    found[key] = self.entries[key]
        missing = [v.pk for v, key in zip(versions, keys, strict=True) if key not in found]
        loaded: dict[int, dict] = {}
        for start in range(0, len(missing), 1000):
            loaded |= dict(model.objects.filter(pk__in=missing[start : start + 1000]).values_list("pk", "snapshot"))
        for version, key in zip(versions, keys, strict=True):
            if key not in found and version.pk in loaded:
                found[key] = loaded[version.pk]
        with self.lock:
            for key in keys:
                self.entries[key] = found[key]
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return [found[key] for key in keys]


SNAPSHOTS = SnapshotCache()
_metrics_cache: dict[tuple, dict] = {}


def life_event_version(code: str) -> LifeEventVersion:
    """The live version of a life event; NotFound when it has none."""
    version = current_life_event_versions().filter(life_event__code=code).first()
    if version is None:
        raise NotFound()
    return version


def item_version(code: str) -> ItemVersion:
    version = current_item_versions().filter(item__code=code).first()
    if version is None:
        raise NotFound()
    return version


def life_event_snapshot(code: str) -> dict:
    return SNAPSHOTS.many([life_event_version(code)])[0]


def item_snapshot(code: str) -> dict:
    return SNAPSHOTS.many([item_version(code)])[0]


def plan_for_answers(*, code: str, answers: dict) -> dict:
    """The plan of the live version of life event `code` for these answers, with the commitment texts in force."""
    return plan_with_commitment_texts(compute_plan(life_event_snapshot(code), answers))


def plan_with_commitment_texts(plan: dict) -> dict:
    """Give each item that allows commitments the version and text of the 告知承诺书 applicants sign now (one query)."""
    entries = {item["code"]: item["commitment"] for item in plan["items"] if item.get("commitment")}
    for code, text in latest_texts(entries).items():
        entries[code] |= {
            "text_version": text.version,
            "conditions": text.conditions,
            "content": text.content,
            "liability": text.liability,
        }
    return plan


def bundle_metrics(snapshot: dict) -> dict:
    """The reductions of the bundle as defined (answers that change nothing)."""
    return compute_plan(snapshot, full_bundle_answers(snapshot["life_event"]["questions"]))["reductions"]


def _metrics(version: LifeEventVersion, snapshot: dict) -> dict:
    key = (version.pk, version.published_at)
    if key not in _metrics_cache:
        _metrics_cache[key] = bundle_metrics(snapshot)
    return _metrics_cache[key]


def _department_ref(snapshot: dict, code: str) -> dict:
    return {"code": code, "name": snapshot["departments"][code]["name"]}


class SnapshotPage(Sequence):
    """A paged list over live versions: counting is a query, slicing reads only the page's snapshots."""

    def __init__(self, versions: QuerySet, shape: Callable[[dict], dict]):
        self.versions = versions
        self.shape = shape

    def __len__(self) -> int:
        return self.versions.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.shape(snapshot) for snapshot in SNAPSHOTS.many(list(self.versions[index]))]
        return self[index : index + 1][0]


def _item_summary(snapshot: dict) -> dict:
    code = snapshot["life_event"]["items"][0]["item"]
    item = snapshot["items"][code]
    return {
        "code": code,
        "name": item["name"],
        "item_type": item["item_type"],
        "department": _department_ref(snapshot, item["department"]),
        "promised_limit": item["promised_limit"],
        "visits": item["visits"],
        "online": item["channels"]["online"],
        "version": item["version"],
        "sample": item["sample"],
    }


def item_summaries(*, department: str | None = None) -> SnapshotPage:
    versions = current_item_versions().order_by("item__code")
    if department is not None:
        versions = versions.filter(item__department__code=department)
    return SnapshotPage(versions, _item_summary)


def item_detail(code: str) -> dict:
    snapshot = item_snapshot(code)
    item = dict(snapshot["items"][code])
    item["department"] = _department_ref(snapshot, item["department"])
    return item


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
    """Live life events with the reductions of each bundle: two queries, whatever their number."""
    versions = list(current_life_event_versions().order_by("life_event__code"))
    summaries = [
        _summary(snapshot, _metrics(version, snapshot))
        for version, snapshot in zip(versions, SNAPSHOTS.many(versions), strict=True)
    ]
    return [
        s
        for s in summaries
        if (audience is None or s["audience"] == audience) and (life_stage is None or s["life_stage"] == life_stage)
    ]


def life_event_detail(code: str) -> dict:
    version = life_event_version(code)
    snapshot = SNAPSHOTS.many([version])[0]
    event, items = snapshot["life_event"], snapshot["items"]
    lead = event["lead_department"]
    return {
        **_summary(snapshot, _metrics(version, snapshot)),
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


def material_files(item_codes) -> dict[str, dict[str, str]]:
    """Downloadable blank forms and samples of live items' materials, by material key: the kind → the item code
    that has it (the first, when several items share a key)."""
    files: dict[str, dict[str, str]] = {}
    for code, key, blank_form, sample in (
        Material.objects.filter(item__code__in=list(item_codes), item__version__gt=0)
        .exclude(item__status=Status.WITHDRAWN)
        .exclude(blank_form="", sample="")
        .order_by("item__code", "order")
        .values_list("item__code", "key", "blank_form", "sample")
    ):
        entry = files.setdefault(key, {})
        if blank_form:
            entry.setdefault("blank-form", code)
        if sample:
            entry.setdefault("sample", code)
    return files


def material_file(*, item_code: str, key: str, kind: str):
    """The stored blank form or sample of a live item's material; NotFound when there is none."""
    field = {"blank-form": "blank_form", "sample": "sample"}.get(kind)
    material = (
        Material.objects.filter(item__code=item_code, key=key, item__version__gt=0)
        .exclude(item__status=Status.WITHDRAWN)
        .first()
    )
    stored = getattr(material, field, None) if field and material else None
    if not stored:
        raise NotFound()
    return stored

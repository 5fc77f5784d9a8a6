"""Writes for the catalog: publishing (validated as an import is) and the version bookkeeping behind it."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.accounts.models import Department, Region
from yijianshi.catalog import format as catalog_format
from yijianshi.catalog import snapshot as snapshots
from yijianshi.catalog.checks import Problem, check_item, check_life_event
from yijianshi.catalog.commitment_texts import commitment_texts_record
from yijianshi.catalog.format import fragment_problems
from yijianshi.catalog.models import CatalogState, ItemVersion, LifeEvent, LifeEventVersion, ServiceItem, Status
from yijianshi.catalog.selectors import item_rows, life_event_rows
from yijianshi.core.errors import InvalidInput


class PublishRefused(InvalidInput):
    """Publishing found problems; `problems` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            _("发布前请先修正以下问题：%(list)s") % {"list": "；".join(str(p) for p in problems)},
            fields={"/".join(map(str, p.path)) or "catalog": p.message for p in problems},
        )


def catalog_changed() -> None:
    """Tell every process that the published catalog changed (search indexes rebuild on their next query)."""
    state, _created = CatalogState.objects.get_or_create(pk=1)
    CatalogState.objects.filter(pk=state.pk).update(generation=F("generation") + 1)


def catalog_generation() -> int:
    return CatalogState.objects.filter(pk=1).values_list("generation", flat=True).first() or 0


def record_version(model, *, owner_field: str, owner, snapshot: dict, at_least: int = 1, user=None) -> int:
    """Store the snapshot as a new version unless the latest already has this content; return the version.

    `at_least` lets an import keep the version number its file states when the database has none newer.
    """
    content_digest = snapshots.digest(snapshot)
    latest = model.objects.filter(**{owner_field: owner}).order_by("-version").values("version", "digest").first()
    if latest and latest["digest"] == content_digest:
        return latest["version"]
    version = max(at_least, (latest["version"] + 1) if latest else 1)
    snapshot["life_event"]["version"] = version
    if model is ItemVersion:
        snapshot["items"][owner.code]["version"] = version
    model.objects.create(
        **{owner_field: owner}, version=version, snapshot=snapshot, digest=content_digest, published_by=user
    )
    return version


def _known() -> tuple[set[str], set[str]]:
    return set(Department.objects.values_list("code", flat=True)), set(Region.objects.values_list("code", flat=True))


@transaction.atomic
def item_publish(*, item: ServiceItem, user=None) -> ServiceItem:
    """Validate the item and freeze it as a new published version (none if its content has not changed)."""
    item = item_rows().select_for_update(of=("self",)).get(pk=item.pk)
    entry = catalog_format.item_to_dict(item)
    entry["status"] = Status.PUBLISHED
    departments, regions = _known()
    problems = schema_check(entry, "#/$defs/item") or check_item(entry, (), departments=departments, regions=regions)
    if problems:
        raise PublishRefused(problems)
    snapshot = snapshots.item_snapshot(item)
    snapshot["items"][item.code]["status"] = snapshot["life_event"]["status"] = Status.PUBLISHED
    version = record_version(ItemVersion, owner_field="item", owner=item, snapshot=snapshot, user=user)
    commitment_texts_record({item.code: (item.pk, entry)})
    ServiceItem.objects.filter(pk=item.pk).update(status=Status.PUBLISHED, version=version, updated_at=timezone.now())
    catalog_changed()
    item.refresh_from_db()
    return item


@transaction.atomic
def life_event_publish(*, life_event: LifeEvent, user=None) -> LifeEvent:
    """Validate the life event as an import would and freeze it, with the live versions of its items, as a new
    published version."""
    life_event = LifeEvent.objects.select_for_update().get(pk=life_event.pk)
    snapshot, live = publishable_snapshot(life_event)
    problems = life_event_problems(snapshot, live)
    if problems:
        raise PublishRefused(problems)
    version = record_version(LifeEventVersion, owner_field="life_event", owner=life_event, snapshot=snapshot, user=user)
    LifeEvent.objects.filter(pk=life_event.pk).update(
        status=Status.PUBLISHED, version=version, updated_at=timezone.now()
    )
    catalog_changed()
    life_event.refresh_from_db()
    return life_event


def _differs_from_live(model, owner_field: str, owner, snapshot: dict) -> bool:
    latest = model.objects.filter(**{owner_field: owner}).order_by("-version").values_list("digest", flat=True).first()
    return latest != snapshots.digest(snapshot)


def item_instant_switch(*, item: ServiceItem, paused: bool, user) -> None:
    """Pause or resume 秒批 at once (no publication needed), recording who switched it and when."""
    item.instant_paused, item.instant_switched_at, item.instant_switched_by = paused, timezone.now(), user
    ServiceItem.objects.filter(pk=item.pk).update(
        instant_paused=paused, instant_switched_at=item.instant_switched_at, instant_switched_by=user
    )


def item_mark_edited(*, item: ServiceItem) -> None:
    """After an edit: a published item whose content now differs from its live version becomes a draft.

    The live version stays public until the item is published again; a life event cannot be published with it.
    """
    if item.status != Status.PUBLISHED:
        return
    snapshot = snapshots.item_snapshot(item_rows().get(pk=item.pk))
    if _differs_from_live(ItemVersion, "item", item, snapshot):
        ServiceItem.objects.filter(pk=item.pk).update(status=Status.DRAFT)


def life_event_mark_edited(*, life_event: LifeEvent) -> None:
    """After an edit of a published life event (its members, questions or options): it becomes a draft."""
    if life_event.status != Status.PUBLISHED:
        return
    snapshot, _live = publishable_snapshot(life_event)
    if _differs_from_live(LifeEventVersion, "life_event", life_event, snapshot):
        LifeEvent.objects.filter(pk=life_event.pk).update(status=Status.DRAFT)


def schema_check(entry: dict, pointer: str, path: tuple = ()) -> list[Problem]:
    return [Problem((*path, *where), message) for where, message in fragment_problems(entry, pointer)]


def live_items(codes) -> dict[str, dict]:
    """The live version of each of these items that has one: code → item dict as published."""
    from yijianshi.catalog.selectors import SNAPSHOTS, current_item_versions

    versions = list(current_item_versions().filter(item__code__in=list(codes)))
    return {code: s["items"][code] for s in SNAPSHOTS.many(versions) for code in s["items"]}


def publishable_snapshot(life_event: LifeEvent) -> tuple[dict, set[str]]:
    """The life event as publishing would freeze it: its rows, with the live version of each member item (a life
    event never freezes items being edited). Members without a live version keep their rows, for the checks to
    report. Returns the snapshot and the codes of members that have a live version."""
    rows = snapshots.life_event_snapshot(life_event_rows().get(pk=life_event.pk))
    rows["life_event"]["status"] = Status.PUBLISHED
    live = live_items(rows["items"])
    items = {code: live.get(code, item) for code, item in rows["items"].items()}
    needed = {rows["life_event"]["lead_department"], *(item["department"] for item in items.values())}
    departments = {d.code: snapshots.department_entry(d) for d in Department.objects.filter(code__in=needed)}
    return snapshots.from_dicts(rows["life_event"], items, departments), set(live)


def life_event_problems(snapshot: dict, live: set[str]) -> list[Problem]:
    """What stops a life event snapshot from being published: the schema first, then the checks an import runs."""
    problems = schema_check(snapshot["life_event"], "#/$defs/life_event")
    for code, item in snapshot["items"].items():
        problems += schema_check(item, "#/$defs/item", ("items", code))
    if problems:
        return problems  # the checks assume well-formed entries
    departments, _regions = _known()
    return check_life_event(snapshot["life_event"], (), items=snapshot["items"], departments=departments, live=live)


def preview_problems(life_event: LifeEvent) -> list[Problem]:
    """What would stop this life event from being published now."""
    return life_event_problems(*publishable_snapshot(life_event))


def pending_member_edits(life_event: LifeEvent) -> list[str]:
    """Names of member items with edits not yet published: publishing the bundle uses their live versions."""
    return list(
        ServiceItem.objects.filter(memberships__life_event=life_event, status=Status.DRAFT, version__gt=0)
        .order_by("memberships__order")
        .values_list("name", flat=True)
    )

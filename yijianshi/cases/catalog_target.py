"""What a case applies for: the live version of a life event or of a single item, with its snapshot and plans."""

import threading
from dataclasses import dataclass

from django.utils.translation import gettext as _

from yijianshi.catalog import selectors as catalog
from yijianshi.catalog.models import ItemVersion, LifeEventVersion
from yijianshi.catalog.plan import complete_plan, compute_plan
from yijianshi.core.errors import InvalidInput, NotFound


@dataclass(frozen=True)
class Target:
    version: LifeEventVersion | ItemVersion
    snapshot: dict

    @property
    def is_life_event(self) -> bool:
        return isinstance(self.version, LifeEventVersion)

    @property
    def title(self) -> str:
        return self.snapshot["life_event"]["name"]

    @property
    def lead_department(self) -> str:
        return self.snapshot["life_event"]["lead_department"]

    def plan(self, answers: dict) -> dict:
        """The plan for these answers; InvalidInput naming each question answered wrongly or not at all."""
        return compute_plan(self.snapshot, answers)

    def everything(self) -> dict:
        """Every material and field any answers could ask for: what a draft may already hold."""
        key = (type(self.version).__name__, self.version.pk, self.version.published_at)
        with _lock:
            if key not in _complete:
                if len(_complete) > 512:
                    _complete.clear()
                _complete[key] = complete_plan(self.snapshot)
            return _complete[key]


_complete: dict = {}
_lock = threading.Lock()


def target_live(*, life_event: str | None, item: str | None) -> Target:
    """The live version of the life event or item a new case names; InvalidInput when there is none."""
    if bool(life_event) == bool(item):
        raise InvalidInput.for_fields({"life_event": _("请指定一件事（life_event）或单个事项（item），二者选一。")})
    try:
        version = catalog.life_event_version(life_event) if life_event else catalog.item_version(item)
    except NotFound:
        field, code = ("life_event", life_event) if life_event else ("item", item)
        raise InvalidInput.for_field(field, _("没有已发布的：%(code)s") % {"code": code}) from None
    return Target(version, catalog.SNAPSHOTS.many([version])[0])


def target_of(case) -> Target:
    """The version a case refers to (frozen when the case was created); its snapshot comes from the process's cache,
    not with the row."""
    name = "life_event_version" if case.life_event_version_id else "item_version"
    field = case._meta.get_field(name)
    if not field.is_cached(case):
        setattr(case, name, field.related_model.objects.defer("snapshot").get(pk=getattr(case, field.attname)))
    version = getattr(case, name)
    return Target(version, catalog.SNAPSHOTS.many([version])[0])

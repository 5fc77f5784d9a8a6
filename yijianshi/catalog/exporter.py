"""`yjs catalog_export`: the whole catalog in the import format, every key written, in a fixed order.

Export → import → export gives the same bytes (a test holds it to that). Entries are read in batches and written as
they come, so a 10,000-item catalog streams out with its progress shown.
"""

from collections.abc import Callable, Iterator

from django.db.models import Prefetch

from yijianshi.accounts.models import Department, Region
from yijianshi.catalog import format as catalog_format
from yijianshi.catalog.models import LifeEvent, LifeEventItem, Option, Question, SearchSynonym
from yijianshi.catalog.selectors import item_rows
from yijianshi.catalog.yaml_writer import scalar, section_lines

BATCH = 500
Progress = Callable[[str, int], None]


def _items(progress: Progress) -> Iterator[dict]:
    codes = list(item_rows().order_by("code").values_list("code", flat=True))
    for start in range(0, len(codes), BATCH):
        batch = list(item_rows().filter(code__in=codes[start : start + BATCH]).order_by("code"))
        yield from (catalog_format.item_to_dict(item) for item in batch)
        progress("items", len(batch))


def _life_events(progress: Progress) -> Iterator[dict]:
    """Life events with what the format needs of their members: codes, not whole items."""
    members = LifeEventItem.objects.select_related("item").order_by("order", "id")
    events = (
        LifeEvent.objects.select_related("lead_department")
        .prefetch_related(
            Prefetch("members", queryset=members.prefetch_related(Prefetch("depends_on", queryset=members))),
            Prefetch(
                "questions",
                queryset=Question.objects.order_by("order", "id").prefetch_related(
                    Prefetch("options", queryset=Option.objects.order_by("order", "id"))
                ),
            ),
        )
        .order_by("code")
    )
    codes = list(events.values_list("code", flat=True))
    for start in range(0, len(codes), BATCH):
        batch = list(events.filter(code__in=codes[start : start + BATCH]))
        yield from (catalog_format.life_event_to_dict(event) for event in batch)
        progress("life_events", len(batch))


def catalog_lines(progress: Progress = lambda stage, done: None) -> Iterator[str]:
    yield f"format: {scalar(catalog_format.FORMAT)}"
    yield from section_lines(
        "regions", (catalog_format.region_to_dict(r) for r in Region.objects.select_related("parent").order_by("code"))
    )
    yield from section_lines(
        "departments",
        (
            catalog_format.department_to_dict(d)
            for d in Department.objects.select_related("region", "parent").order_by("code")
        ),
    )
    yield from section_lines("items", _items(progress))
    yield from section_lines("life_events", _life_events(progress))
    yield from section_lines(
        "synonyms", ({"term": s.term, "expansions": list(s.expansions)} for s in SearchSynonym.objects.order_by("term"))
    )


def catalog_export(stream, progress: Progress = lambda stage, done: None) -> None:
    for line in catalog_lines(progress):
        stream.write(line + "\n")


def catalog_text() -> str:
    """The whole export as one string (tests and small catalogs)."""
    return "".join(line + "\n" for line in catalog_lines())

"""`yjs catalog_export`: the whole catalog in the import format, every key written, in a fixed order.

Export → import → export gives the same bytes (a test holds it to that).
"""

import re
from collections.abc import Callable

import yaml

from yijianshi.accounts.models import Department, Region
from yijianshi.catalog import format as catalog_format
from yijianshi.catalog.models import SearchSynonym
from yijianshi.catalog.selectors import item_rows, life_event_rows

BATCH = 500


class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """PyYAML writes YAML 1.1; the importer reads YAML 1.2. Quote the strings 1.2 would read as numbers (0o17)."""


# The YAML 1.2 core schema's numbers (ints, 0o octal, 0x hex, floats like 1e3): quoted when they are strings.
Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)


def catalog_data(progress: Callable[[str, int], None] = lambda stage, done: None) -> dict:
    regions = [catalog_format.region_to_dict(r) for r in Region.objects.select_related("parent").order_by("code")]
    departments = [
        catalog_format.department_to_dict(d)
        for d in Department.objects.select_related("region", "parent").order_by("code")
    ]
    items = []
    codes = list(item_rows().order_by("code").values_list("code", flat=True))
    for start in range(0, len(codes), BATCH):
        batch = item_rows().filter(code__in=codes[start : start + BATCH]).order_by("code")
        items += [catalog_format.item_to_dict(item) for item in batch]
        progress("items", len(batch))
    life_events = [catalog_format.life_event_to_dict(e) for e in life_event_rows().order_by("code")]
    synonyms = [{"term": s.term, "expansions": list(s.expansions)} for s in SearchSynonym.objects.order_by("term")]
    return {
        "format": catalog_format.FORMAT,
        "regions": regions,
        "departments": departments,
        "items": items,
        "life_events": life_events,
        "synonyms": synonyms,
    }


def dump(data: dict, stream=None):
    """YAML as people write it: block style, Chinese as itself, keys in the format's order."""
    return yaml.dump(
        data, stream, Dumper=Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=4096, indent=2
    )


def catalog_export(stream, progress: Callable[[str, int], None] = lambda stage, done: None) -> None:
    dump(catalog_data(progress), stream)

"""Snapshots: a life event or an item with everything a plan needs, frozen as plain data.

Built from rows (for a preview, or when publishing in admin) or from a catalog file's entries (when importing),
and stored in LifeEventVersion / ItemVersion with a digest of their content.
"""

import hashlib
import json
from collections.abc import Mapping

from yijianshi.catalog import format as catalog_format


def department_entry(department) -> dict:
    return {"name": department.name, "short_name": department.short_name, "credit_code": department.credit_code}


def from_dicts(event: dict, items: Mapping[str, dict], departments: Mapping[str, dict]) -> dict:
    """A life event snapshot from format dicts: the event, its member items in full, the departments' names."""
    codes = [member["item"] for member in event["items"]]
    involved = {event["lead_department"], *(items[code]["department"] for code in codes)}
    # Shallow copies: a snapshot's own version numbers may differ from its sources'; nothing deeper is changed.
    return {
        "life_event": dict(event),
        "items": {code: dict(items[code]) for code in codes},
        "departments": {code: dict(departments[code]) for code in sorted(involved)},
    }


def item_as_life_event(item: dict) -> dict:
    """A single item shaped as a one-item life event, so that single-item plans follow the same rules."""
    return {
        "code": item["code"],
        "name": item["name"],
        "aliases": [],
        "description": "",
        "audience": "",
        "life_stage": "",
        "lead_department": item["department"],
        "status": item["status"],
        "version": item["version"],
        "sample": item["sample"],
        "items": [{"item": item["code"], "default": True, "depends_on": []}],
        "questions": [],
    }


def item_from_dict(item: dict, departments: Mapping[str, dict]) -> dict:
    return from_dicts(item_as_life_event(item), {item["code"]: item}, departments)


def life_event_snapshot(life_event) -> dict:
    """From rows of `catalog.selectors.life_event_rows` (everything prefetched)."""
    members = list(life_event.members.all())
    departments = {life_event.lead_department.code: department_entry(life_event.lead_department)}
    departments |= {m.item.department.code: department_entry(m.item.department) for m in members}
    items = {m.item.code: catalog_format.item_to_dict(m.item) for m in members}
    return from_dicts(catalog_format.life_event_to_dict(life_event), items, departments)


def item_snapshot(item) -> dict:
    """From a row of `catalog.selectors.item_rows`."""
    return item_from_dict(catalog_format.item_to_dict(item), {item.department.code: department_entry(item.department)})


def _without_versions(snapshot: dict) -> dict:
    def strip(entry: dict) -> dict:
        return {key: value for key, value in entry.items() if key != "version"}

    return {
        "life_event": strip(snapshot["life_event"]),
        "items": {code: strip(item) for code, item in snapshot["items"].items()},
        "departments": snapshot["departments"],
    }


def digest(snapshot: dict) -> str:
    """SHA-256 of the content without version numbers: equal content, equal digest."""
    text = json.dumps(_without_versions(snapshot), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

"""Catalog entries for tests, in the exchange format, with only what a test cares about spelled out."""

import copy
import itertools

import yaml

from yijianshi.catalog import format as catalog_format
from yijianshi.demo.identifiers import credit_code

_basic = itertools.count(100_000_000_001)
LICENSE = "11100000000000019F"  # a sample defining authority


def department(code: str = "t-dept", serial: str = "00000901", **overrides) -> dict:
    entry = {
        "code": code,
        "credit_code": credit_code("11", "410100", serial),
        "name": f"测试部门{code}",
        "region": "410100000000",
    }
    return {**entry, **overrides}


def material(key: str, **overrides) -> dict:
    return {"key": key, "name": f"材料{key}", "type": 3, "source": 10, **overrides}


def field(key: str, **overrides) -> dict:
    return {"key": key, "label": f"字段{key}", **overrides}


def steps(*kinds: str) -> list[dict]:
    return [{"kind": kind, "name": kind, "limit": {"value": 1}} for kind in kinds]


def item(code: str, *, days: int = 5, dept: str = "t-dept", **overrides) -> dict:
    entry = {
        "code": code,
        "basic_code": f"{next(_basic):012d}",
        "name": f"事项{code}",
        "item_type": "01",
        "use_level": 3,
        "department": dept,
        "region": "410100000000",
        "legal_basis": "《测试条例》第一条",
        "conditions": "符合条件",
        "statutory_limit": {"value": max(days, 20)},
        "promised_limit": {"value": days},
        "case_kind": 2,
        "visits": 1,
        "result": {"name": f"结果{code}", "type": "approval"},
        "status": "published",
        "materials": [material("id-card")],
        "fields": [field("applicant-name", prefill="person.name")],
        "steps": steps("accept", "review", "decide", "deliver"),
    }
    entry.update(overrides)
    return entry


def life_event(code: str, members: list, **overrides) -> dict:
    entry = {
        "code": code,
        "name": f"一件事{code}",
        "audience": "person",
        "life_stage": "birth",
        "lead_department": "t-dept",
        "status": "published",
        "items": [m if isinstance(m, dict) else {"item": m} for m in members],
    }
    entry.update(overrides)
    return entry


def catalog(*, departments=None, items=(), life_events=(), synonyms=(), regions=()) -> dict:
    return {
        "format": catalog_format.FORMAT,
        "regions": list(regions),
        "departments": [department()] if departments is None else list(departments),
        "items": list(items),
        "life_events": list(life_events),
        "synonyms": list(synonyms),
    }


def as_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def snapshot(event: dict, items: list[dict], department_names=None) -> dict:
    """A life event snapshot straight from entries, for plan tests that need no database."""
    event = catalog_format.apply_defaults(copy.deepcopy(event), catalog_format.schema()["$defs"]["life_event"])
    entries = {
        i["code"]: catalog_format.apply_defaults(copy.deepcopy(i), catalog_format.schema()["$defs"]["item"])
        for i in items
    }
    departments = {
        code: {"name": name, "short_name": "", "credit_code": ""} for code, name in (department_names or {}).items()
    }
    for entry in [event, *entries.values()]:
        dept = entry.get("lead_department") or entry.get("department")
        departments.setdefault(dept, {"name": f"部门{dept}", "short_name": "", "credit_code": ""})
    return {"life_event": event, "items": entries, "departments": departments}

"""The catalog's exchange format (docs/catalog-format.md): rows as dictionaries, in the file's key order.

The same dictionaries are what `yjs catalog_export` writes, what `yjs catalog_import` reads (after defaults are
filled in from the JSON Schema) and what a published version freezes as its snapshot.
"""

import copy
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

FORMAT = "yijianshi-catalog/1"
# What choosing an option can change.
OPTION_EFFECTS = (
    "include_items",
    "exclude_items",
    "include_materials",
    "exclude_materials",
    "include_fields",
    "exclude_fields",
)
SCHEMA_PATH = Path(__file__).with_name("catalog.schema.json")


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        node = {**schema()["$defs"][node["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


@dataclass(frozen=True)
class _Defaults:
    """Where the schema gives defaults: per object key (default, nested plan), or for each list element."""

    properties: tuple[tuple[str, bool, object, "_Defaults | None"], ...] = ()
    elements: "_Defaults | None" = None


def _compile(node: dict) -> _Defaults | None:
    node = _resolve(node)
    if "properties" in node:
        properties = []
        for key, prop in node["properties"].items():
            prop = _resolve(prop)
            properties.append((key, "default" in prop, prop.get("default"), _compile(prop)))
        return _Defaults(properties=tuple(properties))
    if isinstance(node.get("items"), dict):
        elements = _compile(node["items"])
        return _Defaults(elements=elements) if elements else None
    return None


@cache
def _root_defaults() -> _Defaults:
    return _compile(schema())


def _fill(data, plan: _Defaults) -> None:
    if isinstance(data, dict):
        for key, has_default, default, nested in plan.properties:
            if key not in data:
                if not has_default:
                    continue
                data[key] = copy.deepcopy(default) if isinstance(default, list | dict) else default
            if nested is not None:
                _fill(data[key], nested)
    elif isinstance(data, list) and plan.elements is not None:
        for element in data:
            _fill(element, plan.elements)


def apply_defaults(data, node: dict | None = None):
    """Fill every optional key the schema gives a default for, in place, recursively; return the data.

    The schema is compiled once into a plan of where defaults go, so a 10,000-item file is filled in a second.
    """
    plan = _root_defaults() if node is None else _compile(node)
    if plan is not None:
        _fill(data, plan)
    return data


@cache
def _defaults_at(*path: str) -> _Defaults | None:
    node = schema()["$defs"]
    for part in path:
        node = _resolve(node)[part] if part != "properties" else node["properties"]
    return _compile(node)


INSTANT_CHECKS = ("item", "properties", "instant_approval", "properties", "checks")


def _stored_list(values: list, *path: str) -> list:
    """A JSON list as stored, each entry copied and given the schema's defaults; nothing dropped, so that a
    malformed entry reaches the schema check as it is."""
    entries = [dict(entry) if isinstance(entry, dict) else entry for entry in values]
    plan = _defaults_at(*path)
    if plan is not None:
        _fill(entries, plan)
    return entries


def schema_message(error) -> str:
    """A jsonschema error in Chinese."""
    kind, value = error.validator, error.validator_value
    if kind == "required":
        missing = [name for name in value if isinstance(error.instance, dict) and name not in error.instance]
        return _("缺少必填项：%(names)s") % {"names": "、".join(missing)}
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _("不允许的键：%(names)s") % {"names": "、".join(map(str, extra))}
    if kind == "type":
        names = {
            "string": "文本",
            "integer": "整数",
            "number": "数字",
            "boolean": "true 或 false",
            "array": "列表",
            "object": "对象",
            "null": "空",
        }
        wanted = value if isinstance(value, list) else [value]
        message = _("类型应为%(type)s") % {"type": "或".join(names.get(v, v) for v in wanted)}
        if "string" in wanted and isinstance(error.instance, int | float) and not isinstance(error.instance, bool):
            message += _("（形似数字的编码请加引号，如 '010080030000'）")
        return message
    if kind == "enum":
        return _("取值应为以下之一：%(values)s") % {"values": "、".join(map(str, value))}
    if kind == "const":
        return _("取值应为：%(value)s") % {"value": value}
    if kind == "pattern":
        return _("格式不正确：%(value)s") % {"value": error.instance}
    if kind in ("minLength", "maxLength"):
        if value == 1 and kind == "minLength":
            return _("不能为空")
        return _("长度应在限制之内（%(limit)s）") % {"limit": value}
    if kind in ("minimum", "maximum"):
        return _("数值超出范围（%(limit)s）") % {"limit": value}
    if kind == "minItems":
        return _("至少需要 %(n)s 项") % {"n": value}
    if kind == "uniqueItems":
        return _("列表中有重复项")
    return _("取值不符合要求")


@cache
def _registry() -> Registry:
    """The schema under its own $id, so that references resolve locally. Without a registry, jsonschema falls back
    to fetching unknown references over the network."""
    return Registry().with_resource(schema()["$id"], Resource.from_contents(schema()))


def fragment_problems(value, pointer: str = "#") -> list[tuple[tuple, str]]:
    """Every schema error of `value` against a part of the schema (e.g. "#/$defs/item"), as (path, Chinese message)."""
    validator = Draft202012Validator({"$ref": schema()["$id"] + pointer}, registry=_registry())
    found = ((tuple(error.absolute_path), schema_message(error)) for error in validator.iter_errors(value))
    return list(dict.fromkeys(found))  # jsonschema reports a missing key once per key; the message names them all


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _limit(value: int, unit: str) -> dict:
    return {"value": value, "unit": unit}


def region_to_dict(region) -> dict:
    return {"code": region.code, "name": region.name, "parent": region.parent.code if region.parent_id else None}


def department_to_dict(department) -> dict:
    return {
        "code": department.code,
        "credit_code": department.credit_code,
        "name": department.name,
        "short_name": department.short_name,
        "region": department.region.code,
        "parent": department.parent.code if department.parent_id else None,
    }


def material_to_dict(material) -> dict:
    return {
        "key": material.key,
        "name": material.name,
        "type": material.material_type,
        "form": material.form,
        "need": material.need,
        "source": material.source,
        "issuing_department": material.issuing_department,
        "license_type": material.license_type,
        "license_holder": material.license_holder,
        "originals": material.originals,
        "copies": material.copies,
        "acceptance_standard": material.acceptance_standard,
        "legal_basis": material.legal_basis,
        "formats": list(material.formats),
        "default": material.default_included,
    }


def field_to_dict(field) -> dict:
    return {
        "key": field.key,
        "label": field.label,
        "type": field.field_type,
        "required": field.required,
        "max_length": field.max_length,
        "pattern": field.pattern,
        "min": _number(field.min_value),
        "max": _number(field.max_value),
        "options": _stored_list(field.options, "field", "properties", "options"),
        "prefill": field.prefill,
        "help": field.help_text,
        "default": field.default_included,
    }


def step_to_dict(step) -> dict:
    return {
        "kind": step.kind,
        "name": step.name,
        "limit": _limit(step.limit, step.unit),
        "description": step.description,
    }


def item_to_dict(item) -> dict:
    """An item with its materials, fields and steps (prefetch them: `catalog.selectors.item_rows`)."""
    return {
        "code": item.code,
        "basic_code": item.basic_code,
        "handling_code": item.handling_code,
        "name": item.name,
        "aliases": list(item.aliases),
        "item_type": item.item_type,
        "use_level": item.use_level,
        "department": item.department.code,
        "region": item.region.code,
        "applicable_to": item.applicable_to,
        "legal_basis": item.legal_basis,
        "conditions": item.conditions,
        "statutory_limit": _limit(item.statutory_limit, item.statutory_unit),
        "promised_limit": _limit(item.promised_limit, item.promised_unit),
        "limit_note": item.limit_note,
        "case_kind": item.case_kind,
        "visits": item.visits,
        "channels": {
            "window": item.window,
            "online": item.online,
            "online_depth": item.online_depth,
            "express": item.express,
            "pay_online": item.pay_online,
            "appointment": item.appointment,
            "in_service_center": item.in_service_center,
        },
        "handle_area": item.handle_area,
        "fees": _stored_list(item.fees, "item", "properties", "fees"),
        "result": {
            "name": item.result_name,
            "type": item.result_type,
            "license_type": item.result_license_type,
            "material_key": item.result_material_key,
            "delivery": list(item.result_delivery),
        },
        "special_procedures": _stored_list(item.special_procedures, "item", "properties", "special_procedures"),
        "inspection": {"required": item.has_inspection, "place": item.inspection_place, "joint": item.joint_inspection},
        "commitment_allowed": item.commitment_allowed,
        "commitment": {
            "area": item.regulated_area,
            "text": {
                "conditions": item.commitment_conditions,
                "content": item.commitment_content,
                "liability": item.commitment_liability,
            },
            "replaces": list(item.commitment_replaces),
            "deferral_days": item.deferral_days,
            "post_check": {"rule": item.post_check_rule, "risk": item.risk_level, "days": item.post_check_days},
        },
        "instant_approval": {
            "allowed": item.instant_allowed,
            "checks": _stored_list(
                item.instant_checks, "item", "properties", "instant_approval", "properties", "checks"
            ),
        },
        "credit_repair": list(item.credit_repairs),
        "service": {
            "consultation": item.consultation,
            "complaint": item.complaint,
            "address": item.address,
            "office_hours": item.office_hours,
            "progress_query": item.progress_query,
        },
        "status": item.status,
        "version": item.version,
        "sample": item.is_sample,
        "materials": [material_to_dict(m) for m in item.materials.all()],
        "fields": [field_to_dict(f) for f in item.fields.all()],
        "steps": [step_to_dict(s) for s in item.steps.all()],
    }


def option_to_dict(option) -> dict:
    return {"key": option.key, "label": option.label, **{name: list(getattr(option, name)) for name in OPTION_EFFECTS}}


def question_to_dict(question) -> dict:
    return {
        "key": question.key,
        "text": question.text,
        "help": question.help_text,
        "multiple": question.multiple,
        "required": question.required,
        "shown_when": _stored_list(question.shown_when, "question", "properties", "shown_when"),
        "options": [option_to_dict(o) for o in question.options.all()],
    }


def life_event_to_dict(life_event) -> dict:
    """A life event with its members and questions (prefetch them: `catalog.selectors.life_event_rows`)."""
    return {
        "code": life_event.code,
        "name": life_event.name,
        "aliases": list(life_event.aliases),
        "description": life_event.description,
        "audience": life_event.audience,
        "life_stage": life_event.life_stage,
        "lead_department": life_event.lead_department.code,
        "status": life_event.status,
        "version": life_event.version,
        "sample": life_event.is_sample,
        "items": [
            {
                "item": member.item.code,
                "default": member.default_included,
                "depends_on": [dependency.item.code for dependency in member.depends_on.all()],
            }
            for member in life_event.members.all()
        ],
        "questions": [question_to_dict(q) for q in life_event.questions.all()],
    }

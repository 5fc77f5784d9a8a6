"""The joint form (联办申请表) a case carries, checked against the plan's merged fields.

Each field's rules come from the catalog (type, required, length, pattern, range, options). Values come back
normalised (trimmed text, compact identifiers), so the same input always stores the same way. Problems are keyed
`form.<field key>`, all reported at once.
"""

import datetime
import math
import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from yijianshi.core.identifiers import validate_citizen_id, validate_credit_code

TEXT_LIMITS = {"text": 200, "textarea": 2000}
PHONE = re.compile(r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")
REGION = re.compile(r"^[0-9]{12}$")
MISSING = object()


def _text(field: dict, value):
    if not isinstance(value, str):
        raise ValueError(_("应为文字"))
    value = value.strip()
    limit = min(field["max_length"] or TEXT_LIMITS.get(field["type"], 200), TEXT_LIMITS.get(field["type"], 200))
    if len(value) > limit:
        raise ValueError(_("不能超过 %(n)d 个字") % {"n": limit})
    if value and field["pattern"]:
        try:
            matched = re.fullmatch(field["pattern"], value)
        except re.error:
            matched = True  # a broken pattern in the catalog must not block applicants
        if not matched:
            raise ValueError(_("格式不正确"))
    return value


def _number(field: dict, value):
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(_("应为数字"))
    if field["min"] is not None and value < field["min"]:
        raise ValueError(_("不能小于 %(n)s") % {"n": field["min"]})
    if field["max"] is not None and value > field["max"]:
        raise ValueError(_("不能大于 %(n)s") % {"n": field["max"]})
    return value


def _date(field: dict, value):
    try:
        return datetime.date.fromisoformat(value).isoformat() if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _options(field: dict) -> list[str]:
    return [option["value"] for option in field["options"]]


def _select(field: dict, value):
    if not isinstance(value, str) or value not in _options(field):
        raise ValueError(_("请从选项中选择：%(options)s") % {"options": "、".join(_options(field))})
    return value


def _multiselect(field: dict, value):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(_("应为选项列表"))
    unknown = [v for v in value if v not in _options(field)]
    if unknown:
        raise ValueError(_("没有这个选项：%(keys)s") % {"keys": "、".join(unknown)})
    return [v for v in _options(field) if v in value]


def _checkbox(field: dict, value):
    if not isinstance(value, bool):
        raise ValueError(_("应为 true 或 false"))
    return value


def _identifier(validate):
    def check(field: dict, value):
        if not isinstance(value, str):
            raise ValueError(_("应为文字"))
        try:
            return validate(value)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from error

    return check


def _phone(field: dict, value):
    if not isinstance(value, str) or not PHONE.match(value.strip()):
        raise ValueError(_("请填写手机号码或带区号的固定电话"))
    return value.strip()


def _email(field: dict, value):
    try:
        validate_email(value)
    except (ValidationError, TypeError) as error:
        raise ValueError(_("电子邮箱格式不正确")) from error
    return value.strip()


def _region(field: dict, value):
    if not isinstance(value, str) or not REGION.match(value):
        raise ValueError(_("应为 12 位行政区划代码"))
    return value


CHECKS = {
    "text": _text,
    "textarea": _text,
    "number": _number,
    "select": _select,
    "multiselect": _multiselect,
    "checkbox": _checkbox,
    "citizen_id": _identifier(validate_citizen_id),
    "credit_code": _identifier(validate_credit_code),
    "phone": _phone,
    "email": _email,
    "region": _region,
}


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _check(field: dict, value):
    if field["type"] == "date":
        checked = _date(field, value)
        if checked is None:
            raise ValueError(_("应为日期，如 2026-01-31"))
        return checked
    return CHECKS[field["type"]](field, value)


def check_form(fields: list[dict], data, *, complete: bool) -> tuple[dict, dict[str, str]]:
    """Return (normalised data, problems). `complete` also demands every required field (for submission);
    a draft may leave fields empty. Keys that no field of the plan has are problems either way."""
    if not isinstance(data, Mapping):
        return {}, {"form": _('申请表应为对象：{"字段键": 值}')}
    by_key = {field["key"]: field for field in fields}
    problems: dict[str, str] = {}
    cleaned: dict = {}
    for key in data:
        if key not in by_key:
            problems[f"form.{key}"] = _("本申请没有这一项")
    for field in fields:
        value = data.get(field["key"], MISSING)
        if value is MISSING or _empty(value):
            required = field["required"] and field["type"] != "checkbox"
            if complete and required:
                problems[f"form.{field['key']}"] = _("请填写：%(label)s") % {"label": field["label"]}
            continue
        try:
            cleaned[field["key"]] = _check(field, value)
        except ValueError as error:
            problems[f"form.{field['key']}"] = f"{field['label']}：{error}"
    for field in fields:
        # A required checkbox is a declaration (承诺、同意): it must be ticked.
        if complete and field["type"] == "checkbox" and field["required"] and cleaned.get(field["key"]) is not True:
            problems.setdefault(f"form.{field['key']}", _("请勾选：%(label)s") % {"label": field["label"]})
    return cleaned, problems

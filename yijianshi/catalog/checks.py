"""What the JSON Schema cannot say: references, duplicates, identifiers, cycles and conflicts.

Every check collects problems instead of stopping at the first, each with the path of the offending value
(e.g. ("life_events", 2, "questions", 0, "shown_when", 0, "question")), so that an import or a publish can report
them all at once, with file positions when there is a file.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from yijianshi.catalog.commitment_rules import RegulatedArea
from yijianshi.catalog.graph import find_cycle
from yijianshi.catalog.plan import DEFERRABLE, implied_dependencies, working_days
from yijianshi.core.identifiers import region_level, region_prefix, validate_credit_code

Path = tuple


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str

    def __str__(self):
        place = "/".join(str(p) for p in self.path)
        return f"{place}: {self.message}" if place else self.message


SELECT_TYPES = {"select", "multiselect"}
# Fields that can name whose license stands in for a material (`license_holder`).
HOLDER_ID_TYPES = {"citizen_id", "credit_code"}


def _duplicates(values: Iterable[str]) -> set[str]:
    return {value for value, count in Counter(values).items() if count > 1}


def check_regions(regions: list[dict], known: set[str]) -> list[Problem]:
    problems = []
    codes = {r["code"] for r in regions} | known
    for code in _duplicates(r["code"] for r in regions):
        problems.append(Problem(("regions",), _("行政区划代码重复：%(code)s") % {"code": code}))
    for index, region in enumerate(regions):
        parent = region["parent"]
        if parent is None:
            continue
        if parent not in codes:
            problems.append(Problem(("regions", index, "parent"), _("未知的上级区划：%(code)s") % {"code": parent}))
        elif not (
            region_level(parent) < region_level(region["code"]) and region["code"].startswith(region_prefix(parent))
        ):
            problems.append(
                Problem(("regions", index, "parent"), _("上级区划必须是更高一级、且代码包含本区划的区划。"))
            )
    return problems


def check_departments(
    departments: list[dict], *, regions: set[str], known: set[str], credit_codes: Mapping[str, str] | None = None
) -> list[Problem]:
    """`credit_codes`: the database's departments by credit code (a new department may not take another's)."""
    problems = []
    credit_codes = credit_codes or {}
    codes = {d["code"] for d in departments} | known
    for field in ("code", "credit_code"):
        for value in _duplicates(d[field] for d in departments):
            problems.append(
                Problem(("departments",), _("部门%(field)s重复：%(value)s") % {"field": field, "value": value})
            )
    for index, department in enumerate(departments):
        try:
            validate_credit_code(department["credit_code"])
        except ValidationError as error:
            problems.append(Problem(("departments", index, "credit_code"), error.messages[0]))
        holder = credit_codes.get(department["credit_code"])
        if holder is not None and holder != department["code"]:
            problems.append(
                Problem(
                    ("departments", index, "credit_code"),
                    _("统一社会信用代码已属于部门 %(code)s。") % {"code": holder},
                )
            )
        if department["region"] not in regions:
            problems.append(
                Problem(
                    ("departments", index, "region"), _("未知的行政区划：%(code)s") % {"code": department["region"]}
                )
            )
        parent = department["parent"]
        if parent is not None and (parent not in codes or parent == department["code"]):
            problems.append(Problem(("departments", index, "parent"), _("未知的上级部门：%(code)s") % {"code": parent}))
    return problems


def _limit_days(limit: Mapping) -> int:
    return working_days(limit, 2)


def check_item(item: dict, path: Path, *, departments: set[str], regions: set[str]) -> list[Problem]:
    problems = []
    if item["department"] not in departments:
        problems.append(Problem((*path, "department"), _("未知的部门：%(code)s") % {"code": item["department"]}))
    if item["region"] not in regions:
        problems.append(Problem((*path, "region"), _("未知的行政区划：%(code)s") % {"code": item["region"]}))
    if _limit_days(item["promised_limit"]) > _limit_days(item["statutory_limit"]):
        problems.append(Problem((*path, "promised_limit"), _("承诺时限不能超过法定时限。")))
    for section, key in (("materials", "key"), ("fields", "key")):
        for value in _duplicates(entry[key] for entry in item[section]):
            problems.append(Problem((*path, section), _("键重复：%(key)s") % {"key": value}))
    for index, field in enumerate(item["fields"]):
        has_options = bool(field["options"])
        if field["type"] in SELECT_TYPES and not has_options:
            problems.append(Problem((*path, "fields", index, "options"), _("选择类字段必须有选项。")))
        if field["type"] not in SELECT_TYPES and has_options:
            problems.append(Problem((*path, "fields", index, "options"), _("只有选择类字段可以有选项。")))
        if field["min"] is not None and field["max"] is not None and field["min"] > field["max"]:
            problems.append(Problem((*path, "fields", index, "min"), _("最小值不能大于最大值。")))
    problems += _holder_problems(item, path)
    inspection = item["inspection"]
    if inspection["required"] and inspection["joint"] and not inspection["place"]:
        problems.append(Problem((*path, "inspection", "place"), _("参加联合核查的事项必须注明核查场所。")))
    return problems + _commitment_problems(item, path) + _instant_problems(item, path)


def _holder_problems(item: dict, path: Path) -> list[Problem]:
    """A material about someone other than the applicant names the form field that holds that person's ID number."""
    problems = []
    fields = {f["key"]: f for f in item["fields"]}
    for index, material in enumerate(item["materials"]):
        holder = material["license_holder"]
        if not holder:
            continue
        here = (*path, "materials", index, "license_holder")
        if not material["license_type"]:
            problems.append(Problem(here, _("只有可用电子证照代替的材料（license_type）才需要写明持证人。")))
        elif holder not in fields:
            problems.append(Problem(here, _("本事项没有这个字段：%(key)s") % {"key": holder}))
        elif fields[holder]["type"] not in HOLDER_ID_TYPES:
            problems.append(
                Problem(here, _("持证人字段应为公民身份号码或统一社会信用代码类型：%(key)s") % {"key": holder})
            )
    return problems


def _commitment_problems(item: dict, path: Path) -> list[Problem]:
    """告知承诺 and 容缺受理 only where 国办发〔2020〕42号 allows them, with a complete text and deadlines within the
    promise."""
    problems = []
    commitment = item["commitment"]
    here = (*path, "commitment")
    deferrable = [m["key"] for m in item["materials"] if m["need"] == DEFERRABLE]
    if not item["commitment_allowed"]:
        if commitment["replaces"] or deferrable:
            problems.append(Problem((*path, "commitment_allowed"), _("以承诺代替材料或容缺后补，须先允许告知承诺。")))
        return problems
    if commitment["area"] != RegulatedArea.GENERAL:
        problems.append(
            Problem(
                (*here, "area"),
                _("“%(area)s”领域的事项不得实行告知承诺（国办发〔2020〕42号）。")
                % {"area": RegulatedArea(commitment["area"]).label},
            )
        )
    for part, label in (("conditions", _("许可条件")), ("content", _("承诺内容")), ("liability", _("违诺责任"))):
        if not commitment["text"][part].strip():
            problems.append(Problem((*here, "text", part), _("告知承诺书须写明%(part)s。") % {"part": label}))
    keys = {m["key"] for m in item["materials"]}
    for key in commitment["replaces"]:
        if key not in keys:
            problems.append(Problem((*here, "replaces"), _("本事项没有这项材料：%(key)s") % {"key": key}))
    if commitment["deferral_days"] > _limit_days(item["promised_limit"]):
        problems.append(Problem((*here, "deferral_days"), _("容缺补交期限不能超过承诺办结时限。")))
    return problems


def _instant_problems(item: dict, path: Path) -> list[Problem]:
    problems = []
    fields = {f["key"]: f for f in item["fields"]}
    for index, check in enumerate(item["instant_approval"]["checks"]):
        here = (*path, "instant_approval", "checks", index)
        if check["field"] not in fields:
            problems.append(Problem((*here, "field"), _("本事项没有这个字段：%(key)s") % {"key": check["field"]}))
        elif check["op"] not in ("filled", "applicant_id") and check.get("value") is None:
            problems.append(Problem((*here, "value"), _("请给出比较的值。")))
        elif check["op"] == "in" and not isinstance(check["value"], list):
            problems.append(Problem((*here, "value"), _("“属于”须给出一组值。")))
        elif check["op"] in ("at_least", "at_most") and not isinstance(check["value"], int | float):
            problems.append(Problem((*here, "value"), _("“不小于/不大于”须给出数值。")))
    return problems


def check_life_event(
    event: dict,
    path: Path,
    *,
    items: Mapping[str, dict],
    departments: set[str],
    live: set[str] | None = None,
    refused: frozenset | set = frozenset(),
) -> list[Problem]:
    """A life event against the items it names (`items`: code → item dict, from the file or the database).

    `live` are the codes of items with a live version (published, not withdrawn): a published life event freezes
    those versions, so every member needs one. `refused` are codes of items whose entries already failed the schema:
    present, but not checked again."""
    problems = []
    if event["lead_department"] not in departments:
        problems.append(
            Problem((*path, "lead_department"), _("未知的部门：%(code)s") % {"code": event["lead_department"]})
        )
    member_codes = [m["item"] for m in event["items"]]
    members = set(member_codes)
    for code in _duplicates(member_codes):
        problems.append(Problem((*path, "items"), _("事项重复：%(code)s") % {"code": code}))
    known = [code for code in member_codes if code in items]
    for index, member in enumerate(event["items"]):
        where = (*path, "items", index)
        if member["item"] in refused:
            pass
        elif member["item"] not in items:
            problems.append(Problem((*where, "item"), _("未知的事项：%(code)s") % {"code": member["item"]}))
        elif event["status"] == "published" and live is not None and member["item"] not in live:
            problems.append(
                Problem(
                    (*where, "item"), _("事项 %(code)s 尚未发布或已撤销，请先发布该事项。") % {"code": member["item"]}
                )
            )
        for dep_index, dependency in enumerate(member["depends_on"]):
            if dependency not in members or dependency == member["item"]:
                problems.append(
                    Problem(
                        (*where, "depends_on", dep_index),
                        _("前置事项必须是本一件事的其他事项：%(code)s") % {"code": dependency},
                    )
                )

    material_keys = {m["key"] for code in known for m in items[code]["materials"]}
    field_keys = {f["key"] for code in known for f in items[code]["fields"]}
    problems += _field_conflicts(known, items, path)
    problems += _format_conflicts(known, items, path)

    asked: dict[str, set[str]] = {}
    for q_index, question in enumerate(event["questions"]):
        where = (*path, "questions", q_index)
        if question["key"] in asked:
            problems.append(Problem((*where, "key"), _("问题键重复：%(key)s") % {"key": question["key"]}))
        for c_index, condition in enumerate(question["shown_when"]):
            if condition["question"] not in asked:
                problems.append(
                    Problem(
                        (*where, "shown_when", c_index, "question"),
                        _("显示条件只能引用此前的问题：%(key)s") % {"key": condition["question"]},
                    )
                )
                continue
            for o_index, option in enumerate(condition["options"]):
                if option not in asked[condition["question"]]:
                    problems.append(
                        Problem(
                            (*where, "shown_when", c_index, "options", o_index),
                            _("未知的选项：%(key)s") % {"key": option},
                        )
                    )
        option_keys = [o["key"] for o in question["options"]]
        for key in _duplicates(option_keys):
            problems.append(Problem((*where, "options"), _("选项键重复：%(key)s") % {"key": key}))
        for o_index, option in enumerate(question["options"]):
            for name, valid, label in (
                ("include_items", members, _("事项")),
                ("exclude_items", members, _("事项")),
                ("include_materials", material_keys, _("材料")),
                ("exclude_materials", material_keys, _("材料")),
                ("include_fields", field_keys, _("字段")),
                ("exclude_fields", field_keys, _("字段")),
            ):
                for v_index, value in enumerate(option[name]):
                    if value not in valid:
                        problems.append(
                            Problem(
                                (*where, "options", o_index, name, v_index),
                                _("本一件事中没有这个%(what)s：%(key)s") % {"what": label, "key": value},
                            )
                        )
        asked[question["key"]] = set(option_keys)

    edges = {(d, m["item"]) for m in event["items"] for d in m["depends_on"] if d in members}
    edges |= implied_dependencies(known, items)
    cycle = find_cycle(member_codes, sorted(e for e in edges if e[0] in members and e[1] in members))
    if cycle:
        names = " → ".join(items[code]["name"] if code in items else code for code in cycle)
        problems.append(Problem((*path, "items"), _("事项之间存在循环依赖：%(cycle)s") % {"cycle": names}))
    return problems


def _field_conflicts(codes: list[str], items: Mapping[str, dict], path: Path) -> list[Problem]:
    """The same field key must mean the same data: same type and options in every member item."""
    first: dict[str, tuple[str, dict]] = {}
    problems = []
    for code in codes:
        for field in items[code]["fields"]:
            if field["key"] not in first:
                first[field["key"]] = (code, field)
                continue
            other_code, other = first[field["key"]]
            if (field["type"], field["options"]) != (other["type"], other["options"]):
                problems.append(
                    Problem(
                        (*path, "items"),
                        _("字段 %(key)s 在事项 %(a)s 与 %(b)s 中的类型或选项不同。")
                        % {"key": field["key"], "a": other_code, "b": code},
                    )
                )
    return problems


def _format_conflicts(codes: list[str], items: Mapping[str, dict], path: Path) -> list[Problem]:
    """One document is uploaded once for every item that asks for it, so those items must share a file format."""
    accepted: dict[str, tuple[str, set[str]]] = {}
    problems = []
    for code in codes:
        for material in items[code]["materials"]:
            first_code, formats = accepted.setdefault(material["key"], (code, set(material["formats"])))
            formats &= set(material["formats"])
            if not formats:
                problems.append(
                    Problem(
                        (*path, "items"),
                        _("材料 %(key)s 在事项 %(a)s 与 %(b)s 中允许的文件格式没有交集。")
                        % {"key": material["key"], "a": first_code, "b": code},
                    )
                )
                formats |= set(material["formats"])  # report each clash once
    return problems

"""办理方案: what a set of answers to a life event's questions yields.

A pure function of a snapshot (see `catalog.snapshot`) and the answers: no database access, so a plan costs
microseconds and the rules (docs/catalog-format.md § Plans) can be tested on generated bundles.
"""

import copy
import math
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from yijianshi.catalog.format import OPTION_EFFECTS
from yijianshi.catalog.graph import critical_path, levels
from yijianshi.core.errors import InvalidInput

IMMEDIATE = 1  # 即办件
NECESSARY, OPTIONAL, DEFERRABLE = 1, 2, 3
# 必要 is strictest, then 容缺后补 (must still be supplied), then 非必要.
NEED_STRICTNESS = {NECESSARY: 3, DEFERRABLE: 2, OPTIONAL: 1}
LANE_STEP_KINDS = {"review", "decide", "other"}


def working_days(limit: Mapping, case_kind: int) -> int:
    """A limit in working days: calendar days × 5/7 rounded up; 即办件 take none."""
    if case_kind == IMMEDIATE:
        return 0
    if limit["unit"] == "calendar_days":
        return math.ceil(limit["value"] * 5 / 7)
    return limit["value"]


def implied_dependencies(codes: Iterable[str], items: Mapping[str, dict]) -> set[tuple[str, str]]:
    """(producer, consumer) pairs: the consumer may ask for a material that the producer's result provides.

    Every material counts, whatever the situation: this is the most waiting any plan of the bundle can imply, which
    is what a cycle check needs. A plan adds only the dependencies its own produced materials imply.
    """
    codes = list(codes)
    producers: dict[str, list[str]] = {}
    for code in codes:
        key = items[code]["result"]["material_key"]
        if key:
            producers.setdefault(key, []).append(code)
    pairs = set()
    for consumer in codes:
        for key in (m["key"] for m in items[consumer]["materials"]):
            pairs.update((producer, consumer) for producer in producers.get(key, ()) if producer != consumer)
    return pairs


def is_shown(question: Mapping, chosen: Mapping[str, list[str]]) -> bool:
    """Whether a question is asked, given the options chosen for earlier questions: every `shown_when` condition
    must hold."""
    return all(set(chosen.get(c["question"], ())) & set(c["options"]) for c in question["shown_when"])


def _as_list(value) -> list | None:
    """An answer as a list of distinct option keys, or None when it is not one or a list of them."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(dict.fromkeys(value))
    return None


def resolve_answers(questions: list[dict], answers: Mapping) -> tuple[dict[str, list[str]], list[str]]:
    """Check the answers against the questions shown; return the chosen options per shown question, and the
    keys of answers given to questions not shown (ignored). Every problem is reported at once, by question."""
    if not isinstance(answers, Mapping):
        raise InvalidInput.for_field("answers", _('回答应为对象：{"问题键": "选项键"}'))
    by_key = {q["key"]: q for q in questions}
    problems: dict[str, str] = {}
    for key in answers:
        if key not in by_key:
            problems[f"answers.{key}"] = _("没有这个问题")
    chosen: dict[str, list[str]] = {}
    shown: set[str] = set()
    for question in questions:
        field = f"answers.{question['key']}"
        if not is_shown(question, chosen):
            continue
        shown.add(question["key"])
        given = answers.get(question["key"])
        if given is None or given == [] or given == "":
            if question["required"]:
                problems[field] = _("请回答：%(text)s") % {"text": question["text"]}
            continue
        picked = _as_list(given)
        if picked is None:
            problems[field] = _("回答应为选项键或选项键列表")
            continue
        valid = {o["key"] for o in question["options"]}
        unknown = [p for p in picked if p not in valid]
        if unknown:
            problems[field] = _("没有这个选项：%(keys)s（可选：%(valid)s）") % {
                "keys": "、".join(unknown),
                "valid": "、".join(o["key"] for o in question["options"]),
            }
            continue
        if not question["multiple"] and len(picked) > 1:
            problems[field] = _("此问题只能选一项")
            continue
        chosen[question["key"]] = picked
    if problems:
        raise InvalidInput.for_fields(problems)
    ignored = [key for key in answers if key in by_key and key not in shown]
    return chosen, ignored


def _chosen_options(questions: list[dict], chosen: Mapping[str, list[str]]) -> list[dict]:
    return [o for q in questions for o in q["options"] if o["key"] in chosen.get(q["key"], ())]


def _applies(default: bool, key: str, includes: set[str], excludes: set[str]) -> bool:
    return (default or key in includes) and key not in excludes


def _merge_material(merged: dict, material: dict, item_code: str) -> None:
    entry = merged.get(material["key"])
    if entry is None:
        merged[material["key"]] = {
            "key": material["key"],
            "name": material["name"],
            "type": material["type"],
            "form": material["form"],
            "need": material["need"],
            "source": material["source"],
            "issuing_department": material["issuing_department"],
            "license_type": material["license_type"],
            "license_holder": material["license_holder"],
            "license_substitutable": bool(material["license_type"]),
            "originals": material["originals"],
            "copies": material["copies"],
            "acceptance_standard": material["acceptance_standard"],
            "formats": list(material["formats"]),
            "for_items": [item_code],
        }
        return
    entry["for_items"].append(item_code)
    if NEED_STRICTNESS[material["need"]] > NEED_STRICTNESS[entry["need"]]:
        entry["need"] = material["need"]
    entry["originals"] = max(entry["originals"], material["originals"])
    entry["copies"] = max(entry["copies"], material["copies"])
    if entry["form"] != material["form"]:
        entry["form"] = 3  # paper from one, electronic from another: either will do
    # What every item accepts (publishing refuses keys whose items share no format).
    entry["formats"] = [f for f in entry["formats"] if f in material["formats"]]
    if not entry["license_type"] and material["license_type"]:
        entry["license_type"], entry["license_substitutable"] = material["license_type"], True
    # A material about someone else, in any item, is theirs: nobody else's license stands in for it.
    entry["license_holder"] = entry["license_holder"] or material["license_holder"]


def _merge_field(merged: dict, field: dict, item_code: str) -> None:
    entry = merged.get(field["key"])
    if entry is None:
        merged[field["key"]] = {
            "key": field["key"],
            "label": field["label"],
            "type": field["type"],
            "required": field["required"],
            "max_length": field["max_length"],
            "pattern": field["pattern"],
            "min": field["min"],
            "max": field["max"],
            "options": [dict(o) for o in field["options"]],
            "prefill": field["prefill"],
            "help": field["help"],
            "for_items": [item_code],
        }
        return
    entry["for_items"].append(item_code)
    entry["required"] = entry["required"] or field["required"]
    for name, pick in (("max_length", min), ("max", min), ("min", max)):
        values = [v for v in (entry[name], field[name]) if v is not None]
        entry[name] = pick(values) if values else None
    entry["pattern"] = entry["pattern"] or field["pattern"]
    entry["prefill"] = entry["prefill"] or field["prefill"]
    entry["help"] = entry["help"] or field["help"]


def _inspection_groups(codes: list[str], items: Mapping[str, dict], *, required_only: bool = True) -> list[dict]:
    """Inspections after merging: one per place among items that may join a joint inspection, one for each other."""
    groups: dict[str, list[str]] = {}
    single: list[list[str]] = []
    for code in codes:
        inspection = items[code]["inspection"]
        if required_only and not inspection["required"]:
            continue
        if inspection["joint"] and inspection["place"]:
            groups.setdefault(inspection["place"], []).append(code)
        else:
            single.append([code])
    return [{"place": place, "items": members, "joint": True} for place, members in groups.items()] + [
        {"place": items[members[0]]["inspection"]["place"], "items": members, "joint": False} for members in single
    ]


def _commitment(item: dict, materials: list[dict]) -> dict:
    """What signing the item's 告知承诺书 does in this plan: the materials it replaces or lets be supplied later."""
    commitment = item["commitment"]
    asked = {m["key"] for m in materials}
    days = commitment["deferral_days"] or working_days(item["promised_limit"], item["case_kind"])
    return {
        "replaces": [key for key in commitment["replaces"] if key in asked],
        "deferrable": [m["key"] for m in materials if m["need"] == DEFERRABLE],
        "deferral_days": days,
        "post_check": dict(commitment["post_check"]),
        **{part: commitment["text"][part] for part in ("conditions", "content", "liability")},
    }


def compute_plan(snapshot: Mapping, answers: Mapping) -> dict:
    """The plan for these answers: items, merged materials, joint form, flow and reductions."""
    event, items, departments = snapshot["life_event"], snapshot["items"], snapshot["departments"]
    chosen, ignored = resolve_answers(event["questions"], answers)
    options = _chosen_options(event["questions"], chosen)

    def picked(name: str) -> set[str]:
        return {value for option in options for value in option[name]}

    include_items, exclude_items = picked("include_items"), picked("exclude_items")
    include_materials, exclude_materials = picked("include_materials"), picked("exclude_materials")
    include_fields, exclude_fields = picked("include_fields"), picked("exclude_fields")

    members = [m for m in event["items"] if _applies(m["default"], m["item"], include_items, exclude_items)]
    codes = [m["item"] for m in members]
    in_plan = set(codes)

    materials_of: dict[str, list[dict]] = {
        code: [
            m
            for m in items[code]["materials"]
            if _applies(m["default"], m["key"], include_materials, exclude_materials)
        ]
        for code in codes
    }
    # When alternatives produce the same material (e.g. applying for a card or replacing one), the member listed
    # first provides it.
    producers: dict[str, str] = {}
    for code in codes:
        producers.setdefault(items[code]["result"]["material_key"], code)
    producers.pop("", None)

    def produced_for(code: str, key: str) -> str | None:
        producer = producers.get(key)
        return producer if producer and producer != code else None

    # A key some item needs from the applicant (no other item in the plan produces it for that item) is asked for
    # once, for everyone who needs it: nobody then waits for another item's result to get it.
    asked = {m["key"] for code in codes for m in materials_of[code] if produced_for(code, m["key"]) is None}
    merged_materials: dict[str, dict] = {}
    produced: dict[str, dict] = {}
    for code in codes:
        for material in materials_of[code]:
            producer = produced_for(code, material["key"])
            if producer and material["key"] not in asked:
                entry = produced.setdefault(
                    material["key"],
                    {"key": material["key"], "name": material["name"], "produced_by": producer, "for_items": []},
                )
                entry["for_items"].append(code)
            else:
                _merge_material(merged_materials, material, code)

    merged_fields: dict[str, dict] = {}
    for code in codes:
        for field in items[code]["fields"]:
            if _applies(field["default"], field["key"], include_fields, exclude_fields):
                _merge_field(merged_fields, field, code)

    declared = {(d, m["item"]) for m in members for d in m["depends_on"] if d in in_plan}
    implied = {
        (entry["produced_by"], consumer) for entry in produced.values() for consumer in entry["for_items"]
    } - declared
    edges = sorted(declared | implied, key=lambda e: (codes.index(e[1]), codes.index(e[0])))
    durations = {c: working_days(items[c]["promised_limit"], items[c]["case_kind"]) for c in codes}
    lane_of = levels(codes, edges)
    path, days = critical_path(codes, edges, durations)
    lanes = [[c for c in codes if lane_of[c] == lane] for lane in range(max(lane_of.values(), default=-1) + 1)]

    inspections = _inspection_groups(codes, items)
    steps_of = {c: items[c]["steps"] for c in codes}
    steps_before = sum(len(steps) or 1 for steps in steps_of.values())
    # Inspection steps merge as inspections do; only items that have such a step count (after ≤ before).
    inspecting = [c for c in codes if any(s["kind"] == "inspect" for s in steps_of[c])]
    steps_after = (
        int(any(s["kind"] == "accept" for steps in steps_of.values() for s in steps))
        + int(any(s["kind"] == "deliver" for steps in steps_of.values() for s in steps))
        + sum(
            max((sum(1 for s in steps_of[c] if s["kind"] in LANE_STEP_KINDS) for c in lane), default=0)
            for lane in lanes
        )
        + len(_inspection_groups(inspecting, items, required_only=False))
    )

    def department(code: str) -> dict:
        dept = items[code]["department"]
        return {"code": dept, "name": departments.get(dept, {}).get("name", dept)}

    return {
        "life_event": {"code": event["code"], "name": event["name"], "version": event["version"]},
        "answers": chosen,
        "ignored_answers": ignored,
        "questions": [
            {
                "key": q["key"],
                "text": q["text"],
                "help": q["help"],
                "multiple": q["multiple"],
                "required": q["required"],
                "options": [{"key": o["key"], "label": o["label"]} for o in q["options"]],
                "answer": chosen.get(q["key"], []),
            }
            for q in event["questions"]
            if is_shown(q, chosen)
        ],
        "items": [
            {
                "code": c,
                "name": items[c]["name"],
                "department": department(c),
                "case_kind": items[c]["case_kind"],
                "days": durations[c],
                "visits": items[c]["visits"],
                "lane": lane_of[c],
                "depends_on": [before for before, after in edges if after == c],
                "result": {
                    "name": items[c]["result"]["name"],
                    "type": items[c]["result"]["type"],
                    "license_type": items[c]["result"]["license_type"],
                },
                "commitment_allowed": items[c]["commitment_allowed"],
                "commitment": _commitment(items[c], materials_of[c]) if items[c]["commitment_allowed"] else None,
                "instant_approval": items[c]["instant_approval"]["allowed"],
                "credit_repair": list(items[c]["credit_repair"]),
            }
            for c in codes
        ],
        "materials": list(merged_materials.values()),
        "produced_in_plan": list(produced.values()),
        "form": list(merged_fields.values()),
        "flow": {
            "nodes": [
                {
                    "code": c,
                    "name": items[c]["name"],
                    "department": department(c),
                    "days": durations[c],
                    "lane": lane_of[c],
                }
                for c in codes
            ],
            "edges": [{"from": a, "to": b, "implied": (a, b) in implied} for a, b in edges],
            "lanes": lanes,
            "critical_path": path,
            "days": days,
        },
        "inspections": inspections,
        "reductions": {
            "materials": {"before": sum(len(ms) for ms in materials_of.values()), "after": len(merged_materials)},
            "steps": {"before": steps_before, "after": steps_after},
            "days": {"before": sum(durations.values()), "after": days},
            "visits": {
                "before": sum(items[c]["visits"] for c in codes),
                "after": max((items[c]["visits"] for c in codes), default=0),
            },
            "inspections": {
                "before": sum(1 for c in codes if items[c]["inspection"]["required"]),
                "after": len(inspections),
            },
        },
    }


def full_bundle_answers(questions: list[dict]) -> dict:
    """Answers that leave the bundle as defined: none, so that only default items and materials count.

    Required questions are answered with an option that changes nothing when there is one, else the first.
    """
    answers: dict[str, list[str]] = {}
    for question in questions:
        if not is_shown(question, answers):
            continue
        if not question["required"]:
            continue
        neutral = next(
            (o["key"] for o in question["options"] if not any(o[effect] for effect in OPTION_EFFECTS)),
            question["options"][0]["key"],
        )
        answers[question["key"]] = [neutral]
    return answers


def complete_plan(snapshot: Mapping) -> dict:
    """The plan with every member, material and field included: what the printed joint form must offer.

    Entries whose inclusion depends on the answers (not included by default, or excluded by some option) are marked
    `situational`.
    """
    event = snapshot["life_event"]
    options = [o for q in event["questions"] for o in q["options"]]
    excluded = {name: {v for o in options for v in o[f"exclude_{name}"]} for name in ("items", "materials", "fields")}
    always = {"items": set(), "materials": set(), "fields": set()}
    for member in event["items"]:
        if member["default"] and member["item"] not in excluded["items"]:
            always["items"].add(member["item"])
            item = snapshot["items"][member["item"]]
            for name in ("materials", "fields"):
                always[name] |= {e["key"] for e in item[name] if e["default"] and e["key"] not in excluded[name]}

    everything = copy.deepcopy(dict(snapshot))
    for member in everything["life_event"]["items"]:
        member["default"] = True
    for item in everything["items"].values():
        for entry in (*item["materials"], *item["fields"]):
            entry["default"] = True
    everything["life_event"]["questions"] = []
    plan = compute_plan(everything, {})
    for section, key, kind in (
        ("items", "code", "items"),
        ("materials", "key", "materials"),
        ("produced_in_plan", "key", "materials"),
        ("form", "key", "fields"),
    ):
        for entry in plan[section]:
            entry["situational"] = entry[key] not in always[kind]
    return plan

"""`yjs catalog_import`: validate a whole catalog file, then write it in one transaction, or write nothing.

Validation reports every problem at once, each with its line and column. Writing upserts by code (regions,
departments, items, life events, synonyms), replaces each item's materials, fields and steps and each life event's
members and questions, and publishes what the file marks published (a new version only where content changed).
Items are written in bulk so that a 10,000-item file imports in seconds.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from yijianshi.accounts.models import Department, Region
from yijianshi.catalog import format as catalog_format
from yijianshi.catalog import snapshot as snapshots
from yijianshi.catalog.checks import Problem, check_departments, check_item, check_life_event, check_regions
from yijianshi.catalog.models import (
    FormField,
    ItemVersion,
    LifeEvent,
    LifeEventItem,
    LifeEventVersion,
    Material,
    Option,
    ProcessStep,
    Question,
    SearchSynonym,
    ServiceItem,
    Status,
)
from yijianshi.catalog.selectors import item_rows, life_event_rows
from yijianshi.catalog.services import catalog_changed, record_version
from yijianshi.catalog.yaml_source import SourceError, locate, parse, schema_problems
from yijianshi.core.identifiers import region_level

SECTIONS = ("regions", "departments", "items", "life_events", "synonyms")
Progress = Callable[..., None]  # (stage, units done, total=None): total is announced once, after validation
STAGE_LABELS = {
    "parsed": "解析",
    "schema": "校验格式",
    "checked": "校验内容",
    "items": "写入事项",
    "children": "写入材料、字段和环节",
    "published": "发布版本",
    "life_events": "写入一件事",
}


@dataclass
class ImportSummary:
    counts: dict[str, int] = field(default_factory=dict)
    published_items: int = 0
    published_life_events: int = 0


def _noop(stage: str, done: int, total: int | None = None) -> None:
    return None


def validate(text: str, progress: Progress = _noop) -> dict:
    """Parse and check the file; return its data with defaults filled in, or raise SourceError listing all."""
    source = parse(text)
    progress("parsed", 0)
    problems = schema_problems(source.data)
    progress("schema", 0)
    if not isinstance(source.data, dict):
        raise SourceError([locate(source, p) for p in problems])
    data = catalog_format.apply_defaults(source.data)
    for section in SECTIONS:
        if not isinstance(data.get(section), list):
            data[section] = []  # the schema has said what is wrong with it
    broken = {p.path[:2] for p in problems if len(p.path) >= 2}

    def valid(section: str) -> list[tuple[int, dict]]:
        return [(i, e) for i, e in enumerate(data[section]) if (section, i) not in broken and isinstance(e, dict)]

    region_codes = set(Region.objects.values_list("code", flat=True))
    department_codes = set(Department.objects.values_list("code", flat=True))
    problems += check_regions([e for _i, e in valid("regions")], region_codes)
    region_codes |= {e["code"] for _i, e in valid("regions")}
    problems += check_departments([e for _i, e in valid("departments")], regions=region_codes, known=department_codes)
    department_codes |= {e.get("code") for e in data["departments"] if isinstance(e, dict)}

    file_items = {}
    seen = set()
    for index, item in valid("items"):
        if item["code"] in seen:
            problems.append(Problem(("items", index, "code"), _("事项编码重复：%(code)s") % {"code": item["code"]}))
        seen.add(item["code"])
        file_items[item["code"]] = item
        problems += check_item(item, ("items", index), departments=department_codes, regions=region_codes)
    referenced = {m["item"] for _i, e in valid("life_events") for m in e["items"]} - set(file_items)
    items = {**{i.code: catalog_format.item_to_dict(i) for i in item_rows().filter(code__in=referenced)}, **file_items}
    # An entry the schema refused still names its code: not reported again as unknown wherever it is used.
    refused = {
        entry["code"]
        for entry in data["items"]
        if isinstance(entry, dict) and isinstance(entry.get("code"), str) and entry["code"] not in items
    }
    seen = set()
    for index, event in valid("life_events"):
        if event["code"] in seen:
            problems.append(
                Problem(("life_events", index, "code"), _("一件事编码重复：%(code)s") % {"code": event["code"]})
            )
        seen.add(event["code"])
        problems += check_life_event(
            event, ("life_events", index), items=items, departments=department_codes, refused=refused
        )
    terms = [e["term"] for _i, e in valid("synonyms")]
    for index, term in enumerate(terms):
        if term in terms[:index]:
            problems.append(Problem(("synonyms", index, "term"), _("同义词重复：%(term)s") % {"term": term}))
    if problems:
        located = list(dict.fromkeys(locate(source, p) for p in problems))  # one line per distinct problem
        raise SourceError(sorted(located, key=lambda p: source.position(p.path) or (0, 0)))
    return data


def catalog_import(*, text: str, user=None, progress: Progress = _noop) -> ImportSummary:
    """Import a catalog file: all of it, or (on any problem) nothing."""
    data = validate(text, progress)
    progress("checked", 0, total=3 * len(data["items"]) + len(data["life_events"]))
    summary = ImportSummary(counts={section: len(data[section]) for section in SECTIONS})
    with transaction.atomic():
        _write_regions(data["regions"])
        departments = _write_departments(data["departments"])
        _write_items(data["items"], departments, user, summary, progress)
        _write_life_events(data["life_events"], user, summary, progress)
        for entry in data["synonyms"]:
            SearchSynonym.objects.update_or_create(term=entry["term"], defaults={"expansions": entry["expansions"]})
        catalog_changed()
    return summary


def _write_regions(entries: list[dict]) -> None:
    for entry in sorted(entries, key=lambda e: region_level(e["code"])):
        parent = Region.objects.get(code=entry["parent"]) if entry["parent"] else None
        Region.objects.update_or_create(code=entry["code"], defaults={"name": entry["name"], "parent": parent})


def _write_departments(entries: list[dict]) -> dict[str, Department]:
    regions = {r.code: r for r in Region.objects.filter(code__in={e["region"] for e in entries})}
    for entry in entries:
        Department.objects.update_or_create(
            code=entry["code"],
            defaults={
                "credit_code": entry["credit_code"],
                "name": entry["name"],
                "short_name": entry["short_name"],
                "region": regions[entry["region"]],
            },
        )
    departments = {d.code: d for d in Department.objects.select_related("region")}
    for entry in entries:
        parent = departments[entry["parent"]] if entry["parent"] else None
        Department.objects.filter(code=entry["code"]).update(parent=parent)
    return departments


def _item_values(entry: dict, departments: dict[str, Department], regions: dict[str, Region]) -> dict:
    channels, result, inspection, service = entry["channels"], entry["result"], entry["inspection"], entry["service"]
    return {
        "basic_code": entry["basic_code"],
        "handling_code": entry["handling_code"],
        "name": entry["name"],
        "aliases": entry["aliases"],
        "item_type": entry["item_type"],
        "use_level": entry["use_level"],
        "department": departments[entry["department"]],
        "region": regions[entry["region"]],
        "applicable_to": entry["applicable_to"],
        "legal_basis": entry["legal_basis"],
        "conditions": entry["conditions"],
        "statutory_limit": entry["statutory_limit"]["value"],
        "statutory_unit": entry["statutory_limit"]["unit"],
        "promised_limit": entry["promised_limit"]["value"],
        "promised_unit": entry["promised_limit"]["unit"],
        "limit_note": entry["limit_note"],
        "case_kind": entry["case_kind"],
        "visits": entry["visits"],
        "window": channels["window"],
        "online": channels["online"],
        "online_depth": channels["online_depth"],
        "express": channels["express"],
        "pay_online": channels["pay_online"],
        "appointment": channels["appointment"],
        "in_service_center": channels["in_service_center"],
        "handle_area": entry["handle_area"],
        "fee_required": bool(entry["fees"]),
        "fees": entry["fees"],
        "result_name": result["name"],
        "result_type": result["type"],
        "result_license_type": result["license_type"],
        "result_material_key": result["material_key"],
        "result_delivery": result["delivery"],
        "special_procedures": entry["special_procedures"],
        "has_inspection": inspection["required"],
        "inspection_place": inspection["place"],
        "joint_inspection": inspection["joint"],
        "commitment_allowed": entry["commitment_allowed"],
        "consultation": service["consultation"],
        "complaint": service["complaint"],
        "address": service["address"],
        "office_hours": service["office_hours"],
        "progress_query": service["progress_query"],
        "status": entry["status"],
        "is_sample": entry["sample"],
    }


def _children(entry: dict, item_id: int) -> tuple[list, list, list]:
    materials = [
        Material(
            item_id=item_id,
            key=m["key"],
            name=m["name"],
            material_type=m["type"],
            form=m["form"],
            need=m["need"],
            source=m["source"],
            issuing_department=m["issuing_department"],
            license_type=m["license_type"],
            originals=m["originals"],
            copies=m["copies"],
            acceptance_standard=m["acceptance_standard"],
            legal_basis=m["legal_basis"],
            default_included=m["default"],
            order=order,
        )
        for order, m in enumerate(entry["materials"])
    ]
    fields = [
        FormField(
            item_id=item_id,
            key=f["key"],
            label=f["label"],
            field_type=f["type"],
            required=f["required"],
            max_length=f["max_length"],
            pattern=f["pattern"],
            min_value=f["min"],
            max_value=f["max"],
            options=f["options"],
            prefill=f["prefill"],
            help_text=f["help"],
            default_included=f["default"],
            order=order,
        )
        for order, f in enumerate(entry["fields"])
    ]
    steps = [
        ProcessStep(
            item_id=item_id,
            kind=s["kind"],
            name=s["name"],
            limit=s["limit"]["value"],
            unit=s["limit"]["unit"],
            description=s["description"],
            order=order,
        )
        for order, s in enumerate(entry["steps"])
    ]
    return materials, fields, steps


CHUNK = 500


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _write_items(entries, departments, user, summary: ImportSummary, progress: Progress) -> None:
    if not entries:
        return
    regions = {r.code: r for r in Region.objects.filter(code__in={e["region"] for e in entries})}
    existing = {}
    for chunk in _chunks([e["code"] for e in entries]):
        existing |= {item.code: item for item in ServiceItem.objects.filter(code__in=chunk)}
    new, changed = [], []
    for entry in entries:
        values = _item_values(entry, departments, regions)
        item = existing.get(entry["code"])
        if item is None:
            new.append(ServiceItem(code=entry["code"], version=entry["version"], **values))
        else:
            for name, value in values.items():
                setattr(item, name, value)
            changed.append(item)
    ServiceItem.objects.bulk_create(new, batch_size=CHUNK)
    ServiceItem.objects.bulk_update(changed, fields=[*_item_values(entries[0], departments, regions)], batch_size=CHUNK)
    ids = {
        item.code: item.pk for item in ServiceItem.objects.filter(code__in=[e["code"] for e in entries]).only("code")
    }
    progress("items", len(entries))
    for chunk in _chunks(list(ids.values())):
        for model in (Material, FormField, ProcessStep):
            model.objects.filter(item_id__in=chunk).delete()
    materials, fields, steps = [], [], []
    for entry in entries:
        m, f, s = _children(entry, ids[entry["code"]])
        materials += m
        fields += f
        steps += s
    for model, rows in ((Material, materials), (FormField, fields), (ProcessStep, steps)):
        model.objects.bulk_create(rows, batch_size=CHUNK)
    progress("children", len(entries))
    _publish_items([e for e in entries if e["status"] == Status.PUBLISHED], ids, departments, user, summary)
    progress("published", len(entries))


def _publish_items(entries, ids, departments, user, summary: ImportSummary) -> None:
    """Record versions for published items whose content changed, in bulk."""
    department_entries = {code: snapshots.department_entry(d) for code, d in departments.items()}
    latest: dict[int, tuple[int, str]] = {}
    for chunk in _chunks([ids[e["code"]] for e in entries]):
        for item_id, version, content_digest in (
            ItemVersion.objects.filter(item_id__in=chunk)
            .order_by("item_id", "version")
            .values_list("item_id", "version", "digest")
        ):
            latest[item_id] = (version, content_digest)
    versions, bumped = [], []
    for entry in entries:
        item_id = ids[entry["code"]]
        snapshot = snapshots.item_from_dict(entry, department_entries)
        content_digest = snapshots.digest(snapshot)
        current = latest.get(item_id)
        if current and current[1] == content_digest:
            number = current[0]
        else:
            number = max(entry["version"], (current[0] + 1) if current else 1)
            snapshot["life_event"]["version"] = snapshot["items"][entry["code"]]["version"] = number
            versions.append(
                ItemVersion(
                    item_id=item_id, version=number, snapshot=snapshot, digest=content_digest, published_by=user
                )
            )
            summary.published_items += 1
        entry["version"] = number
        bumped.append(ServiceItem(pk=item_id, version=number))
    ItemVersion.objects.bulk_create(versions, batch_size=CHUNK)
    ServiceItem.objects.bulk_update(bumped, fields=["version"], batch_size=CHUNK)


def _write_life_events(entries, user, summary: ImportSummary, progress: Progress) -> None:
    for entry in entries:
        life_event, _created = LifeEvent.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "aliases": entry["aliases"],
                "description": entry["description"],
                "audience": entry["audience"],
                "life_stage": entry["life_stage"],
                "lead_department": Department.objects.get(code=entry["lead_department"]),
                "status": entry["status"],
                "is_sample": entry["sample"],
            },
        )
        if _created:
            LifeEvent.objects.filter(pk=life_event.pk).update(version=entry["version"])
        life_event.members.all().delete()
        life_event.questions.all().delete()
        items = {i.code: i for i in ServiceItem.objects.filter(code__in=[m["item"] for m in entry["items"]])}
        members = {
            m["item"]: LifeEventItem.objects.create(
                life_event=life_event, item=items[m["item"]], default_included=m["default"], order=order
            )
            for order, m in enumerate(entry["items"])
        }
        for m in entry["items"]:
            members[m["item"]].depends_on.set([members[code] for code in m["depends_on"]])
        for q_order, q in enumerate(entry["questions"]):
            question = Question.objects.create(
                life_event=life_event,
                key=q["key"],
                text=q["text"],
                help_text=q["help"],
                multiple=q["multiple"],
                required=q["required"],
                shown_when=q["shown_when"],
                order=q_order,
            )
            Option.objects.bulk_create(
                Option(
                    question=question,
                    order=o_order,
                    key=o["key"],
                    label=o["label"],
                    include_items=o["include_items"],
                    exclude_items=o["exclude_items"],
                    include_materials=o["include_materials"],
                    exclude_materials=o["exclude_materials"],
                    include_fields=o["include_fields"],
                    exclude_fields=o["exclude_fields"],
                )
                for o_order, o in enumerate(q["options"])
            )
        if entry["status"] == Status.PUBLISHED:
            rows = life_event_rows().get(pk=life_event.pk)
            before = LifeEventVersion.objects.filter(life_event=life_event).count()
            version = record_version(
                LifeEventVersion,
                owner_field="life_event",
                owner=life_event,
                snapshot=snapshots.life_event_snapshot(rows),
                at_least=entry["version"],
                user=user,
            )
            summary.published_life_events += LifeEventVersion.objects.filter(life_event=life_event).count() - before
            LifeEvent.objects.filter(pk=life_event.pk).update(version=version)
        progress("life_events", 1)

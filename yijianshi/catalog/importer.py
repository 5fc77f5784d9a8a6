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
from yijianshi.catalog.commitment_texts import commitment_texts_record
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
from yijianshi.catalog.selectors import current_item_versions, item_rows
from yijianshi.catalog.services import catalog_changed, live_items
from yijianshi.catalog.yaml_source import SourceError, locate, parse, schema_problems
from yijianshi.core.bulk import insert_rows
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
    credit_codes = dict(Department.objects.values_list("credit_code", "code"))
    problems += check_departments(
        [e for _i, e in valid("departments")], regions=region_codes, known=department_codes, credit_codes=credit_codes
    )
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
    # Members live after this import: published by the file, or live already and not withdrawn or drafted away.
    members = {m["item"] for _i, e in valid("life_events") for m in e["items"]}
    live_now = set(current_item_versions().filter(item__code__in=members).values_list("item__code", flat=True))
    live = {
        code
        for code in members
        if file_items.get(code, {}).get("status") == Status.PUBLISHED
        or (code in live_now and file_items.get(code, {}).get("status") != Status.WITHDRAWN)
    }
    seen = set()
    for index, event in valid("life_events"):
        if event["code"] in seen:
            problems.append(
                Problem(("life_events", index, "code"), _("一件事编码重复：%(code)s") % {"code": event["code"]})
            )
        seen.add(event["code"])
        problems += check_life_event(
            event, ("life_events", index), items=items, departments=department_codes, live=live, refused=refused
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
        _write_life_events(data["life_events"], {e["code"]: e for e in data["items"]}, user, summary, progress)
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
    commitment = entry["commitment"]
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
        "regulated_area": commitment["area"],
        "commitment_conditions": commitment["text"]["conditions"],
        "commitment_content": commitment["text"]["content"],
        "commitment_liability": commitment["text"]["liability"],
        "commitment_replaces": commitment["replaces"],
        "deferral_days": commitment["deferral_days"],
        "post_check_rule": commitment["post_check"]["rule"],
        "risk_level": commitment["post_check"]["risk"],
        "post_check_days": commitment["post_check"]["days"],
        "instant_allowed": entry["instant_approval"]["allowed"],
        "instant_checks": entry["instant_approval"]["checks"],
        "credit_repairs": entry["credit_repair"],
        "consultation": service["consultation"],
        "complaint": service["complaint"],
        "address": service["address"],
        "office_hours": service["office_hours"],
        "progress_query": service["progress_query"],
        "status": entry["status"],
        "is_sample": entry["sample"],
    }


MATERIAL_COLUMNS = (
    "item", "key", "name", "material_type", "form", "need", "source", "issuing_department", "license_type",
    "license_holder", "originals", "copies", "acceptance_standard", "legal_basis", "formats", "blank_form", "sample",
    "default_included", "order",
)  # fmt: skip
FIELD_COLUMNS = (
    "item", "key", "label", "field_type", "required", "max_length", "pattern", "min_value", "max_value", "options",
    "prefill", "help_text", "default_included", "order",
)  # fmt: skip
STEP_COLUMNS = ("item", "kind", "name", "limit", "unit", "description", "order")


def _material_rows(entry: dict, item_id: int, files: dict):
    """Rows of an item's materials; `files` keeps blank forms and samples uploaded in admin, which files lack."""
    for order, m in enumerate(entry["materials"]):
        blank_form, sample = files.get((item_id, m["key"]), ("", ""))
        yield (
            item_id, m["key"], m["name"], m["type"], m["form"], m["need"], m["source"], m["issuing_department"],
            m["license_type"], m["license_holder"], m["originals"], m["copies"], m["acceptance_standard"],
            m["legal_basis"], m["formats"], blank_form, sample, m["default"], order,
        )  # fmt: skip


def _field_rows(entry: dict, item_id: int, files: dict):
    for order, f in enumerate(entry["fields"]):
        yield (
            item_id, f["key"], f["label"], f["type"], f["required"], f["max_length"], f["pattern"], f["min"], f["max"],
            f["options"], f["prefill"], f["help"], f["default"], order,
        )  # fmt: skip


def _step_rows(entry: dict, item_id: int, files: dict):
    for order, s in enumerate(entry["steps"]):
        yield (item_id, s["kind"], s["name"], s["limit"]["value"], s["limit"]["unit"], s["description"], order)


CHUNK = 500


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _create_versions(model, owner_id: str, ids: dict[str, int], new_versions: dict[str, tuple], user) -> int:
    """Store new versions (code → (snapshot, digest)) in bulk; return how many."""
    model.objects.bulk_create(
        (
            model(**{owner_id: ids[code]}, version=snapshot["life_event"]["version"], snapshot=snapshot,
                  digest=content_digest, published_by=user)
            for code, (snapshot, content_digest) in new_versions.items()
        ),
        batch_size=CHUNK,
    )  # fmt: skip
    return len(new_versions)


def _item_versions(entries, departments: dict[str, Department]) -> tuple[dict[str, int], dict[str, dict]]:
    """Decide each item's version before writing: a new one where a published item's content changed.

    Returns the version per code and the snapshots to store as new versions.
    """
    department_entries = {code: snapshots.department_entry(d) for code, d in departments.items()}
    latest: dict[str, tuple[int, str]] = {}
    for chunk in _chunks([e["code"] for e in entries]):
        for code, version, content_digest in (
            ItemVersion.objects.filter(item__code__in=chunk)
            .order_by("item__code", "version")
            .values_list("item__code", "version", "digest")
        ):
            latest[code] = (version, content_digest)
    versions: dict[str, int] = {}
    new: dict[str, dict] = {}
    for entry in entries:
        current = latest.get(entry["code"])
        if entry["status"] != Status.PUBLISHED:
            versions[entry["code"]] = current[0] if current else entry["version"]
            continue
        snapshot = snapshots.item_from_dict(entry, department_entries)
        content_digest = snapshots.digest(snapshot)
        if current and current[1] == content_digest:
            versions[entry["code"]] = current[0]
            continue
        number = max(entry["version"], (current[0] + 1) if current else 1)
        snapshot["life_event"]["version"] = snapshot["items"][entry["code"]]["version"] = number
        versions[entry["code"]], new[entry["code"]] = number, (snapshot, content_digest)
    return versions, new


def _write_items(entries, departments, user, summary: ImportSummary, progress: Progress) -> None:
    if not entries:
        return
    regions = {r.code: r for r in Region.objects.filter(code__in={e["region"] for e in entries})}
    versions, new_versions = _item_versions(entries, departments)
    for entry in entries:
        entry["version"] = versions[entry["code"]]  # life event snapshots read the entries
    rows = [
        ServiceItem(code=e["code"], version=versions[e["code"]], **_item_values(e, departments, regions))
        for e in entries
    ]
    update_fields = ["version", *_item_values(entries[0], departments, regions)]
    # One upsert (INSERT … ON CONFLICT (code) DO UPDATE) per batch: new and existing items alike.
    ServiceItem.objects.bulk_create(
        rows, batch_size=CHUNK, update_conflicts=True, unique_fields=["code"], update_fields=update_fields
    )
    ids: dict[str, int] = {}
    for chunk in _chunks([e["code"] for e in entries]):
        ids |= dict(ServiceItem.objects.filter(code__in=chunk).values_list("code", "pk"))
    progress("items", len(entries))
    files = {}  # uploaded blank forms and samples survive the rewrite of their materials
    for chunk in _chunks(list(ids.values())):
        files |= {
            (item_id, key): (blank_form, sample)
            for item_id, key, blank_form, sample in Material.objects.filter(item_id__in=chunk)
            .exclude(blank_form="", sample="")
            .values_list("item_id", "key", "blank_form", "sample")
        }
        for model in (Material, FormField, ProcessStep):
            model.objects.filter(item_id__in=chunk).delete()
    for model, columns, rows in (
        (Material, MATERIAL_COLUMNS, _material_rows),
        (FormField, FIELD_COLUMNS, _field_rows),
        (ProcessStep, STEP_COLUMNS, _step_rows),
    ):
        insert_rows(model, columns, (row for entry in entries for row in rows(entry, ids[entry["code"]], files)))
    progress("children", len(entries))
    summary.published_items += _create_versions(ItemVersion, "item_id", ids, new_versions, user)
    commitment_texts_record({e["code"]: (ids[e["code"]], e) for e in entries if e["status"] == Status.PUBLISHED})
    progress("published", len(entries))


def _member_order(entry: dict) -> dict[str, int]:
    return {member["item"]: position for position, member in enumerate(entry["items"])}


def _write_life_events(entries, file_items: dict[str, dict], user, summary: ImportSummary, progress: Progress) -> None:
    """Upsert life events and rebuild their members and questions, all in bulk."""
    if not entries:
        return
    for entry in entries:
        order = _member_order(entry)
        for member in entry["items"]:  # dependencies in member order, as rows give them back
            member["depends_on"] = sorted(member["depends_on"], key=order.__getitem__)
    codes = [e["code"] for e in entries]
    item_codes = {m["item"] for e in entries for m in e["items"]}
    # A life event version freezes its members' live versions, never rows being edited. Items this import
    # published are their entries (already given their version numbers); others are read from their live versions;
    # members with none keep their entry or row (only draft life events can have such members).
    items = {
        code: entry for code, entry in file_items.items() if code in item_codes and entry["status"] == Status.PUBLISHED
    }
    items |= live_items(item_codes - set(items))
    items |= {code: entry for code, entry in file_items.items() if code in item_codes and code not in items}
    missing = item_codes - set(items)
    items |= {i.code: catalog_format.item_to_dict(i) for i in item_rows().filter(code__in=missing)}
    departments = {d.code: d for d in Department.objects.all()}
    department_entries = {code: snapshots.department_entry(d) for code, d in departments.items()}

    latest = {
        code: (version, content_digest)
        for code, version, content_digest in LifeEventVersion.objects.filter(life_event__code__in=codes)
        .order_by("life_event__code", "version")
        .values_list("life_event__code", "version", "digest")
    }
    versions: dict[str, int] = {}
    new_versions: dict[str, dict] = {}
    for entry in entries:
        current = latest.get(entry["code"])
        if entry["status"] != Status.PUBLISHED:
            versions[entry["code"]] = current[0] if current else entry["version"]
            continue
        snapshot = snapshots.from_dicts(entry, items, department_entries)
        content_digest = snapshots.digest(snapshot)
        if current and current[1] == content_digest:
            versions[entry["code"]] = current[0]
            continue
        number = max(entry["version"], (current[0] + 1) if current else 1)
        snapshot["life_event"]["version"] = number
        versions[entry["code"]], new_versions[entry["code"]] = number, (snapshot, content_digest)

    LifeEvent.objects.bulk_create(
        [
            LifeEvent(
                code=e["code"],
                name=e["name"],
                aliases=e["aliases"],
                description=e["description"],
                audience=e["audience"],
                life_stage=e["life_stage"],
                lead_department=departments[e["lead_department"]],
                status=e["status"],
                is_sample=e["sample"],
                version=versions[e["code"]],
            )
            for e in entries
        ],
        batch_size=CHUNK,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "name",
            "aliases",
            "description",
            "audience",
            "life_stage",
            "lead_department",
            "status",
            "is_sample",
            "version",
        ],
    )
    event_ids = dict(LifeEvent.objects.filter(code__in=codes).values_list("code", "pk"))
    for chunk in _chunks(list(event_ids.values())):
        LifeEventItem.objects.filter(life_event_id__in=chunk).delete()
        Question.objects.filter(life_event_id__in=chunk).delete()
    item_ids = dict(ServiceItem.objects.filter(code__in=item_codes).values_list("code", "pk"))

    members = LifeEventItem.objects.bulk_create(
        [
            LifeEventItem(
                life_event_id=event_ids[e["code"]], item_id=item_ids[m["item"]], default_included=m["default"], order=i
            )
            for e in entries
            for i, m in enumerate(e["items"])
        ],
        batch_size=CHUNK,
    )
    member_ids = {(m.life_event_id, m.item_id): m.pk for m in members}
    Through = LifeEventItem.depends_on.through
    Through.objects.bulk_create(
        [
            Through(
                from_lifeeventitem_id=member_ids[(event_ids[e["code"]], item_ids[m["item"]])],
                to_lifeeventitem_id=member_ids[(event_ids[e["code"]], item_ids[d])],
            )
            for e in entries
            for m in e["items"]
            for d in m["depends_on"]
        ],
        batch_size=CHUNK,
    )
    questions = Question.objects.bulk_create(
        [
            Question(
                life_event_id=event_ids[e["code"]],
                key=q["key"],
                text=q["text"],
                help_text=q["help"],
                multiple=q["multiple"],
                required=q["required"],
                shown_when=q["shown_when"],
                order=i,
            )
            for e in entries
            for i, q in enumerate(e["questions"])
        ],
        batch_size=CHUNK,
    )
    question_ids = {(q.life_event_id, q.key): q.pk for q in questions}
    Option.objects.bulk_create(
        [
            Option(
                question_id=question_ids[(event_ids[e["code"]], q["key"])],
                order=i,
                key=o["key"],
                label=o["label"],
                include_items=o["include_items"],
                exclude_items=o["exclude_items"],
                include_materials=o["include_materials"],
                exclude_materials=o["exclude_materials"],
                include_fields=o["include_fields"],
                exclude_fields=o["exclude_fields"],
            )
            for e in entries
            for q in e["questions"]
            for i, o in enumerate(q["options"])
        ],
        batch_size=CHUNK,
    )
    summary.published_life_events += _create_versions(LifeEventVersion, "life_event_id", event_ids, new_versions, user)
    progress("life_events", len(entries))

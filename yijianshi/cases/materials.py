"""The materials of a case, checked against the plan: the right documents, in accepted formats, by their owner."""

import uuid

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from yijianshi.cases.models import CaseMaterial, CaseMaterialFile
from yijianshi.catalog.plan import DEFERRABLE, NECESSARY
from yijianshi.files.formats import LABELS, describe
from yijianshi.files.models import StoredFile

MAX_FILES_PER_MATERIAL = 20


def _owned(stored: StoredFile, by) -> bool:
    user, client = getattr(by, "user", None), getattr(by, "client", None)
    return (user is not None and stored.uploaded_by_id == user.pk) or (
        client is not None and stored.uploaded_by_client_id == client.pk
    )


def check_materials(
    plan: dict, given: dict, *, by, attached: set | None = None, complete: bool, substituted=frozenset()
):
    """Check `given` (material key → list of file ids) against a plan's materials.

    Returns (files by key, problems). A file must be the caller's own upload, or already attached to this case
    (`attached`), and in a format the material accepts. `complete` also demands every necessary material, except
    those a license the applicant holds stands in for (`substituted` keys).
    """
    asked = {m["key"]: m for m in plan["materials"]}
    produced = {p["key"]: p for p in plan.get("produced_in_plan", [])}
    names = {i["code"]: i["name"] for i in plan["items"]}
    problems: dict[str, str] = {}
    wanted: dict[str, list[uuid.UUID]] = {}
    for key, ids in given.items():
        field = f"materials.{key}"
        if key not in asked:
            if key in produced:
                problems[field] = _("由“%(item)s”办理后直接取得，无需提交") % {
                    "item": names.get(produced[key]["produced_by"], produced[key]["produced_by"])
                }
            else:
                problems[field] = _("本申请不需要此材料")
            continue
        if not ids:
            continue
        if len(ids) > MAX_FILES_PER_MATERIAL:
            problems[field] = _("每项材料最多 %(n)d 个文件") % {"n": MAX_FILES_PER_MATERIAL}
            continue
        try:
            wanted[key] = list(dict.fromkeys(uuid.UUID(str(i)) for i in ids))
        except ValueError:
            problems[field] = _("文件 id 格式不正确")
    found = StoredFile.objects.in_bulk([i for ids in wanted.values() for i in ids])
    files: dict[str, list[StoredFile]] = {}
    for key, ids in wanted.items():
        field = f"materials.{key}"
        chosen = []
        for file_id in ids:
            stored = found.get(file_id)
            if stored is None or not (_owned(stored, by) or (attached and file_id in attached)):
                problems[field] = _("文件不存在或不是您上传的：%(id)s") % {"id": file_id}
                break
            if stored.format not in asked[key]["formats"]:
                problems[field] = _("“%(name)s”只接受 %(formats)s 格式，%(file)s 是 %(got)s") % {
                    "name": asked[key]["name"],
                    "formats": describe(asked[key]["formats"]),
                    "file": stored.name,
                    "got": LABELS[stored.format],
                }
                break
            chosen.append(stored)
        else:
            files[key] = chosen
    if complete:
        for key, material in asked.items():
            if (
                material["need"] in (NECESSARY, DEFERRABLE)
                and not files.get(key)
                and key not in substituted
                and f"materials.{key}" not in problems
            ):
                problems[f"materials.{key}"] = _("请提交：%(name)s") % {"name": material["name"]}
    return files, problems


def materials_save(
    case,
    plan: dict,
    files: dict[str, list[StoredFile]],
    licenses: dict | None = None,
    waived: dict | None = None,
    *,
    new: bool = False,
) -> list[str]:
    """Make the case's materials exactly `files` (key → files) and, for keys without files, `licenses` (key →
    License, referenced instead of an upload) and `waived` (key → kind: 容缺后补 or 以承诺代替); return the keys
    added, changed or removed. A `new` case has none yet to compare with."""
    names = {m["key"]: m["name"] for m in plan["materials"]}
    licenses = {key: license for key, license in (licenses or {}).items() if not files.get(key)}
    waived = {key: kind for key, kind in (waived or {}).items() if not files.get(key) and key not in licenses}
    wanted = {key: [f.pk for f in chosen] for key, chosen in files.items()}
    wanted |= {key: ("license", license.identifier) for key, license in licenses.items()}
    wanted |= {key: (kind,) for key, kind in waived.items()}
    links = Prefetch("links", queryset=CaseMaterialFile.objects.order_by("position"))
    rows = [] if new else list(case.materials.prefetch_related(links))
    existing = {m.key: _state(m) for m in rows}
    changed = [key for key, state in wanted.items() if existing.get(key) != state]
    dropped = [key for key in existing if key not in wanted]
    remove = [m.pk for m in rows if m.key in changed or m.key in dropped]
    if remove:
        CaseMaterialFile.objects.filter(material_id__in=remove).delete()
        CaseMaterial.objects.filter(pk__in=remove).delete()
    created = CaseMaterial.objects.bulk_create(
        CaseMaterial(
            case=case,
            key=key,
            name=names[key],
            round=max(case.round, 1),
            **(
                {"kind": CaseMaterial.Kind.LICENSE, "license_identifier": licenses[key].identifier}
                if key in licenses
                else {"kind": waived[key]}
                if key in waived
                else {}
            ),
        )
        for key in changed
    )
    CaseMaterialFile.objects.bulk_create(
        CaseMaterialFile(material=material, file=stored, position=position)
        for material in created
        if material.key in files
        for position, stored in enumerate(files[material.key])
    )
    return changed + dropped


def _state(material: CaseMaterial):
    if material.kind == CaseMaterial.Kind.LICENSE:
        return ("license", material.license_identifier)
    if material.kind in WAIVED_KINDS:
        return (material.kind,)
    return [link.file_id for link in material.links.all()]


WAIVED_KINDS = (CaseMaterial.Kind.DEFERRED, CaseMaterial.Kind.COMMITTED)


def materials_waived(case) -> dict[str, str]:
    """The case's materials waived at submission (key → kind): 容缺后补 and 以承诺代替."""
    return dict(case.materials.filter(kind__in=WAIVED_KINDS).values_list("key", "kind"))


def materials_given(case) -> dict[str, list[uuid.UUID]]:
    """The case's uploaded materials as input would name them (key → file ids, in order); license references
    (免提交) are not uploads and are left out. One statement: the materials joined to their files."""
    rows = (
        case.materials.filter(kind=CaseMaterial.Kind.FILES)
        .order_by("pk", "links__position")
        .values_list("key", "links__file_id")
    )
    given: dict[str, list[uuid.UUID]] = {}
    for key, file_id in rows:
        ids = given.setdefault(key, [])
        if file_id is not None:
            ids.append(file_id)
    return given

"""Choosing 告知承诺 and 容缺后补 at submission: the applicant signs the text in force for each item, and may leave
deferrable materials for later; both only with clean credit. Checked completely before anything is written."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from yijianshi.accounts.models import Applicant
from yijianshi.cases.events import event_append
from yijianshi.cases.models import CaseMaterial
from yijianshi.catalog.commitment_texts import latest_texts
from yijianshi.catalog.models import Material
from yijianshi.catalog.plan import DEFERRABLE
from yijianshi.commitments.credit import active_marks
from yijianshi.commitments.models import Commitment, Deferral

MAX_CHOICES = 50


@dataclass
class Choices:
    """What a submission's choices came to: the texts signed (item code → CommitmentText), the materials deferred
    and those a commitment replaces (key → item codes)."""

    signed: dict = field(default_factory=dict)
    deferred: dict = field(default_factory=dict)
    replaced: dict = field(default_factory=dict)


def _signatures(entries, items: dict, texts: dict, problems: dict) -> dict:
    signed = {}
    for index, entry in enumerate(entries[:MAX_CHOICES]):
        here = f"commitments.{index}"
        entry = entry if isinstance(entry, dict) else {}
        code = entry.get("item")
        item = items.get(code)
        if item is None:
            problems[f"{here}.item"] = _("本申请不包括这个事项：%(code)s") % {"code": code}
            continue
        text = texts.get(code)
        if not item.get("commitment") or text is None:
            problems[f"{here}.item"] = _("“%(name)s”不实行告知承诺") % {"name": item["name"]}
        elif code in signed:
            problems[f"{here}.item"] = _("“%(name)s”的承诺书只需签署一次") % {"name": item["name"]}
        elif entry.get("version") != text.version:
            problems[f"{here}.version"] = _(
                "“%(name)s”的告知承诺书已更新为第 %(new)d 版（您看到的是第 %(old)s 版），请重新阅读后签署。"
            ) % {"name": item["name"], "new": text.version, "old": entry.get("version")}
        elif entry.get("confirmed") is not True:
            problems[f"{here}.confirmed"] = _("请确认已阅读并同意“%(name)s”告知承诺书的全部内容") % {
                "name": item["name"]
            }
        else:
            signed[code] = text
    return signed


def _effect(item: dict, name: str) -> list[str]:
    """The materials an item's commitment lets be deferred (`deferrable`) or replaces (`replaces`) in this plan."""
    return (item.get("commitment") or {}).get(name) or []


def check_choices(*, applicant_id, plan: dict, choices: dict, given: dict, licensed=frozenset()):
    """(problems, waived material key → CaseMaterial kind, Choices or None). `licensed`: materials an e-license the
    applicant holds stands in for (免提交), which need no deferral."""
    entries, keys = choices.get("commitments") or [], list(dict.fromkeys(choices.get("deferred") or []))
    if not entries and not keys:
        return {}, {}, None
    problems: dict[str, str] = {}
    if len(entries) > MAX_CHOICES or len(keys) > MAX_CHOICES:
        problems["commitments"] = _("选择过多")
    applicant = Applicant.objects.filter(pk=applicant_id).first()
    if applicant is not None:
        kinds = sorted({mark.get_kind_display() for mark in active_marks(applicant.id_number)})
        if kinds:
            problems["commitments"] = _(
                "申请人有未修复的信用记录（%(kinds)s），暂不能选择告知承诺或容缺受理；请先办理“信用修复”。"
            ) % {"kinds": "、".join(kinds)}
    items = {item["code"]: item for item in plan["items"]}
    signed = _signatures(
        entries, items, latest_texts([e.get("item") for e in entries[:MAX_CHOICES] if isinstance(e, dict)]), problems
    )
    materials = {m["key"]: m for m in plan["materials"]}
    result = Choices(signed=signed)
    waived = {}
    for index, key in enumerate(keys[:MAX_CHOICES]):
        here = f"deferred.{index}"
        material = materials.get(key)
        if material is None:
            problems[here] = _("本申请不需要此材料：%(key)s") % {"key": key}
            continue
        needing = [
            c for c in material["for_items"] if key in ((items[c].get("commitment") or {}).get("deferrable") or [])
        ]
        if material["need"] != DEFERRABLE or not needing:
            problems[here] = _("“%(name)s”不能容缺后补") % {"name": material["name"]}
        elif given.get(key):
            problems[here] = _("“%(name)s”已经上传，无需容缺后补") % {"name": material["name"]}
        elif key in licensed:
            problems[here] = _("“%(name)s”将以您的电子证照免提交，无需容缺后补") % {"name": material["name"]}
        elif missing := [items[c]["name"] for c in needing if c not in signed]:
            problems[here] = _("容缺后补“%(name)s”须签署“%(items)s”的告知承诺书") % {
                "name": material["name"], "items": "、".join(missing),
            }  # fmt: skip
        else:
            result.deferred[key] = needing
            waived[key] = CaseMaterial.Kind.DEFERRED
    for key, material in materials.items():
        if key in waived or given.get(key) or key in licensed:
            continue
        replacing = [
            c for c in material["for_items"] if key in ((items[c].get("commitment") or {}).get("replaces") or [])
        ]
        if replacing and len(replacing) == len(material["for_items"]) and all(c in signed for c in replacing):
            result.replaced[key] = replacing
            waived[key] = CaseMaterial.Kind.COMMITTED
    if problems:
        return problems, {}, None
    return {}, waived, result


FORMS = dict(Material.Form.choices)


def choices_record(case, choices: Choices, *, by, role: str) -> None:
    """Store the signatures and the materials owed, each signature in the case's trail. Case locked; the caller
    saves its head."""
    if choices is None:
        return
    user = getattr(by, "user", None)
    names = {item["code"]: item["name"] for item in case.plan["items"]}
    # Kept with the plan, so that later steps know without a query whether there is anything to do.
    case.plan["choices"] = {"committed": sorted(choices.signed), "deferred": sorted(choices.deferred)}
    commitments = Commitment.objects.bulk_create(
        Commitment(
            case=case, item_code=code, item_name=names[code], text=text, text_version=text.version,
            digest=text.digest, applicant=case.applicant, signed_by=user, channel=case.channel,
            replaced=sorted(k for k, codes in choices.replaced.items() if code in codes),
            deferred=sorted(k for k, codes in choices.deferred.items() if code in codes),
        )
        for code, text in choices.signed.items()
    )  # fmt: skip
    for commitment in commitments:
        event_append(
            case=case, action="commitment_signed", by=by, role=role, save_head=False,
            data={"item": commitment.item_code, "text_version": commitment.text_version, "sm3": commitment.digest,
                  "channel": commitment.channel, "replaced": commitment.replaced, "deferred": commitment.deferred},
        )  # fmt: skip
    materials = {m["key"]: m for m in case.plan["materials"]}
    Deferral.objects.bulk_create(
        Deferral(
            case=case, key=key, name=materials[key]["name"], form=str(FORMS.get(materials[key]["form"], "")),
            items=codes,
        )
        for key, codes in choices.deferred.items()
    )  # fmt: skip

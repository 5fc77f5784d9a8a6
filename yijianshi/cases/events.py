"""Appending to and verifying a case's hash-chained event log (全程留痕)."""

import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yijianshi.cases.models import Case, CaseEvent, CaseMaterial
from yijianshi.core.chain import GENESIS, BrokenLink, canonical_json, first_broken_link, link_hash
from yijianshi.core.crypto import sm3_hex
from yijianshi.core.rows import insert_models

ACTIONS = {
    "created": _("创建申请"),
    "draft_updated": _("修改草稿"),
    "submitted": _("提交申请"),
    "withdrawn": _("撤回申请"),
    "correction_requested": _("一次性告知补正"),
    "resubmitted": _("补正后重新提交"),
    "refused": _("不予受理"),
    "accepted": _("受理"),
    "task_activated": _("部门开始办理"),
    "task_approved": _("准予许可"),
    "task_refused": _("不予许可"),
    "task_not_applicable": _("不再办理"),
    "task_suspended": _("进入特别程序"),
    "task_resumed": _("特别程序结束"),
    "license_issued": _("颁发电子证照"),
    "license_not_issued": _("未能颁发电子证照"),
    "task_terminated": _("终止办理"),
    "task_revoked": _("撤销准予决定"),
    "commitment_signed": _("签署告知承诺书"),
    "deferral_notice_issued": _("出具容缺受理通知书"),
    "deferred_supplied": _("补交容缺材料"),
    "deferred_checked": _("核验补交材料"),
    "deferred_overdue": _("容缺材料逾期未补"),
    "post_check_scheduled": _("列入事后核查"),
    "post_check_recorded": _("事后核查结果"),
    "credit_repaired": _("信用修复"),
    "instant_checked": _("秒批规则核验"),
    "completed": _("办结"),
    "reviewed": _("评价"),
    "delivered": _("结果送达"),
}


def plain(data: dict) -> dict:
    """Data as JSON would return it (dates and ids as strings), so the stored event hashes the same when read."""
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


# The case's head: how many events its chain holds and the hash of the last one.
HEAD = ["event_count", "last_event_hash"]


def event_append(
    *, case: Case, action: str, by=None, role: str, data: dict | None = None, save_head: bool = True
) -> CaseEvent:
    """Append an event to the case's chain and move the case's head. Expects the case row locked by the caller
    (or created in this transaction), which makes positions run without gaps.

    With `save_head=False` the head moves on `case` only, and the event waits on it: the caller's own save of the
    case later in the same transaction writes the head and every waiting event (`Case.save`), two statements however
    many events a step appends."""
    assert action in ACTIONS, action
    event = CaseEvent(
        case=case,
        position=case.event_count + 1,
        action=action,
        actor=getattr(by, "user", None),
        actor_client=getattr(by, "client", None),
        role=role,
        data=plain(data or {}),
        created_at=timezone.now(),
        previous_hash=case.last_event_hash or GENESIS,
    )
    event.hash = link_hash(event.previous_hash, event.chained_content())
    case.event_count, case.last_event_hash = event.position, event.hash
    pending = case.__dict__.setdefault("pending_events", [])
    pending.append(event)
    if save_head:
        insert_models(pending)
        pending.clear()
        Case.objects.filter(pk=case.pk).update(event_count=case.event_count, last_event_hash=case.last_event_hash)
    return event


def form_digest(form_data: dict) -> str:
    """SM3 of the joint form's values, as the chain records them at each submission."""
    return sm3_hex(canonical_json(form_data))


def materials_digest(files: dict[str, list[str]]) -> str:
    """SM3 over each material's files (key → the files' SM3 digests, in order)."""
    return sm3_hex(canonical_json({key: list(digests) for key, digests in sorted(files.items()) if digests}))


def material_files(case_ids) -> dict:
    """case id → material key → the SM3 digests of its files, in order (a license reference counts as
    "license:<identifier>"): one query."""
    found: dict = {}
    rows = (
        CaseMaterial.objects.filter(case_id__in=list(case_ids))
        .order_by("case_id", "key", "links__position")
        .values_list("case_id", "key", "kind", "license_identifier", "links__file__sm3")
    )
    for case_id, key, kind, identifier, digest in rows:
        if kind == CaseMaterial.Kind.LICENSE:
            found.setdefault(case_id, {})[key] = [f"license:{identifier}"]
        elif digest is not None:
            found.setdefault(case_id, {}).setdefault(key, []).append(digest)
    return found


def given_digests(form: dict, files: dict, licenses: dict) -> dict:
    """What a submission event seals, from what the submission writes: the form, the files per material and the
    licenses referenced for materials without files (as `content_digests` reads them back)."""
    given = {key: [f.sm3 for f in chosen] for key, chosen in files.items() if chosen}
    given |= {key: [f"license:{license.identifier}"] for key, license in licenses.items() if not files.get(key)}
    return {"form_sm3": form_digest(form), "materials_sm3": materials_digest(given)}


def content_digests(case: Case) -> dict:
    """What a submission event seals: the form and the materials as they stand now."""
    return {
        "form_sm3": form_digest(case.form_data),
        "materials_sm3": materials_digest(material_files([case.pk]).get(case.pk, {})),
    }


def _content_problem(case: Case, events, files: dict) -> BrokenLink | None:
    """The form or materials changed since the last submission sealed them (a database edit)."""
    sealed = next((e for e in reversed(events) if "form_sm3" in (e.data or {})), None)
    if sealed is None:
        return None
    now = {"form_sm3": form_digest(case.form_data), "materials_sm3": materials_digest(files)}
    for name, reason in (("form_sm3", "form"), ("materials_sm3", "materials")):
        if sealed.data[name] != now[name]:
            return BrokenLink(sealed.position, reason, sealed.data[name], now[name])
    return None


@dataclass(frozen=True)
class ChainProblem:
    case_id: str
    case_number: str | None
    link: BrokenLink


def _entries(events):
    for event in events:
        yield event.position, event.previous_hash, event.hash, event.chained_content()


def case_chain_problem(case: Case, events) -> BrokenLink | None:
    """The first broken link of one case's events (in position order), including a head that does not match."""
    events = list(events)
    broken = first_broken_link(_entries(events))
    if broken is not None:
        return broken
    head = events[-1].hash if events else ""
    if len(events) != case.event_count or head != case.last_event_hash:
        return BrokenLink(len(events) + 1, "head", case.last_event_hash, head)
    return None


def chain_problems(*, case_numbers: list[str] | None = None, batch: int = 500, progress=None) -> Iterator[ChainProblem]:
    """Check every case's chain (or those numbered), a batch of cases at a time; yield each broken one."""
    cases = Case.objects.order_by("pk").only("pk", "number", "event_count", "last_event_hash", "form_data")
    if case_numbers:
        cases = cases.filter(number__in=case_numbers)
    last = None
    while True:
        page = cases.filter(pk__gt=last) if last is not None else cases
        chunk = list(page[:batch])
        if not chunk:
            return
        by_case: dict = {case.pk: [] for case in chunk}
        events = CaseEvent.objects.filter(case_id__in=list(by_case)).order_by("case_id", "position")
        for event in events.iterator(chunk_size=5000):
            by_case[event.case_id].append(event)
        files = material_files(by_case)
        for case in chunk:
            broken = case_chain_problem(case, by_case[case.pk]) or _content_problem(
                case, by_case[case.pk], files.get(case.pk, {})
            )
            if broken is not None:
                yield ChainProblem(str(case.pk), case.number, broken)
        if progress is not None:
            progress(len(chunk))
        last = chunk[-1].pk

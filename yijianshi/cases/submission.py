"""Writes by applicants (and by window clerks for walk-ins): create, edit and submit a case; resubmit a corrected
one; withdraw it. Every write checks its input completely before changing anything, then changes everything in one
transaction, and appends to the case's event log."""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.accounts.models import Applicant, Department
from yijianshi.cases import notices, substitution
from yijianshi.cases.catalog_target import Target, target_live, target_of
from yijianshi.cases.events import HEAD, event_append, given_digests
from yijianshi.cases.extensions import extensions
from yijianshi.cases.form_data import check_form
from yijianshi.cases.locking import lock_case
from yijianshi.cases.materials import check_materials, materials_given, materials_save, materials_waived
from yijianshi.cases.models import Case, Channel, CorrectionNotice, DeliveryMethod
from yijianshi.cases.numbering import case_number_next
from yijianshi.core.errors import Conflict, InvalidInput

UNSET = object()
RELATED = ["life_event_version", "item_version", "applicant", "agent", "created_by", "accepted_by"]
MAIL_FIELDS = ("recipient", "phone", "address")


def request_digest(payload: dict) -> str:
    """A fingerprint of a creation request, to tell a retry from a different request under the same key."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _delivery(method: str, address: dict | None) -> tuple[str, dict]:
    address = {k: str(v).strip() for k, v in (address or {}).items() if k in MAIL_FIELDS}
    if method == DeliveryMethod.MAIL:
        missing = {f"delivery.address.{k}": _("邮寄送达须填写此项") for k in MAIL_FIELDS if not address.get(k)}
        if missing:
            raise InvalidInput.for_fields(missing)
        return method, address
    return method, {}


def _region_of(target: Target, by, channel: str) -> str:
    """Where the case is handled: the receiving window's region for window and proxy cases, otherwise the region
    of the department that leads the bundle (or handles the item)."""
    if channel in (Channel.WINDOW, Channel.PROXY):
        for grant in by.grants("case.accept"):
            if grant.region_code:
                return grant.region_code
    department = Department.objects.select_related("region").get(code=target.lead_department)
    return department.region.code


@dataclass
class Content:
    """What a checked submission holds: the plan, the cleaned form, files per material, licenses standing in for
    materials (免提交), materials waived by the applicant's choices (容缺, 告知承诺) and what extensions accepted."""

    plan: dict | None
    form: dict
    files: dict
    licenses: dict = field(default_factory=dict)
    waived: dict = field(default_factory=dict)
    accepted: list = field(default_factory=list)


def _check_content(
    target: Target, *, answers, form, materials, by, attached, complete: bool, applicant_id=None, agent_id=None,
    choices=None,
) -> Content:  # fmt: skip
    """Check answers, form, materials and choices against the plan (or, for a draft, against everything the bundle
    could ask for); raise InvalidInput listing every problem."""
    problems: dict[str, str] = {}
    plan = None
    try:
        plan = target.plan(answers)
    except InvalidInput as error:
        if complete:
            problems.update(error.fields)
    if complete and plan is not None and not plan["items"]:
        problems["answers"] = _("按您的回答，没有需要办理的事项，请检查情形选择。")
    basis = plan if complete and plan is not None else target.everything()
    licenses = (
        substitution.verified_for(applicant_id, basis["materials"], materials, form=form, agent_id=agent_id)
        if complete
        else {}
    )
    waived, accepted = {}, []
    if complete and plan is not None:
        for extension in extensions():
            found, waives, taken = extension.check_choices(
                applicant_id=applicant_id, plan=plan, choices=choices or {}, given=materials, licensed=set(licenses)
            )
            problems |= found
            waived |= waives
            accepted.append((extension, taken))
    elif choices and any(choices.values()):
        problems["commitments"] = _("告知承诺和容缺后补在提交时选择，草稿不保存这些选择。")
    cleaned, form_problems = check_form(basis["form"], form, complete=complete)
    files, material_problems = check_materials(
        basis, materials, by=by, attached=attached, complete=complete, substituted=set(licenses) | set(waived)
    )
    problems |= form_problems | material_problems
    if problems:
        raise InvalidInput.for_fields(problems)
    return Content(plan, cleaned, files, licenses, waived, accepted)


def case_create(
    *,
    by,
    applicant: Applicant,
    agent=None,
    life_event: str | None = None,
    item: str | None = None,
    channel: str = Channel.ONLINE,
    answers: dict | None = None,
    form: dict | None = None,
    materials: dict | None = None,
    delivery_method: str = DeliveryMethod.ELECTRONIC,
    delivery_address: dict | None = None,
    submit: bool = True,
    choices: dict | None = None,
    idempotency_key: str | None = None,
    digest: str = "",
) -> tuple[Case, bool]:
    """Create a case (a draft, or submitted at once). Return (case, created): with an Idempotency-Key already used
    by the same caller for the same request, the existing case and False."""
    user = by.user
    if idempotency_key:
        existing = Case.objects.filter(created_by=user, idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replay(existing, digest)
    target = target_live(life_event=life_event, item=item)
    answers, form, materials = answers or {}, form or {}, materials or {}
    method, address = _delivery(delivery_method, delivery_address)
    content = _check_content(
        target, answers=answers, form=form, materials=materials, by=by, attached=None, complete=submit,
        applicant_id=applicant.pk, agent_id=agent.pk if agent is not None else None, choices=choices,
    )  # fmt: skip
    plan = content.plan
    now = timezone.now()
    case = Case(
        title=target.title,
        applicant=applicant,
        agent=agent,
        created_by=user,
        region_code=_region_of(target, by, channel),
        channel=channel,
        answers=answers,
        form_data=content.form,
        delivery_method=method,
        delivery_address=address,
        created_at=now,
        updated_at=now,
        idempotency_key=idempotency_key or None,
        request_digest=digest,
        **{"life_event_version" if target.is_life_event else "item_version": target.version},
    )
    try:
        with transaction.atomic():
            # Uniqueness of the Idempotency-Key is left to the database, which sees concurrent requests.
            # Foreign keys hold objects just read (the version, the caller, their applicant) and the id is new: only
            # the plain fields need checking, without a query each.
            case.full_clean(
                exclude=["plan", "answers", "form_data", "delivery_address", *RELATED],
                validate_unique=False,
                validate_constraints=False,
            )
            # The row is written once, with its events (and, submitted at once, its number and plan).
            event_append(
                case=case, action="created", by=by, role=_role(by, case), data={"channel": channel}, save_head=False
            )
            if submit:
                _submission_prepare(case, plan, by=by, at=now, content=content)
            case.save(force_insert=True)
            materials_save(
                case, target.everything() if plan is None else plan, content.files, content.licenses, content.waived,
                new=True,
            )  # fmt: skip
            if submit:
                _submission_finish(case, by=by, accepted=content.accepted)
    except IntegrityError:
        if idempotency_key:
            existing = Case.objects.filter(created_by=user, idempotency_key=idempotency_key).first()
            if existing is not None:
                return _replay(existing, digest)
        raise
    return case, True


def _replay(existing: Case, digest: str) -> tuple[Case, bool]:
    if existing.request_digest and digest and existing.request_digest != digest:
        raise Conflict(_("该 Idempotency-Key 已用于另一份不同的申请，请换一个新的键。"), code="idempotency_key_reused")
    return existing, False


def _role(by, case: Case) -> str:
    if getattr(by, "client", None) is not None:
        return "api_client"
    user = by.user
    if not user.is_applicant:
        return "window_clerk"
    return "applicant" if user.applicant_id == case.applicant_id else "agent"


def _submission_prepare(case: Case, plan: dict, *, by, at, content: Content) -> None:
    """Make a checked draft a submitted case, in memory: number, plan, limit, and the event sealing the form and
    materials `content` holds (which the case's save and `materials_save` then write). Case locked or new."""
    case.plan = plan
    case.status = Case.Status.SUBMITTED
    case.round = 1
    case.submitted_at = at
    case.limit_value = plan["flow"]["days"]
    case.number = case_number_next(region_code=case.region_code, day=timezone.localdate(at))
    case.updated_at = at
    sealed = given_digests(case.form_data, content.files, content.licenses)
    event_append(
        case=case,
        action="submitted",
        by=by,
        role=_role(by, case),
        data={"number": case.number, "round": 1, "items": [i["code"] for i in plan["items"]], **sealed},
        save_head=False,
    )


SUBMITTED_FIELDS = ["plan", "status", "round", "submitted_at", "limit_value", "number", "updated_at"]


def _submission_finish(case: Case, *, by, accepted=()) -> None:
    """Once the submitted case and its materials are written: extensions record the applicant's choices (their
    events are saved with the head) and act on the submission (秒批); the applicant is told."""
    role = _role(by, case)
    for extension, taken in accepted:
        extension.submitted(case, accepted=taken, by=by, role=role)
    if any(taken is not None for _extension, taken in accepted):
        case.save(update_fields=["plan", *HEAD])  # what they recorded rides on the plan
    notices.case_announce(case, "submitted")
    for extension in extensions():
        extension.after_submit(case, by=by)


def case_update_draft(*, case_id, by, answers=UNSET, form=UNSET, materials=UNSET, delivery=UNSET) -> Case:
    """Change a draft. `form` and `materials` merge into what the draft holds (a key set to null or [] is
    removed); `answers` and `delivery` replace it."""
    with transaction.atomic():
        case = lock_case(case_id)
        if case.status != Case.Status.DRAFT:
            raise Conflict(_("只有草稿可以修改；已提交的申请请按补正通知修改。"), code="not_a_draft")
        target = target_of(case)
        new_answers = case.answers if answers is UNSET else answers
        new_form = case.form_data if form is UNSET else merged(case.form_data, form)
        current = materials_given(case)
        new_materials = current if materials is UNSET else merged(current, materials)
        method, address = case.delivery_method, case.delivery_address
        if delivery is not UNSET:
            method, address = _delivery(delivery["method"], delivery.get("address"))
        content = _check_content(
            target,
            answers=new_answers,
            form=new_form,
            materials=new_materials,
            by=by,
            attached={i for ids in current.values() for i in ids},
            complete=False,
        )
        case.answers, case.form_data = new_answers, content.form
        case.delivery_method, case.delivery_address = method, address
        case.updated_at = timezone.now()
        case.save(update_fields=["answers", "form_data", "delivery_method", "delivery_address", "updated_at"])
        changed = materials_save(case, target.everything(), content.files)
        event_append(
            case=case,
            action="draft_updated",
            by=by,
            role=_role(by, case),
            data={"form": sorted(set(form) if form is not UNSET else ()), "materials": sorted(changed)},
        )
    return case


def merged(current: dict, changes: dict) -> dict:
    """`current` with `changes` applied as drafts apply them: a key set to null or [] is removed."""
    result = dict(current)
    for key, value in changes.items():
        if value is None or value == []:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def case_submit(*, case_id, by, choices: dict | None = None) -> Case:
    """Submit a draft: complete answers, form and materials are required now. A draft made against a version of
    the catalog that has since been replaced is checked against the live one."""
    with transaction.atomic():
        case = lock_case(case_id)
        if case.status != Case.Status.DRAFT:
            raise Conflict(_("该申请已经提交过。"), code="already_submitted")
        target, content = _submission_content(case, by=by, choices=choices)
        case.form_data = content.form
        if target.is_life_event:
            case.life_event_version = target.version
        else:
            case.item_version = target.version
        _submission_prepare(case, content.plan, by=by, at=timezone.now(), content=content)
        case.save(update_fields=["form_data", "life_event_version", "item_version", *SUBMITTED_FIELDS])
        materials_save(case, content.plan, content.files, content.licenses, content.waived)
        _submission_finish(case, by=by, accepted=content.accepted)
    return case


def _submission_content(case: Case, *, by, choices: dict | None) -> tuple[Target, Content]:
    """The draft checked as submitting it would check it, against the live catalog."""
    target = _live_for_draft(case)
    current = materials_given(case)
    return target, _check_content(
        target,
        answers=case.answers,
        form=case.form_data,
        materials=current,
        by=by,
        attached={i for ids in current.values() for i in ids},
        complete=True,
        applicant_id=case.applicant_id,
        agent_id=substitution.acting_agent(case, by.user.pk),
        choices=choices,
    )


def case_submit_check(*, case: Case, by, choices: dict | None = None) -> Content:
    """What submitting the draft now would refuse, without submitting it (the page before 确认提交): raise
    InvalidInput listing every problem, or return what it would be submitted with (plan, verified licenses, files…).
    `case` as the caller just read it (`access_case_for_applicant`); nothing is written, so nothing is locked."""
    if case.status != Case.Status.DRAFT:
        raise Conflict(_("该申请已经提交过。"), code="already_submitted")
    return _submission_content(case, by=by, choices=choices)[1]


def _live_for_draft(case: Case) -> Target:
    frozen = target_of(case)
    code = frozen.snapshot["life_event"]["code"]
    try:
        return target_live(
            **({"life_event": code, "item": None} if frozen.is_life_event else {"life_event": None, "item": code})
        )
    except InvalidInput:
        raise InvalidInput.for_field(
            "life_event" if frozen.is_life_event else "item", _("该事项已停止办理，无法提交。")
        ) from None


def case_resubmit(*, case_id, by, form=UNSET, materials=UNSET) -> Case:
    """Resubmit a case after a correction notice: the corrected form and materials are checked in full again."""
    with transaction.atomic():
        case = lock_case(case_id)
        if case.status != Case.Status.CORRECTING:
            raise Conflict(_("该申请没有待补正的内容。"), code="not_correcting")
        current = materials_given(case)
        new_form = case.form_data if form is UNSET else merged(case.form_data, form)
        new_materials = current if materials is UNSET else merged(current, materials)
        plan = case.plan
        licenses = substitution.verified_for(
            case.applicant_id, plan["materials"], new_materials, form=new_form,
            agent_id=substitution.acting_agent(case, by.user.pk),
        )  # fmt: skip
        # Materials waived at submission (容缺后补, 以承诺代替) stay waived unless files are given for them now, or the
        # correction notice asks for them.
        asked = {
            p["key"]
            for notice in CorrectionNotice.objects.filter(case=case, resolved_at__isnull=True)
            for p in notice.problems
            if p["target"] == "material"
        }
        waived = {key: kind for key, kind in materials_waived(case).items() if key not in asked}
        cleaned, form_problems = check_form(plan["form"], new_form, complete=True)
        files, material_problems = check_materials(
            plan, new_materials, by=by, attached={i for ids in current.values() for i in ids}, complete=True,
            substituted=set(licenses) | set(waived),
        )  # fmt: skip
        if form_problems or material_problems:
            raise InvalidInput.for_fields(form_problems | material_problems)
        now = timezone.now()
        changed_fields = sorted(
            k for k in set(cleaned) | set(case.form_data) if cleaned.get(k) != case.form_data.get(k)
        )
        case.form_data = cleaned
        case.round += 1
        case.status = Case.Status.SUBMITTED
        case.submitted_at = now
        case.updated_at = now
        case.save(update_fields=["form_data", "round", "status", "submitted_at", "updated_at"])
        changed_materials = materials_save(case, plan, files, licenses, waived)
        CorrectionNotice.objects.filter(case=case, resolved_at__isnull=True).update(resolved_at=now)
        event_append(
            case=case,
            action="resubmitted",
            by=by,
            role=_role(by, case),
            data={
                "round": case.round,
                "form": changed_fields,
                "materials": sorted(changed_materials),
                **given_digests(cleaned, files, licenses),
            },
        )
        notices.case_announce(case, "resubmitted")
    return case


def case_withdraw(*, case_id, by, reason: str = "") -> Case:
    """Withdraw a case not yet accepted (草稿、待受理、待补正)."""
    with transaction.atomic():
        case = lock_case(case_id)
        if case.status not in (Case.Status.DRAFT, Case.Status.SUBMITTED, Case.Status.CORRECTING):
            raise Conflict(_("已受理或已结束的申请不能撤回。"), code="cannot_withdraw")
        case.status = Case.Status.WITHDRAWN
        case.updated_at = timezone.now()
        case.save(update_fields=["status", "updated_at"])
        event_append(case=case, action="withdrawn", by=by, role=_role(by, case), data={"reason": reason})
    return case

"""信用: marks against a person or organisation (a false commitment found, serious dishonesty reported from outside),
and their repair. An applicant with an active mark may not choose commitments (国办发〔2020〕42号 三.(三))."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc

from yijianshi.cases.events import event_append
from yijianshi.catalog.commitment_rules import CreditKind
from yijianshi.commitments.models import CreditRecord
from yijianshi.core.errors import Conflict, InvalidInput
from yijianshi.core.identifiers import validate_citizen_id, validate_credit_code
from yijianshi.core.masking import mask_citizen_id, mask_name

MAX_IMPORT = 5000


def active_marks(id_number: str):
    return CreditRecord.objects.filter(id_number=id_number, repaired_at__isnull=True)


def credit_is_clean(applicant) -> bool:
    return not active_marks(applicant.id_number).exists()


def masked_identifier(id_number: str) -> str:
    """Citizen IDs masked; credit codes of organisations are public."""
    return mask_citizen_id(id_number) if ric.is_valid(id_number) else id_number


def masked_subject(id_number: str, name: str) -> str:
    """A person's name masked; an organisation's name is public."""
    return mask_name(name) if ric.is_valid(id_number) else name


def valid_identifier(value: str) -> str:
    """A citizen ID or a unified social credit code, checked by its checksum; ValidationError otherwise."""
    value = (value or "").strip().upper()
    if ric.is_valid(value):
        return validate_citizen_id(value)
    if len(value) == 18 and value[:17].isdigit() and not uscc.is_valid(value):
        return validate_citizen_id(value)  # the citizen ID's own reason
    return validate_credit_code(value)


def record_false_commitment(*, post_check, case, by, reason: str) -> CreditRecord:
    """A false commitment found in a post-check, against the case's applicant."""
    applicant = case.applicant
    return CreditRecord.objects.create(
        id_number=applicant.id_number,
        subject_name=applicant.name,
        kind=CreditKind.FALSE_COMMITMENT,
        source=CreditRecord.Source.POST_CHECK,
        reason=reason,
        reference=case.number,
        case=case,
        post_check=post_check,
        recorded_by=getattr(by, "user", None),
    )


def credit_import(*, rows: list[dict], by) -> list[CreditRecord]:
    """Serious-dishonesty marks reported from outside (e.g. the national credit platform): each row has
    id_number, name, reason and optionally reference. All or nothing: every bad row is reported at once."""
    if not rows:
        raise InvalidInput.for_field("records", _("请至少提供一条记录"))
    if len(rows) > MAX_IMPORT:
        raise InvalidInput.for_field("records", _("一次最多导入 %(n)d 条") % {"n": MAX_IMPORT})
    problems, records = {}, []
    for index, row in enumerate(rows):
        here = f"records.{index}"
        try:
            id_number = valid_identifier(row.get("id_number", ""))
        except ValidationError as error:
            problems[f"{here}.id_number"] = error.messages[0]
            continue
        name, reason = (row.get("name") or "").strip(), (row.get("reason") or "").strip()
        if not name:
            problems[f"{here}.name"] = _("请填写名称或姓名")
        if not reason:
            problems[f"{here}.reason"] = _("请写明失信事由")
        records.append(
            CreditRecord(
                id_number=id_number, subject_name=name[:100], kind=CreditKind.SERIOUS_DISHONESTY,
                source=CreditRecord.Source.IMPORTED, reason=reason, reference=(row.get("reference") or "")[:100],
                recorded_by=getattr(by, "user", None),
            )
        )  # fmt: skip
    if problems:
        raise InvalidInput.for_fields(problems)
    with transaction.atomic():
        return CreditRecord.objects.bulk_create(records)


def credit_repair_for_case(case, task, *, kinds: list[str], by, role: str) -> list[CreditRecord]:
    """An approved 信用修复 item repairs the applicant's active marks of the kinds it covers. The caller holds the
    case locked and saves its head."""
    marks = list(active_marks(case.applicant.id_number).filter(kind__in=kinds).select_for_update())
    if not marks:
        return []
    now = timezone.now()
    note = _("经“%(item)s”（%(number)s）准予修复") % {"item": task.item_name, "number": case.number}
    for mark in marks:
        mark.repaired_at, mark.repaired_case, mark.repair_note = now, case, note
    CreditRecord.objects.bulk_update(marks, ["repaired_at", "repaired_case", "repair_note"])
    event_append(
        case=case, action="credit_repaired", by=by, role=role, save_head=False,
        data={"task": task.pk, "records": [m.pk for m in marks], "kinds": sorted({m.kind for m in marks})},
    )  # fmt: skip
    return marks


def credit_repair_by_hand(*, record_id: int, by, note: str) -> CreditRecord:
    """A credit administrator repairs a mark (e.g. the outside platform withdrew it), saying why."""
    if not note.strip():
        raise InvalidInput.for_field("note", _("请说明修复依据"))
    with transaction.atomic():
        record = CreditRecord.objects.select_for_update().get(pk=record_id)
        if record.repaired_at is not None:
            raise Conflict(_("该信用记录已经修复。"), code="already_repaired")
        record.repaired_at, record.repair_note, record.repaired_by = timezone.now(), note.strip(), by.user
        record.save(update_fields=["repaired_at", "repair_note", "repaired_by"])
    return record

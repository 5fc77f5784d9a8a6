"""事后核查: an approval given on a commitment is checked afterwards — always, or sampled by the item's risk level —
by the deciding department. A commitment found false revokes the approval and its licenses, and marks the
applicant's credit."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.cases import notices
from yijianshi.cases.approval import task_revoke_locked
from yijianshi.cases.events import event_append
from yijianshi.cases.locking import lock_case, lock_tasks
from yijianshi.catalog.commitment_rules import PostCheckRule
from yijianshi.commitments.credit import record_false_commitment
from yijianshi.commitments.models import Commitment, PostCheck
from yijianshi.core.calendar import current_calendar
from yijianshi.core.crypto import hmac_sm3_hex
from yijianshi.core.errors import Conflict, InvalidInput
from yijianshi.licenses.models import License
from yijianshi.licenses.services import license_status_change

PASSED, FALSE = "passed", "false_commitment"


def sample_draw(case, item_code: str) -> float:
    """A number in [0, 1) fixed by the case, the item and the platform's secret: auditors holding the secret can
    reproduce who was drawn; applicants cannot predict it."""
    digest = hmac_sm3_hex(settings.SECRET_KEY.encode(), f"post-check:{case.pk}:{item_code}".encode())
    return int(digest[:8], 16) / 16**8


def post_check_schedule(case, task, *, config: dict, by, role: str, today) -> PostCheck | None:
    """After approving a task given on a commitment: put it in the department's check queue if the rule says so.
    Case locked; the caller saves its head."""
    commitment = Commitment.objects.filter(case=case, item_code=task.item_code).first()
    if commitment is None:
        return None
    rule, risk, days = config["rule"], config["risk"], config["days"]
    if rule == PostCheckRule.NONE:
        return None
    rate = 1.0 if rule == PostCheckRule.ALWAYS else float(settings.YJS_POST_CHECK_RATES.get(risk, 1.0))
    draw = sample_draw(case, task.item_code)
    selected = draw < rate
    check = None
    if selected:
        check = PostCheck.objects.create(
            case=case, task=task, commitment=commitment, department=task.department, item_name=task.item_name,
            rule=rule, rate=rate, draw=draw, due_date=current_calendar().add_working_days(today, days),
        )  # fmt: skip
    event_append(
        case=case, action="post_check_scheduled", by=by, role=role, save_head=False,
        data={"task": task.pk, "item": task.item_code, "rule": rule, "risk": risk, "rate": rate,
              "draw": round(draw, 6), "selected": selected, "due": check.due_date if check else None},
    )  # fmt: skip
    return check


def post_check_record(*, check_id, by, result: str, finding: str) -> PostCheck:
    """Record a check's result. 承诺不实: the approval is revoked, with every license it produced, the applicant gets
    a credit mark and is told."""
    problems = {}
    if result not in (PASSED, FALSE):
        problems["result"] = _("核查结果应为 passed（属实）或 false_commitment（承诺不实）")
    if not finding.strip():
        problems["finding"] = _("请填写核查情况")
    if problems:
        raise InvalidInput.for_fields(problems)
    with transaction.atomic():
        case_id = PostCheck.objects.filter(pk=check_id).values_list("case_id", flat=True).first()
        case = lock_case(case_id)
        tasks = lock_tasks(case)
        check = PostCheck.objects.select_for_update().get(pk=check_id)
        if check.status != PostCheck.Status.PENDING:
            raise Conflict(
                _("该核查已于 %(when)s 记录结果（%(status)s）。")
                % {"when": timezone.localtime(check.checked_at).strftime("%Y-%m-%d %H:%M"),
                   "status": check.get_status_display()},
                code="post_check_recorded",
            )  # fmt: skip
        check.status = PostCheck.Status.PASSED if result == PASSED else PostCheck.Status.FALSE
        check.finding, check.checked_at, check.checked_by = finding.strip(), timezone.now(), by.user
        check.save(update_fields=["status", "finding", "checked_at", "checked_by"])
        event_append(
            case=case, action="post_check_recorded", by=by, role=_role(by), save_head=False,
            data={"check": check.pk, "item": check.task.item_code, "result": check.status, "finding": check.finding},
        )  # fmt: skip
        if check.status == PostCheck.Status.FALSE:
            task = next(t for t in tasks if t.pk == check.task_id)
            _false_commitment(case, tasks, task, check, by=by, role=_role(by))
        else:
            case.save(update_fields=["event_count", "last_event_hash"])
    return check


def _role(by) -> str:
    return "api_client" if getattr(by, "client", None) is not None else "approver"


def _false_commitment(case, tasks, task, check: PostCheck, *, by, role: str) -> None:
    reason = _("事后核查发现承诺不实：%(finding)s") % {"finding": check.finding}
    revoked = []
    # Valid or suspended (暂扣: it could be restored later): both are revoked.
    live = (License.Status.VALID, License.Status.SUSPENDED)
    for license in License.objects.filter(source_task_id=task.pk, status__in=live):
        license_status_change(license_id=license.pk, status=License.Status.REVOKED, reason=reason, by=by)
        revoked.append(license.identifier)
    mark = record_false_commitment(post_check=check, case=case, by=by, reason=reason)
    task_revoke_locked(
        case, tasks, task, by=by, role=role, reason=reason, data={"licenses": revoked, "credit_record": mark.pk}
    )
    notices.tell_applicant(
        case,
        _("信用记录"),
        _("因“%(item)s”承诺不实，已记入信用记录；修复前不能选择告知承诺或容缺受理。可申请“信用修复”。")
        % {"item": task.item_name},
    )

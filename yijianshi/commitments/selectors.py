"""Reads for commitments: what a case's applicant promised and owes, the queues of windows and departments, credit."""

from django.urls import reverse
from django.utils.translation import gettext as _

from yijianshi.accounts import scopes
from yijianshi.cases.access import regions_q, sees_whole_case
from yijianshi.cases.models import Case, Task
from yijianshi.commitments.credit import masked_identifier, masked_subject
from yijianshi.commitments.models import Commitment, CreditRecord, Deferral, DeferralNotice, PostCheck


def commitment_view(c: Commitment) -> dict:
    return {
        "item": c.item_code, "item_name": c.item_name, "text_version": c.text_version, "sm3": c.digest,
        "channel": c.channel, "signed_at": c.signed_at, "replaced": c.replaced, "deferred": c.deferred,
    }  # fmt: skip


def deferral_view(d: Deferral, case_number: str) -> dict:
    return {
        "case_id": d.case_id, "case_number": case_number, "key": d.key, "name": d.name, "form": d.form,
        "items": d.items, "due_date": d.due_date, "status": d.status, "status_label": d.get_status_display(),
        "supplied_at": d.supplied_at, "checked_at": d.checked_at, "check_note": d.check_note,
    }  # fmt: skip


def notice_title(notice: DeferralNotice) -> str:
    return _("容缺受理通知书") if notice.entries else _("告知承诺受理通知书")


def notice_view(notice: DeferralNotice) -> dict:
    return {
        "number": notice.number, "title": notice_title(notice), "entries": notice.entries,
        "commitments": notice.commitments, "consequence": notice.consequence, "issued_at": notice.issued_at,
        "pdf_url": reverse("api-v1:deferral_notice_pdf", args=[notice.case_id]),
    }  # fmt: skip


def post_check_view(p: PostCheck, case_number: str) -> dict:
    return {
        "id": p.pk, "case_id": p.case_id, "case_number": case_number, "item_name": p.item_name,
        "department": p.department.name, "rule": p.rule, "due_date": p.due_date, "status": p.status,
        "status_label": p.get_status_display(), "finding": p.finding, "checked_at": p.checked_at,
    }  # fmt: skip


def has_choices(case) -> bool:
    """Whether the applicant signed commitments or deferred materials. Commitments, deferrals, their notice and
    post-checks all follow from those choices, which the plan keeps (`signing.choices_record`): a case without them
    has none of these rows, and its pages need not look."""
    return bool((case.plan or {}).get("choices"))


def case_commitments(case, *, items: set[str] | None = None, post_checks: bool = True) -> dict:
    """A case's commitments, owed materials, notice and post-checks. With `items` (a department's view): only
    what concerns those items, and no notice (it is the applicant's and the window's document). Without
    `post_checks` (the applicant side): no post-checks, whose existence says who was drawn."""
    if not has_choices(case):
        return {"commitments": [], "deferrals": [], "notice": None, "post_checks": []}
    commitments = Commitment.objects.filter(case=case)
    deferrals = Deferral.objects.filter(case=case).order_by("key")
    checks = (
        PostCheck.objects.filter(case=case).select_related("department") if post_checks else PostCheck.objects.none()
    )
    notice = DeferralNotice.objects.filter(case=case).first() if items is None else None
    if items is not None:
        commitments = commitments.filter(item_code__in=items)
        checks = checks.filter(task__item_code__in=items)
    return {
        "commitments": [commitment_view(c) for c in commitments],
        "deferrals": [deferral_view(d, case.number) for d in deferrals if items is None or items & set(d.items)],
        "notice": notice_view(notice) if notice else None,
        "post_checks": [post_check_view(p, case.number) for p in checks],
    }


def case_commitments_for(case, principal) -> dict:
    """`case_commitments` as the caller may see them: the applicant side without post-checks, departments with
    their own items only."""
    user = principal.user
    if user is not None and user.is_applicant:
        return case_commitments(case, post_checks=False)
    if not has_choices(case):
        return case_commitments(case)
    if sees_whole_case(principal, case):
        return case_commitments(case)
    own = Task.objects.filter(case=case, department_id__in=principal.department_ids(scopes.TASK_DECIDE))
    return case_commitments(case, items=set(own.values_list("item_code", flat=True)))


def deferral_queue(principal, *, status: str | None = None):
    """Owed and supplied materials of the cases in the caller's window regions, the earliest deadline first."""
    regions = regions_q(principal, (scopes.CASE_ACCEPT,), field="case__region_code")
    if regions is None:
        return Deferral.objects.none()
    rows = Deferral.objects.filter(regions, case__status=Case.Status.IN_PROGRESS).select_related("case")
    rows = rows.filter(status=status) if status else rows.filter(status__in=Deferral.OPEN_STATUSES)
    return rows.order_by("due_date", "case_id", "key")


def post_check_queue(principal, *, status: str | None = None):
    """The caller's departments' post-checks, pending by default, the earliest deadline first."""
    departments = principal.department_ids(scopes.TASK_DECIDE)
    rows = PostCheck.objects.filter(department_id__in=departments).select_related("case", "department")
    return rows.filter(status=status or PostCheck.Status.PENDING).order_by("due_date", "created_at")


def credit_view(record: CreditRecord, *, masked: bool = True) -> dict:
    return {
        "id": record.pk,
        "id_number": masked_identifier(record.id_number) if masked else record.id_number,
        "subject_name": masked_subject(record.id_number, record.subject_name) if masked else record.subject_name,
        "kind": record.kind, "kind_label": record.get_kind_display(),
        "source": record.source, "reason": record.reason, "reference": record.reference,
        "recorded_at": record.recorded_at, "active": record.is_active, "repaired_at": record.repaired_at,
        "repair_note": record.repair_note,
    }  # fmt: skip

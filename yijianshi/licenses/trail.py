"""数据使用记录: every read of a person's or business's license or profile data by someone other than themselves is
recorded, shown to them (`GET /api/v1/me/data-access`) and to supervisors by department.

Reads repeat (a page is reloaded, a list is paged): the same reader reading the same thing for the same case and
purpose within `REPEAT_WINDOW` is one record: the trail stays readable and still shows every reader, purpose, case.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from yijianshi.accounts import scopes
from yijianshi.accounts.principal import Principal
from yijianshi.licenses.models import DataAccess, License

REPEAT_WINDOW = timedelta(minutes=10)


def _reader_name(principal: Principal) -> str:
    if principal.client is not None:
        return principal.client.name
    user = principal.user
    return (getattr(user, "name", "") or user.username) if user is not None else ""


def is_own(principal: Principal, subject_id: int) -> bool:
    """Whether the caller reads as the subject themselves (or as the organisation they represent)."""
    return subject_id in principal.applicant_ids


def access_record(
    *,
    principal: Principal,
    subject_id: int,
    kind: str,
    purpose: str,
    fields: list[str],
    license: License | None = None,
    department=None,
    case_id=None,
    case_number: str = "",
) -> DataAccess | None:
    """Record a read of `subject_id`'s data by `principal`, unless it is their own or a repeat of the same read."""
    if is_own(principal, subject_id) or (principal.user is None and principal.client is None):
        return None
    recent = DataAccess.objects.filter(
        subject_id=subject_id,
        kind=kind,
        license=license,
        case_id=case_id,
        department=department,
        purpose=purpose[:200],
        accessor=principal.user,
        accessor_client=principal.client,
        accessed_at__gte=timezone.now() - REPEAT_WINDOW,
    )
    if recent.exists():
        return None
    return DataAccess.objects.create(
        subject_id=subject_id,
        kind=kind,
        license=license,
        fields=list(fields),
        accessor=principal.user,
        accessor_client=principal.client,
        accessor_name=_reader_name(principal),
        department=department,
        department_name=department.name if department is not None else "",
        purpose=purpose[:200],
        case_id=case_id,
        case_number=case_number,
    )


def trail_of_subjects(applicant_ids):
    """The records about these applicants (the caller and organisations they represent), newest first."""
    return (
        DataAccess.objects.filter(subject_id__in=applicant_ids)
        .select_related("license")
        .order_by("-accessed_at", "-id")
    )


def trail_for_supervisor(principal: Principal, *, department: str | None = None, subject: str | None = None):
    """Records of reads by departments in the supervisor's regions, optionally one department (by code)."""
    prefixes = principal.region_prefixes(scopes.SUPERVISION_READ)
    if not prefixes:
        return DataAccess.objects.none()
    within = Q()
    for prefix in prefixes:
        within |= Q(department__region__code__startswith=prefix)
    records = DataAccess.objects.filter(within).select_related("subject", "license")
    if department:
        records = records.filter(department__code=department)
    if subject:
        records = records.filter(subject__id_number=subject)
    return records.order_by("-accessed_at", "-id")


def access_view(record: DataAccess, *, for_supervisor: bool = False) -> dict:
    view = {
        "id": record.pk,
        "kind": record.kind,
        "kind_label": record.get_kind_display(),
        "fields": record.fields,
        "license_identifier": record.license.identifier if record.license_id else None,
        "reader": record.accessor_name,
        "department": record.department_name,
        "purpose": record.purpose,
        "case_number": record.case_number,
        "accessed_at": record.accessed_at,
    }
    if for_supervisor:
        view["subject"] = str(record.subject)  # masked name and number
    return view

"""The applicant's own data: their profile (一人一档/一企一档), the consents that let the platform reuse it, and
who has read their licenses and profile (数据使用记录). Supervisors see the same records by department."""

from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from yijianshi.accounts import scopes
from yijianshi.accounts.models import Applicant
from yijianshi.core.errors import InvalidInput, NotFound
from yijianshi.core.pagination import MappedPage, Pagination
from yijianshi.core.schemas import DOMAIN_RULES, ERROR_STATUSES, ErrorOut, Text
from yijianshi.licenses import profiles, trail
from yijianshi.licenses.models import Consent
from yijianshi.licenses.schemas import (
    ConsentIn,
    ConsentOut,
    DataAccessOut,
    ProfileOut,
    SupervisedDataAccessOut,
)

router = Router(tags=["一人一档与数据使用"])


def _applicants_only(principal) -> None:
    """These pages are about one's own data: staff and systems have none here."""
    if principal.user is None or not principal.user.is_applicant:
        raise NotFound()


def own_applicant(principal, applicant_id: int | None, *, refuse_as_input: bool = False) -> Applicant:
    """The applicant the caller asks about: themselves by default, or an organisation they represent. Anyone else
    is not found (reads) or refused by field (writes)."""
    _applicants_only(principal)
    wanted = applicant_id or principal.acting_applicant_id
    if wanted not in principal.applicant_ids:
        if refuse_as_input:
            raise InvalidInput.for_field("applicant_id", _("您不能代表该申请人授权"))
        raise NotFound()
    return Applicant.objects.get(pk=wanted)


@router.get(
    "/me/profile", response={200: ProfileOut, ERROR_STATUSES: ErrorOut}, summary="我的档案（一人一档/一企一档）"
)
def profile_get(request, applicant_id: int | None = Query(None, description="代表的单位；不填表示本人")):
    return profiles.profile_view(own_applicant(request.auth, applicant_id))


@router.get("/me/consents", response={200: list[ConsentOut], ERROR_STATUSES: ErrorOut}, summary="我的授权")
def consent_list(request):
    _applicants_only(request.auth)
    consents = Consent.objects.filter(applicant_id__in=request.auth.applicant_ids).order_by("-granted_at")[:200]
    return [profiles.consent_view(c) for c in consents]


@router.post(
    "/me/consents",
    response={201: ConsentOut, ERROR_STATUSES: ErrorOut},
    summary="授权使用档案信息预填申请表",
    openapi_extra=DOMAIN_RULES,
)
def consent_create(request, payload: ConsentIn):
    applicant = own_applicant(request.auth, payload.applicant_id, refuse_as_input=True)
    consent = profiles.consent_grant(
        applicant=applicant, by=request.auth, purpose=payload.purpose, scope=payload.scope, days=payload.days
    )
    return Status(201, profiles.consent_view(consent))


@router.post(
    "/me/consents/{consent_id}/withdraw", response={200: ConsentOut, ERROR_STATUSES: ErrorOut}, summary="撤回授权"
)
def consent_withdraw(request, consent_id: UUID):
    return profiles.consent_view(profiles.consent_withdraw(consent_id=consent_id, by=request.auth))


@router.get(
    "/me/data-access",
    response={200: list[DataAccessOut], ERROR_STATUSES: ErrorOut},
    summary="我的数据使用记录",
    description="谁（部门、人员或系统）在何时、为何种用途、在哪件办件中查看了您的电子证照或档案信息。",
)
@paginate(Pagination)
def data_access_mine(request):
    _applicants_only(request.auth)
    return MappedPage(trail.trail_of_subjects(request.auth.applicant_ids), trail.access_view)


@router.get(
    "/supervision/data-access",
    response={200: list[SupervisedDataAccessOut], ERROR_STATUSES: ErrorOut},
    summary="数据使用记录（监察）",
    description="监察人员按部门查询本辖区各部门对个人和企业数据的使用记录。",
)
@paginate(Pagination)
def data_access_supervised(
    request,
    department: Text | None = Query(None, max_length=18, description="部门代码"),
    subject: Text | None = Query(None, max_length=18, description="数据主体的证件号码"),
):
    request.auth.require(scopes.SUPERVISION_READ)
    records = trail.trail_for_supervisor(request.auth, department=department, subject=subject)
    return MappedPage(records, lambda record: trail.access_view(record, for_supervisor=True))

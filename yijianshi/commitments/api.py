"""Commitments API: the text to sign, what a case promised and owes, supplying and checking owed materials, the
departments' post-checks, credit records, and the instant-approval switch."""

from uuid import UUID

from django.conf import settings
from ninja import Query, Router, Status
from ninja.pagination import paginate

from yijianshi.accounts import scopes
from yijianshi.accounts.models import Applicant
from yijianshi.cases.access import access_case, access_case_at_window, access_case_for_applicant, sees_whole_case
from yijianshi.catalog.commitment_texts import latest_texts
from yijianshi.catalog.models import ServiceItem
from yijianshi.catalog.models import Status as CatalogStatus
from yijianshi.catalog.services import item_instant_switch
from yijianshi.commitments import credit, deferrals, post_checks, selectors
from yijianshi.commitments.documents import notice_pdf_response
from yijianshi.commitments.models import CreditRecord, DeferralNotice, PostCheck
from yijianshi.commitments.schemas import (
    CaseCommitmentsOut,
    CommitmentTextOut,
    CreditImportIn,
    CreditRecordOut,
    CreditRepairIn,
    DeferralCheckIn,
    DeferralOut,
    DeferralStatusIn,
    InstantSwitchIn,
    InstantSwitchOut,
    PostCheckIn,
    PostCheckOut,
    PostCheckStatusIn,
    SupplyIn,
)
from yijianshi.core.errors import Forbidden, NotFound
from yijianshi.core.pagination import MappedPage, Pagination
from yijianshi.core.schemas import DOMAIN_RULES, ERROR_STATUSES, ErrorOut, Text

router = Router(tags=["告知承诺与信用"])


@router.get(
    "/items/{code}/commitment",
    response={200: CommitmentTextOut, ERROR_STATUSES: ErrorOut},
    auth=None,
    summary="事项现行的告知承诺书",
)
def commitment_text(request, code: Text):
    text = latest_texts([code]).get(code)
    if text is None or text.item.status == CatalogStatus.WITHDRAWN or not text.item.commitment_allowed:
        raise NotFound()
    return {
        "item": code, "item_name": text.item.name, "version": text.version, "conditions": text.conditions,
        "content": text.content, "liability": text.liability, "sm3": text.digest, "published_at": text.published_at,
    }  # fmt: skip


@router.get(
    "/cases/{case_id}/commitments",
    response={200: CaseCommitmentsOut, ERROR_STATUSES: ErrorOut},
    summary="办件的告知承诺、容缺材料、通知书和事后核查",
)
def case_commitments(request, case_id: UUID):
    principal = request.auth
    case = access_case(principal, case_id)
    return selectors.case_commitments_for(case, principal)


@router.get(
    "/cases/{case_id}/deferral-notice.pdf",
    url_name="deferral_notice_pdf",
    response={200: None, ERROR_STATUSES: ErrorOut},
    summary="下载容缺受理通知书（PDF）",
    openapi_extra={"responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}}},
)
def deferral_notice_pdf(request, case_id: UUID):
    case = access_case(request.auth, case_id)
    notice = DeferralNotice.objects.filter(case=case).first() if sees_whole_case(request.auth, case) else None
    if notice is None:
        raise NotFound()
    return notice_pdf_response(case, notice)


@router.post(
    "/cases/{case_id}/deferred/{key}/supply",
    response={200: DeferralOut, ERROR_STATUSES: ErrorOut},
    summary="补交容缺材料",
    openapi_extra=DOMAIN_RULES,
)
def deferred_supply(request, case_id: UUID, key: Text, payload: SupplyIn):
    case = access_case_for_applicant(request.auth, case_id)
    user = request.auth.user
    role = ("applicant" if user.applicant_id == case.applicant_id else "agent") if user.is_applicant else "window_clerk"
    deferral = deferrals.deferred_supply(
        case_id=case.pk, key=key, by=request.auth, role=role, files=[str(f) for f in payload.files]
    )
    return selectors.deferral_view(deferral, case.number)


@router.post(
    "/cases/{case_id}/deferred/{key}/check",
    response={200: DeferralOut, ERROR_STATUSES: ErrorOut},
    summary="核验补交的容缺材料（综合窗口）",
    openapi_extra=DOMAIN_RULES,
)
def deferred_check(request, case_id: UUID, key: Text, payload: DeferralCheckIn):
    case = access_case_at_window(request.auth, case_id)
    deferral = deferrals.deferred_check(
        case_id=case.pk, key=key, by=request.auth, accepted=payload.accepted, note=payload.note
    )
    return selectors.deferral_view(deferral, case.number)


@router.get(
    "/deferrals", response={200: list[DeferralOut], ERROR_STATUSES: ErrorOut}, summary="容缺材料台账（综合窗口）"
)
@paginate(Pagination)
def deferral_list(request, status: DeferralStatusIn | None = Query(None, description="默认：待补交和待核验")):
    request.auth.require(scopes.CASE_ACCEPT)
    rows = selectors.deferral_queue(request.auth, status=status)
    return MappedPage(rows, lambda d: selectors.deferral_view(d, d.case.number))


@router.get("/post-checks", response={200: list[PostCheckOut], ERROR_STATUSES: ErrorOut}, summary="本部门事后核查")
@paginate(Pagination)
def post_check_list(request, status: PostCheckStatusIn | None = Query(None, description="默认：待核查")):
    request.auth.require(scopes.TASK_DECIDE)
    rows = selectors.post_check_queue(request.auth, status=status)
    return MappedPage(rows, lambda p: selectors.post_check_view(p, p.case.number))


@router.post(
    "/post-checks/{check_id}/record",
    response={200: PostCheckOut, ERROR_STATUSES: ErrorOut},
    summary="记录事后核查结果；承诺不实的撤销准予决定和证照并记入信用记录",
    openapi_extra=DOMAIN_RULES,
)
def post_check_record(request, check_id: int, payload: PostCheckIn):
    request.auth.require(scopes.TASK_DECIDE)
    if not PostCheck.objects.filter(
        pk=check_id, department_id__in=request.auth.department_ids(scopes.TASK_DECIDE)
    ).exists():
        raise NotFound()
    check = post_checks.post_check_record(
        check_id=check_id, by=request.auth, result=payload.result, finding=payload.finding
    )
    check = PostCheck.objects.select_related("case", "department").get(pk=check.pk)
    return selectors.post_check_view(check, check.case.number)


@router.get("/me/credit", response={200: list[CreditRecordOut], ERROR_STATUSES: ErrorOut}, summary="我的信用记录")
def my_credit(request):
    principal = request.auth
    if principal.user is None or not principal.user.is_applicant:
        raise NotFound()
    numbers = Applicant.objects.filter(pk__in=principal.applicant_ids).values_list("id_number", flat=True)
    rows = CreditRecord.objects.filter(id_number__in=list(numbers))[:200]
    return [selectors.credit_view(r, masked=False) for r in rows]


def _credit_manager(principal) -> None:
    """Credit marks follow their subject everywhere: keeping them needs the scope over the whole platform (a grant
    covering the deployment's region, YJS_REGION_CODE), not over a district."""
    principal.require(scopes.CREDIT_MANAGE)
    if not principal.covers_region(scopes.CREDIT_MANAGE, settings.YJS_REGION_CODE):
        raise Forbidden()


@router.get(
    "/credit-records", response={200: list[CreditRecordOut], ERROR_STATUSES: ErrorOut}, summary="信用记录（信用管理）"
)
@paginate(Pagination)
def credit_list(
    request,
    id_number: Text | None = Query(None, max_length=30, description="按证件号码查询"),
    active: bool | None = Query(None, description="true：未修复；false：已修复"),
):
    _credit_manager(request.auth)
    rows = CreditRecord.objects.all()
    if id_number:
        rows = rows.filter(id_number=id_number.strip().upper())
    if active is not None:
        rows = rows.filter(repaired_at__isnull=active)
    return MappedPage(rows, selectors.credit_view)


@router.post(
    "/credit-records",
    response={201: list[CreditRecordOut], ERROR_STATUSES: ErrorOut},
    summary="导入严重失信记录（外部信用平台）",
    openapi_extra=DOMAIN_RULES,
)
def credit_import(request, payload: CreditImportIn):
    _credit_manager(request.auth)
    records = credit.credit_import(rows=[r.dict() for r in payload.records], by=request.auth)
    return Status(201, [selectors.credit_view(r) for r in records])


@router.post(
    "/credit-records/{record_id}/repair",
    response={200: CreditRecordOut, ERROR_STATUSES: ErrorOut},
    summary="修复信用记录（信用管理）",
    openapi_extra=DOMAIN_RULES,
)
def credit_repair(request, record_id: int, payload: CreditRepairIn):
    _credit_manager(request.auth)
    if not CreditRecord.objects.filter(pk=record_id).exists():
        raise NotFound()
    return selectors.credit_view(credit.credit_repair_by_hand(record_id=record_id, by=request.auth, note=payload.note))


@router.post(
    "/items/{code}/instant-approval",
    response={200: InstantSwitchOut, ERROR_STATUSES: ErrorOut},
    summary="立即暂停或恢复事项的秒批（目录管理）",
    openapi_extra=DOMAIN_RULES,
)
def instant_switch(request, code: Text, payload: InstantSwitchIn):
    principal = request.auth
    principal.require(scopes.CATALOG_MANAGE)
    item = ServiceItem.objects.select_related("department__region").filter(code=code).first()
    if item is None or not principal.covers_region(scopes.CATALOG_MANAGE, item.department.region.code):
        raise NotFound()
    item_instant_switch(item=item, paused=payload.paused, user=principal.user)
    return {"item": code, "paused": payload.paused}

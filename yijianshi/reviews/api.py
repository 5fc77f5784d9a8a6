"""好差评 API: the applicant rates a completed case (and may change it for a while); supervisors read ratings."""

from uuid import UUID

from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from yijianshi.accounts import scopes
from yijianshi.cases.access import access_case, access_case_for_applicant
from yijianshi.core.errors import NotFound
from yijianshi.core.pagination import MappedPage, Pagination
from yijianshi.core.schemas import DOMAIN_RULES, ERROR_STATUSES, ErrorOut, Text
from yijianshi.reviews import selectors, services
from yijianshi.reviews.models import Review
from yijianshi.reviews.schemas import ReviewIn, ReviewOut

router = Router(tags=["好差评"])


@router.get("/cases/{case_id}/review", response={200: ReviewOut, ERROR_STATUSES: ErrorOut}, summary="办件的评价")
def review_get(request, case_id: UUID):
    case = access_case(request.auth, case_id)
    review = Review.objects.filter(case=case).select_related("case", "applicant").first()
    if review is None:
        raise NotFound()
    applicant_side = request.auth.user is not None and request.auth.user.is_applicant
    return selectors.review_view(review, now=timezone.now(), masked=not applicant_side)


@router.put(
    "/cases/{case_id}/review",
    response={200: ReviewOut, 201: ReviewOut, ERROR_STATUSES: ErrorOut},
    summary="评价办件（一次一评，期限内可修改）",
    openapi_extra=DOMAIN_RULES,
)
def review_put(request, case_id: UUID, payload: ReviewIn):
    case = access_case_for_applicant(request.auth, case_id)
    if not request.auth.user.is_applicant:
        raise NotFound()  # the window's walk-ins rate at the counter's own device, not through a clerk's account
    review, created = services.review_save(
        case_id=case.pk, by=request.auth, level=payload.level, dimensions=payload.dimensions, comment=payload.comment
    )
    review = Review.objects.select_related("case", "applicant").get(pk=review.pk)
    return Status(201 if created else 200, selectors.review_view(review, now=timezone.now()))


@router.get("/reviews", response={200: list[ReviewOut], ERROR_STATUSES: ErrorOut}, summary="好差评（电子监察）")
@paginate(Pagination)
def review_list(
    request,
    level: int | None = Query(None, ge=1, le=5, description="按总体评价筛选"),
    department: Text | None = Query(None, max_length=64, description="按承办部门编码筛选"),
):
    request.auth.require(scopes.SUPERVISION_READ)
    now = timezone.now()
    rows = selectors.reviews_for_supervisor(request.auth, level=level, department=department)
    return MappedPage(rows, lambda r: selectors.review_view(r, now=now, masked=True))

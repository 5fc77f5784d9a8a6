"""Reads of ratings: a case's own, and the supervisors' list of their regions."""

from yijianshi.accounts import scopes
from yijianshi.cases.access import regions_q
from yijianshi.core.masking import mask_name
from yijianshi.reviews.models import ONLINE_DIMENSIONS, Review
from yijianshi.reviews.services import edit_deadline


def review_view(review: Review, *, now, masked: bool = False) -> dict:
    return {
        "case_id": review.case_id,
        "case_number": review.case.number,
        "case_title": review.case.title,
        "applicant_name": mask_name(review.applicant.name) if masked else review.applicant.name,
        "level": review.level,
        "level_label": review.get_level_display(),
        "dimensions": [
            {"key": key, "label": str(label), "level": review.dimensions[key]}
            for key, label in ONLINE_DIMENSIONS.items()
            if key in review.dimensions
        ],
        "comment": review.comment,
        "departments": review.department_codes,
        "channel": review.channel,
        "created_at": review.created_at,
        "updated_at": review.updated_at,
        "revisions": review.revisions,
        "editable_until": edit_deadline(review),
        "editable": now <= edit_deadline(review),
    }


def reviews_for_supervisor(principal, *, level: int | None = None, department: str | None = None):
    regions = regions_q(principal, (scopes.SUPERVISION_READ,), field="case__region_code")
    if regions is None:
        return Review.objects.none()
    rows = Review.objects.filter(regions).select_related("case", "applicant")
    if level:
        rows = rows.filter(level=level)
    if department:
        rows = rows.filter(departments__contains=f"|{department}|")
    return rows

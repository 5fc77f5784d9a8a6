"""Rating a completed case: once per case, changeable for YJS_REVIEW_EDIT_DAYS after the first rating; a bad rating
says why. Each rating and change is sealed into the case's trail."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.cases.events import event_append
from yijianshi.cases.locking import lock_case
from yijianshi.cases.models import Case
from yijianshi.core.errors import Conflict, InvalidInput
from yijianshi.reviews.models import BAD_LEVELS, ONLINE_DIMENSIONS, Level, Review

MAX_COMMENT = 500


def edit_deadline(review: Review) -> datetime.datetime:
    return review.created_at + datetime.timedelta(days=settings.YJS_REVIEW_EDIT_DAYS)


def _checked(level, dimensions: dict, comment: str) -> tuple[int, dict, str]:
    problems = {}
    if level not in Level.values:
        problems["level"] = _("总体评价应为 1（非常不满意）到 5（非常满意）")
    cleaned = {}
    for key, value in (dimensions or {}).items():
        if key not in ONLINE_DIMENSIONS:
            problems[f"dimensions.{key}"] = _("没有这个评价项：%(key)s") % {"key": key}
        elif value not in Level.values:
            problems[f"dimensions.{key}"] = _("“%(name)s”应为 1 到 5") % {"name": ONLINE_DIMENSIONS[key]}
        else:
            cleaned[key] = value
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        problems["comment"] = _("评价内容不能超过 %(n)d 字") % {"n": MAX_COMMENT}
    elif level in BAD_LEVELS and not comment:
        problems["comment"] = _("不满意的评价请写明原因，以便部门整改")
    if problems:
        raise InvalidInput.for_fields(problems)
    return level, cleaned, comment


def review_save(*, case_id, by, level, dimensions: dict | None = None, comment: str = "") -> tuple[Review, bool]:
    """Rate a completed case, or change its rating within the window. Return (review, created)."""
    level, dimensions, comment = _checked(level, dimensions or {}, comment)
    with transaction.atomic():
        case = lock_case(case_id)
        if case.status != Case.Status.COMPLETED:
            raise Conflict(_("办结后才能评价。"), code="case_not_completed")
        now = timezone.now()
        review = Review.objects.select_for_update().filter(case=case).first()
        created = review is None
        if created:
            codes = sorted(set(case.tasks.values_list("department__code", flat=True)))
            departments = "|" + "|".join(codes) + "|" if codes else ""
            review = Review(
                case=case, applicant=case.applicant, reviewed_by=by.user,
                channel=case.channel, departments=departments, created_at=now,
            )  # fmt: skip
        elif now > edit_deadline(review):
            when = timezone.localtime(edit_deadline(review)).strftime("%Y-%m-%d %H:%M")
            raise Conflict(_("评价已于 %(when)s 截止修改。") % {"when": when}, code="review_closed")
        else:
            review.revisions += 1
        review.level, review.dimensions, review.comment, review.updated_at = level, dimensions, comment, now
        review.reviewed_by = by.user
        review.save()
        role = "applicant" if by.user.applicant_id == case.applicant_id else "agent"
        event_append(
            case=case, action="reviewed", by=by, role=role,
            data={"level": level, "dimensions": dimensions, "revision": review.revisions},
        )  # fmt: skip
    return review, created

"""What 我的办件 shows of 好差评: the rating form or the rating given."""

from django.utils import timezone

from yijianshi.cases.models import Case
from yijianshi.reviews.models import ONLINE_DIMENSIONS, Level, Review
from yijianshi.reviews.selectors import review_view


def review_context(case: Case) -> dict:
    # Only a completed case can be rated; the page holds the case already, so it is not read again.
    review = None
    if case.status == Case.Status.COMPLETED:
        review = Review.objects.filter(case=case).select_related("applicant").first()
        if review:
            review.case = case
    shown = review_view(review, now=timezone.now()) if review else None
    given = {d["key"]: d["level"] for d in shown["dimensions"]} if shown else {}
    return {
        "review_allowed": case.status == Case.Status.COMPLETED,
        "review": shown,
        # Labels translated once here, not once per radio button and per option of each dimension's list.
        "review_levels": [(value, str(label)) for value, label in Level.choices],
        "review_dimensions": [
            {"key": key, "label": label, "value": given.get(key)} for key, label in ONLINE_DIMENSIONS.items()
        ],
    }

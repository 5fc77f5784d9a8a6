"""好差评 on 我的办件: rating a completed case, and changing the rating while that is allowed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yijianshi.cases.access import access_case_for_applicant
from yijianshi.cases.pages import attempt, visible
from yijianshi.portal.access import applicant_principal
from yijianshi.reviews import services
from yijianshi.reviews.models import ONLINE_DIMENSIONS


def _number(value: str):
    return int(value) if value in {"1", "2", "3", "4", "5"} else None


@require_POST
@login_required
def my_case_review(request, case_id):
    principal = applicant_principal(request)
    case = visible(access_case_for_applicant, principal, case_id)
    post = request.POST
    dimensions = {key: _number(post.get(f"dim-{key}", "")) for key in ONLINE_DIMENSIONS if post.get(f"dim-{key}")}
    done, errors = attempt(
        request,
        lambda: services.review_save(
            case_id=case.pk, by=principal, level=_number(post.get("level", "")), dimensions=dimensions,
            comment=post.get("comment", ""),
        ),
    )  # fmt: skip
    if done:
        messages.success(request, _("感谢您的评价。"))
    for message in errors.values():
        messages.error(request, message)
    return redirect("portal:my-case", case_id=case.pk)

"""Acting for an organisation: a person who represents one (法定代表人, 经办人) switches between their own and its
context; applications, 我的数据 and the like then belong to the chosen applicant."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yijianshi.accounts.models import Applicant
from yijianshi.accounts.selectors import ACTING_SESSION_KEY
from yijianshi.portal.access import applicant_principal


def context_choices(principal) -> list[dict]:
    """The applicants the person may act as (themselves first), for the switcher; empty when there is no choice."""
    if len(principal.applicant_ids) < 2:
        return []
    own = principal.user.applicant_id
    applicants = sorted(Applicant.objects.filter(pk__in=principal.applicant_ids), key=lambda a: (a.pk != own, a.name))
    return [
        {"id": a.pk, "name": a.name, "kind": a.get_kind_display(), "current": a.pk == principal.acting_applicant_id}
        for a in applicants
    ]


@require_POST
@login_required
def context_switch(request):
    principal = applicant_principal(request)
    wanted = request.POST.get("applicant", "")
    chosen = int(wanted) if wanted.isascii() and wanted.isdigit() and len(wanted) < 12 else None
    if chosen not in principal.applicant_ids:
        messages.error(request, _("您不能代表该申请人办理。"))
    else:
        request.session[ACTING_SESSION_KEY] = chosen
        name = Applicant.objects.get(pk=chosen).name
        messages.success(request, _("现在以“%(name)s”的身份办理。") % {"name": name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "portal:my-cases"
    return redirect(target)

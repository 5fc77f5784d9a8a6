"""Who may use the applicant's own pages (我的办件 and what hangs off it)."""

from django.core.exceptions import PermissionDenied

from yijianshi.accounts import scopes
from yijianshi.cases.pages import principal_of


def applicant_principal(request):
    """The signed-in applicant's principal; staff and users without the right to apply are refused (403)."""
    principal = principal_of(request)
    if not (request.user.is_applicant and principal.has_scope(scopes.CASE_SUBMIT)):
        raise PermissionDenied
    return principal

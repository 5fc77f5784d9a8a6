"""Fetch-and-authorize for accounts objects. Missing and forbidden raise the same NotFound."""

from yijianshi.accounts import scopes
from yijianshi.accounts.models import ApiToken, Applicant
from yijianshi.accounts.principal import Principal
from yijianshi.core.errors import NotFound


def access_applicant(principal: Principal, applicant_id: int) -> tuple[Applicant, bool]:
    """Return the applicant and whether the caller acts for it (and so may see it unmasked).

    An applicant reaches only itself and the organisations it represents; staff holding `applicant.read`
    reach the applicants registered in their regions.
    """
    applicant = Applicant.objects.select_related("region").filter(pk=applicant_id).first()
    if applicant is None:
        raise NotFound()
    if applicant.pk in principal.applicant_ids:
        return applicant, True
    region_code = applicant.region.code if applicant.region_id else None
    if principal.covers_region(scopes.APPLICANT_READ, region_code):
        return applicant, False
    raise NotFound()


def access_token(principal: Principal, token_id: int) -> ApiToken:
    """A user manages their own tokens; account managers manage any."""
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    if principal.user is not None and token.user_id == principal.user.pk:
        return token
    if principal.has_scope(scopes.ACCOUNTS_MANAGE):
        return token
    raise NotFound()

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


def token_holder_regions(token: ApiToken) -> list[str | None]:
    """Where a token's holder belongs: an API client's department region, a staff member's assigned regions,
    an applicant's registered region (None when unknown)."""
    if token.client_id is not None:
        return [token.client.department.region.code]
    user = token.user
    if user.is_applicant:
        return [user.applicant.region.code if user.applicant.region_id else None]
    return [assignment.region.code for assignment in user.assignments.select_related("region")] or [None]


def access_token(principal: Principal, token_id: int) -> ApiToken:
    """A user or API client manages its own tokens; account managers manage the tokens of people and systems
    in their regions. API clients never manage anyone else's."""
    token = (
        ApiToken.objects.select_related("user__applicant__region", "client__department__region")
        .filter(pk=token_id)
        .first()
    )
    if token is None:
        raise NotFound()
    if principal.user is not None and token.user_id == principal.user.pk:
        return token
    if principal.client is not None:
        if token.client_id == principal.client.pk:
            return token
        raise NotFound()
    if all(principal.covers_region(scopes.ACCOUNTS_MANAGE, code) for code in token_holder_regions(token)):
        return token
    raise NotFound()

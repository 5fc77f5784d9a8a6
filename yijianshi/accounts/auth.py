"""API authentication: bearer tokens for programs and apps, the session cookie for the platform's own pages.

Both resolve to a Principal, available to endpoints as `request.auth`.
"""

from ninja.security import HttpBearer, SessionAuth

from yijianshi.accounts.principal import ANONYMOUS
from yijianshi.accounts.selectors import principal_for_session, principal_for_token


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        principal = principal_for_token(token)
        request.principal = principal  # for the request log: who read what
        return principal


class SessionPrincipalAuth(SessionAuth):
    """The logged-in browser session (CSRF-checked by Ninja for unsafe methods).

    A request without a session cookie is not a session call at all, so it is not CSRF-checked either: a program
    posting to a public endpoint (a plan) carries no cookie and must not be refused for want of a CSRF token.
    """

    def _get_key(self, request):
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        request.principal = principal_for_session(user, request.session)
        return request.principal


API_AUTH = [BearerTokenAuth(), SessionPrincipalAuth()]


class AnonymousAllowed:
    """Last in a list: a caller without credentials is the anonymous principal. A caller *with* a bearer token that
    the bearer check refused is not — a bad token still answers 401 rather than silently seeing less."""

    def __call__(self, request):
        if "Authorization" in request.headers:
            return None
        request.principal = ANONYMOUS
        return ANONYMOUS


# For public reads (the catalog, guides, plans): anyone, and signed-in callers are recognised.
PUBLIC_AUTH = [*API_AUTH, AnonymousAllowed()]


def public_openapi() -> dict:
    """openapi_extra for public operations: an empty requirement makes credentials optional in the document."""
    return {"security": [{}]}

from django.conf import settings

from yijianshi.cases.pages import principal_of
from yijianshi.portal.views_context import context_choices
from yijianshi.portal.views_kiosk import has_pending_signin, is_kiosk_session

# The kiosk warns this long before it signs out (less when the idle time is short).
KIOSK_WARNING_SECONDS = 20


def acting(request):
    """For a person who represents organisations: whom they may act as, for the switcher in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_applicant or user.kind != "person":
        return {"acting_choices": []}
    return {"acting_choices": context_choices(principal_of(request))}


def kiosk(request):
    """On /kiosk/ pages and in kiosk sessions: what the kiosk stylesheet, script and countdown need (`kiosk`).

    A page rendered in a kiosk session renews the session's idle expiry: Django saves a session, and so moves the
    expiry set at kiosk sign-in, only when it changed."""
    session = is_kiosk_session(request)
    match = getattr(request, "resolver_match", None)
    if not session and not (match is not None and match.namespace == "kiosk"):
        return {"kiosk": None}
    if session:
        request.session.modified = True
    idle = settings.YJS_KIOSK_IDLE_SECONDS
    return {
        "kiosk": {
            "session": session,
            "idle_seconds": idle,
            "warning_seconds": min(KIOSK_WARNING_SECONDS, idle // 2),
            # Whether the idle timer runs from the start; otherwise from the first touch (nothing to clear before).
            "armed": session or has_pending_signin(request),
        }
    }

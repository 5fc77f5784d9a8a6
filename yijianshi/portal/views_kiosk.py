"""自助终端 (kiosk, /kiosk/): a terminal in a service hall. People sign in with their citizen ID and a one-time SMS
code typed on an on-screen keypad (no username, no password), find big tiles into the portal, and are signed out
after YJS_KIOSK_IDLE_SECONDS without a touch.

A kiosk session is an ordinary login marked in the session, whose expiry is the idle time. Django saves a session,
and so moves its expiry, only when it changed: every page rendered in a kiosk session marks it changed
(portal.context_processors.kiosk), and core/kiosk.js renews it through `alive` while the person reads a page. The
script also warns before the end and signs out, back to the kiosk's own sign-in.
"""

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from yijianshi.accounts import login_codes
from yijianshi.catalog.models import LifeEvent
from yijianshi.catalog.selectors import life_event_summaries
from yijianshi.core.errors import DomainError, InvalidInput
from yijianshi.core.masking import mask_citizen_id
from yijianshi.portal.access import applicant_principal

KIOSK_SESSION_KEY = "kiosk"
# The ID a code was asked for, until it is redeemed: the code step needs it, and the page shows it masked.
PENDING_ID_KEY = "kiosk_citizen_id"
# The kiosk signs people in without a password; the model backend restores them on later requests.
BACKEND = "django.contrib.auth.backends.ModelBackend"


def is_kiosk_session(request) -> bool:
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return bool(user is not None and user.is_authenticated and session and session.get(KIOSK_SESSION_KEY) is True)


def has_pending_signin(request) -> bool:
    session = getattr(request, "session", None)
    return bool(session and session.get(PENDING_ID_KEY))


def _refused(request, template: str, context: dict, error: DomainError):
    """The page again with the error; a throttled request keeps its 429 and Retry-After."""
    response = render(request, template, {**context, "error": error.message}, status=error.status)
    for header, value in error.headers.items():
        response[header] = value
    return response


def _code_context(citizen_id: str) -> dict:
    return {
        "masked_id": mask_citizen_id(citizen_id),
        "minutes": math.ceil(settings.YJS_LOGIN_CODE_TTL_SECONDS / 60),
    }


@never_cache
def signin(request):
    """Step 1: the citizen ID, typed on the keypad; 获取验证码 sends the code (if the ID has an account)."""
    if is_kiosk_session(request):
        return redirect("kiosk:home")
    if request.method != "POST":
        return render(request, "portal/kiosk/signin.html", {"citizen_id": request.session.get(PENDING_ID_KEY, "")})
    typed = request.POST.get("citizen_id", "")
    try:
        citizen_id = login_codes.citizen_id_checked(typed)
    except InvalidInput as error:
        return _refused(request, "portal/kiosk/signin.html", {"citizen_id": typed[:18]}, error)
    request.session[PENDING_ID_KEY] = citizen_id
    try:
        login_codes.login_code_send(citizen_id=citizen_id)
    except login_codes.CodeThrottled as error:
        # A code sent moments ago may still be on its way: the code step stays open.
        return _refused(request, "portal/kiosk/code.html", _code_context(citizen_id), error)
    return redirect("kiosk:code")


@never_cache
def code(request):
    """Step 2: the code from the SMS, typed on the keypad; a right one signs the person in for this kiosk session."""
    citizen_id = request.session.get(PENDING_ID_KEY)
    if not citizen_id:
        return redirect("kiosk:signin")
    context = _code_context(citizen_id)
    if request.method != "POST":
        return render(request, "portal/kiosk/code.html", context)
    if request.POST.get("action") == "resend":
        try:
            login_codes.login_code_send(citizen_id=citizen_id)
        except login_codes.CodeThrottled as error:
            return _refused(request, "portal/kiosk/code.html", context, error)
        messages.info(request, _("已重新发送验证码，请以最新一条短信为准。"))
        return redirect("kiosk:code")
    try:
        user = login_codes.login_code_redeem(citizen_id=citizen_id, code=request.POST.get("code", ""))
    except InvalidInput as error:
        return _refused(request, "portal/kiosk/code.html", context, error)
    del request.session[PENDING_ID_KEY]
    login(request, user, backend=BACKEND)
    request.session[KIOSK_SESSION_KEY] = True
    request.session.set_expiry(settings.YJS_KIOSK_IDLE_SECONDS)
    return redirect("kiosk:home")


@never_cache
def home(request):
    """The tiles: 办事, 我的办件, 我的证照, 退出."""
    if not request.user.is_authenticated:
        return redirect("kiosk:signin")
    applicant_principal(request)  # staff have nothing to do here (403)
    return render(request, "portal/kiosk/home.html")


def events(request):
    """办事: every 一件事 as a big tile, people's first, each opening its guide (在线申请 from there)."""
    summaries = life_event_summaries()
    groups = [
        {"audience": audience, "events": [s for s in summaries if s["audience"] == audience]}
        for audience in LifeEvent.Audience.values
    ]
    return render(request, "portal/kiosk/events.html", {"groups": [g for g in groups if g["events"]]})


@require_POST
def signout(request):
    """退出, or the idle timer's sign-out: end the session, forget the ID typed, and show the kiosk's sign-in."""
    idle = request.POST.get("reason") == "idle"
    logout(request)
    if idle:
        messages.info(request, _("因长时间无操作，已自动退出，本次输入的信息已清除。"))
    else:
        messages.success(request, _("已安全退出。请带好您的身份证件和随身物品。"))
    return redirect("kiosk:signin")


@never_cache
@require_GET
def alive(request):
    """Renew a kiosk session's idle time while the person touches a page without loading another: 204 while the
    session lasts, 401 once it has ended."""
    if not is_kiosk_session(request):
        return HttpResponse(status=401)
    request.session.modified = True
    return HttpResponse(status=204)

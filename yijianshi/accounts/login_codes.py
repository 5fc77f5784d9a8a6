"""One-time sign-in codes (短信验证码) for the self-service kiosk: asked for by citizen ID, sent to the mobile the
person's account registered, good once, for a few minutes and a few tries.

Nothing here tells a registered ID from any other: every valid ID gets a stored code (an unregistered one's is never
sent), the same throttling and the same answers. Only HMAC-SM3 digests of the ID and of the code are stored, under
a key derived from SECRET_KEY for this purpose alone.

The limits mirror the password lockout (django-axes, ADR 0005) without sharing its count: counted there, wrong codes
typed at a service hall would lock the person's password login from the hall's shared address, and axes would answer
for registered IDs only. Here a code takes YJS_LOGIN_CODE_MAX_TRIES wrong tries, then is spent; an ID gets a new code
at most every YJS_LOGIN_CODE_RESEND_SECONDS and YJS_LOGIN_CODE_SENDS_PER_HOUR times an hour; a refusal answers 429
with Retry-After, as a locked-out login does. At most sends × tries guesses an hour reach one ID's 10⁶ codes.
"""

import hmac
import math
import re
import secrets
import unicodedata
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yijianshi.accounts.models import LoginCode, User
from yijianshi.core.crypto import hmac_sm3_hex, sm3_hex
from yijianshi.core.errors import DomainError, InvalidInput
from yijianshi.core.identifiers import CITIZEN_ID_TYPE, validate_citizen_id
from yijianshi.notifications import tasks

CODE_LENGTH = 6
THROTTLE_WINDOW = timedelta(hours=1)
KEY_PURPOSE = b"yijianshi.accounts.login_codes"
MOBILE = re.compile(r"1[3-9][0-9]{9}")


class CodeThrottled(DomainError):
    """A new code was asked for too soon after the last one, or too often within the hour."""

    status = 429
    code = "throttled"
    default_message = gettext_lazy("获取验证码过于频繁，请稍后再试。")


def _key() -> bytes:
    # Derived at each call: settings are not read at import time, and a rotated SECRET_KEY ends outstanding codes.
    return bytes.fromhex(sm3_hex(KEY_PURPOSE + settings.SECRET_KEY.encode()))


def _id_digest(citizen_id: str) -> str:
    return hmac_sm3_hex(_key(), b"citizen-id:" + citizen_id.encode())


def _code_digest(id_digest: str, code: str) -> str:
    return hmac_sm3_hex(_key(), f"code:{id_digest}:{code}".encode())


def citizen_id_checked(value: str) -> str:
    """Return the compact citizen ID (checksum checked), or raise InvalidInput under `citizen_id` naming the field."""
    if not (value or "").strip():
        raise InvalidInput.for_field("citizen_id", _("请输入居民身份证号。"))
    try:
        return validate_citizen_id(value)
    except ValidationError as error:
        message = _("居民身份证号有误：%(reason)s") % {"reason": " ".join(error.messages)}
        raise InvalidInput.for_field("citizen_id", message) from error


def _account(citizen_id: str) -> User | None:
    """The person's own active account for the ID: applicants only, never staff or organisation accounts."""
    return (
        User.objects.select_related("applicant")
        .filter(
            kind=User.Kind.PERSON,
            is_active=True,
            applicant__id_type=CITIZEN_ID_TYPE,
            applicant__id_number=citizen_id,
        )
        .first()
    )


def _mobile(user: User | None) -> str:
    phone = (user.phone or user.applicant.phone) if user is not None else ""
    return phone if MOBILE.fullmatch(phone) else ""


def _wait_seconds(id_digest: str, now: datetime) -> int:
    """How long the ID must wait for its next code; 0 when it may have one now."""
    recent = list(
        LoginCode.objects.filter(id_digest=id_digest, created_at__gt=now - THROTTLE_WINDOW)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: settings.YJS_LOGIN_CODE_SENDS_PER_HOUR]
    )
    waits = [0.0]
    if recent:
        waits.append(settings.YJS_LOGIN_CODE_RESEND_SECONDS - (now - recent[0]).total_seconds())
    if len(recent) >= settings.YJS_LOGIN_CODE_SENDS_PER_HOUR:
        waits.append((recent[-1] + THROTTLE_WINDOW - now).total_seconds())
    return math.ceil(max(waits))


def _throttled(seconds: int) -> CodeThrottled:
    if seconds <= 90:
        message = _("获取验证码过于频繁，请 %(seconds)d 秒后再试。") % {"seconds": seconds}
    else:
        message = _("获取验证码次数过多，请 %(minutes)d 分钟后再试。") % {"minutes": math.ceil(seconds / 60)}
    return CodeThrottled(message, headers={"Retry-After": str(seconds)})


@transaction.atomic
def login_code_send(*, citizen_id: str) -> str:
    """Issue a new code for the citizen ID and queue its SMS to the account's registered mobile, if there is one.

    Return the compact citizen ID, which `login_code_redeem` takes. Raise InvalidInput for an ID that fails its
    checksum, CodeThrottled when the ID asked too recently or too often. The result never says whether the ID has an
    account, and the SMS is a job queued after commit, so that a slow or failing gateway does not say it either.
    """
    citizen_id = citizen_id_checked(citizen_id)
    now = timezone.now()
    id_digest = _id_digest(citizen_id)
    wait = _wait_seconds(id_digest, now)
    if wait > 0:
        raise _throttled(wait)
    # Rows older than the throttle window decide nothing any more; a successful login is in axes' access log.
    LoginCode.objects.filter(created_at__lt=now - THROTTLE_WINDOW).delete()
    code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
    user = _account(citizen_id)
    ttl = settings.YJS_LOGIN_CODE_TTL_SECONDS
    login_code = LoginCode(
        id_digest=id_digest,
        code_digest=_code_digest(id_digest, code),
        user=user,
        created_at=now,
        expires_at=now + timedelta(seconds=ttl),
    )
    login_code.full_clean()
    login_code.save()
    phone = _mobile(user)
    if phone:
        text = _(
            "【%(signature)s】验证码 %(code)s，用于自助终端登录，%(minutes)d 分钟内有效。"
            "请勿告诉他人，工作人员不会索要验证码。"
        ) % {"signature": settings.YJS_SMS_SIGNATURE, "code": code, "minutes": math.ceil(ttl / 60)}
        transaction.on_commit(lambda: tasks.send_sms(phone, text), robust=True)
    return citizen_id


def _code_typed(value: str) -> str:
    """Full-width digits, as Chinese input methods type them, count; spaces between digits do not."""
    code = unicodedata.normalize("NFKC", value or "").replace(" ", "")
    if not (len(code) == CODE_LENGTH and code.isascii() and code.isdigit()):
        raise InvalidInput.for_field("code", _("请输入短信中的 %(n)d 位数字验证码。") % {"n": CODE_LENGTH})
    return code


def _refusal(login_code: LoginCode | None, now: datetime) -> str:
    """Why this code can no longer be tried, or "" when it can."""
    again = _("请重新获取验证码。")
    if login_code is None:
        return _("请先获取验证码。")
    if login_code.used_at is not None:
        return _("该验证码已使用过。") + again
    if login_code.failed_attempts >= settings.YJS_LOGIN_CODE_MAX_TRIES:
        return _("验证码错误次数过多，已失效。") + again
    if login_code.expires_at <= now:
        minutes = math.ceil(settings.YJS_LOGIN_CODE_TTL_SECONDS / 60)
        return _("验证码已过期（有效期 %(minutes)d 分钟）。") % {"minutes": minutes} + again
    return ""


def login_code_redeem(*, citizen_id: str, code: str) -> User:
    """Spend the newest code issued for the citizen ID and return the account it signs in.

    Raise InvalidInput under `code` when there is no code, or it was used, has had its tries, expired or is wrong;
    a wrong code counts a try, which stays counted. The code's row is locked (select_for_update) while this decides.
    """
    citizen_id = citizen_id_checked(citizen_id)
    code = _code_typed(code)
    now = timezone.now()
    id_digest = _id_digest(citizen_id)
    with transaction.atomic():
        login_code = (
            LoginCode.objects.select_for_update().filter(id_digest=id_digest).order_by("-created_at", "-pk").first()
        )
        problem = _refusal(login_code, now)
        if not problem:
            matches = hmac.compare_digest(login_code.code_digest, _code_digest(id_digest, code))
            # The account must still be the one the code went to (not deactivated, not turned into staff meanwhile).
            account = _account(citizen_id) if matches else None
            if account is not None and account.pk == login_code.user_id:
                login_code.used_at = now
                login_code.save(update_fields=["used_at"])
                return account
            login_code.failed_attempts += 1
            login_code.save(update_fields=["failed_attempts"])
            left = settings.YJS_LOGIN_CODE_MAX_TRIES - login_code.failed_attempts
            if left > 0:
                problem = _("验证码不正确，请核对最新一条短信后重新输入（还可尝试 %(left)d 次）。") % {"left": left}
            else:
                problem = _("验证码不正确，错误次数已达上限，该验证码已失效。") + _("请重新获取验证码。")
    # Raised after the block, so that the counted try is committed rather than rolled back.
    raise InvalidInput.for_field("code", problem)

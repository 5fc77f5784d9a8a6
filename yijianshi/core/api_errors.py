"""Map every failure under /api/ to one JSON shape: {"code", "message", "fields"}.

Pydantic's English messages become Chinese ones that name the field. Django validation errors from services
become 422. Anything unexpected becomes a logged 500 with no internals in the body.
"""

import json
import logging

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from yijianshi.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotAuthenticated, NotFound
from yijianshi.core.schemas import NO_NUL_PATTERN, REGION_CODE_PATTERN

logger = logging.getLogger(__name__)


class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese text as itself, not as \\u escapes: readable in logs, curl and browsers."""

    json_dumps_params = {"ensure_ascii": False}


class MalformedBody(ValueError):
    """A request body the API refuses before validation; carries the message and the offending field."""

    def __init__(self, message=None, field: str = "body"):
        self.message = str(message or _("请求体不是有效的 JSON。"))
        self.field = field
        super().__init__(self.message)


NUL = "\x00"


def nul_character_path(data, path: str = "") -> str | None:
    """The path of the first key or string value holding a NUL character, which no database stores."""
    if isinstance(data, str):
        return path or "body" if NUL in data else None
    if isinstance(data, dict):
        for key, value in data.items():
            child = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return child
            found = nul_character_path(value, child)
            if found:
                return found
    if isinstance(data, list):
        for index, value in enumerate(data):
            found = nul_character_path(value, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


def nul_character_message() -> str:
    return _("不能包含空字符（\\u0000）。")


class JsonBodyParser(Parser):
    """Ninja's JSON parser, but a body that is not JSON, or holds NUL characters, is invalid input,
    and a query parameter that takes one value may not be given twice (rather than silently keep the last).
    """

    def parse_querydict(self, data, list_fields, request):
        for key in data:
            if key not in list_fields and len(data.getlist(key)) > 1:
                raise InvalidInput.for_fields({key: _("只能提供一个值")})
        return super().parse_querydict(data, list_fields, request)

    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError) as error:  # RecursionError: nesting deeper than Python parses
            raise MalformedBody() from error
        field = nul_character_path(data)
        if field:
            raise MalformedBody(nul_character_message(), field=field)
        return data


def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("此项为必填项"),
        "string_type": _("应为文本"),
        "string_too_short": _("长度不能少于 %(n)s 个字符") % {"n": ctx.get("min_length")},
        "string_too_long": _("长度不能超过 %(n)s 个字符") % {"n": ctx.get("max_length")},
        "string_pattern_mismatch": _("格式不正确"),
        "int_type": _("应为整数"),
        "int_parsing": _("应为整数"),
        "int_from_float": _("应为整数"),
        "float_type": _("应为数字"),
        "float_parsing": _("应为数字"),
        "bool_type": _("应为 true 或 false"),
        "bool_parsing": _("应为 true 或 false"),
        "greater_than": _("应大于 %(n)s") % {"n": ctx.get("gt")},
        "greater_than_equal": _("不能小于 %(n)s") % {"n": ctx.get("ge")},
        "less_than": _("应小于 %(n)s") % {"n": ctx.get("lt")},
        "less_than_equal": _("不能大于 %(n)s") % {"n": ctx.get("le")},
        "literal_error": _("取值应为：%(v)s") % {"v": ctx.get("expected")},
        "enum": _("取值应为：%(v)s") % {"v": ctx.get("expected")},
        "dict_type": _("应为对象"),
        "model_type": _("应为对象"),
        "model_attributes_type": _("应为对象"),
        "list_type": _("应为列表"),
        "too_short": _("至少需要 %(n)s 项") % {"n": ctx.get("min_length")},
        "too_long": _("最多允许 %(n)s 项") % {"n": ctx.get("max_length")},
        "extra_forbidden": _("不允许的字段"),
        "date_type": _("应为日期（YYYY-MM-DD）"),
        "date_parsing": _("应为日期（YYYY-MM-DD）"),
        "date_from_datetime_parsing": _("应为日期（YYYY-MM-DD）"),
        "datetime_type": _("应为日期时间（ISO 8601）"),
        "datetime_parsing": _("应为日期时间（ISO 8601）"),
        "datetime_from_date_parsing": _("应为日期时间（ISO 8601）"),
        "uuid_type": _("应为 UUID"),
        "uuid_parsing": _("应为 UUID"),
        "string_unicode": _("应为有效的文本"),
    }
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == NO_NUL_PATTERN:
            return nul_character_message()
        if ctx.get("pattern") == REGION_CODE_PATTERN:
            return _("行政区划代码应为 12 位数字。")
    if kind in messages:
        return messages[kind]
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    return _("取值无效")


def _field_path(loc) -> str:
    """("body", "payload", "username") → "username"; ("query", "limit") → "limit"."""
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else ["body"]
    elif parts and parts[0] in ("query", "path", "header", "cookie", "form", "file"):
        parts = parts[1:] or parts
    return ".".join(parts) or "body"


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}}


def domain_error_response(api, request, error: DomainError):
    response = api.create_response(request, error_body(error.code, error.message, error.fields), status=error.status)
    for header, value in error.headers.items():
        response[header] = value
    return response


def register(api) -> None:
    """Install the handlers on a NinjaAPI instance."""

    def respond(request, error: DomainError):
        return domain_error_response(api, request, error)

    @api.exception_handler(DomainError)
    def on_domain_error(request, exc):
        return respond(request, exc)

    @api.exception_handler(NinjaValidationError)
    def on_validation_error(request, exc):
        # An upload handler that refused an oversized file leaves the reason here; "missing" would mislead.
        fields: dict[str, str] = dict(getattr(request, "refused_uploads", {}))
        for error in exc.errors:
            fields.setdefault(_field_path(error.get("loc", ())), _pydantic_message(error))
        return respond(request, InvalidInput.for_fields(fields))

    @api.exception_handler(DjangoValidationError)
    def on_django_validation_error(request, exc):
        if hasattr(exc, "error_dict"):
            fields = {
                ("non_field" if name == "__all__" else name): " ".join(messages)
                for name, messages in exc.message_dict.items()
            }
        else:
            fields = {"non_field": " ".join(exc.messages)}
        return respond(request, InvalidInput.for_fields(fields))

    @api.exception_handler(AuthenticationError)
    def on_authentication_error(request, exc):
        return respond(request, NotAuthenticated())

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        if isinstance(exc.__cause__, MalformedBody):
            cause = exc.__cause__
            return respond(request, InvalidInput.for_fields({cause.field: cause.message}))
        if exc.status_code == 403 and "CSRF" in str(exc):
            return respond(request, Forbidden(_("安全校验失败（CSRF），请刷新页面后重试。"), code="csrf_failed"))
        return api.create_response(request, status_error_body(exc.status_code), status=exc.status_code)

    @api.exception_handler(Http404)
    def on_http404(request, exc):
        return respond(request, NotFound())

    @api.exception_handler(ObjectDoesNotExist)
    def on_does_not_exist(request, exc):
        return respond(request, NotFound())

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request, exc):
        return respond(request, Forbidden())

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc):
        return api.create_response(request, status_error_body(413), status=413)

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request, exc):
        logger.warning("suspicious request refused", extra={"error": type(exc).__name__})
        return api.create_response(request, status_error_body(400), status=400)

    @api.exception_handler(IntegrityError)
    def on_integrity_error(request, exc):
        logger.warning("integrity error turned into conflict", extra={"error": str(exc)})
        return respond(request, Conflict())

    @api.exception_handler(Exception)
    def on_unexpected(request, exc):
        logger.exception("unhandled API error", extra={"path": request.path})
        return api.create_response(request, status_error_body(500), status=500)


STATUS_MESSAGES = {
    400: ("bad_request", gettext_lazy("请求格式不正确。")),
    401: ("unauthenticated", gettext_lazy("请先登录，或所用令牌无效、已过期、已撤销。")),
    403: ("forbidden", gettext_lazy("您没有执行此操作的权限。")),
    404: ("not_found", gettext_lazy("未找到该对象，或您无权查看。")),
    405: ("method_not_allowed", gettext_lazy("不支持该请求方法。")),
    406: ("not_acceptable", gettext_lazy("无法提供所要求的响应格式。")),
    409: ("conflict", gettext_lazy("操作与当前状态冲突，请刷新后重试。")),
    413: ("too_large", gettext_lazy("请求内容过大。")),
    415: ("unsupported_media_type", gettext_lazy("不支持的请求内容类型。")),
    429: ("too_many_requests", gettext_lazy("请求过于频繁，请稍后再试。")),
    500: ("server_error", gettext_lazy("服务器内部错误，已记录，请稍后重试。")),
    503: ("unavailable", gettext_lazy("服务暂时不可用，请稍后重试。")),
}


def status_error_body(status: int) -> dict:
    code, message = STATUS_MESSAGES.get(status, (f"http_{status}", gettext_lazy("请求未能完成。")))
    return error_body(code, message)


def json_error_response(status: int, body: dict | None = None) -> JsonResponse:
    return JsonResponse(body or status_error_body(status), status=status, json_dumps_params={"ensure_ascii": False})

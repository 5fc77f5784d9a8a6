"""Domain errors: one base class, mapped to HTTP responses in one place (config/api.py).

Every error carries a stable `code` for programs, a Chinese `message` for people and, for invalid input,
`fields`: the message for each offending field, keyed by the field's path.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A request the platform understood but will not carry out."""

    status = 400
    code = "bad_request"
    default_message = _("请求无法处理。")

    def __init__(
        self, message=None, *, fields: dict | None = None, code: str | None = None, headers: dict | None = None
    ):
        self.message = str(message or self.default_message)
        self.fields = {key: str(value) for key, value in (fields or {}).items()}
        self.headers = dict(headers or {})
        if code:
            self.code = code
        super().__init__(self.message)


class InvalidInput(DomainError):
    status = 422
    code = "invalid"
    default_message = _("提交的内容有误，请检查标出的字段。")

    MAX_LISTED_FIELDS = 5

    @classmethod
    def for_field(cls, field: str, message) -> "InvalidInput":
        """Raise-ready error for a single field; the message names the problem."""
        return cls(message, fields={field: message})

    @classmethod
    def for_fields(cls, fields: dict) -> "InvalidInput":
        """An error whose message lists each field and what is wrong with it."""
        listed = [f"{name}：{message}" for name, message in list(fields.items())[: cls.MAX_LISTED_FIELDS]]
        detail = "；".join(listed)
        if len(fields) > len(listed):
            detail += _("；另有 %(n)d 处") % {"n": len(fields) - len(listed)}
        return cls(_("提交的内容有误（%(detail)s）。") % {"detail": detail}, fields=fields)


class NotAuthenticated(DomainError):
    status = 401
    code = "unauthenticated"
    default_message = _("请先登录，或所用令牌无效、已过期、已撤销。")


class Forbidden(DomainError):
    """The caller lacks the scope for an action. Never used for objects: those answer NotFound."""

    status = 403
    code = "forbidden"
    default_message = _("您没有执行此操作的权限。")


class NotFound(DomainError):
    """The object does not exist, or the caller may not see it: both look the same."""

    status = 404
    code = "not_found"
    default_message = _("未找到该对象，或您无权查看。")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("操作与当前状态冲突，请刷新后重试。")


class LockedOut(DomainError):
    status = 429
    code = "locked_out"
    default_message = _("登录失败次数过多，账户已被暂时锁定，请稍后再试。")

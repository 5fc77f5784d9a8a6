"""Request logging: one structured line per request, with a request id echoed in the response."""

import logging
import time
import uuid

from yijianshi.core.api_errors import NUL, error_body, json_error_response, nul_character_message
from yijianshi.core.errors import InvalidInput

logger = logging.getLogger("yijianshi.request")

SKIPPED_PREFIXES = ("/static/", "/healthz")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        if not request.path.startswith(SKIPPED_PREFIXES):
            user_id, client_id = self._caller(request)
            logger.info(
                "request",
                extra={
                    "request_id": request.request_id,
                    "method": request.method,
                    "path": request.get_full_path(),
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user_id,
                    "client_id": client_id,
                },
            )
        return response

    @staticmethod
    def _caller(request) -> tuple[int | None, int | None]:
        """The user or API client behind the request: a bearer token's holder, else the session's user."""
        principal = getattr(request, "principal", None)
        if principal is not None:
            return (principal.user.pk if principal.user else None, principal.client.pk if principal.client else None)
        user = getattr(request, "user", None)
        return (user.pk if user is not None and user.is_authenticated else None, None)


class ApiErrorShapeMiddleware:
    """Give every error under /api/ the API's JSON error shape, whoever produced it.

    Ninja's handlers already do; this catches the rest: Django's 404 for unknown paths, Ninja's 405,
    oversized bodies and anything a middleware answered. It also refuses NUL characters in API paths and
    query values before they reach a database that cannot store them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            field = self._nul_field(request)
            if field:
                message = nul_character_message()
                return json_error_response(
                    InvalidInput.status, error_body(InvalidInput.code, message, {field: message})
                )
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replacement = json_error_response(response.status_code)
            for header in ("Allow", "Retry-After", "X-Request-ID"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response

    @staticmethod
    def _nul_field(request) -> str | None:
        """Path segments and query values reach the database; none may hold a NUL character."""
        if NUL in request.path:
            return "path"
        for name, values in request.GET.lists():
            if NUL in name or any(NUL in value for value in values):
                return name
        return None

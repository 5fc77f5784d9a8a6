"""What a locked-out login sees: the API error shape under /api/, a Chinese page elsewhere."""

from django.shortcuts import render

from yijianshi.accounts.services import lockout_headers, lockout_message
from yijianshi.core.api_errors import error_body, json_error_response
from yijianshi.core.errors import LockedOut


def lockout_response(request, original_response=None, credentials=None):
    message = lockout_message()
    if request.path.startswith("/api/"):
        response = json_error_response(LockedOut.status, error_body(LockedOut.code, message))
    else:
        response = render(request, "accounts/locked_out.html", {"message": message}, status=LockedOut.status)
    for header, value in lockout_headers().items():
        response[header] = value
    return response

"""What a locked-out login sees: the API error shape under /api/, a Chinese page elsewhere."""

from django.http import JsonResponse
from django.shortcuts import render

from yijianshi.accounts.services import lockout_message
from yijianshi.core.errors import LockedOut


def lockout_response(request, original_response=None, credentials=None):
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"code": LockedOut.code, "message": message, "fields": {}}, status=LockedOut.status)
    return render(request, "accounts/locked_out.html", {"message": message}, status=LockedOut.status)

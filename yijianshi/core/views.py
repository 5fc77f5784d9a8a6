from django.http import HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yijianshi.core.api_errors import json_error_response
from yijianshi.core.care_mode import CARE_MODE_COOKIE, CARE_MODE_MAX_AGE, is_care_mode


@require_POST
def care_mode_toggle(request):
    """Switch 关怀版 on or off and return to the page the visitor came from."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if is_care_mode(request):
        response.delete_cookie(CARE_MODE_COOKIE)
    else:
        response.set_cookie(CARE_MODE_COOKIE, "1", max_age=CARE_MODE_MAX_AGE, samesite="Lax", httponly=True)
    return response


def _error_page(request, status: int, template: str):
    if request.path.startswith("/api/"):
        return json_error_response(status)
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _error_page(request, 400, "400.html")


def permission_denied(request, exception=None):
    return _error_page(request, 403, "403.html")


def page_not_found(request, exception=None):
    return _error_page(request, 404, "404.html")


def server_error(request):
    if request.path.startswith("/api/"):
        return json_error_response(500)
    # The 500 page renders without context processors: the failure may lie in them.
    return HttpResponseServerError(loader.get_template("500.html").render())

from django.http import HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
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


ERROR_PAGES = {
    400: (_("请求有误"), _("请求的格式不正确，请返回上一页重试。")),
    403: (_("无权访问"), _("您没有访问此页面的权限。如需办理业务，请前往办事大厅。")),
    404: (_("页面不存在"), _("您要找的页面不存在，或您无权查看。")),
}


def _error_page(request, status: int):
    if request.path.startswith("/api/"):
        return json_error_response(status)
    title, description = ERROR_PAGES[status]
    return render(request, "error.html", {"title": title, "description": description}, status=status)


def bad_request(request, exception=None):
    return _error_page(request, 400)


def permission_denied(request, exception=None):
    return _error_page(request, 403)


def page_not_found(request, exception=None):
    return _error_page(request, 404)


def server_error(request):
    if request.path.startswith("/api/"):
        return json_error_response(500)
    # The 500 page renders without context processors: the failure may lie in them.
    return HttpResponseServerError(loader.get_template("500.html").render())

"""Who may open the workbench: staff only. Applicants are told so; visitors are sent to log in."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from yijianshi.accounts.selectors import principal_for_user


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.is_applicant:
            raise PermissionDenied
        request.principal = principal_for_user(request.user)
        return view(request, *args, **kwargs)

    return wrapper

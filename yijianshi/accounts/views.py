from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from yijianshi.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def landing(request):
    """After login without a `next`: staff go to the workbench, applicants to the portal."""
    if request.user.is_applicant:
        return redirect("portal:home")
    return redirect("workbench:home")

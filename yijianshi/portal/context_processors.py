from yijianshi.cases.pages import principal_of
from yijianshi.portal.views_context import context_choices


def acting(request):
    """For a person who represents organisations: whom they may act as, for the switcher in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_applicant or user.kind != "person":
        return {"acting_choices": []}
    return {"acting_choices": context_choices(principal_of(request))}

from django.conf import settings

from yijianshi.core.care_mode import is_care_mode


def platform(request):
    """What every page shows: the platform's name, the visitor's 关怀版 choice, the login options."""
    return {
        "platform_name": settings.YJS_PLATFORM_NAME,
        "care_mode": is_care_mode(request),
        "oidc_enabled": settings.OIDC_ENABLED,
    }

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.api import api
from yijianshi.core import health
from yijianshi.core import views as core_views

admin.site.site_header = "一件事 · 平台管理"
admin.site.site_title = "一件事 · 平台管理"
admin.site.index_title = "管理首页"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("care-mode/", core_views.care_mode_toggle, name="care-mode"),
    path("accounts/", include("yijianshi.accounts.urls")),
    path("workbench/", include("yijianshi.workbench.urls")),
    path("kiosk/", include("yijianshi.portal.urls_kiosk")),
    path("", include("yijianshi.portal.urls")),
]

if settings.OIDC_ENABLED:
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))

handler400 = "yijianshi.core.views.bad_request"
handler403 = "yijianshi.core.views.permission_denied"
handler404 = "yijianshi.core.views.page_not_found"
handler500 = "yijianshi.core.views.server_error"

"""The one NinjaAPI of the platform, mounted at /api/v1/. Each domain contributes a router."""

from ninja import NinjaAPI

from yijianshi.accounts.api import router as accounts_router
from yijianshi.accounts.auth import API_AUTH
from yijianshi.cases.api import router as cases_router
from yijianshi.catalog.api import router as catalog_router
from yijianshi.commitments.api import router as commitments_router
from yijianshi.core import api_errors
from yijianshi.files.api import router as files_router
from yijianshi.licenses.api import router as licenses_router
from yijianshi.licenses.api_me import router as me_router
from yijianshi.notifications.api import router as notifications_router
from yijianshi.reviews.api import router as reviews_router

api = NinjaAPI(
    title="一件事 · 一体化政务服务平台 API",
    version="1.0.0",
    description=(
        "以 Bearer 令牌调用（`POST /api/v1/auth/token` 获取）。错误统一为 "
        '`{"code": "...", "message": "中文说明", "fields": {...}}`；'
        "对象不存在与无权查看均返回 404；输入无效返回 422。"
    ),
    auth=API_AUTH,
    parser=api_errors.JsonBodyParser(),
    renderer=api_errors.ChineseJSONRenderer(),
    urls_namespace="api-v1",
    docs_url="/docs",
)
api_errors.register(api)
api.add_router("", accounts_router)
api.add_router("", catalog_router)
api.add_router("", files_router)
api.add_router("", licenses_router)
api.add_router("", me_router)
api.add_router("", cases_router)
api.add_router("", commitments_router)
api.add_router("", notifications_router)
api.add_router("", reviews_router)

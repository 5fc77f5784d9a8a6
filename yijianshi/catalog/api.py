"""Catalog API: published items and life events, plans for answers, search. Public: no login needed."""

from django.urls import reverse
from ninja import Query, Router
from ninja.pagination import paginate

from yijianshi.accounts.auth import PUBLIC_AUTH, public_openapi
from yijianshi.catalog import selectors
from yijianshi.catalog.personal import plan_personalize
from yijianshi.catalog.schemas import (
    Audience,
    ItemOut,
    ItemSummaryOut,
    LifeEventOut,
    LifeEventSummaryOut,
    LifeStage,
    PlanIn,
    PlanOut,
    SearchOut,
    SuggestOut,
)
from yijianshi.catalog.search import search as catalog_search
from yijianshi.catalog.search import suggest as catalog_suggest
from yijianshi.core.pagination import Pagination
from yijianshi.core.schemas import DOMAIN_RULES, ERROR_STATUSES, ErrorOut, Text

router = Router(tags=["事项目录"], auth=PUBLIC_AUTH)


@router.get(
    "/items",
    openapi_extra=public_openapi(),
    response={200: list[ItemSummaryOut], ERROR_STATUSES: ErrorOut},
    summary="已发布的政务服务事项",
)
@paginate(Pagination)
def item_list(request, department: Text | None = None):
    return selectors.item_summaries(department=department)


@router.get(
    "/items/{code}",
    openapi_extra=public_openapi(),
    response={200: ItemOut, ERROR_STATUSES: ErrorOut},
    summary="事项详情（国家标准要素）",
)
def item_detail(request, code: Text):
    return selectors.item_detail(code)


@router.get(
    "/life-events",
    openapi_extra=public_openapi(),
    response={200: list[LifeEventSummaryOut], ERROR_STATUSES: ErrorOut},
    summary="一件事列表",
)
def life_event_list(
    request,
    audience: Audience | None = Query(None, description="person 个人 / business 企业"),
    life_stage: LifeStage | None = Query(None, description="生命周期阶段，如 birth、opening"),
):
    return selectors.life_event_summaries(audience=audience, life_stage=life_stage)


@router.get(
    "/life-events/{code}",
    response={200: LifeEventOut, ERROR_STATUSES: ErrorOut},
    summary="一件事详情：情形问题、事项与减免指标",
)
def life_event_detail(request, code: Text):
    return selectors.life_event_detail(code)


@router.post(
    "/life-events/{code}/plan",
    response={200: PlanOut, ERROR_STATUSES: ErrorOut},
    summary="按情形回答生成办理方案",
    description=(
        "登录的申请人另可看到：哪些材料可由其已持有的有效电子证照代替（substitute，免提交，计入减材料），"
        "以及按其授权从一人一档/一企一档预填的表单值（prefilled）。"
    ),
    openapi_extra=DOMAIN_RULES,  # answers are checked against the life event's own questions
)
def life_event_plan(request, code: Text, payload: PlanIn):
    return plan_personalize(selectors.plan_for_answers(code=code, answers=payload.answers), request.auth)


@router.get(
    "/search",
    openapi_extra=public_openapi(),
    response={200: SearchOut, ERROR_STATUSES: ErrorOut},
    summary="搜索一件事和事项（支持口语说法）",
)
def search(
    request,
    q: Text = Query(..., min_length=1, max_length=50, description="搜索词，如“生孩子”“开饭店”"),
    limit: int = Query(10, ge=1, le=50),
):
    return catalog_search(q, limit=limit)


@router.get(
    "/search/suggest",
    openapi_extra=public_openapi(),
    response={200: SuggestOut, ERROR_STATUSES: ErrorOut},
    summary="输入提示：边输入边给出一件事和事项",
)
def search_suggest(
    request,
    q: Text = Query(..., min_length=1, max_length=50, description="已输入的文字，半个词也可以，如“开办”"),
    limit: int = Query(6, ge=1, le=10),
):
    suggestions = [
        s
        | {
            "url": reverse(
                "portal:life-event-guide" if s["kind"] == "life_event" else "portal:item-guide", args=[s["code"]]
            )
        }
        for s in catalog_suggest(q, limit=limit)
    ]
    return {"query": q, "suggestions": suggestions}

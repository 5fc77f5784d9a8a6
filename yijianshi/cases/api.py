"""Case API: submit and follow a case; accept, correct or refuse it at the window; decide tasks in departments.

Thin: parse, access (404 for what the caller may not see), one service, shape the answer for the caller.
"""

from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status
from ninja.pagination import paginate

from yijianshi.accounts import scopes
from yijianshi.accounts.models import Applicant
from yijianshi.accounts.principal import Principal
from yijianshi.accounts.services import applicant_find_or_register
from yijianshi.cases import approval, front_desk, selectors, submission
from yijianshi.cases.access import (
    access_case,
    access_case_at_window,
    access_case_for_applicant,
    access_task,
    access_task_to_decide,
)
from yijianshi.cases.models import APPLICANT_CHANNELS, WINDOW_CHANNELS, Case, Channel, Task
from yijianshi.cases.schemas import (
    AcceptIn,
    CaseIn,
    CaseOut,
    CasePatchIn,
    CaseStatusIn,
    CaseSummaryOut,
    ChoicesIn,
    ColourIn,
    CorrectionIn,
    CorrectionNoticeOut,
    DecideIn,
    DeliverIn,
    EventOut,
    RefuseIn,
    ResubmitIn,
    ResumeIn,
    SuspendIn,
    TaskOut,
    TaskStatusIn,
    TaskSummaryOut,
    WithdrawIn,
)
from yijianshi.core.errors import Forbidden, InvalidInput, NotFound
from yijianshi.core.pagination import MappedPage, Pagination
from yijianshi.core.schemas import DOMAIN_RULES, ERROR_STATUSES, ErrorOut
from yijianshi.files.downloads import file_response
from yijianshi.files.models import StoredFile

router = Router(tags=["办件"])


def _detail(case: Case, principal: Principal) -> dict:
    return selectors.case_detail(Case.objects.select_related("applicant", "agent").get(pk=case.pk), principal)


def _party(principal: Principal, payload: CaseIn) -> tuple[Applicant, object, str]:
    """Who applies, who acts for them, and through which channel."""
    user = principal.user
    if user is not None and user.is_applicant:
        principal.require(scopes.CASE_SUBMIT)
        if payload.walk_in is not None:
            raise InvalidInput.for_field("walk_in", _("现场申请人信息只能由窗口人员填写"))
        channel = payload.channel or Channel.ONLINE
        if channel not in APPLICANT_CHANNELS:
            raise InvalidInput.for_field("channel", _("申请人可用的渠道：online、kiosk、mobile"))
        applicant_id = payload.applicant_id or principal.acting_applicant_id
        if applicant_id not in principal.applicant_ids:
            raise InvalidInput.for_field("applicant_id", _("您不能代表该申请人办理"))
        applicant = Applicant.objects.get(pk=applicant_id)
        return applicant, (user if applicant_id != user.applicant_id else None), channel
    if user is not None and principal.has_scope(scopes.CASE_ACCEPT):
        channel = payload.channel or Channel.WINDOW
        if channel not in WINDOW_CHANNELS:
            raise InvalidInput.for_field("channel", _("窗口可用的渠道：window、proxy"))
        if payload.walk_in is not None:
            applicant = applicant_find_or_register(**payload.walk_in.dict(), field="walk_in")
        elif payload.applicant_id is not None:
            applicant = Applicant.objects.filter(pk=payload.applicant_id).first()
            if applicant is None:
                raise InvalidInput.for_field("applicant_id", _("没有这个申请人"))
        else:
            raise InvalidInput.for_field("walk_in", _("请填写现场申请人的身份信息"))
        return applicant, (user if channel == Channel.PROXY else None), channel
    raise Forbidden()


@router.post(
    "/cases",
    response={200: CaseOut, 201: CaseOut, ERROR_STATUSES: ErrorOut},
    summary="提交申请（或保存草稿）",
    description=(
        "一次提交一件事（或单个事项）的情形回答、联办申请表和材料。带 `Idempotency-Key` 请求头重复提交时，"
        "返回第一次创建的办件（200），不会重复创建。"
    ),
    openapi_extra=DOMAIN_RULES,
)
def case_create(
    request,
    payload: CaseIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=100, pattern=r"^[\x21-\x7e]+$"),
):
    principal: Principal = request.auth
    with transaction.atomic():  # a walk-in registered here is kept only with the case
        return _case_create(principal, payload, idempotency_key)


def _case_create(principal: Principal, payload: CaseIn, idempotency_key: str | None):
    applicant, agent, channel = _party(principal, payload)
    case, created = submission.case_create(
        by=principal,
        applicant=applicant,
        agent=agent,
        life_event=payload.life_event,
        item=payload.item,
        channel=channel,
        answers=payload.answers,
        form=payload.form,
        materials={key: m.files for key, m in payload.materials.items()},
        delivery_method=payload.delivery.method if payload.delivery else "electronic",
        delivery_address=payload.delivery.address.dict() if payload.delivery and payload.delivery.address else None,
        submit=payload.submit,
        choices=_choices(payload),
        idempotency_key=idempotency_key,
        digest=submission.request_digest(payload.dict()),
    )
    return Status(201 if created else 200, _detail(case, principal))


@router.get("/cases", response={200: list[CaseSummaryOut], ERROR_STATUSES: ErrorOut}, summary="我能看到的办件")
@paginate(Pagination)
def case_list(request, status: CaseStatusIn | None = Query(None, description="按状态筛选")):
    today = timezone.localdate()
    cases = selectors.case_list_for(request.auth, status=status)
    return MappedPage(cases, lambda case: selectors.case_summary(case, today))


@router.get("/cases/{case_id}", response={200: CaseOut, ERROR_STATUSES: ErrorOut}, summary="办件详情")
def case_get(request, case_id: UUID):
    return _detail(access_case(request.auth, case_id), request.auth)


@router.patch(
    "/cases/{case_id}",
    response={200: CaseOut, ERROR_STATUSES: ErrorOut},
    summary="修改草稿",
    openapi_extra=DOMAIN_RULES,
)
def case_patch(request, case_id: UUID, payload: CasePatchIn):
    case = access_case_for_applicant(request.auth, case_id)
    given = payload.dict(exclude_unset=True)
    changes = {}
    if "answers" in given and payload.answers is not None:
        changes["answers"] = payload.answers
    if "form" in given and payload.form is not None:
        changes["form"] = payload.form
    if "materials" in given and payload.materials is not None:
        changes["materials"] = {k: (m.files if m is not None else None) for k, m in payload.materials.items()}
    if "delivery" in given and payload.delivery is not None:
        changes["delivery"] = payload.delivery.dict()
    case = submission.case_update_draft(case_id=case.pk, by=request.auth, **changes)
    return _detail(case, request.auth)


@router.post(
    "/cases/{case_id}/submit",
    response={200: CaseOut, ERROR_STATUSES: ErrorOut},
    summary="提交草稿",
    openapi_extra=DOMAIN_RULES,
)
def case_submit(request, case_id: UUID, payload: ChoicesIn | None = None):
    case = access_case_for_applicant(request.auth, case_id)
    choices = _choices(payload) if payload is not None else None
    return _detail(submission.case_submit(case_id=case.pk, by=request.auth, choices=choices), request.auth)


def _choices(payload) -> dict:
    """告知承诺 signed and materials deferred, as the submission services take them."""
    return {"commitments": [c.dict() for c in payload.commitments], "deferred": list(payload.deferred)}


@router.post(
    "/cases/{case_id}/resubmit",
    response={200: CaseOut, ERROR_STATUSES: ErrorOut},
    summary="按一次性告知补正后重新提交",
    openapi_extra=DOMAIN_RULES,
)
def case_resubmit(request, case_id: UUID, payload: ResubmitIn):
    case = access_case_for_applicant(request.auth, case_id)
    changes = {}
    if payload.form is not None:
        changes["form"] = payload.form
    if payload.materials is not None:
        changes["materials"] = {k: (m.files if m is not None else None) for k, m in payload.materials.items()}
    return _detail(submission.case_resubmit(case_id=case.pk, by=request.auth, **changes), request.auth)


@router.post(
    "/cases/{case_id}/withdraw",
    response={200: CaseOut, ERROR_STATUSES: ErrorOut},
    summary="撤回尚未受理的申请",
    openapi_extra=DOMAIN_RULES,
)
def case_withdraw(request, case_id: UUID, payload: WithdrawIn):
    case = access_case_for_applicant(request.auth, case_id)
    return _detail(submission.case_withdraw(case_id=case.pk, by=request.auth, reason=payload.reason), request.auth)


@router.post(
    "/cases/{case_id}/accept",
    response={200: CaseOut, ERROR_STATUSES: ErrorOut},
    summary="受理（综合窗口）",
    openapi_extra=DOMAIN_RULES,
)
def case_accept(request, case_id: UUID, payload: AcceptIn):
    case = access_case_at_window(request.auth, case_id)
    case = front_desk.case_accept(
        case_id=case.pk, by=request.auth, opinion=payload.opinion, approve_immediate=payload.approve_immediate
    )
    return _detail(case, request.auth)


@router.post(
    "/cases/{case_id}/refuse",
    response={200: CaseOut, ERROR_STATUSES: ErrorOut},
    summary="不予受理（综合窗口）",
    openapi_extra=DOMAIN_RULES,
)
def case_refuse(request, case_id: UUID, payload: RefuseIn):
    case = access_case_at_window(request.auth, case_id)
    case = front_desk.case_refuse(
        case_id=case.pk, by=request.auth, reason=payload.reason, legal_basis=payload.legal_basis
    )
    return _detail(case, request.auth)


@router.post(
    "/cases/{case_id}/request-correction",
    response={201: CorrectionNoticeOut, ERROR_STATUSES: ErrorOut},
    summary="一次性告知补正（综合窗口）",
    openapi_extra=DOMAIN_RULES,
)
def case_request_correction(request, case_id: UUID, payload: CorrectionIn):
    case = access_case_at_window(request.auth, case_id)
    notice = front_desk.case_request_correction(
        case_id=case.pk, by=request.auth, problems=[p.dict() for p in payload.problems], note=payload.note
    )
    return Status(201, notice)


@router.post(
    "/cases/{case_id}/deliver",
    response={200: CaseOut, ERROR_STATUSES: ErrorOut},
    summary="出件：窗口核对取件码交付，或登记快递单号",
    openapi_extra=DOMAIN_RULES,
)
def case_deliver(request, case_id: UUID, payload: DeliverIn):
    case = access_case_at_window(request.auth, case_id)
    case = front_desk.case_deliver(
        case_id=case.pk, by=request.auth, pickup_code=payload.pickup_code, tracking_number=payload.tracking_number
    )
    return _detail(case, request.auth)


@router.get("/cases/{case_id}/events", response={200: list[EventOut], ERROR_STATUSES: ErrorOut}, summary="办件全程留痕")
def case_events(request, case_id: UUID):
    case = access_case(request.auth, case_id)
    user = request.auth.user
    staff = not (user is not None and user.is_applicant)
    return selectors.case_events(case, items=selectors.items_in_view(case, request.auth), staff=staff)


@router.get(
    "/cases/{case_id}/files/{file_id}",
    response={200: None, ERROR_STATUSES: ErrorOut},
    summary="下载办件的材料或结果文件",
    openapi_extra={"responses": {"200": {"description": "文件内容", "content": {"application/octet-stream": {}}}}},
)
def case_file(request, case_id: UUID, file_id: UUID):
    case = access_case(request.auth, case_id)
    if not selectors.case_file(case, file_id, principal=request.auth):
        raise NotFound()
    return file_response(StoredFile.objects.get(pk=file_id))


@router.get("/tasks", response={200: list[TaskSummaryOut], ERROR_STATUSES: ErrorOut}, summary="本部门审批任务")
@paginate(Pagination)
def task_list(
    request,
    status: TaskStatusIn | None = Query(None, description="默认：审批中和特别程序中"),
    colour: ColourIn | None = Query(None, description="期限颜色：green 正常 / yellow 预警 / red 超期"),
):
    today = timezone.localdate()
    tasks = selectors.task_list_for(request.auth, status=status, colour_name=colour)
    return MappedPage(tasks, lambda task: selectors.task_summary(task, today))


def _task_answer(task: Task, principal: Principal) -> dict:
    detail = _detail(task.case, principal)
    return next(t for t in detail["tasks"] if t["id"] == task.pk)


@router.get("/tasks/{task_id}", response={200: TaskOut, ERROR_STATUSES: ErrorOut}, summary="审批任务详情")
def task_get(request, task_id: UUID):
    task = access_task(request.auth, task_id)
    if not any(t["id"] == task.pk for t in _detail(task.case, request.auth)["tasks"]):
        raise NotFound()
    return _task_answer(task, request.auth)


def _results(principal: Principal, ids: list[UUID]) -> list[StoredFile]:
    found = StoredFile.objects.in_bulk(ids)
    results = []
    for file_id in dict.fromkeys(ids):
        stored = found.get(file_id)
        mine = stored is not None and (
            (principal.user is not None and stored.uploaded_by_id == principal.user.pk)
            or (principal.client is not None and stored.uploaded_by_client_id == principal.client.pk)
        )
        if not mine:
            raise InvalidInput.for_field("results", _("文件不存在或不是您上传的：%(id)s") % {"id": file_id})
        results.append(stored)
    return results


@router.post(
    "/tasks/{task_id}/decide",
    response={200: TaskOut, ERROR_STATUSES: ErrorOut},
    summary="作出决定：准予或不予许可",
    openapi_extra=DOMAIN_RULES,
)
def task_decide(request, task_id: UUID, payload: DecideIn):
    task, role = access_task_to_decide(request.auth, task_id)
    approval.task_decide(
        task_id=task.pk,
        by=request.auth,
        role=role,
        decision=payload.decision,
        opinion=payload.opinion,
        refusal_reason=payload.refusal_reason,
        legal_basis=payload.legal_basis,
        results=_results(request.auth, payload.results),
    )
    return _task_answer(task, request.auth)


@router.post(
    "/tasks/{task_id}/suspend",
    response={200: TaskOut, ERROR_STATUSES: ErrorOut},
    summary="进入特别程序（暂停计时）",
    openapi_extra=DOMAIN_RULES,
)
def task_suspend(request, task_id: UUID, payload: SuspendIn):
    task, role = access_task_to_decide(request.auth, task_id)
    approval.task_suspend(
        task_id=task.pk,
        by=request.auth,
        role=role,
        kind=payload.kind,
        reason=payload.reason,
        expected_end=payload.expected_end,
    )
    return _task_answer(task, request.auth)


@router.post(
    "/tasks/{task_id}/resume",
    response={200: TaskOut, ERROR_STATUSES: ErrorOut},
    summary="结束特别程序（恢复计时）",
    openapi_extra=DOMAIN_RULES,
)
def task_resume(request, task_id: UUID, payload: ResumeIn):
    task, role = access_task_to_decide(request.auth, task_id)
    approval.task_resume(task_id=task.pk, by=request.auth, role=role, note=payload.note)
    return _task_answer(task, request.auth)

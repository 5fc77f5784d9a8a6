"""综合窗口: walk-in applications, the acceptance queue, acceptance / refusal / one-time correction notice, and
handing out results. Every action is a call to the same service the API uses."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yijianshi.accounts import scopes
from yijianshi.accounts.services import applicant_find_or_register
from yijianshi.cases import editor, front_desk, selectors, submission
from yijianshi.cases.access import access_case, access_case_at_window, access_case_for_applicant
from yijianshi.cases.models import Case, Channel, DeliveryMethod
from yijianshi.cases.pages import attempt, case_view, visible
from yijianshi.catalog.plan import IMMEDIATE
from yijianshi.catalog.selectors import life_event_summaries
from yijianshi.commitments.selectors import case_commitments_for
from yijianshi.workbench.access import staff_required

PAGE_SIZE = 20
WINDOW_CHANNELS = (Channel.WINDOW, Channel.PROXY)


def _window(request):
    if not request.principal.has_scope(scopes.CASE_ACCEPT):
        raise PermissionDenied
    return request.principal


@staff_required
def queue(request):
    """Cases waiting at the window: to accept (oldest first), and results to hand out."""
    principal = _window(request)
    today = timezone.localdate()
    waiting = Paginator(selectors.window_queue(principal), PAGE_SIZE).get_page(request.GET.get("page"))
    handout = (
        selectors.case_list_for(principal, status=Case.Status.COMPLETED)
        .filter(delivered_at__isnull=True)
        .exclude(delivery_method=DeliveryMethod.ELECTRONIC)
        .order_by("completed_at")[:PAGE_SIZE]
    )
    correcting = selectors.case_list_for(principal, status=Case.Status.CORRECTING).order_by("-updated_at")[:PAGE_SIZE]
    return render(
        request,
        "workbench/window_queue.html",
        {
            "waiting": waiting,
            "rows": [selectors.case_summary(c, today) for c in waiting],
            "handout": [
                selectors.case_summary(c, today) | {"delivery": c.get_delivery_method_display()} for c in handout
            ],
            "correcting": [selectors.case_summary(c, today) for c in correcting],
        },
    )


@staff_required
def walk_in(request):
    """Start a case for an applicant at the counter: who they are and what they came for; the form comes next."""
    principal = _window(request)
    life_events = life_event_summaries()
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        created = {}

        def start():
            applicant = applicant_find_or_register(
                kind="person",
                name=values.get("name", ""),
                id_number=values.get("id_number", "").strip(),
                phone=values.get("phone", ""),
                field="walk_in",
            )
            created["case"], _new = submission.case_create(
                by=principal,
                applicant=applicant,
                agent=principal.user if values.get("channel") == Channel.PROXY else None,
                life_event=values.get("life_event") or None,
                channel=Channel.PROXY if values.get("channel") == Channel.PROXY else Channel.WINDOW,
                delivery_method=DeliveryMethod.PICKUP,  # someone at the counter may have no account to receive it
                submit=False,
            )

        done, errors = attempt(request, start)
        if done:
            return redirect("workbench:application", case_id=created["case"].pk)
    return render(request, "workbench/walk_in.html", {"life_events": life_events, "errors": errors, "values": values})


@staff_required
def application(request, case_id):
    """The walk-in's application form, filled in by the clerk: save, then submit."""
    principal = _window(request)
    # Only the clerk who started a walk-in's application fills it; an online applicant's draft stays theirs.
    case = visible(access_case_for_applicant, principal, case_id)
    if case.channel not in WINDOW_CHANNELS:
        raise Http404
    if case.status != Case.Status.DRAFT:
        return redirect("workbench:case", case_id=case.pk)
    errors = {}
    if request.method == "POST":
        done, errors = editor.draft_post(request, case, principal)
        if done and request.POST.get("action") == "submit":
            messages.success(request, _("申请已提交，可以立即受理。"))
            return redirect("workbench:case", case_id=case.pk)
        if done:
            messages.success(request, _("已保存。"))
            return redirect("workbench:application", case_id=case.pk)
        case.refresh_from_db()
    context = editor.editor_context(
        case, errors=errors, posted=request.POST if errors else None, user_id=request.user.pk
    )
    return render(request, "workbench/application.html", context)


@staff_required
def case_page(request, case_id):
    """A case on the workbench: facts, materials, tasks and timeline; the window's actions where they apply."""
    principal = request.principal
    case = visible(access_case, principal, case_id)
    context = case_view(case, principal, show_hashes=True)
    at_window = principal.has_scope(scopes.CASE_ACCEPT) and principal.covers_region(
        scopes.CASE_ACCEPT, case.region_code
    )
    context |= {
        "at_window": at_window,
        "can_decide_at_window": case.status == Case.Status.SUBMITTED and at_window,
        "has_immediate": any(item.get("case_kind") == IMMEDIATE for item in (case.plan or {}).get("items", [])),
        "can_hand_out": at_window
        and case.status == Case.Status.COMPLETED
        and case.delivered_at is None
        and case.delivery_method != DeliveryMethod.ELECTRONIC,
        "correction_targets": _correction_targets(case) if at_window and case.status == Case.Status.SUBMITTED else [],
        "task_links": principal.has_scope(scopes.TASK_DECIDE),
        "errors": {},
        "commitments": case_commitments_for(case, principal),
        "check_url": "workbench:deferral-check" if at_window else None,
    }
    return render(request, "workbench/case.html", context)


def _correction_targets(case: Case) -> list[dict]:
    plan = case.plan or {}
    return [
        *({"target": "material", "key": m["key"], "label": m["name"]} for m in plan.get("materials", [])),
        *({"target": "field", "key": f["key"], "label": f["label"]} for f in plan.get("form", [])),
    ]


@require_POST
@staff_required
def case_decide(request, case_id):
    """The window's decision on a submitted case: accept, refuse, or one notice listing every correction."""
    principal = _window(request)
    case = visible(access_case_at_window, principal, case_id)
    action = request.POST.get("action")
    post = request.POST
    if action == "accept":
        done, errors = attempt(
            request,
            lambda: front_desk.case_accept(
                case_id=case.pk,
                by=principal,
                opinion=post.get("opinion", "").strip(),
                approve_immediate=post.get("approve_immediate") == "on",
            ),
        )
        success = _("已受理，各部门同步开始办理。")
    elif action == "refuse":
        done, errors = attempt(
            request,
            lambda: front_desk.case_refuse(
                case_id=case.pk,
                by=principal,
                reason=post.get("reason", "").strip(),
                legal_basis=post.get("legal_basis", "").strip(),
            ),
        )
        success = _("已作出不予受理决定，申请人会收到通知。")
    elif action == "correct":
        picked = [t for t in _correction_targets(case) if post.get(f"pick-{t['target']}-{t['key']}") == "on"]
        problems = [
            {"target": t["target"], "key": t["key"], "message": post.get(f"message-{t['target']}-{t['key']}", "")}
            for t in picked
        ]
        done, errors = attempt(
            request,
            lambda: front_desk.case_request_correction(
                case_id=case.pk, by=principal, problems=problems, note=post.get("note", "")
            ),
        )
        success = _("一次性告知书已发出。")
        errors = {_problem_label(key, picked): message for key, message in errors.items()}
    else:
        messages.error(request, _("请选择受理、不予受理或一次性告知。"))
        return redirect("workbench:case", case_id=case.pk)
    if done:
        messages.success(request, success)
        return redirect("workbench:case", case_id=case.pk)
    for field, message in errors.items():
        messages.error(request, f"{field}：{message}" if field else message)
    return redirect("workbench:case", case_id=case.pk)


def _problem_label(key: str, picked: list[dict]) -> str:
    """The item a correction-notice error is about (`problems.2.message` → the third ticked item's label)."""
    parts = key.split(".")
    if len(parts) >= 2 and parts[0] == "problems" and parts[1].isdigit() and int(parts[1]) < len(picked):
        return picked[int(parts[1])]["label"]
    return ""


@require_POST
@staff_required
def case_hand_out(request, case_id):
    """出件: check the applicant's pickup code at the counter, or record the courier's tracking number."""
    principal = _window(request)
    case = visible(access_case_at_window, principal, case_id)
    done, errors = attempt(
        request,
        lambda: front_desk.case_deliver(
            case_id=case.pk,
            by=principal,
            pickup_code=request.POST.get("pickup_code", "").strip(),
            tracking_number=request.POST.get("tracking_number", "").strip(),
        ),
    )
    if done:
        messages.success(request, _("结果已交付。"))
    for message in errors.values():
        messages.error(request, message)
    return redirect("workbench:case", case_id=case.pk)

"""我的办件: an applicant starts an application from a guide, fills the one form, follows every step, corrects
what the window asks for once, and collects the results."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yijianshi.accounts.models import Applicant
from yijianshi.cases import editor, selectors, submission
from yijianshi.cases.access import access_case, access_case_for_applicant
from yijianshi.cases.models import Case, Channel
from yijianshi.cases.pages import attempt, case_view, visible
from yijianshi.catalog.selectors import life_event_snapshot
from yijianshi.catalog.wizard import wizard_answers
from yijianshi.commitments.selectors import case_commitments_for
from yijianshi.portal.access import applicant_principal
from yijianshi.portal.reviews import review_context
from yijianshi.portal.views_kiosk import is_kiosk_session
from yijianshi.portal.views_wizard import ANSWER_PREFIX

PAGE_SIZE = 20


@login_required
def my_cases(request):
    principal = applicant_principal(request)
    today = timezone.localdate()
    page = Paginator(selectors.case_list_for(principal), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/my_cases.html",
        {"page": page, "rows": [selectors.case_summary(case, today) for case in page]},
    )


@require_POST
@login_required
def apply(request, code):
    """Start an application for a life event: a draft the applicant then fills in, with the situation already
    answered when it was started from the wizard's checklist."""
    principal = applicant_principal(request)
    created = {}
    # Answers from the situation wizard's checklist, if the application starts there.
    given = {
        key.removeprefix(ANSWER_PREFIX): request.POST.getlist(key)
        for key in request.POST
        if key.startswith(ANSWER_PREFIX)
    }

    def start():
        answers = None
        if given:  # cleaned as the wizard cleans them: what no longer applies is dropped, not stored
            questions = life_event_snapshot(code)["life_event"]["questions"]
            answers = wizard_answers(questions, given)[0]
        acting = principal.acting_applicant_id
        created["case"], _new = submission.case_create(
            by=principal,
            applicant=Applicant.objects.get(pk=acting),
            # A person acting for an organisation they represent applies as its agent (单位经办人).
            agent=principal.user if acting != principal.user.applicant_id else None,
            life_event=code,
            channel=Channel.KIOSK if is_kiosk_session(request) else Channel.ONLINE,
            answers=answers,
            submit=False,
        )

    done, errors = attempt(request, start)
    if not done:
        for message in errors.values():
            messages.error(request, message)
        return redirect("portal:life-event-guide", code=code)
    return redirect("portal:my-case-edit", case_id=created["case"].pk)


@login_required
def my_case(request, case_id):
    principal = applicant_principal(request)
    case = visible(access_case, principal, case_id)
    if case.status == Case.Status.DRAFT:
        return redirect("portal:my-case-edit", case_id=case.pk)
    return render(request, "portal/my_case.html", _case_context(case, principal))


@login_required
def my_case_edit(request, case_id):
    """The application form of a draft (save and come back later), or the corrections the notice asks for."""
    principal = applicant_principal(request)
    case = visible(access_case_for_applicant, principal, case_id)
    if case.status not in (Case.Status.DRAFT, Case.Status.CORRECTING):
        return redirect("portal:my-case", case_id=case.pk)
    if request.method != "POST":
        if case.status == Case.Status.CORRECTING:
            return redirect("portal:my-case", case_id=case.pk)
        return render(request, "portal/application.html", _draft_editor(request, case))
    action = request.POST.get("action")
    if case.status == Case.Status.CORRECTING:
        done, errors = _resubmit(request, case, principal)
        if done:
            messages.success(request, _("补正材料已提交，窗口将重新审查。"))
            return redirect("portal:my-case", case_id=case.pk)
        return render(
            request, "portal/my_case.html", _case_context(case, principal, errors=errors, posted=request.POST)
        )
    done, errors = editor.draft_post(request, case, principal)
    if done and action == "review":
        # Saved; now checked as submitting would check it, then shown in words before 确认提交.
        choices = editor.choices_from(request.POST)
        case.refresh_from_db()  # as the draft was just saved
        done, errors = attempt(request, lambda: submission.case_submit_check(case=case, by=principal, choices=choices))
        if done:
            query = urlencode(_choice_pairs(request.POST))
            return redirect(reverse("portal:my-case-confirm", args=[case.pk]) + (f"?{query}" if query else ""))
    if done and action == "submit":
        messages.success(request, _("申请已提交，请留意办理进度。"))
        return redirect("portal:my-case", case_id=case.pk)
    if done:
        messages.success(request, _("已保存，可随时回来继续填写。"))
        return redirect("portal:my-case-edit", case_id=case.pk)
    case.refresh_from_db()
    return render(
        request,
        "portal/application.html",
        _draft_editor(request, case, errors=errors, posted=request.POST if errors else None),
    )


def _draft_editor(request, case: Case, **options) -> dict:
    """The application form of a draft, with the addresses its script saves and uploads to."""
    return editor.editor_context(case, user_id=request.user.pk, **options) | {
        "autosave_url": reverse("portal:my-case-autosave", args=[case.pk]),
        "upload_url": reverse("portal:my-case-upload", args=[case.pk]),
    }


def _problems(case: Case) -> set:
    notice = case.corrections.filter(round=case.round).first()
    return {(p["target"], p["key"]) for p in notice.problems} if notice else set()


def _resubmit(request, case: Case, principal) -> tuple[bool, dict]:
    only = _problems(case)

    def resubmit():
        form = editor.form_from(request.POST, case.plan, only=only)
        materials = editor.materials_from(request, case, case.plan, by=principal, only=only)
        submission.case_resubmit(case_id=case.pk, by=principal, form=form, materials=materials)

    return attempt(request, resubmit)


def _case_context(case: Case, principal, *, errors: dict | None = None, posted=None) -> dict:
    """The case as its applicant sees it; while a correction is due, with the form for exactly what it names."""
    context = (
        case_view(case, principal)
        | {
            "commitments": case_commitments_for(case, principal),
            "supply_url": "portal:my-case-supply",
        }
        | review_context(case)
    )
    if case.status == Case.Status.CORRECTING:
        context |= editor.editor_context(
            case, errors=errors, posted=posted, only=_problems(case), user_id=principal.user.pk
        )
        context["correction"] = True
    return context


def _choice_pairs(source) -> list[tuple[str, str]]:
    """The commitments signed and materials deferred on the form, carried to 核对 and back in hidden inputs."""
    return [("commit", v) for v in source.getlist("commit")] + [("defer", v) for v in source.getlist("defer")]


def _script_attempt(request, action) -> tuple[bool, dict]:
    """`attempt` for the page's script: a refusal without fields becomes the error of no field ("")."""
    done, errors = attempt(request, action)
    if not done and not errors:
        errors = {"": " ".join(str(m) for m in messages.get_messages(request))}
    return done, errors


def _not_a_draft() -> JsonResponse:
    return JsonResponse({"saved": False, "errors": {"": _("该申请已经提交，不能再修改草稿。")}}, status=409)


@require_POST
@login_required
def my_case_autosave(request, case_id):
    """The application page's script saves the draft when typing pauses; the answer names what failed its check."""
    principal = applicant_principal(request)
    case = visible(access_case_for_applicant, principal, case_id)
    if case.status != Case.Status.DRAFT:
        return _not_a_draft()
    saved = {}

    def save():
        saved["saved"], saved["problems"] = editor.draft_autosave(request.POST, case, principal)

    _done, errors = _script_attempt(request, save)
    return JsonResponse(
        {
            "saved": saved.get("saved", False),
            "saved_at": timezone.localtime().strftime("%H:%M:%S"),
            "errors": editor.input_errors(saved.get("problems", {}) | errors),
        }
    )


@require_POST
@login_required
def my_case_upload(request, case_id):
    """One material's files, uploaded as soon as they are chosen (the page shows the progress)."""
    principal = applicant_principal(request)
    case = visible(access_case_for_applicant, principal, case_id)
    if case.status != Case.Status.DRAFT:
        return _not_a_draft()
    held = {}

    def upload():
        held.update(editor.draft_upload(request, case, principal))

    done, errors = _script_attempt(request, upload)
    if not done:
        return JsonResponse({"errors": editor.input_errors(errors)}, status=422)
    return JsonResponse(
        {
            "materials": {
                key: [{"id": str(f.pk), "name": f.name, "format": f.format, "size": f.size} for f in files]
                for key, files in held.items()
            }
        }
    )


@login_required
def my_case_confirm(request, case_id):
    """核对并提交: everything about to be submitted, in words; 确认提交 submits it with the promises signed."""
    principal = applicant_principal(request)
    case = visible(access_case_for_applicant, principal, case_id)
    if case.status != Case.Status.DRAFT:
        return redirect("portal:my-case", case_id=case.pk)
    source = request.POST if request.method == "POST" else request.GET
    choices = editor.choices_from(source)
    if request.method == "POST":
        done, errors = attempt(request, lambda: submission.case_submit(case_id=case.pk, by=principal, choices=choices))
        if done:
            return redirect("portal:my-case-receipt", case_id=case.pk)
        case.refresh_from_db()
        return render(request, "portal/application.html", _draft_editor(request, case, errors=errors, posted=source))
    checked = {}

    def check():
        checked["content"] = submission.case_submit_check(case=case, by=principal, choices=choices)

    done, errors = attempt(request, check)
    if not done:
        return render(request, "portal/application.html", _draft_editor(request, case, errors=errors))
    return render(
        request,
        "portal/confirm.html",
        {
            "case": case,
            "summary": editor.submission_summary(case, checked["content"], source),
            "choices": _choice_pairs(source),
        },
    )


@login_required
def my_case_receipt(request, case_id):
    """回执: the case number, when it was submitted, what happens next and by when."""
    principal = applicant_principal(request)
    case = visible(access_case, principal, case_id)
    if case.status == Case.Status.DRAFT:
        return redirect("portal:my-case-edit", case_id=case.pk)
    return render(request, "portal/receipt.html", case_view(case, principal))

"""情形引导: the situation questions one at a time, with back and forward, ending in a personalised checklist.

Each step is an ordinary GET form whose address holds the answers so far, so the back button, a bookmark and a
screen reader all work without JavaScript, and nothing is stored until the applicant starts an application.
"""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yijianshi.cases.pages import principal_of
from yijianshi.catalog import selectors
from yijianshi.catalog.personal import plan_personalize
from yijianshi.catalog.plan import compute_plan
from yijianshi.catalog.wizard import wizard_answers
from yijianshi.portal.reductions import reduction_words
from yijianshi.portal.views_catalog import published_or_404

ANSWER_PREFIX = "a-"


def _step(request, count: int) -> int:
    try:
        step = int(request.GET.get("step", 0))
    except ValueError:
        step = 0
    return min(max(step, 0), count)


@require_GET
def life_event_wizard(request, code):
    snapshot = published_or_404(selectors.life_event_snapshot, code)
    event = snapshot["life_event"]
    questions = event["questions"]
    given = {q["key"]: request.GET.getlist(ANSWER_PREFIX + q["key"]) for q in questions}
    answers, shown = wizard_answers(questions, given)
    step = _step(request, len(shown))
    error = None
    go = request.GET.get("go")
    if go == "back":
        step = max(step - 1, 0)
    elif go == "next" and step < len(shown):
        current = shown[step]
        if current["required"] and not answers.get(current["key"]):
            error = _("请选择一项后再继续")
        else:
            step += 1
    else:
        # Arriving at the checklist by address: every required question on the way must have its answer.
        unanswered = [i for i, q in enumerate(shown) if q["required"] and not answers.get(q["key"])]
        if unanswered and step > unanswered[0]:
            step = unanswered[0]
    pairs = [(ANSWER_PREFIX + key, value) for key, values in answers.items() for value in values]
    context = {
        "event": event,
        "answers": answers,
        "shown": shown,
        "step": step,
        "count": len(shown),
        "error": error,
        "answer_pairs": pairs,
        "answers_query": urlencode(pairs),
    }
    if step < len(shown):
        question = shown[step]
        context |= {
            "question": question,
            "chosen": answers.get(question["key"], []),
            "carried": [(name, value) for name, value in pairs if name != ANSWER_PREFIX + question["key"]],
            "progress": round(step * 100 / len(shown)),
        }
        return render(request, "portal/wizard_step.html", context)
    plan = compute_plan(snapshot, answers)
    if request.user.is_authenticated and request.user.is_applicant:
        plan = plan_personalize(plan, principal_of(request))
    return render(
        request,
        "portal/wizard_checklist.html",
        context
        | {
            "plan": plan,
            "summary": _summary(shown, answers),
            "savings": reduction_words(plan["reductions"]),
            "prefilled": sum(1 for f in plan["form"] if f.get("prefilled")),
            "substituted": sum(1 for m in plan["materials"] if m.get("substitute")),
        },
    )


def _summary(shown: list[dict], answers: dict) -> list[dict]:
    """The questions with the answers given, for the checklist's "您的情形"."""
    rows = []
    for index, question in enumerate(shown):
        labels = [o["label"] for o in question["options"] if o["key"] in answers.get(question["key"], ())]
        rows.append({"step": index, "text": question["text"], "answer": "、".join(labels) or _("未选择")})
    return rows

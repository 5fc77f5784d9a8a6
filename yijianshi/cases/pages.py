"""What the case pages of the portal and the workbench share: the caller, 404 for what they may not see, and the
outcome of a service call as a page shows it (field errors next to their fields, other refusals as a message)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from yijianshi.accounts.selectors import principal_for_session
from yijianshi.cases import selectors
from yijianshi.core.api_errors import NUL, nul_character_message
from yijianshi.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from yijianshi.core.lru import Lru


def principal_of(request):
    if not hasattr(request, "principal"):
        request.principal = principal_for_session(request.user, request.session)
    return request.principal


def visible(find: Callable, *args):
    """Call an `access_*` function; a missing or hidden object is the page's 404, a missing scope its 403."""
    try:
        return find(*args)
    except NotFound as error:
        raise Http404 from error
    except Forbidden as error:
        raise PermissionDenied from error


def stored_upload(request, stored) -> None:
    """Note a file stored while handling this request, so a refused change removes its content again."""
    request.stored_uploads = [*getattr(request, "stored_uploads", []), stored]


def attempt(request, action: Callable) -> tuple[bool, dict]:
    """Run `action` in one transaction. Return (done, field errors); a refusal without fields becomes a message.
    Nothing of a refused action is kept: not its rows, not the content of files it stored."""
    for name, value in request.POST.lists():
        if any(NUL in v for v in value) or NUL in name:
            return False, {name: nul_character_message()}
    try:
        with transaction.atomic():
            action()
    except DomainError as error:
        for stored in getattr(request, "stored_uploads", []):
            stored.content.delete(save=False)
        request.stored_uploads = []
        if isinstance(error, NotFound):
            raise Http404 from error
        if isinstance(error, InvalidInput) and error.fields:
            return False, error.fields
        messages.error(request, error.message)
        return False, {}
    return True, {}


DETAIL_KEYS = (
    ("opinion", _lazy("意见")),
    ("reason", _lazy("原因")),
    ("legal_basis", _lazy("依据")),
    ("note", _lazy("说明")),
    ("expected_end", _lazy("预计结束")),
    ("due", _lazy("办理时限至")),
    ("tracking_number", _lazy("快递单号")),
)


def timeline(events: list[dict], item_names: dict[str, str]) -> list[dict]:
    """Events as the timeline shows them: what happened, to which item, by whom, with the words that matter."""
    shaped = []
    for event in events:
        data = event["data"] or {}
        details = [(str(label), data[key]) for key, label in DETAIL_KEYS if data.get(key)]
        if data.get("problems"):
            details.append((_("补正事项"), "；".join(f"{p['label']}：{p['message']}" for p in data["problems"])))
        shaped.append({**event, "item": item_names.get(data.get("item", ""), ""), "details": details})
    return shaped


def form_rows(case, detail: dict) -> list[dict]:
    """The joint form's values the viewer may see, labelled, options shown by their labels."""
    rows = []
    for field in (case.plan or {}).get("form", []):
        if field["key"] not in detail["form"]:
            continue
        value = detail["form"][field["key"]]
        labels = {o["value"]: o["label"] for o in field.get("options", [])}
        if isinstance(value, bool):
            value = _("是") if value else _("否")
        elif isinstance(value, list):
            value = "、".join(labels.get(v, v) for v in value)
        else:
            value = labels.get(value, value)
        rows.append({"label": field["label"], "value": value})
    return rows


def case_view(case, principal, *, show_hashes: bool = False) -> dict:
    """The case as this viewer may see it, with its labelled form and its timeline (`{{ timeline }}`, rendered
    only by a page that shows it)."""
    detail = selectors.case_detail(case, principal)
    return {
        "case": case,
        "detail": detail,
        "form_rows": form_rows(case, detail),
        "timeline": lambda: timeline_html(case, principal, show_hashes=show_hashes),
    }


# Rendered timelines, per process. Events are only ever appended, each moving the case's event count, so what a
# viewer sees of a case's trail is fixed by that count, the items they may read in full, their side (staff or
# applicant), whether hashes show, and the language: together the key, so an entry is never stale.
TIMELINES = Lru(2048)


def timeline_html(case, principal, *, show_hashes: bool = False) -> str:
    """The case's timeline as this viewer sees it (cases/includes/timeline.html), rendered once per event count."""
    items = selectors.items_in_view(case, principal)
    staff = not (principal.user is not None and principal.user.is_applicant)
    key = (case.pk, case.event_count, None if items is None else frozenset(items), staff, show_hashes, get_language())
    html = TIMELINES.get(key)
    if html is None:
        names = {item["code"]: item["name"] for item in (case.plan or {}).get("items", [])}
        events = selectors.case_events(case, items=items, staff=staff, upto=case.event_count)
        context = {"events": timeline(events, names), "show_hashes": show_hashes}
        html = render_to_string("cases/includes/timeline.html", context)
        # Kept only when the trail read reaches the count: a case object whose count ran ahead of what was committed
        # (a step that was rolled back) is shown as it is, not remembered under a count another event will take.
        if events and events[-1]["position"] == case.event_count:
            TIMELINES.put(key, html)
    return html

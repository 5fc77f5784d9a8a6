"""What the case pages of the portal and the workbench share: the caller, 404 for what they may not see, and the
outcome of a service call as a page shows it (field errors next to their fields, other refusals as a message)."""

from collections.abc import Callable

from django.contrib import messages
from django.db import transaction
from django.http import Http404

from yijianshi.accounts.selectors import principal_for_user
from yijianshi.core.errors import DomainError, InvalidInput, NotFound


def principal_of(request):
    if not hasattr(request, "principal"):
        request.principal = principal_for_user(request.user)
    return request.principal


def visible(find: Callable, *args):
    """Call an `access_*` function; missing and forbidden both become the page's 404."""
    try:
        return find(*args)
    except NotFound as error:
        raise Http404 from error


def attempt(request, action: Callable) -> tuple[bool, dict]:
    """Run `action` in one transaction. Return (done, field errors); a refusal without fields becomes a message.
    Nothing of a refused action is kept."""
    try:
        with transaction.atomic():
            action()
    except InvalidInput as error:
        if not error.fields:
            messages.error(request, error.message)
        return False, error.fields
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        messages.error(request, error.message)
        return False, {}
    return True, {}


DETAIL_KEYS = (
    ("opinion", "意见"),
    ("reason", "原因"),
    ("legal_basis", "依据"),
    ("note", "说明"),
    ("expected_end", "预计结束"),
    ("due", "办理时限至"),
    ("tracking_number", "快递单号"),
)


def timeline(events: list[dict], item_names: dict[str, str]) -> list[dict]:
    """Events as the timeline shows them: what happened, to which item, by whom, with the words that matter."""
    shaped = []
    for event in events:
        data = event["data"] or {}
        details = [(label, data[key]) for key, label in DETAIL_KEYS if data.get(key)]
        if data.get("problems"):
            details.append(("补正事项", "；".join(f"{p['label']}：{p['message']}" for p in data["problems"])))
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
            value = "是" if value else "否"
        elif isinstance(value, list):
            value = "、".join(labels.get(v, v) for v in value)
        else:
            value = labels.get(value, value)
        rows.append({"label": field["label"], "value": value})
    return rows

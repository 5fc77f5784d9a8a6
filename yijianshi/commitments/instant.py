"""秒批: a case whose every item allows instant approval, and meets every rule, is accepted and approved by the
platform within the submission request. The trail records each rule and whether it held, approved or not."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from yijianshi.cases.approval import APPROVE, task_decide_locked
from yijianshi.cases.catalog_target import target_of
from yijianshi.cases.events import event_append
from yijianshi.cases.front_desk import case_accept
from yijianshi.cases.locking import lock_case, lock_tasks
from yijianshi.cases.models import CaseMaterial, Task
from yijianshi.catalog.commitment_rules import INSTANT_OPERATORS
from yijianshi.catalog.models import ServiceItem
from yijianshi.catalog.plan import OPTIONAL
from yijianshi.commitments.credit import credit_is_clean

SYSTEM, ROLE = None, "system"


def _number(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def field_check_holds(check: dict, value, applicant) -> bool:
    op, expected = check["op"], check.get("value")
    if op == "filled":
        return value not in (None, "", [])
    if op == "applicant_id":
        return str(value or "").strip().upper() == applicant.id_number
    if op == "equals":
        return value is not None and str(value) == str(expected)
    if op == "in":
        chosen = value if isinstance(value, list) else [value]
        return bool(chosen) and all(str(v) in {str(e) for e in expected} for v in chosen)
    number, bound = _number(value), _number(expected)
    if number is None or bound is None:
        return False
    return number >= bound if op == "at_least" else number <= bound


def _rules(case, code: str, item: dict, *, paused: bool, kinds: dict, clean: bool) -> list[dict]:
    needed = [
        m for m in case.plan["materials"] if code in m["for_items"] and (m["need"] != OPTIONAL or m["key"] in kinds)
    ]
    unverified = [m["name"] for m in needed if kinds.get(m["key"]) != CaseMaterial.Kind.LICENSE]
    rules = [
        {"rule": "switch", "label": _("秒批未暂停"), "held": not paused},
        {
            "rule": "materials",
            "label": _("材料均为已核验的电子证照或共享数据"),
            "held": not unverified,
            **({"detail": "、".join(unverified)} if unverified else {}),
        },
        {"rule": "credit", "label": _("申请人信用良好"), "held": clean},
    ]
    for check in item["instant_approval"]["checks"]:
        label = check.get("label") or f"{check['field']} {INSTANT_OPERATORS[check['op']]} {check.get('value', '')}"
        held = field_check_holds(check, case.form_data.get(check["field"]), case.applicant)
        rules.append({"rule": f"field:{check['field']}", "label": str(label), "held": held})
    return rules


def instant_try(case) -> bool:
    """At submission (case locked): approve at once if every item allows it and every rule holds."""
    codes = [item["code"] for item in case.plan["items"]]
    if not codes or not all(item.get("instant_approval") for item in case.plan["items"]):
        return False
    items = target_of(case).snapshot["items"]
    paused = dict(ServiceItem.objects.filter(code__in=codes).values_list("code", "instant_paused"))
    kinds = dict(case.materials.values_list("key", "kind"))
    clean = credit_is_clean(case.applicant)
    verdicts = {c: _rules(case, c, items[c], paused=paused.get(c, True), kinds=kinds, clean=clean) for c in codes}
    approved = all(rule["held"] for rules in verdicts.values() for rule in rules)
    event_append(
        case=case, action="instant_checked", by=SYSTEM, role=ROLE, data={"approved": approved, "items": verdicts}
    )
    if not approved:
        return False
    case_accept(case_id=case.pk, by=SYSTEM, role=ROLE, opinion=_("秒批：规则全部满足，系统自动受理"))
    case = lock_case(case.pk)
    tasks = lock_tasks(case)
    while active := [t for t in tasks if t.status == Task.Status.ACTIVE]:
        for task in active:
            held = "；".join(rule["label"] for rule in verdicts[task.item_code])
            task_decide_locked(
                case,
                tasks,
                task,
                by=SYSTEM,
                role=ROLE,
                decision=APPROVE,
                opinion=_("秒批，系统自动准予：%(rules)s") % {"rules": held},
            )
    return True

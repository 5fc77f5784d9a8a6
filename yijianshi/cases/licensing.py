"""Results that are licenses: approving a task whose item produces a license type issues that license, sealed by the
task's department, to the case's applicant, with the data the type records taken from the joint form."""

import logging

from django.utils.translation import gettext as _

from yijianshi.cases.events import event_append
from yijianshi.cases.models import Case, Task
from yijianshi.core.errors import Conflict
from yijianshi.licenses.models import License, LicenseType
from yijianshi.licenses.services import license_issue

logger = logging.getLogger(__name__)


def result_license_type(case: Case, task: Task) -> str:
    """The license type code the task's item produces, as the case's frozen plan records it ("" if none)."""
    for item in case.plan.get("items", []):
        if item["code"] == task.item_code:
            return (item.get("result") or {}).get("license_type") or ""
    return ""


def license_issue_for_task(case: Case, task: Task, *, by, role: str) -> License | None:
    """Issue the task's license (expects case and task locked, the task approved). A license type the platform does
    not know, or one for another kind of holder, does not stop the decision: the trail says why none was issued."""
    if task.status != Task.Status.APPROVED:
        raise Conflict(_("该任务尚未准予许可，不能颁发证照。"), code="task_not_approved")
    code = result_license_type(case, task)
    if not code:
        return None
    license_type = LicenseType.objects.filter(code=code, is_active=True).first()
    applicant = case.applicant
    if license_type is None or license_type.holder_kind != applicant.kind:
        reason = (
            _("证照类型 %(code)s 未登记或已停用") % {"code": code}
            if license_type is None
            else _("“%(name)s”不能颁发给%(kind)s") % {"name": license_type.name, "kind": applicant.get_kind_display()}
        )
        logger.warning("no license for task %s: %s", task.pk, reason)
        event_append(
            case=case, action="license_not_issued", by=by, role=role,
            data={"task": task.pk, "item": task.item_code, "license_type": code, "reason": reason}, save_head=False,
        )  # fmt: skip
        return None
    form = case.form_data or {}
    license, created = license_issue(
        license_type=license_type,
        holder=applicant,
        issuer=task.department,
        data={f["key"]: form[f["key"]] for f in license_type.fields if form.get(f["key"]) not in (None, "", [])},
        by=by,
        item_code=task.item_code,
        source_case_id=case.pk,
        source_task_id=task.pk,
        area_code=case.region_code,
    )
    if not created:
        return license
    event_append(
        case=case, action="license_issued", by=by, role=role, save_head=False,
        data={"task": task.pk, "item": task.item_code, "license": license.pk, "identifier": license.identifier,
              "license_type": code, "name": license.name},
    )  # fmt: skip
    return license

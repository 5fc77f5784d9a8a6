"""How commitments take part in the case engine (registered in CommitmentsConfig.ready)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.cases.approval import APPROVE
from yijianshi.cases.extensions import CaseExtension
from yijianshi.commitments import deferrals, instant, post_checks, signing
from yijianshi.commitments.credit import credit_repair_for_case
from yijianshi.core.errors import Conflict


class CommitmentsExtension(CaseExtension):
    def check_choices(self, *, applicant_id, plan, choices, given, licensed):
        return signing.check_choices(
            applicant_id=applicant_id, plan=plan, choices=choices, given=given, licensed=licensed
        )

    def submitted(self, case, *, accepted, by, role):
        signing.choices_record(case, accepted, by=by, role=role)

    def after_submit(self, case, *, by):
        instant.instant_try(case)

    def accepted(self, case, tasks, *, by, role, calendar, today):
        deferrals.notice_issue(case, tasks, by=by, role=role, calendar=calendar, today=today)

    def before_decision(self, case, task, *, decision):
        if decision != APPROVE or not case.plan.get("choices", {}).get("deferred"):
            return
        owed = deferrals.outstanding_for(case, task.item_code)
        if owed:
            raise Conflict(
                _("容缺材料尚未补齐：%(names)s。补齐并经窗口核验后才能准予许可。")
                % {"names": "、".join(f"{d.name}（{d.get_status_display()}，期限 {d.due_date}）" for d in owed)},
                code="deferred_outstanding",
            )

    def decided(self, case, task, *, decision, by, role):
        if decision != APPROVE:
            return
        item = next(i for i in case.plan["items"] if i["code"] == task.item_code)
        if task.item_code in case.plan.get("choices", {}).get("committed", ()):
            post_checks.post_check_schedule(
                case, task, config=item["commitment"]["post_check"], by=by, role=role, today=timezone.localdate()
            )
        if item.get("credit_repair"):
            credit_repair_for_case(case, task, kinds=item["credit_repair"], by=by, role=role)

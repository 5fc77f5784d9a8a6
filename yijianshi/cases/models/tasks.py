"""子件: the part of a case one department handles for one item, its suspensions, results and deadline alerts."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yijianshi.cases.models.cases import LIMIT_UNITS, Case
from yijianshi.catalog.models import ItemVersion
from yijianshi.core.calendar import WORKING_DAYS
from yijianshi.core.rows import QuickUpdates


class Task(QuickUpdates):
    class Status(models.TextChoices):
        WAITING = "waiting", _("等待前置事项")
        ACTIVE = "active", _("审批中")
        SUSPENDED = "suspended", _("特别程序中")
        APPROVED = "approved", _("准予许可")
        REFUSED = "refused", _("不予许可")
        NOT_APPLICABLE = "not_applicable", _("不再办理")
        TERMINATED = "terminated", _("终止办理")
        REVOKED = "revoked", _("准予决定已撤销")

    OPEN_STATUSES = (Status.WAITING, Status.ACTIVE, Status.SUSPENDED)
    DECIDED_STATUSES = (Status.APPROVED, Status.REFUSED, Status.NOT_APPLICABLE, Status.TERMINATED, Status.REVOKED)
    # Tasks whose result will not come: those waiting for them are closed as not applicable.
    FAILED_STATUSES = (Status.REFUSED, Status.NOT_APPLICABLE, Status.TERMINATED)

    class AlertLevel(models.IntegerChoices):
        NONE = 0, _("无")
        YELLOW = 1, _("黄灯")
        RED = 2, _("红灯")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of their own for `case` and `department`: task_item_unique_per_case and task_inbox lead with them.
    # Every index costs each update that cannot stay on its page (a decision, an alert level).
    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="tasks", db_index=False
    )
    item_version = models.ForeignKey(
        ItemVersion, verbose_name=_("事项版本"), on_delete=models.PROTECT, related_name="+"
    )
    item_code = models.CharField(_("事项编码"), max_length=36)
    item_name = models.CharField(_("事项名称"), max_length=200)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("承办部门"),
        on_delete=models.PROTECT,
        related_name="tasks",
        db_index=False,
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    depends_on = models.JSONField(_("前置事项"), default=list, blank=True)
    immediate = models.BooleanField(_("即办件"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.WAITING)
    limit_value = models.PositiveSmallIntegerField(_("承诺时限"), default=0)
    limit_unit = models.CharField(_("时限单位"), max_length=16, choices=LIMIT_UNITS, default=WORKING_DAYS)
    activated_at = models.DateTimeField(_("开始办理时间"), null=True, blank=True)
    started_on = models.DateField(_("起算日"), null=True, blank=True)
    suspended_days = models.PositiveSmallIntegerField(_("特别程序用时"), default=0)
    due_date = models.DateField(_("办理期限"), null=True, blank=True)
    warning_date = models.DateField(_("预警日期"), null=True, blank=True)
    # What the scan raised against an earlier due date and still holds for this one: a resume that leaves the task
    # overdue keeps red, so it does not warn twice. The scan reads it and never writes tasks (deadlines.py).
    carried_alert_level = models.PositiveSmallIntegerField(_("顺延前已发预警"), choices=AlertLevel.choices, default=0)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # task_decided_by: decided tasks only
    )
    decided_by_client = models.ForeignKey(
        "accounts.ApiClient", verbose_name=_("决定的接口客户端"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_index=False,
    )  # fmt: skip
    opinion = models.TextField(_("审批意见"), blank=True)
    refusal_reason = models.TextField(_("不予许可理由"), blank=True)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    closed_reason = models.TextField(_("终止原因"), blank=True)

    class Meta:
        verbose_name = _("部门审批任务")
        verbose_name_plural = _("部门审批任务")
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "item_code"], name="task_item_unique_per_case")]
        indexes = [
            # The department inbox: open tasks by deadline. With the other deadline columns and the id included, a
            # page of the queue is sorted by urgency from the index alone (PostgreSQL; SQLite ignores `include`).
            models.Index(
                fields=["department", "status", "due_date"],
                include=["warning_date", "activated_at", "id"],
                name="task_inbox",
            ),
            # The deadline scan only ever looks at active tasks that reached their warning date.
            models.Index(fields=["warning_date"], condition=Q(status="active"), name="task_deadline_scan"),
            models.Index(fields=["decided_by"], condition=Q(decided_by__isnull=False), name="task_decided_by"),
            models.Index(
                fields=["decided_by_client"],
                condition=Q(decided_by_client__isnull=False),
                name="task_decided_by_client",
            ),
        ]

    def __str__(self):
        return f"{self.item_name}（{self.get_status_display()}）"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Suspension(models.Model):
    """特别程序: while it runs, the task's clock stops."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("现场勘验")
        EXPERT_REVIEW = "expert_review", _("专家评审")
        PUBLIC_NOTICE = "public_notice", _("公示")
        HEARING = "hearing", _("听证")

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.PROTECT, related_name="suspensions")
    kind = models.CharField(_("特别程序"), max_length=16, choices=Kind.choices)
    reason = models.TextField(_("原因"))
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    started_on = models.DateField(_("开始日期"))
    expected_end = models.DateField(_("预计结束日期"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("不计时天数"), default=0)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结束人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        ordering = ["task", "started_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_on}"


class ResultFile(models.Model):
    """A result document of a task (批文、证照、证明), delivered to the applicant and to the tasks that need it."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.PROTECT, related_name="results")
    file = models.ForeignKey("files.StoredFile", verbose_name=_("文件"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("结果名称"), max_length=200)
    created_at = models.DateTimeField(_("出具时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审批结果文件")
        verbose_name_plural = _("审批结果文件")
        ordering = ["task", "created_at", "id"]

    def __str__(self):
        return self.name


class Alert(models.Model):
    """预警: a task reached yellow (little time left) or red (overdue)."""

    # The scan writes alerts from task rows in one statement, so the task, its case and its department exist when it
    # does (tasks are never deleted). Without constraints the alerts cost no row lock on their tasks and cases at
    # commit: each lock writes the locked row's page, and a scan after a checkpoint then writes those pages to the WAL
    # whole (a million open tasks: over half of the scan's time). alert_once_per_deadline leads with the task.
    task = models.ForeignKey(
        Task,
        verbose_name=_("任务"),
        on_delete=models.PROTECT,
        related_name="alerts",
        db_index=False,
        db_constraint=False,
    )
    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="alerts", db_constraint=False
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("承办部门"), on_delete=models.PROTECT, related_name="+",
        db_constraint=False,
    )  # fmt: skip
    level = models.PositiveSmallIntegerField(_("级别"), choices=Task.AlertLevel.choices)
    due_date = models.DateField(_("办理期限"))
    raised_at = models.DateTimeField(_("预警时间"), default=timezone.now)

    class Meta:
        verbose_name = _("时限预警")
        verbose_name_plural = _("时限预警")
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["task", "level", "due_date"], name="alert_once_per_deadline")]
        indexes = [models.Index(fields=["raised_at"], name="alert_raised_at")]  # a scan's alerts, the latest first

    def __str__(self):
        return f"{self.get_level_display()} {self.task}"

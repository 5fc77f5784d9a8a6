"""办件: one application, for a life event or a single item, from its first draft to its delivery."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yijianshi.catalog.models import ItemVersion, LifeEventVersion
from yijianshi.core.calendar import CALENDAR_DAYS, WORKING_DAYS
from yijianshi.core.rows import QuickUpdates, insert_models


class Channel(models.TextChoices):
    ONLINE = "online", _("网上办理")
    WINDOW = "window", _("窗口办理")
    KIOSK = "kiosk", _("自助终端")
    MOBILE = "mobile", _("移动端")
    PROXY = "proxy", _("帮办代办")


# Who may use which channel: applicants on their own, the comprehensive window for walk-ins and proxies.
APPLICANT_CHANNELS = frozenset({Channel.ONLINE, Channel.KIOSK, Channel.MOBILE})
WINDOW_CHANNELS = frozenset({Channel.WINDOW, Channel.PROXY})


class DeliveryMethod(models.TextChoices):
    ELECTRONIC = "electronic", _("电子送达")
    PICKUP = "pickup", _("窗口领取")
    MAIL = "mail", _("邮寄送达")


LIMIT_UNITS = [(WORKING_DAYS, _("工作日")), (CALENDAR_DAYS, _("自然日"))]


class Case(QuickUpdates):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待受理")
        CORRECTING = "correcting", _("待补正")
        REFUSED = "refused", _("不予受理")
        WITHDRAWN = "withdrawn", _("已撤回")
        IN_PROGRESS = "in_progress", _("办理中")
        COMPLETED = "completed", _("已办结")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("全部办结")
        PARTIAL = "partial", _("部分办结")
        REFUSED = "refused", _("不予许可")

    OPEN_STATUSES = (Status.SUBMITTED, Status.CORRECTING, Status.IN_PROGRESS)
    EDITABLE_STATUSES = (Status.DRAFT,)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("办件编号"), max_length=24, unique=True, null=True, blank=True)
    title = models.CharField(_("办件名称"), max_length=200)
    life_event_version = models.ForeignKey(
        LifeEventVersion,
        verbose_name=_("一件事版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item_version = models.ForeignKey(
        ItemVersion, verbose_name=_("事项版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        "accounts.Applicant", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="cases"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("代申请人办理的人：单位经办人或帮办代办人员。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("受理区划"), max_length=12, db_index=True)
    channel = models.CharField(_("申报渠道"), max_length=16, choices=Channel.choices)
    answers = models.JSONField(_("情形回答"), default=dict, blank=True)
    plan = models.JSONField(_("办理方案"), default=dict, blank=True)
    form_data = models.JSONField(_("联办申请表"), default=dict, blank=True)
    delivery_method = models.CharField(
        _("送达方式"), max_length=16, choices=DeliveryMethod.choices, default=DeliveryMethod.ELECTRONIC
    )
    delivery_address = models.JSONField(_("邮寄信息"), default=dict, blank=True)
    pickup_code = models.CharField(_("取件码"), max_length=8, blank=True)
    tracking_number = models.CharField(_("快递单号"), max_length=40, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    outcome = models.CharField(_("办理结果"), max_length=16, choices=Outcome.choices, blank=True)
    round = models.PositiveSmallIntegerField(_("提交次数"), default=0)
    refusal_reason = models.TextField(_("不予受理理由"), blank=True)
    limit_value = models.PositiveSmallIntegerField(_("承诺时限"), default=0)
    limit_unit = models.CharField(_("时限单位"), max_length=16, choices=LIMIT_UNITS, default=WORKING_DAYS)
    due_date = models.DateField(_("办结期限"), null=True, blank=True)
    warning_date = models.DateField(_("预警日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, editable=False)
    request_digest = models.CharField(max_length=64, blank=True, editable=False)
    event_count = models.PositiveIntegerField(_("留痕条数"), default=0, editable=False)
    last_event_hash = models.CharField(_("最新留痕哈希"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(life_event_version__isnull=True, item_version__isnull=False)
                | Q(life_event_version__isnull=False, item_version__isnull=True),
                name="case_for_a_life_event_or_an_item",
            ),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="case_idempotency_key_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["applicant", "-created_at"], name="case_applicant_recent"),
            models.Index(fields=["status", "region_code", "submitted_at"], name="case_window_queue"),
        ]

    def __str__(self):
        return f"{self.number or _('草稿')} {self.title}"

    def save(self, *args, **kwargs):
        """Save; the events appended with the head kept in memory (`events.event_append(save_head=False)`) are
        written with it, in one statement, after the case row (which a new case needs first). Saving some fields
        writes them with a fixed statement (`core.rows.QuickUpdates`)."""
        pending = self.__dict__.get("pending_events")
        if pending and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "event_count", "last_event_hash"}
        super().save(*args, **kwargs)
        if pending:
            insert_models(pending)
            pending.clear()

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        """Read the row again; when the head is read again, events waiting on the case go with the head they
        moved (as a rolled-back step's would)."""
        if fields is None or {"event_count", "last_event_hash"} & set(fields):
            self.__dict__.pop("pending_events", None)
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class CaseMaterial(models.Model):
    """A material of a case: files, a license reference (免提交), a deferred material (容缺后补, files supplied
    later) or one the applicant's signed commitment stands in for (以承诺代替)."""

    class Kind(models.TextChoices):
        FILES = "files", _("上传文件")
        LICENSE = "license", _("电子证照")
        DEFERRED = "deferred", _("容缺后补")
        COMMITTED = "committed", _("以承诺代替")

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="materials")
    key = models.CharField(_("材料键"), max_length=64)
    name = models.CharField(_("材料名称"), max_length=200)
    kind = models.CharField(_("提交方式"), max_length=16, choices=Kind.choices, default=Kind.FILES)
    files = models.ManyToManyField(
        "files.StoredFile", verbose_name=_("文件"), through="CaseMaterialFile", related_name="+", blank=True
    )
    license_identifier = models.CharField(_("证照标识"), max_length=100, blank=True)
    round = models.PositiveSmallIntegerField(_("提交于第几次"), default=1)

    class Meta:
        verbose_name = _("办件材料")
        verbose_name_plural = _("办件材料")
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="case_material_key_unique")]

    def __str__(self):
        return self.name


class CaseMaterialFile(models.Model):
    material = models.ForeignKey(CaseMaterial, on_delete=models.CASCADE, related_name="links")
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("材料文件")
        verbose_name_plural = _("材料文件")
        ordering = ["material", "position"]
        constraints = [models.UniqueConstraint(fields=["material", "file"], name="material_file_once")]

    def __str__(self):
        return f"{self.material_id}:{self.position}"


class CorrectionNotice(models.Model):
    """一次性告知: everything to correct in one submission, listed once."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="corrections")
    round = models.PositiveSmallIntegerField(_("针对第几次提交"))
    problems = models.JSONField(_("补正事项"))
    note = models.TextField(_("说明"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("告知人"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("告知时间"), default=timezone.now)
    resolved_at = models.DateTimeField(_("补正提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("一次性告知书")
        verbose_name_plural = _("一次性告知书")
        ordering = ["case", "round"]
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="one_correction_per_submission")]

    def __str__(self):
        return f"{self.case} #{self.round}"


class CaseSequence(models.Model):
    """The last case number handed out per region and day."""

    prefix = models.CharField(max_length=16, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("办件编号序列")
        verbose_name_plural = _("办件编号序列")

    def __str__(self):
        return f"{self.prefix} {self.last}"

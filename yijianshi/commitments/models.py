"""告知承诺 signed, 容缺后补 materials owed, 事后核查 due, and the credit records that decide who may promise.

The case engine does not import this app: it calls the extension this app registers (`cases.extensions`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yijianshi.catalog.commitment_rules import CreditKind


class Commitment(models.Model):
    """A signed 告知承诺书: the text version shown, what it digested to, when, through which channel."""

    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="commitments")
    item_code = models.CharField(_("事项编码"), max_length=36)
    item_name = models.CharField(_("事项名称"), max_length=200)
    text = models.ForeignKey(
        "catalog.CommitmentText", verbose_name=_("承诺书版本"), on_delete=models.PROTECT, related_name="+"
    )
    text_version = models.PositiveIntegerField(_("承诺书版本号"))
    digest = models.CharField(_("所示文本 SM3 摘要"), max_length=64)
    replaced = models.JSONField(_("以承诺代替的材料"), default=list, blank=True)
    deferred = models.JSONField(_("容缺后补的材料"), default=list, blank=True)
    applicant = models.ForeignKey(
        "accounts.Applicant", verbose_name=_("承诺人"), on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签署账户"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    channel = models.CharField(_("签署渠道"), max_length=16)
    signed_at = models.DateTimeField(_("签署时间"), default=timezone.now)

    class Meta:
        verbose_name = _("告知承诺书")
        verbose_name_plural = _("告知承诺书")
        ordering = ["case", "item_code"]
        constraints = [models.UniqueConstraint(fields=["case", "item_code"], name="one_commitment_per_case_item")]

    def __str__(self):
        return f"{self.item_name} v{self.text_version}"


class Deferral(models.Model):
    """A material accepted as owed (容缺后补): due by a date, supplied by the applicant, checked by the window."""

    class Status(models.TextChoices):
        OWED = "owed", _("待补交")
        SUPPLIED = "supplied", _("已补交待核验")
        ACCEPTED = "accepted", _("已补齐")
        OVERDUE = "overdue", _("逾期未补，已终止")
        CLOSED = "closed", _("无需补交（相关事项已结束）")

    OPEN_STATUSES = (Status.OWED, Status.SUPPLIED)

    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="deferrals")
    key = models.CharField(_("材料键"), max_length=64)
    name = models.CharField(_("材料名称"), max_length=200)
    form = models.CharField(_("提交形式"), max_length=100)
    items = models.JSONField(_("需要它的事项"), default=list)
    due_date = models.DateField(_("补交期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OWED)
    supplied_at = models.DateTimeField(_("补交时间"), null=True, blank=True)
    checked_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("核验人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    check_note = models.TextField(_("核验意见"), blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("已发提醒"), default=0)

    class Meta:
        verbose_name = _("容缺后补材料")
        verbose_name_plural = _("容缺后补材料")
        ordering = ["due_date", "case", "key"]
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="one_deferral_per_case_material")]
        indexes = [models.Index(fields=["status", "due_date"], name="deferral_due")]

    def __str__(self):
        return f"{self.name}（{self.get_status_display()}）"


class DeferralNotice(models.Model):
    """容缺受理通知书: issued at acceptance, naming each owed material, its form, its deadline and the consequence."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="deferral_notice"
    )
    number = models.CharField(_("通知书编号"), max_length=40, unique=True)
    entries = models.JSONField(_("容缺材料"))
    commitments = models.JSONField(_("告知承诺事项"), default=list)
    consequence = models.TextField(_("逾期后果"))
    issued_at = models.DateTimeField(_("出具时间"), default=timezone.now)

    class Meta:
        verbose_name = _("容缺受理通知书")
        verbose_name_plural = _("容缺受理通知书")

    def __str__(self):
        return self.number


class PostCheck(models.Model):
    """事后核查 of an approval given on a commitment, in the deciding department's queue until recorded."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待核查")
        PASSED = "passed", _("核查属实")
        FALSE = "false", _("承诺不实")

    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="post_checks")
    task = models.OneToOneField("cases.Task", verbose_name=_("任务"), on_delete=models.PROTECT, related_name="+")
    commitment = models.ForeignKey(Commitment, verbose_name=_("告知承诺书"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("核查部门"), on_delete=models.PROTECT, related_name="+"
    )
    item_name = models.CharField(_("事项名称"), max_length=200)
    rule = models.CharField(_("核查规则"), max_length=16)
    rate = models.FloatField(_("抽查比例"), default=1.0)
    draw = models.FloatField(_("抽查随机数"), default=0.0, help_text=_("由平台密钥和办件确定，可复核"))
    due_date = models.DateField(_("核查期限"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    finding = models.TextField(_("核查情况"), blank=True)
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("核查人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("列入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("事后核查")
        verbose_name_plural = _("事后核查")
        ordering = ["due_date", "created_at"]
        indexes = [models.Index(fields=["department", "status", "due_date"], name="post_check_queue")]

    def __str__(self):
        return f"{self.item_name}（{self.get_status_display()}）"


class CreditRecord(models.Model):
    """A credit mark against a person or organisation, by identifier (they need not have an account)."""

    class Source(models.TextChoices):
        POST_CHECK = "post_check", _("事后核查发现虚假承诺")
        IMPORTED = "imported", _("外部信用平台导入")

    id_number = models.CharField(_("证件号码"), max_length=18, db_index=True)
    subject_name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=24, choices=CreditKind.choices)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    reason = models.TextField(_("事由"))
    reference = models.CharField(_("文书编号"), max_length=100, blank=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("相关办件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    post_check = models.ForeignKey(
        PostCheck, verbose_name=_("事后核查"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    repaired_at = models.DateTimeField(_("修复时间"), null=True, blank=True)
    repaired_case = models.ForeignKey(
        "cases.Case", verbose_name=_("修复办件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    repair_note = models.TextField(_("修复说明"), blank=True)
    repaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修复经办人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["id_number"], condition=Q(repaired_at__isnull=True), name="credit_active_marks")
        ]

    def __str__(self):
        return f"{self.subject_name} {self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        return self.repaired_at is None

"""电子证照: license types, the SM2 seals of issuing departments, licenses and their signed versions.

Licenses sit below cases in the dependency order (cases issue them), so a license names its source case and task by id
only, without a foreign key into the cases app.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yijianshi.catalog.models import LICENSE_TYPE_VALIDATOR
from yijianshi.core.identifiers import CITIZEN_ID_TYPE, CREDIT_CODE_TYPE

# The templates a license's PDF can be printed with (templates/licenses/pdf/).
PDF_TEMPLATES = [
    ("licenses/pdf/certificate.html", _("通用证书（竖版）")),
    ("licenses/pdf/permit.html", _("许可证（横版）")),
]
HOLDER_ID_KINDS = [(CITIZEN_ID_TYPE, _("公民身份号码")), (CREDIT_CODE_TYPE, _("统一社会信用代码"))]


class LicenseType(models.Model):
    """A kind of license (证照类型), as its defining authority publishes it: code, name, who issues it, how long it
    is valid, whom it is issued to and which data it carries."""

    class HolderKind(models.TextChoices):
        PERSON = "person", _("自然人")
        ORGANIZATION = "organization", _("法人")

    code = models.CharField(_("证照类型代码"), max_length=21, unique=True, validators=[LICENSE_TYPE_VALIDATOR])
    name = models.CharField(_("证照名称"), max_length=100)
    authority_name = models.CharField(_("定义机构"), max_length=100)
    issuing_departments = models.ManyToManyField(
        "accounts.Department", verbose_name=_("颁发部门"), related_name="license_types", blank=True
    )
    validity_months = models.PositiveSmallIntegerField(
        _("有效期（月）"), null=True, blank=True, help_text=_("留空表示长期有效。")
    )
    holder_kind = models.CharField(_("持证主体"), max_length=16, choices=HolderKind.choices)
    # [{"key": "child_name", "label": "新生儿姓名", "public": false}]: what the license records besides its metadata;
    # "public" fields may be shown on the verification page.
    fields = models.JSONField(_("证照数据项"), default=list, blank=True)
    pdf_template = models.CharField(
        _("版式文件模板"), max_length=100, choices=PDF_TEMPLATES, default=PDF_TEMPLATES[0][0]
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("证照类型")
        verbose_name_plural = _("证照类型")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    @property
    def authority_code(self) -> str:
        """The defining authority's unified social credit code: the first 18 characters of the type code."""
        return self.code[:18]

    @property
    def validity_text(self) -> str:
        if not self.validity_months:
            return str(_("长期有效"))
        if self.validity_months % 12 == 0:
            return str(_("自签发之日起 %(n)d 年")) % {"n": self.validity_months // 12}
        return str(_("自签发之日起 %(n)d 个月")) % {"n": self.validity_months}


class Seal(models.Model):
    """电子印章: an issuing department's SM2 key pair and seal image. The private key is kept encrypted with the
    platform's seal key (`YJS_SEAL_KEY`). Rotation retires a seal without deleting it: what it signed stays
    verifiable with its public key."""

    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="seals"
    )
    name = models.CharField(_("印章名称"), max_length=120)
    public_key_pem = models.TextField(_("公钥（PEM）"))
    fingerprint = models.CharField(_("公钥指纹（SM3）"), max_length=64, unique=True)
    private_key_encrypted = models.BinaryField(_("私钥（加密）"), editable=False)
    image_svg = models.TextField(_("印章图像（SVG）"))
    created_at = models.DateTimeField(_("启用时间"), default=timezone.now)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("电子印章")
        verbose_name_plural = _("电子印章")
        ordering = ["department", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["department"], condition=Q(retired_at__isnull=True), name="seal_one_current_per_department"
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.fingerprint[:12]}）"

    @property
    def is_current(self) -> bool:
        return self.retired_at is None


class LicenseSequence(models.Model):
    """The last sequence number handed out per license type and issuer (the identifier's sequence field)."""

    prefix = models.CharField(max_length=40, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("证照序号")
        verbose_name_plural = _("证照序号")

    def __str__(self):
        return f"{self.prefix} {self.last}"


class License(models.Model):
    """An issued electronic license. Its fields hold the current version; every version, each with its own
    identifier, status and signature, is a `LicenseVersion`."""

    class Status(models.TextChoices):
        VALID = "01", _("有效")
        SUSPENDED = "02", _("暂扣")
        REVOKED = "03", _("撤销")
        CANCELLED = "04", _("注销")
        LAPSED = "05", _("失效")
        WITHDRAWN = "07", _("吊销")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    identifier = models.CharField(_("证照标识"), max_length=100, unique=True)
    license_type = models.ForeignKey(
        LicenseType, verbose_name=_("证照类型"), on_delete=models.PROTECT, related_name="licenses"
    )
    name = models.CharField(_("证照名称"), max_length=100)
    number = models.CharField(_("证照编号"), max_length=40)
    sequence = models.PositiveIntegerField(_("序号"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    holder = models.ForeignKey(
        "accounts.Applicant", verbose_name=_("持证主体"), on_delete=models.PROTECT, related_name="licenses"
    )
    holder_name = models.CharField(_("持证主体名称"), max_length=100)
    holder_id_kind = models.CharField(_("持证主体证件类型"), max_length=3, choices=HOLDER_ID_KINDS)
    holder_id_number = models.CharField(_("持证主体证件号码"), max_length=18)
    issuer = models.ForeignKey(
        "accounts.Department", verbose_name=_("颁发部门"), on_delete=models.PROTECT, related_name="licenses_issued"
    )
    issuer_name = models.CharField(_("颁发部门名称"), max_length=100)
    issuer_code = models.CharField(_("颁发部门代码"), max_length=18)
    area_code = models.CharField(_("行政区划代码"), max_length=12)
    issued_on = models.DateField(_("签发日期"))
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期止"), null=True, blank=True)
    data = models.JSONField(_("证照数据"), default=dict, blank=True)
    item_code = models.CharField(_("关联事项编码"), max_length=36, blank=True)
    source_case_id = models.UUIDField(_("来源办件"), null=True, blank=True)
    source_task_id = models.UUIDField(_("来源子件"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=2, choices=Status.choices, default=Status.VALID)
    status_reason = models.CharField(_("状态变更原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("电子证照")
        verbose_name_plural = _("电子证照")
        constraints = [
            # Approving a task issues its license once, however often the issuing is retried.
            models.UniqueConstraint(
                fields=["source_task_id", "license_type"],
                condition=Q(source_task_id__isnull=False),
                name="license_once_per_task_and_type",
            ),
            models.UniqueConstraint(fields=["license_type", "issuer_code", "sequence"], name="license_sequence"),
        ]
        indexes = [models.Index(fields=["holder", "license_type", "status"], name="license_wallet")]

    def __str__(self):
        return f"{self.name}（{self.number}）"

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()


class LicenseVersion(models.Model):
    """One signed version of a license: issued, or changed in status (each change issues a new version). The signed
    bytes are kept exactly as signed, so that anyone can check them with the seal's public key."""

    license = models.ForeignKey(License, verbose_name=_("证照"), on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveSmallIntegerField(_("版本"))
    identifier = models.CharField(_("证照标识"), max_length=100, unique=True)
    status = models.CharField(_("状态"), max_length=2, choices=License.Status.choices)
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    payload = models.BinaryField(_("签名原文"))
    signature = models.BinaryField(_("签名值（DER）"))
    seal = models.ForeignKey(Seal, verbose_name=_("印章"), on_delete=models.PROTECT, related_name="signed")
    signer_id = models.CharField(_("签名者标识"), max_length=64)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    changed_by_client = models.ForeignKey(
        "accounts.ApiClient", verbose_name=_("操作系统"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("证照版本")
        verbose_name_plural = _("证照版本")
        ordering = ["license", "version"]
        constraints = [models.UniqueConstraint(fields=["license", "version"], name="license_version_unique")]

    def __str__(self):
        return self.identifier


class ExpiryReminder(models.Model):
    """A reminder sent to a holder before a license expires (证照到期提醒): one per license, expiry date and lead time,
    so the periodic job can run as often as it likes and still remind once."""

    license = models.ForeignKey(License, verbose_name=_("证照"), on_delete=models.CASCADE, related_name="reminders")
    valid_until = models.DateField(_("有效期止"))
    days_before = models.PositiveSmallIntegerField(_("提前天数"))
    sent_at = models.DateTimeField(_("提醒时间"), default=timezone.now)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        constraints = [
            models.UniqueConstraint(fields=["license", "valid_until", "days_before"], name="expiry_reminder_once")
        ]

    def __str__(self):
        return f"{self.license_id} −{self.days_before}"

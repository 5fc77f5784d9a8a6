"""一人一档 / 一企一档: what an applicant gave once (`Profile`), their permission to reuse it (`Consent`), and the
record of every read of their data by someone else (`DataAccess`), which they can see."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """The reusable attributes of a person or business, keyed as the catalog's prefill sources name them
    (`person.phone`, `org.address`, …): {"person.phone": {"value": …, "source": "办件 …", "updated_at": "…"}}."""

    applicant = models.OneToOneField(
        "accounts.Applicant", verbose_name=_("申请人"), primary_key=True, on_delete=models.CASCADE,
        related_name="profile",
    )  # fmt: skip
    attributes = models.JSONField(_("属性"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("一人一档/一企一档")
        verbose_name_plural = _("一人一档/一企一档")

    def __str__(self):
        return str(self.applicant)


class Consent(models.Model):
    """授权同意: an applicant's permission to reuse their profile attributes for a purpose, until it expires or they
    withdraw it. Nothing outside its scope and time is used."""

    class Purpose(models.TextChoices):
        PREFILL = "prefill", _("申请表预填")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    applicant = models.ForeignKey(
        "accounts.Applicant", verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    scope = models.JSONField(_("范围（属性）"), default=list)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("授权人"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("授权时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("到期时间"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("授权同意")
        verbose_name_plural = _("授权同意")
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["applicant", "purpose", "expires_at"], name="consent_lookup")]

    def __str__(self):
        return f"{self.get_purpose_display()} {self.granted_at:%Y-%m-%d}"

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        return self.withdrawn_at is None and self.granted_at <= at < self.expires_at


class DataAccess(models.Model):
    """A read of a person's or business's license or profile data by anyone but themselves (数据使用记录)."""

    class Kind(models.TextChoices):
        LICENSE = "license", _("电子证照")
        PROFILE = "profile", _("档案信息")

    subject = models.ForeignKey(
        "accounts.Applicant", verbose_name=_("数据主体"), on_delete=models.CASCADE, related_name="data_accesses"
    )
    kind = models.CharField(_("数据类别"), max_length=16, choices=Kind.choices)
    license = models.ForeignKey(
        "licenses.License", verbose_name=_("证照"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fields = models.JSONField(_("数据项"), default=list)
    accessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("使用人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    accessor_client = models.ForeignKey(
        "accounts.ApiClient", verbose_name=_("使用系统"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    accessor_name = models.CharField(_("使用人名称"), max_length=100)
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("使用部门"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    department_name = models.CharField(_("使用部门名称"), max_length=100, blank=True)
    purpose = models.CharField(_("用途"), max_length=200)
    case_id = models.UUIDField(_("办件"), null=True, blank=True)
    case_number = models.CharField(_("办件编号"), max_length=40, blank=True)
    accessed_at = models.DateTimeField(_("使用时间"), default=timezone.now)

    class Meta:
        verbose_name = _("数据使用记录")
        verbose_name_plural = _("数据使用记录")
        ordering = ["-accessed_at", "-id"]
        indexes = [
            models.Index(fields=["subject", "-accessed_at"], name="data_access_subject"),
            models.Index(fields=["department", "-accessed_at"], name="data_access_department"),
        ]

    def __str__(self):
        return f"{self.department_name or self.accessor_name} {self.get_kind_display()} {self.accessed_at:%Y-%m-%d}"

"""Stored files: what applicants upload as materials and what departments attach as results."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yijianshi.files.formats import FORMATS, LABELS


def storage_path(instance: "StoredFile", filename: str) -> str:
    """Files are stored under a random name; the original name is kept in the row only."""
    return f"files/{timezone.now():%Y/%m}/{instance.pk}.{filename.rsplit('.', 1)[-1]}"


class StoredFile(models.Model):
    """One uploaded document, checked by content and kept with its SHA-256 and SM3 digests."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("文件名"), max_length=200)
    format = models.CharField(_("格式"), max_length=8, choices=[(f, LABELS[f]) for f in FORMATS])
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 摘要"), max_length=64, db_index=True)
    sm3 = models.CharField(_("SM3 摘要"), max_length=64)
    content = models.FileField(_("文件"), upload_to=storage_path, max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by_client = models.ForeignKey(
        "accounts.ApiClient",
        verbose_name=_("上传的接口客户端"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("文件")
        verbose_name_plural = _("文件")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.name

    @property
    def content_type(self) -> str:
        from yijianshi.files.formats import CONTENT_TYPES

        return CONTENT_TYPES[self.format]

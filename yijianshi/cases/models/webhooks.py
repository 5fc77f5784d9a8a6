"""Webhooks to department systems: who wants which events, and every delivery with its attempts."""

import secrets
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EVENT_TYPES = [
    ("case.accepted", _("办件已受理")),
    ("task.activated", _("任务开始办理")),
    ("task.decided", _("任务已决定")),
    ("case.completed", _("办件已办结")),
]


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def all_event_types() -> list[str]:
    return [code for code, _label in EVENT_TYPES]


class WebhookSubscription(models.Model):
    """A department system's endpoint. It hears about cases and tasks of its client's department."""

    client = models.ForeignKey(
        "accounts.ApiClient", verbose_name=_("接口客户端"), on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("接收地址"), max_length=300)
    secret = models.CharField(
        _("签名密钥"), max_length=100, default=new_secret, help_text=_("HMAC-SM3 签名所用的共享密钥，请告知对方系统。")
    )
    events = models.JSONField(_("订阅事件"), default=all_event_types)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("Webhook 订阅")
        verbose_name_plural = _("Webhook 订阅")

    def __str__(self):
        return self.url


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待投递")
        DELIVERED = "delivered", _("已投递")
        FAILED = "failed", _("投递失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription, verbose_name=_("订阅"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(_("事件"), max_length=32)
    payload = models.JSONField(_("内容"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    history = models.JSONField(_("尝试记录"), default=list)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    delivered_at = models.DateTimeField(_("投递时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("Webhook 投递")
        verbose_name_plural = _("Webhook 投递")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]

    def __str__(self):
        return f"{self.event_type} → {self.subscription}"

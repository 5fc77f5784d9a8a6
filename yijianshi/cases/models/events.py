"""全程留痕: the append-only, hash-chained record of everything that happened to a case."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yijianshi.cases.models.cases import Case


class AppendOnly(Exception):
    """Events are never changed or removed by the application."""


class CaseEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("case events cannot be updated")

    def delete(self):
        raise AppendOnly("case events cannot be deleted")


class CaseEvent(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="events")
    position = models.PositiveIntegerField(_("序号"))
    action = models.CharField(_("动作"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_client = models.ForeignKey(
        "accounts.ApiClient", verbose_name=_("接口客户端"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    role = models.CharField(_("身份"), max_length=32)
    data = models.JSONField(_("内容"), default=dict)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    previous_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("SM3 哈希"), max_length=64)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("办件留痕")
        verbose_name_plural = _("办件留痕")
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="case_event_position_unique")]

    def __str__(self):
        return f"{self.case_id} #{self.position} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("case events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("case events cannot be deleted")

    def chained_content(self) -> dict:
        """What the hash covers: everything but the hashes themselves."""
        return {
            "case": str(self.case_id),
            "position": self.position,
            "action": self.action,
            "actor": self.actor_id,
            "client": self.actor_client_id,
            "role": self.role,
            "data": self.data,
            "at": self.created_at.isoformat(),
        }

"""好差评 (国办发〔2019〕51号, GB/T 39734-2020): an applicant's rating of a completed case, one per case (一次一评),
kept for the supervision work (rectification of bad ratings) that builds on it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


# The online dimensions of GB/T 39734 (an online case is rated on these; 1–5 each).
ONLINE_DIMENSIONS = {
    "efficiency": _("办事效率"),
    "guide_accuracy": _("指南精确度"),
    "convenience": _("便捷度"),
    "usability": _("平台操作性"),
}
BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)


class Review(models.Model):
    case = models.OneToOneField("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="review")
    applicant = models.ForeignKey(
        "accounts.Applicant", verbose_name=_("评价人"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评价账户"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("评价渠道"), max_length=16)
    level = models.PositiveSmallIntegerField(
        _("总体评价"), choices=Level.choices, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    dimensions = models.JSONField(_("分项评价"), default=dict, blank=True)
    comment = models.TextField(_("评价内容"), blank=True)
    # "|code|code|": the departments of the case's tasks, searchable by `__contains="|code|"` on every database.
    departments = models.CharField(_("涉及部门"), max_length=1000, blank=True, help_text=_("办件各事项的承办部门编码"))
    created_at = models.DateTimeField(_("首次评价时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("最后修改时间"), default=timezone.now)
    revisions = models.PositiveSmallIntegerField(_("修改次数"), default=0)

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["level", "-updated_at"], name="review_by_level")]

    def __str__(self):
        return f"{self.case} {self.get_level_display()}"

    @property
    def department_codes(self) -> list[str]:
        return [code for code in self.departments.split("|") if code]

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS

"""Platform-wide tables: the work calendar's corrections."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """An administrator's correction of one day: a holiday or a swapped working day (调休) the package lacks or
    gets wrong. It wins over the `holidays` package for that date."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是否工作日"), help_text=_("勾选：该日上班（如调休上班的周末）；不勾选：该日放假。")
    )
    name = models.CharField(_("说明"), max_length=64, help_text=_("如“春节”“国庆节调休上班”。"))
    changed_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self):
        kind = _("上班") if self.is_workday else _("放假")
        return f"{self.date:%Y-%m-%d} {kind} · {self.name}"


class CalendarYear(models.Model):
    """A year whose holiday schedule an administrator has entered and checked against the State Council's notice.

    Years the `holidays` package already carries count as published without a row."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(
        _("依据"), max_length=200, help_text=_("如“国务院办公厅关于2027年部分节假日安排的通知”。")
    )
    confirmed_at = models.DateTimeField(_("确认时间"), default=timezone.now)

    class Meta:
        verbose_name = _("已发布的年度节假日安排")
        verbose_name_plural = _("已发布的年度节假日安排")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)

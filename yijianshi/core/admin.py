from django.contrib import admin
from django.utils import timezone

from yijianshi.core.models import CalendarDay, CalendarYear


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name", "changed_at", "changed_by"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]
    readonly_fields = ["changed_at", "changed_by"]

    def save_model(self, request, obj, form, change):
        obj.changed_at = timezone.now()  # the calendar cache notices changes by this timestamp
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "confirmed_at"]
    readonly_fields = ["confirmed_at"]

    def save_model(self, request, obj, form, change):
        obj.confirmed_at = timezone.now()
        super().save_model(request, obj, form, change)

from django.contrib import admin

from yijianshi.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at"]
    readonly_fields = ["recipient", "title", "body", "link", "created_at", "read_at"]
    list_select_related = ["recipient"]

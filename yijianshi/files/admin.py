from django.contrib import admin

from yijianshi.files.models import StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    """Read-only: files are evidence. Names and digests are shown; content is reached through the case."""

    list_display = ["name", "format", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["format"]
    search_fields = ["sha256", "sm3"]
    readonly_fields = [f.name for f in StoredFile._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

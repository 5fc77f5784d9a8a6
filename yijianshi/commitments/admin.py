from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yijianshi.commitments.credit import masked_subject
from yijianshi.commitments.models import Commitment, CreditRecord, Deferral, PostCheck


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["case", "item_name", "text_version", "channel", "signed_at"]
    readonly_fields = [f.name for f in Commitment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Deferral)
class DeferralAdmin(admin.ModelAdmin):
    list_display = ["case", "name", "due_date", "status"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Deferral._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PostCheck)
class PostCheckAdmin(admin.ModelAdmin):
    list_display = ["case", "item_name", "department", "due_date", "status"]
    list_filter = ["status", "rule"]
    readonly_fields = [f.name for f in PostCheck._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(CreditRecord)
class CreditRecordAdmin(admin.ModelAdmin):
    """Read only: marks are recorded and repaired through their services (API), which keep who and why."""

    list_display = ["masked_subject", "kind", "source", "recorded_at", "repaired_at"]
    list_filter = ["kind", "source"]
    search_fields = ["id_number"]
    readonly_fields = [f.name for f in CreditRecord._meta.fields]

    @admin.display(description=_("名称"))
    def masked_subject(self, obj):
        return masked_subject(obj.id_number, obj.subject_name)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yijianshi.commitments.credit import masked_subject
from yijianshi.commitments.models import Commitment, CreditRecord, Deferral, PostCheck


class RecordAdmin(admin.ModelAdmin):
    """Read only: these rows are written by their services, which keep who, when and why, and the case's trail."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Commitment)
class CommitmentAdmin(RecordAdmin):
    list_display = ["case", "item_name", "text_version", "channel", "signed_at"]


@admin.register(Deferral)
class DeferralAdmin(RecordAdmin):
    list_display = ["case", "name", "due_date", "status"]
    list_filter = ["status"]


@admin.register(PostCheck)
class PostCheckAdmin(RecordAdmin):
    list_display = ["case", "item_name", "department", "due_date", "status"]
    list_filter = ["status", "rule"]


@admin.register(CreditRecord)
class CreditRecordAdmin(RecordAdmin):
    list_display = ["masked_subject", "kind", "source", "recorded_at", "repaired_at"]
    list_filter = ["kind", "source"]
    search_fields = ["id_number"]

    @admin.display(description=_("名称"))
    def masked_subject(self, obj):
        return masked_subject(obj.id_number, obj.subject_name)

"""License types are catalog data (catalog.manage); seals are department keys, rotated by account administrators
(accounts.manage) and never shown in the clear. Licenses are issued by decisions and changed through the API."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from yijianshi.accounts.admin_permissions import RegionScopedAdmin
from yijianshi.licenses.models import LicenseType, Seal
from yijianshi.licenses.seals import seal_create


@admin.register(LicenseType)
class LicenseTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "authority_name", "holder_kind", "validity_months", "is_active"]
    list_filter = ["holder_kind", "is_active"]
    search_fields = ["code", "name", "authority_name"]
    filter_horizontal = ["issuing_departments"]


@admin.register(Seal)
class SealAdmin(RegionScopedAdmin, admin.ModelAdmin):
    region_lookups = ("department__region__code",)
    list_display = ["name", "department", "fingerprint", "created_at", "retired_at"]
    list_filter = ["retired_at"]
    list_select_related = ["department"]
    search_fields = ["name", "department__name", "fingerprint"]
    fields = ["name", "department", "fingerprint", "public_key_pem", "seal_image", "created_at", "retired_at"]
    readonly_fields = fields
    actions = ["rotate"]

    def has_add_permission(self, request):
        return False  # a department's first seal is made when it first issues; later ones by rotation

    def has_delete_permission(self, request, obj=None):
        return False  # what a seal signed must stay verifiable

    @admin.display(description=_("印章图像"))
    def seal_image(self, seal):
        return format_html('<div style="width:8rem">{}</div>', mark_safe(seal.image_svg))  # noqa: S308 - made by seal_image_svg, names escaped

    @admin.action(description=_("更换印章（生成新密钥，旧印章停用但其签名仍可验证）"), permissions=["change"])
    def rotate(self, request, queryset):
        departments = {seal.department for seal in queryset.select_related("department")}
        for department in departments:
            seal_create(department=department)
        self.message_user(request, _("已为 %(n)d 个部门更换印章。") % {"n": len(departments)})

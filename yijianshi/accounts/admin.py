from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from yijianshi.accounts import services
from yijianshi.accounts.admin_permissions import RegionScopedAdmin
from yijianshi.accounts.models import (
    ApiClient,
    ApiToken,
    Applicant,
    Department,
    OrganizationMember,
    Region,
    Role,
    RoleAssignment,
    Scope,
    User,
)
from yijianshi.core.masking import mask_mobile, mask_name


@admin.register(Region)
class RegionAdmin(RegionScopedAdmin, admin.ModelAdmin):
    region_lookups = ("code",)
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Department)
class DepartmentAdmin(RegionScopedAdmin, admin.ModelAdmin):
    region_lookups = ("region__code",)
    list_display = ["code", "name", "region", "credit_code", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["code", "name", "credit_code"]
    autocomplete_fields = ["region", "parent"]


class OrganizationMemberInline(RegionScopedAdmin, admin.TabularInline):
    model = OrganizationMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Applicant)
class ApplicantAdmin(RegionScopedAdmin, admin.ModelAdmin):
    """Lists mask personal identifiers; the full record opens only on the detail page."""

    region_lookups = ("region__code",)
    list_display = ["id", "kind", "display_name", "masked_id", "display_phone", "region"]
    list_filter = ["kind"]
    search_fields = ["=id_number", "name"]
    autocomplete_fields = ["region"]
    inlines = [OrganizationMemberInline]

    @admin.display(description=_("姓名/名称"))
    def display_name(self, obj):
        return mask_name(obj.name) if obj.is_person else obj.name

    @admin.display(description=_("证件号码"))
    def masked_id(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("联系电话"))
    def display_phone(self, obj):
        return mask_mobile(obj.phone)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None and not obj.is_person else []


class RoleAssignmentInline(RegionScopedAdmin, admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["region", "department"]


@admin.register(User)
class UserAdmin(RegionScopedAdmin, DjangoUserAdmin):
    region_lookups = ("assignments__region__code", "applicant__region__code")
    list_display = ["username", "display_name", "kind", "is_active", "last_login"]
    list_filter = ["kind", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "name", "=applicant__id_number"]
    ordering = ["username"]
    autocomplete_fields = ["applicant"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("个人信息"), {"fields": ["name", "kind", "applicant", "email", "phone"]}),
        (_("状态"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("时间"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "name", "kind", "applicant", "password1", "password2"],
            },
        ),
    ]
    inlines = [RoleAssignmentInline]

    @admin.display(description=_("姓名"))
    def display_name(self, obj):
        return mask_name(obj.name) if obj.is_applicant else obj.name


@admin.register(Scope)
class ScopeAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "audience"]
    filter_horizontal = ["scopes"]


@admin.register(ApiClient)
class ApiClientAdmin(RegionScopedAdmin, admin.ModelAdmin):
    region_lookups = ("department__region__code",)
    list_display = ["name", "department", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    filter_horizontal = ["scopes"]
    autocomplete_fields = ["department"]
    actions = ["issue_token"]

    @admin.action(description=_("签发新令牌（仅显示一次）"))
    def issue_token(self, request, queryset):
        """Show new tokens once, on a page nobody caches; never in a message, which would store them."""
        issued = []
        for client in queryset:
            raw, token = services.token_issue(client=client, name=str(_("后台签发")))
            issued.append({"client": client, "token": raw, "expires_at": token.expires_at})
        context = {**self.admin_site.each_context(request), "title": _("新令牌"), "issued": issued, "opts": self.opts}
        response = TemplateResponse(request, "admin/accounts/apiclient/tokens_issued.html", context)
        add_never_cache_headers(response)
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "user",
        "client",
        "name",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["revoked_at"]
    readonly_fields = ["prefix", "user", "client", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("撤销所选令牌"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.token_revoke(token=token)
        self.message_user(request, _("已撤销 %(n)d 个令牌。") % {"n": queryset.count()})

"""Catalog administration: items and life events, a plan preview for chosen answers, and publishing.

Catalog administrators (scope `catalog.manage`) see the items and life events of departments in their regions.
Publishing validates as an import does and freezes a new version; the preview shows the plan of the draft as it
stands, so an administrator sees what a change does to the bundle before publishing it.
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from yijianshi.accounts import scopes
from yijianshi.accounts.admin_permissions import RegionScopedAdmin
from yijianshi.catalog import services
from yijianshi.catalog.flowchart import flow_svg
from yijianshi.catalog.graph import CycleError
from yijianshi.catalog.models import (
    Announcement,
    FormField,
    ItemVersion,
    LifeEvent,
    LifeEventItem,
    LifeEventVersion,
    Material,
    Option,
    ProcessStep,
    Question,
    SearchSynonym,
    ServiceItem,
)
from yijianshi.catalog.plan import compute_plan, full_bundle_answers
from yijianshi.catalog.selectors import life_event_rows
from yijianshi.catalog.snapshot import life_event_snapshot
from yijianshi.core.errors import InvalidInput

CATALOG_REGION_LOOKUPS = {
    "catalog.serviceitem": "department__region__code",
    "catalog.lifeevent": "lead_department__region__code",
}


class CatalogAdmin(RegionScopedAdmin, admin.ModelAdmin):
    region_scope = scopes.CATALOG_MANAGE
    related_region_lookups = CATALOG_REGION_LOOKUPS


class CatalogInline(RegionScopedAdmin, admin.TabularInline):
    region_scope = scopes.CATALOG_MANAGE
    related_region_lookups = CATALOG_REGION_LOOKUPS
    extra = 0


class MaterialInline(CatalogInline):
    model = Material
    fields = ["order", "key", "name", "material_type", "form", "need", "source", "issuing_department", "license_type",
              "license_holder", "originals", "copies", "formats", "default_included", "blank_form",
              "sample"]  # fmt: skip


class FormFieldInline(CatalogInline):
    model = FormField
    fields = ["order", "key", "label", "field_type", "required", "max_length", "options", "prefill", "default_included"]


class ProcessStepInline(CatalogInline):
    model = ProcessStep
    fields = ["order", "kind", "name", "limit", "unit"]


def _publish(modeladmin, request, queryset, publish):
    done = 0
    for obj in queryset:
        try:
            publish(obj, user=request.user)
            done += 1
        except InvalidInput as error:
            modeladmin.message_user(request, f"{obj}：{error.message}", messages.ERROR)
    if done:
        modeladmin.message_user(request, _("已发布 %(n)d 项。") % {"n": done}, messages.SUCCESS)


@admin.register(ServiceItem)
class ServiceItemAdmin(CatalogAdmin):
    region_lookups = ("department__region__code",)
    list_display = ["code", "name", "department", "status", "version", "is_sample", "updated_at"]
    list_display_links = ["code", "name"]
    list_filter = ["status", "item_type", "is_sample", "department"]
    search_fields = ["code", "name", "basic_code"]
    autocomplete_fields = ["department", "region"]
    readonly_fields = ["version", "updated_at"]
    inlines = [MaterialInline, FormFieldInline, ProcessStepInline]
    actions = ["publish"]
    fieldsets = [
        (
            _("编码与名称"),
            {"fields": ["code", "basic_code", "handling_code", "name", "aliases", "item_type", "use_level"]},
        ),
        (_("实施主体"), {"fields": ["department", "region", "applicable_to", "legal_basis", "conditions"]}),
        (
            _("时限与跑动"),
            {
                "fields": [
                    "statutory_limit",
                    "statutory_unit",
                    "promised_limit",
                    "promised_unit",
                    "limit_note",
                    "case_kind",
                    "visits",
                    "special_procedures",
                ]
            },
        ),
        (
            _("办理渠道"),
            {
                "fields": [
                    "window",
                    "online",
                    "online_depth",
                    "express",
                    "pay_online",
                    "appointment",
                    "in_service_center",
                    "handle_area",
                ]
            },
        ),
        (
            _("收费与结果"),
            {
                "fields": [
                    "fee_required",
                    "fees",
                    "result_name",
                    "result_type",
                    "result_license_type",
                    "result_material_key",
                    "result_delivery",
                ]
            },
        ),
        (_("现场核查"), {"fields": ["has_inspection", "inspection_place", "joint_inspection"]}),
        (
            _("告知承诺与容缺受理"),
            {
                "fields": [
                    "regulated_area",
                    "commitment_allowed",
                    "commitment_conditions",
                    "commitment_content",
                    "commitment_liability",
                    "commitment_replaces",
                    "deferral_days",
                    "post_check_rule",
                    "risk_level",
                    "post_check_days",
                ]
            },
        ),
        (_("秒批与信用修复"), {"fields": ["instant_allowed", "instant_checks", "instant_paused", "credit_repairs"]}),
        (_("咨询与投诉"), {"fields": ["consultation", "complaint", "address", "office_hours", "progress_query"]}),
        (_("状态"), {"fields": ["status", "version", "is_sample", "updated_at"]}),
    ]

    @admin.action(description=_("发布所选事项（先校验）"))
    def publish(self, request, queryset):
        _publish(self, request, queryset, lambda item, user: services.item_publish(item=item, user=user))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "instant_paused" in form.changed_data:  # recorded as the API's switch records it
            services.item_instant_switch(item=obj, paused=obj.instant_paused, user=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.item_mark_edited(item=form.instance)


class LifeEventItemInline(CatalogInline):
    model = LifeEventItem
    fields = ["order", "item", "default_included", "depends_on"]
    autocomplete_fields = ["item"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A member waits only for members of the same life event.
        if db_field.name == "depends_on":
            life_event_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = LifeEventItem.objects.filter(life_event_id=life_event_id).select_related("item")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class QuestionInline(CatalogInline):
    model = Question
    fields = ["order", "key", "text", "multiple", "required", "shown_when"]
    show_change_link = True


@admin.register(LifeEvent)
class LifeEventAdmin(CatalogAdmin):
    region_lookups = ("lead_department__region__code",)
    list_display = ["code", "name", "audience", "life_stage", "lead_department", "status", "version", "is_sample"]
    list_display_links = ["code", "name"]
    list_filter = ["status", "audience", "life_stage", "is_sample"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["lead_department"]
    readonly_fields = ["version", "updated_at"]
    inlines = [LifeEventItemInline, QuestionInline]
    actions = ["publish"]
    change_form_template = "admin/catalog/lifeevent/change_form.html"

    @admin.action(description=_("发布所选一件事（先校验）"))
    def publish(self, request, queryset):
        _publish(self, request, queryset, lambda event, user: services.life_event_publish(life_event=event, user=user))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.life_event_mark_edited(life_event=form.instance)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="catalog_lifeevent_preview",
            ),
            path(
                "<int:object_id>/publish/",
                self.admin_site.admin_view(require_POST(self.publish_view)),
                name="catalog_lifeevent_publish",
            ),
            *super().get_urls(),
        ]

    def _life_event(self, request, object_id) -> LifeEvent:
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def preview_view(self, request, object_id):
        """The plan of the draft as it stands, for the answers chosen on the page (neutral ones by default)."""
        life_event = self._life_event(request, object_id)
        snapshot = life_event_snapshot(life_event_rows().get(pk=life_event.pk))
        questions = snapshot["life_event"]["questions"]
        answers = full_bundle_answers(questions)
        for question in questions:
            chosen = request.GET.getlist(question["key"])
            if chosen:
                answers[question["key"]] = chosen
            elif request.GET and not question["required"]:
                answers.pop(question["key"], None)
        plan, error = None, None
        problems = services.preview_problems(life_event)
        try:
            plan = compute_plan(snapshot, answers)
        except InvalidInput as invalid:
            error = invalid
        except CycleError:
            pass  # listed among the problems: no flow exists until the cycle is broken
        else:
            # People read names, not 31-character implementation codes.
            names = {item["code"]: item["name"] for item in plan["items"]}
            for entry in (*plan["materials"], *plan["produced_in_plan"], *plan["form"]):
                entry["for_names"] = [names[code] for code in entry["for_items"]]
            for item in plan["items"]:
                item["depends_on_names"] = [names[code] for code in item["depends_on"]]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": life_event,
            "title": _("预览办理方案：%(name)s") % {"name": life_event.name},
            "questions": questions,
            "answers": answers,
            "plan": plan,
            "error": error,
            "flow_svg": flow_svg(plan["flow"], title=life_event.name) if plan else "",
            "problems": problems,
            "pending": services.pending_member_edits(life_event),
            "has_publish": self.has_change_permission(request, life_event),
        }
        return TemplateResponse(request, "admin/catalog/lifeevent/preview.html", context)

    def publish_view(self, request, object_id):
        life_event = self._life_event(request, object_id)
        if not self.has_change_permission(request, life_event):
            return HttpResponseRedirect(reverse("admin:catalog_lifeevent_preview", args=[object_id]))
        try:
            life_event = services.life_event_publish(life_event=life_event, user=request.user)
        except InvalidInput as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, _("已发布第 %(v)d 版。") % {"v": life_event.version}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:catalog_lifeevent_preview", args=[object_id]))


class OptionInline(CatalogInline):
    model = Option
    fields = ["order", "key", "label", "include_items", "exclude_items", "include_materials", "exclude_materials",
              "include_fields", "exclude_fields"]  # fmt: skip


@admin.register(Question)
class QuestionAdmin(CatalogAdmin):
    region_lookups = ("life_event__lead_department__region__code",)
    list_display = ["text", "key", "life_event", "multiple", "required"]
    list_filter = ["life_event"]
    inlines = [OptionInline]

    def has_module_permission(self, request):
        return False  # reached from its life event

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.life_event_mark_edited(life_event=form.instance.life_event)


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "expansions"]
    search_fields = ["term"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.catalog_changed()


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "published_at", "expires_at", "pinned"]
    list_filter = ["pinned"]
    search_fields = ["title"]
    date_hierarchy = "published_at"


class VersionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "published_at", "published_by", "digest"]
    readonly_fields = ["version", "snapshot", "digest", "published_at", "published_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # published versions are the record cases rely on


@admin.register(ItemVersion)
class ItemVersionAdmin(RegionScopedAdmin, VersionAdmin):
    region_scope = scopes.CATALOG_MANAGE
    region_lookups = ("item__department__region__code",)


@admin.register(LifeEventVersion)
class LifeEventVersionAdmin(RegionScopedAdmin, VersionAdmin):
    region_scope = scopes.CATALOG_MANAGE
    region_lookups = ("life_event__lead_department__region__code",)

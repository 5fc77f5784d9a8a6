"""Webhook subscriptions of department systems, managed with the API clients (accounts.manage); deliveries are
read-only. Cases themselves are worked on the workbench, not here."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yijianshi.accounts.admin_permissions import RegionScopedAdmin
from yijianshi.cases.models import WebhookDelivery, WebhookSubscription
from yijianshi.cases.models.webhooks import EVENT_TYPES


class WebhookSubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("接收地址"), max_length=300, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("订阅事件"), choices=EVENT_TYPES, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = WebhookSubscription
        fields = ["client", "url", "events", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.startswith("https://"):
            raise forms.ValidationError(_("接收地址必须使用 https://"))
        return url


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(RegionScopedAdmin, admin.ModelAdmin):
    region_lookups = ("client__department__region__code",)
    related_region_lookups = {"accounts.apiclient": "department__region__code"}
    form = WebhookSubscriptionForm
    list_display = ["url", "client", "is_active", "created_at"]
    list_filter = ["is_active"]
    list_select_related = ["client"]
    autocomplete_fields = ["client"]
    readonly_fields = ["secret", "created_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(RegionScopedAdmin, admin.ModelAdmin):
    region_lookups = ("subscription__client__department__region__code",)
    list_display = ["event_type", "subscription", "status", "attempts", "created_at", "next_attempt_at"]
    list_filter = ["status", "event_type"]
    list_select_related = ["subscription"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

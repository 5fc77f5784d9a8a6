"""Webhook subscriptions of department systems, managed with the API clients (accounts.manage); deliveries are
read-only. Cases themselves are worked on the workbench, not here."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yijianshi.accounts.admin_permissions import RegionScopedAdmin
from yijianshi.cases.models import WebhookDelivery, WebhookSubscription
from yijianshi.cases.models.webhooks import EVENT_TYPES, new_secret


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
    actions = ["rotate_secret"]

    @admin.action(description=_("更换签名密钥"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        for subscription in queryset:
            subscription.secret = new_secret()
            subscription.save(update_fields=["secret"])
        self.message_user(
            request, _("已更换 %(n)d 个订阅的密钥，请在订阅页面查看并告知对方系统。") % {"n": len(queryset)}
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(RegionScopedAdmin, admin.ModelAdmin):
    region_lookups = ("subscription__client__department__region__code",)
    list_display = ["event_type", "subscription", "status", "attempts", "created_at", "next_attempt_at"]
    list_filter = ["status", "event_type"]
    list_select_related = ["subscription"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("重新投递（已失败的）"), permissions=["view"])
    def send_again(self, request, queryset):
        """Give failed deliveries of active subscriptions a fresh set of attempts, starting now."""
        from yijianshi.cases.tasks import webhook_deliver

        again = list(
            queryset.filter(status=WebhookDelivery.Status.FAILED, subscription__is_active=True).values_list(
                "pk", flat=True
            )
        )
        with transaction.atomic():
            WebhookDelivery.objects.filter(pk__in=again).update(
                status=WebhookDelivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
            )
            for pk in again:
                transaction.on_commit(lambda pk=pk: webhook_deliver(str(pk)), robust=True)
        self.message_user(request, _("已重新排队 %(n)d 条推送。") % {"n": len(again)})

    def has_change_permission(self, request, obj=None):
        return False

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

PERSON_STAGES = [_("出生"), _("入学"), _("就业"), _("婚育"), _("居住"), _("退休"), _("身后")]
BUSINESS_STAGES = [_("开办"), _("变更"), _("经营"), _("投资建设"), _("注销")]


def home(request):
    return render(request, "portal/home.html", {"person_stages": PERSON_STAGES, "business_stages": BUSINESS_STAGES})

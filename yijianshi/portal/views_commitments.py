"""容缺材料 on the applicant's case page: supplying what was owed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yijianshi.cases.access import access_case_for_applicant
from yijianshi.cases.pages import attempt, stored_upload, visible
from yijianshi.commitments import deferrals
from yijianshi.files import formats
from yijianshi.files.services import file_store
from yijianshi.portal.access import applicant_principal


@require_POST
@login_required
def my_case_supply(request, case_id, key):
    principal = applicant_principal(request)
    case = visible(access_case_for_applicant, principal, case_id)
    material = next((m for m in (case.plan or {}).get("materials", []) if m["key"] == key), None)

    def supply():
        ids = []
        for upload in request.FILES.getlist("files")[:20]:
            stored = file_store(
                upload=upload, name=upload.name or "", user=principal.user, field="files",
                allowed=(material or {}).get("formats") or formats.FORMATS,
            )  # fmt: skip
            stored_upload(request, stored)
            ids.append(str(stored.pk))
        deferrals.deferred_supply(case_id=case.pk, key=key, by=principal, role="applicant", files=ids)

    done, errors = attempt(request, supply)
    if done:
        messages.success(request, _("补交材料已提交，窗口核验后即可继续办理。"))
    for message in errors.values():
        messages.error(request, message)
    return redirect("portal:my-case", case_id=case.pk)

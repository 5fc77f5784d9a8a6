"""Licenses in the portal: the public verification page the QR code opens (no login), the holder's wallet and PDF,
and the applicant's own data: profile, consents, and who read their data."""

import re
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yijianshi.accounts.models import Applicant
from yijianshi.cases.pages import attempt, principal_of, visible
from yijianshi.commitments.models import CreditRecord
from yijianshi.commitments.selectors import credit_view
from yijianshi.licenses import profiles, selectors, trail
from yijianshi.licenses.access import access_license
from yijianshi.licenses.documents import license_pdf_response
from yijianshi.licenses.models import Consent
from yijianshi.licenses.verification import verify_identifier

PAGE_SIZE = 20
DAYS = re.compile(r"[0-9]{1,5}")


@require_GET
def verify_form(request):
    """Type an identifier (or arrive from a scanner that appends it as ?identifier=)."""
    identifier = request.GET.get("identifier", "").strip()
    if identifier:
        return redirect("portal:verify", identifier=identifier[:120])
    return render(request, "portal/verify.html", {"verdict": None})


@require_GET
def verify_page(request, identifier):
    verdict = selectors.verdict_view(verify_identifier(identifier[:120]))
    return render(request, "portal/verify.html", {"verdict": verdict, "asked": identifier[:120]})


@login_required
def my_licenses(request):
    principal = principal_of(request)
    if not request.user.is_applicant:
        raise PermissionDenied
    page = Paginator(selectors.wallet(principal), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            **selectors.license_summary(license),
            "verify_path": reverse("portal:verify", args=[license.identifier]),
            "pdf_path": reverse("portal:my-license-pdf", args=[license.pk]),
        }
        for license in page
    ]
    return render(request, "portal/my_licenses.html", {"page": page, "rows": rows})


@login_required
@require_GET
def my_license_pdf(request, license_id):
    """The holder downloads the license's PDF (seal image, QR code to the verification page)."""
    principal = principal_of(request)
    license = visible(access_license, principal, license_id)
    if license.holder_id not in principal.applicant_ids:
        raise Http404
    return license_pdf_response(request, license)


def _applicant(request):
    principal = principal_of(request)
    if not request.user.is_applicant or principal.acting_applicant_id is None:
        raise PermissionDenied
    return principal, Applicant.objects.get(pk=principal.acting_applicant_id)


@login_required
def my_data(request):
    """一人一档: what the platform keeps about me, the consents that let it reuse that, and who read my data."""
    principal, applicant = _applicant(request)
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "grant":
            scope = request.POST.getlist("scope")
            days = request.POST.get("days", "")
            done, errors = attempt(
                request,
                lambda: profiles.consent_grant(
                    applicant=applicant, by=principal, scope=scope, days=int(days) if DAYS.fullmatch(days) else 0
                ),
            )
            if done:
                messages.success(request, _("已授权。办理时将按授权预填申请表，您可随时撤回。"))
                return redirect("portal:my-data")
        elif action == "withdraw":
            try:
                consent_id = uuid.UUID(request.POST.get("consent", ""))
            except ValueError:
                raise Http404 from None
            done, errors = attempt(request, lambda: profiles.consent_withdraw(consent_id=consent_id, by=principal))
            if done:
                messages.success(request, _("已撤回授权，今后不再使用这些信息预填。"))
                return redirect("portal:my-data")
    consents = Consent.objects.filter(applicant=applicant).order_by("-granted_at")[:50]
    trail_page = Paginator(trail.trail_of_subjects(principal.applicant_ids), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/my_data.html",
        {
            "profile": profiles.profile_view(applicant),
            "consents": [profiles.consent_view(c) for c in consents],
            "page": trail_page,
            "accesses": [trail.access_view(record) for record in trail_page],
            "day_choices": (30, 90, 365, 1095),
            "credit": [
                credit_view(record, masked=False)
                for record in CreditRecord.objects.filter(id_number=applicant.id_number)[:50]
            ],
            "errors": errors,
        },
        status=422 if errors else 200,
    )

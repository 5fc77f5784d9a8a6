"""Licenses in the portal: the public verification page the QR code opens (no login), and the holder's wallet."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from yijianshi.cases.pages import principal_of
from yijianshi.licenses import selectors
from yijianshi.licenses.verification import verify_identifier

PAGE_SIZE = 20


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
        {**selectors.license_summary(license), "verify_path": reverse("portal:verify", args=[license.identifier])}
        for license in page
    ]
    return render(request, "portal/my_licenses.html", {"page": page, "rows": rows})

"""The license as a printable document (版式文件): a PDF with the issuer's seal image, the QR code that opens the
public verification page, and the license's data, in the layout its type names. The seal image on paper is only a
picture: what proves the license is the SM2 signature, which the QR code's page checks."""

import base64
from urllib.parse import quote

import segno
from django.http import HttpResponse

from yijianshi.catalog.documents import pdf_from_template
from yijianshi.licenses.models import License
from yijianshi.licenses.selectors import license_detail, verify_url


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def license_pdf(license: License, *, base_url: str) -> bytes:
    """The PDF of the license's current version (printed once per version: the identifier changes with it)."""
    version = license.versions.select_related("seal").get(version=license.version)
    url = verify_url(license.identifier)
    context = {
        "license": license_detail(license),
        "seal_image": _data_uri(version.seal.image_svg),
        "seal_fingerprint": version.seal.fingerprint,
        "qr_image": segno.make(url, error="m").svg_data_uri(scale=4, border=2),
        "verify_url": url,
        "signed_at": version.created_at,
        "valid": license.status == License.Status.VALID and not license.is_expired,
    }
    return pdf_from_template(license.license_type.pdf_template, context, base_url=base_url)


def license_pdf_response(request, license: License) -> HttpResponse:
    """The PDF as a download named after the license."""
    pdf = license_pdf(license, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = quote(f"{license.name}-{license.number}.pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response

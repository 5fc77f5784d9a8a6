"""The 容缺受理通知书 as a printable PDF."""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse

from yijianshi.catalog.documents import pdf_from_template
from yijianshi.commitments.models import DeferralNotice
from yijianshi.commitments.selectors import notice_title


def notice_pdf(case, notice: DeferralNotice, *, base_url: str = "") -> bytes:
    context = {
        "notice": notice,
        "title": notice_title(notice),
        "case": case,
        "applicant_name": case.applicant.name,
        "platform": settings.YJS_PLATFORM_NAME,
    }
    return pdf_from_template("commitments/deferral_notice.html", context, base_url=base_url)


def notice_pdf_response(case, notice: DeferralNotice) -> HttpResponse:
    response = HttpResponse(notice_pdf(case, notice), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(notice.number + '.pdf')}"
    return response

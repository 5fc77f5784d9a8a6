"""License API: the holder's wallet, the signed bytes anyone can check, verification, status changes by the issuer."""

from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from yijianshi.accounts.auth import PUBLIC_AUTH, public_openapi
from yijianshi.core.errors import InvalidInput
from yijianshi.core.pagination import MappedPage, Pagination
from yijianshi.core.schemas import DOMAIN_RULES, ERROR_STATUSES, ErrorOut
from yijianshi.licenses import documents, selectors, services, trail, verification
from yijianshi.licenses.access import access_license, access_license_to_manage
from yijianshi.licenses.schemas import (
    LicenseOut,
    LicenseSummaryOut,
    SignedOut,
    StatusCode,
    StatusIn,
    VerdictOut,
    VerifyIn,
)

router = Router(tags=["电子证照"])


@router.get(
    "/licenses", response={200: list[LicenseSummaryOut], ERROR_STATUSES: ErrorOut}, summary="我的电子证照（证照夹）"
)
@paginate(Pagination)
def license_list(request, status: StatusCode | None = Query(None, description="按状态筛选")):
    return MappedPage(selectors.wallet(request.auth, status=status), selectors.license_summary)


# Before /licenses/{license_id}: the router matches paths in order.
@router.post(
    "/licenses/verify",
    auth=PUBLIC_AUTH,
    openapi_extra={**public_openapi(), **DOMAIN_RULES},
    response={200: VerdictOut, ERROR_STATUSES: ErrorOut},
    summary="核验电子证照",
    description=(
        "提交证照标识，或签名原文与签名值，返回 valid（有效）/ invalid（无效）/ revoked（已撤销）/ "
        "expired（已过期）及原因。无需登录。"
    ),
)
def license_verify(request, payload: VerifyIn):
    if payload.identifier:
        verdict = verification.verify_identifier(payload.identifier)
    elif payload.payload and payload.signature:
        verdict = verification.verify_bundle(
            payload=payload.payload, signature=payload.signature, public_key=payload.public_key,
            signer_id=payload.signer_id,
        )  # fmt: skip
    else:
        raise InvalidInput.for_field(
            "identifier", _("请提交证照标识（identifier），或签名原文（payload）与签名值（signature）。")
        )
    return selectors.verdict_view(verdict)


@router.get("/licenses/{license_id}", response={200: LicenseOut, ERROR_STATUSES: ErrorOut}, summary="证照详情")
def license_get(request, license_id: UUID):
    license = access_license(request.auth, license_id)
    _record_issuer_read(request.auth, license, _("颁发部门查阅证照"))
    return selectors.license_detail(license)


def _record_issuer_read(principal, license, purpose: str) -> None:
    """A read by the issuing department (anyone but the holder) goes into the holder's data-access trail."""
    trail.access_record(
        principal=principal, subject_id=license.holder_id, kind="license", license=license, purpose=purpose,
        fields=[f["label"] for f in license.license_type.fields], department=license.issuer,
    )  # fmt: skip


@router.get(
    "/licenses/{license_id}/pdf",
    response={200: None, ERROR_STATUSES: ErrorOut},
    summary="下载证照版式文件（PDF）",
    description="带颁发部门印章图像、核验二维码和中文字体的 PDF；以签名为准，二维码打开公开核验页。",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}},
)
def license_pdf(request, license_id: UUID):
    license = access_license(request.auth, license_id)
    _record_issuer_read(request.auth, license, _("颁发部门下载证照文件"))
    return documents.license_pdf_response(request, license)


@router.get(
    "/licenses/{license_id}/signed",
    response={200: SignedOut, ERROR_STATUSES: ErrorOut},
    summary="签名原文与签名值",
    description=(
        "返回被签名的原文（Base64）、DER 编码的 SM2 签名、印章公钥（PEM）和签名者标识，可用 OpenSSL 独立验证："
        "`openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -digest sm3 -pkeyopt distid:1234567812345678 "
        "-in payload -sigfile sig`（签名者标识按 GM/T 0009 默认为 1234567812345678；"
        "OpenSSL 3.0 命令行默认用空标识，须写明）。"
    ),
)
def license_signed(request, license_id: UUID, version: int | None = Query(None, ge=1, description="版本，默认最新")):
    license = access_license(request.auth, license_id)
    _record_issuer_read(request.auth, license, _("颁发部门调取证照签名数据"))
    signed = license.versions.select_related("seal").filter(version=version or license.version).first()
    if signed is None:
        raise InvalidInput.for_field("version", _("该证照没有第 %(n)d 版。") % {"n": version})
    return services.signed_bundle(signed)


@router.post(
    "/licenses/{license_id}/status",
    response={200: LicenseOut, ERROR_STATUSES: ErrorOut},
    summary="变更证照状态（颁发部门）",
    description="暂扣、撤销、注销、失效、吊销，或暂扣后恢复有效。每次变更签发新版本，证照标识的版本号加一。",
    openapi_extra=DOMAIN_RULES,
)
def license_status(request, license_id: UUID, payload: StatusIn):
    license = access_license_to_manage(request.auth, license_id)
    license = services.license_status_change(
        license_id=license.pk, status=payload.status, reason=payload.reason, by=request.auth
    )
    return selectors.license_detail(license)

"""Request and response shapes of the license API. Requests refuse unknown fields (InSchema)."""

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import StringConstraints

from yijianshi.core.schemas import InSchema, Integer

StatusCode = Literal["01", "02", "03", "04", "05", "07"]
Reason = Annotated[str, StringConstraints(max_length=500, pattern=r"^[^\x00]*$")]
Base64 = Annotated[str, StringConstraints(max_length=90_000, pattern=r"^[A-Za-z0-9+/=\s]*$")]


class DataFieldOut(Schema):
    key: str
    label: str
    value: Any


class LicenseSummaryOut(Schema):
    id: UUID
    identifier: str = Field(..., description="GB/T 36904 证照标识（含版本号与校验位）")
    name: str
    number: str = Field(..., description="证照编号")
    type_code: str
    holder_name: str
    issuer_name: str
    issued_on: date
    valid_until: date | None = Field(None, description="有效期止；空表示长期有效")
    status: str = Field(..., description="01 有效 / 02 暂扣 / 03 撤销 / 04 注销 / 05 失效 / 07 吊销")
    status_name: str
    expired: bool
    version: int


class VersionOut(Schema):
    version: int
    identifier: str
    status: str
    reason: str
    signed_at: datetime
    seal: str = Field(..., description="签名印章公钥的 SM3 指纹")


class LicenseOut(LicenseSummaryOut):
    type_name: str
    holder_id_kind: str = Field(..., description="111 公民身份号码 / 001 统一社会信用代码")
    holder_id_number: str
    issuer_code: str
    area_code: str
    valid_from: date
    item_code: str
    source_case_id: UUID | None
    status_reason: str
    data: list[DataFieldOut]
    verify_url: str = Field(..., description="公开核验页地址（二维码内容）")
    versions: list[VersionOut]


class SignedOut(Schema):
    identifier: str
    payload: str = Field(..., description="被签名的原文（排序键的 UTF-8 JSON）的 Base64")
    signature: str = Field(..., description="SM2 签名值（DER）的 Base64")
    public_key: str = Field(..., description="印章公钥（PEM）")
    signer_id: str = Field(..., description="SM2 签名者标识（默认 1234567812345678）")
    algorithm: str
    seal: str


class VerifyIn(InSchema):
    """Either an identifier, or a signed bundle as GET /licenses/{id}/signed gives it."""

    identifier: Annotated[str, StringConstraints(max_length=120)] | None = None
    payload: Base64 | None = None
    signature: Base64 | None = None
    public_key: Annotated[str, StringConstraints(max_length=2000)] = ""
    signer_id: Annotated[str, StringConstraints(max_length=64)] = ""


class PublicLicenseOut(Schema):
    identifier: str
    name: str
    number: str
    holder_name: str = Field(..., description="持证人姓名（自然人部分遮盖）")
    holder_id_number: str
    issuer_name: str
    issued_on: date
    valid_from: date
    valid_until: date | None
    status: str
    status_name: str
    version: int
    data: list[DataFieldOut]


class VerdictOut(Schema):
    result: Literal["valid", "invalid", "revoked", "expired"]
    reason: str
    identifier: str | None = Field(None, description="所核验的证照标识")
    latest: bool = Field(..., description="所核验的是否为最新版本")
    license: PublicLicenseOut | None


class StatusIn(InSchema):
    status: StatusCode
    reason: Reason


AttributeKey = Annotated[str, StringConstraints(pattern=r"^(person|org)\.[a-z_]{1,40}$")]


class ProfileAttributeOut(Schema):
    key: str = Field(..., description="属性键，与事项表单字段的预填来源一致，如 person.phone")
    label: str
    value: Any = None
    source: str | None = Field(None, description="来源：实名注册信息，或某件已受理的办件")
    updated_at: str | None = None
    consented: bool = Field(..., description="是否有生效中的授权允许用它预填申请表")


class ProfileApplicantOut(Schema):
    id: int
    kind: str
    name: str


class ProfileOut(Schema):
    applicant: ProfileApplicantOut
    attributes: list[ProfileAttributeOut]


class ConsentIn(InSchema):
    purpose: Literal["prefill"] = "prefill"
    scope: list[AttributeKey] | None = Field(None, max_length=20, description="授权的属性；不填表示全部")
    days: Integer = Field(365, description="授权期限（天），1–1095")
    applicant_id: Integer | None = Field(None, description="代表的单位；不填表示本人")


class ConsentOut(Schema):
    id: UUID
    applicant_id: int
    purpose: str
    purpose_label: str
    scope: list[str]
    scope_labels: list[str]
    granted_at: datetime
    expires_at: datetime
    withdrawn_at: datetime | None
    active: bool


class DataAccessOut(Schema):
    id: int
    kind: Literal["license", "profile"]
    kind_label: str
    fields: list[str] = Field(..., description="被查看的数据项")
    license_identifier: str | None
    reader: str = Field(..., description="查看人或系统")
    department: str = Field(..., description="查看部门")
    purpose: str
    case_number: str
    accessed_at: datetime


class SupervisedDataAccessOut(DataAccessOut):
    subject: str = Field(..., description="数据主体（已遮盖）")

from datetime import datetime

from ninja import Field, Schema

from yijianshi.core.schemas import InSchema, Text


class TokenIn(InSchema):
    username: Text = Field(..., min_length=1, max_length=150, description="用户名")
    password: Text = Field(..., min_length=1, max_length=128, description="密码")


class TokenOut(Schema):
    token: str = Field(..., description="访问令牌，仅此一次返回，请妥善保存")
    token_type: str = "Bearer"  # noqa: S105 (a scheme name, not a secret)
    expires_at: datetime


class TokenInfoOut(Schema):
    id: int
    prefix: str
    name: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None = Field(None, alias="parent.code")


class DepartmentOut(Schema):
    code: str
    credit_code: str
    name: str
    short_name: str
    region_code: str = Field(..., alias="region.code")
    region_name: str = Field(..., alias="region.name")
    parent_code: str | None = Field(None, alias="parent.code")


class RoleGrantOut(Schema):
    code: str
    name: str
    region_code: str | None
    department_id: int | None


class ApplicantBriefOut(Schema):
    id: int
    kind: str
    name: str
    id_type: str
    id_number_masked: str


class ActingForOut(ApplicantBriefOut):
    role: str


class UserOut(Schema):
    id: int
    username: str
    name: str
    kind: str
    applicant: ApplicantBriefOut | None


class ClientOut(Schema):
    id: int
    name: str
    department_code: str


class MeOut(Schema):
    user: UserOut | None
    client: ClientOut | None
    roles: list[RoleGrantOut]
    scopes: list[str]
    acting_for: list[ActingForOut]


class ApplicantOut(Schema):
    id: int
    kind: str
    name: str
    id_type: str
    id_number: str = Field(..., description="本人查看时为完整号码，其他人查看时为脱敏号码")
    phone: str
    region_code: str | None
    legal_representative_name: str

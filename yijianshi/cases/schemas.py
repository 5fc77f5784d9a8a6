"""Request and response shapes of the case API. Requests refuse unknown fields (InSchema)."""

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import StringConstraints

from yijianshi.core.schemas import InSchema, Integer, Text
from yijianshi.licenses.schemas import DataFieldOut

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
Code = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z_-]*$", max_length=36)]
Answer = Annotated[str, StringConstraints(max_length=64)] | list[Annotated[str, StringConstraints(max_length=64)]]
FormValue = (
    Annotated[str, StringConstraints(max_length=2000, pattern=r"^[^\x00]*$")] | int | float | bool | list[Key] | None
)
ChannelIn = Literal["online", "window", "kiosk", "mobile", "proxy"]
# Query filters spelled out: the models' nested `Status` enums would share one name in the OpenAPI document.
CaseStatusIn = Literal["draft", "submitted", "correcting", "refused", "withdrawn", "in_progress", "completed"]
TaskStatusIn = Literal[
    "waiting", "active", "suspended", "approved", "refused", "not_applicable", "terminated", "revoked"
]
ColourIn = Literal["green", "yellow", "red"]
ShortText = Annotated[str, StringConstraints(max_length=500, pattern=r"^[^\x00]*$")]
LongText = Annotated[str, StringConstraints(max_length=2000, pattern=r"^[^\x00]*$")]


class MaterialIn(InSchema):
    files: list[UUID] = Field(..., max_length=20, description="已上传文件的 id（POST /files 返回）")


class AddressIn(InSchema):
    recipient: ShortText = Field("", description="收件人")
    phone: ShortText = Field("", description="联系电话")
    address: ShortText = Field("", description="详细地址")


class DeliveryIn(InSchema):
    method: Literal["electronic", "pickup", "mail"] = Field(
        ..., description="electronic 电子送达 / pickup 窗口领取 / mail 邮寄"
    )
    address: AddressIn | None = None


class WalkInIn(InSchema):
    """A walk-in applicant identified at the window (found by ID number, or registered)."""

    kind: Literal["person", "organization"] = "person"
    name: Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[^\x00]*$")]
    id_number: Annotated[str, StringConstraints(min_length=1, max_length=30, pattern=r"^[^\x00]*$")]
    phone: Annotated[str, StringConstraints(max_length=20, pattern=r"^[^\x00]*$")] = ""
    legal_representative_name: ShortText = ""
    legal_representative_id_number: Annotated[str, StringConstraints(max_length=30, pattern=r"^[^\x00]*$")] = ""


class CommitmentChoiceIn(InSchema):
    item: Code = Field(..., description="签署告知承诺书的事项编码")
    version: Integer = Field(..., ge=1, description="所阅读的承诺书版本（须为现行版本）")
    confirmed: bool = Field(..., description="申请人明确确认已阅读并同意承诺书全部内容")


class ChoicesIn(InSchema):
    commitments: list[CommitmentChoiceIn] = Field(default_factory=list, max_length=50, description="签署的告知承诺书")
    deferred: list[Key] = Field(default_factory=list, max_length=50, description="选择容缺后补的材料键")


class CaseIn(InSchema):
    life_event: Code | None = Field(None, description="一件事编码（与 item 二选一）")
    item: Code | None = Field(None, description="单个事项编码（与 life_event 二选一）")
    applicant_id: Integer | None = Field(
        None, description="代表的申请人（本人或所代表的单位）；窗口可指定已登记的申请人"
    )
    walk_in: WalkInIn | None = Field(None, description="窗口：现场申请人的身份信息")
    channel: ChannelIn | None = Field(None, description="申报渠道；窗口人员默认 window")
    answers: dict[Key, Answer] = Field(default_factory=dict, max_length=100)
    form: dict[Key, FormValue] = Field(default_factory=dict, max_length=300)
    materials: dict[Key, MaterialIn] = Field(default_factory=dict, max_length=100)
    delivery: DeliveryIn | None = None
    submit: bool = Field(True, description="true：直接提交；false：保存为草稿")
    commitments: list[CommitmentChoiceIn] = Field(
        default_factory=list, max_length=50, description="提交时签署的告知承诺书（事项允许时）"
    )
    deferred: list[Key] = Field(default_factory=list, max_length=50, description="提交时选择容缺后补的材料键")


class CasePatchIn(InSchema):
    answers: dict[Key, Answer] | None = Field(None, max_length=100, description="替换全部回答")
    form: dict[Key, FormValue] | None = Field(None, max_length=300, description="合并：值为 null 表示清除")
    materials: dict[Key, MaterialIn | None] | None = Field(None, max_length=100, description="合并：null 表示移除")
    delivery: DeliveryIn | None = None


class ResubmitIn(InSchema):
    form: dict[Key, FormValue] | None = Field(None, max_length=300, description="合并：值为 null 表示清除")
    materials: dict[Key, MaterialIn | None] | None = Field(None, max_length=100, description="合并：null 表示移除")


class AcceptIn(InSchema):
    opinion: LongText = Field("", description="受理意见")
    approve_immediate: bool = Field(False, description="同时当场办结其中的即办件")


class RefuseIn(InSchema):
    reason: LongText = Field(..., description="不予受理的理由")
    legal_basis: LongText = ""


class ProblemIn(InSchema):
    target: Literal["material", "field"]
    key: Key
    message: LongText


class CorrectionIn(InSchema):
    problems: list[ProblemIn] = Field(..., max_length=50)
    note: LongText = ""


class WithdrawIn(InSchema):
    reason: LongText = ""


class DeliverIn(InSchema):
    pickup_code: Annotated[str, StringConstraints(max_length=8, pattern=r"^[0-9]*$")] = ""
    tracking_number: Annotated[str, StringConstraints(max_length=40, pattern=r"^[^\x00]*$")] = ""


class DecideIn(InSchema):
    decision: Literal["approve", "refuse"]
    opinion: LongText = ""
    refusal_reason: LongText = ""
    legal_basis: LongText = ""
    results: list[UUID] = Field(default_factory=list, max_length=20, description="结果文件 id（批文、证照等）")


class SuspendIn(InSchema):
    kind: Literal["inspection", "expert_review", "public_notice", "hearing"]
    reason: LongText
    expected_end: date


class ResumeIn(InSchema):
    note: LongText = ""


class FileRefOut(Schema):
    id: UUID
    name: str
    format: str
    size: int
    pages: int | None
    sm3: str
    url: str = Field(..., description="下载地址")


class ReferencedLicenseOut(Schema):
    id: UUID
    name: str
    number: str
    issuer_name: str
    issued_on: date
    valid_until: date | None
    status_name: str
    data: list[DataFieldOut]


class LicenseRefOut(Schema):
    identifier: str = Field(..., description="所引用的证照标识")
    result: Literal["valid", "invalid", "revoked", "expired"] = Field(..., description="查看时的核验结果")
    reason: str
    license: ReferencedLicenseOut | None


class CaseMaterialOut(Schema):
    key: str
    name: str
    kind: str = Field(
        ..., description="files 上传文件 / license 电子证照（免提交）/ deferred 容缺后补 / committed 以承诺代替"
    )
    round: int
    files: list[FileRefOut]
    license: LicenseRefOut | None = Field(None, description="免提交：引用的电子证照及核验结果")


class ProblemOut(Schema):
    target: str
    key: str
    label: str
    message: str


class CorrectionOut(Schema):
    round: int
    problems: list[ProblemOut]
    note: str
    issued_at: datetime
    resolved_at: datetime | None


class ResultOut(Schema):
    name: str
    file: FileRefOut


class SuspensionOut(Schema):
    kind: str
    kind_label: str
    reason: str
    started_on: date
    expected_end: date
    ended_on: date | None
    days: int


class TaskOut(Schema):
    id: UUID
    item_code: str
    item_name: str
    department: dict[str, str]
    status: str
    status_label: str
    immediate: bool
    depends_on: list[str]
    limit: dict[str, Any] = Field(..., description="{value, unit}")
    activated_at: datetime | None
    due_date: date | None
    due_date_unconfirmed: bool = Field(False, description="期限所在年份的法定节假日安排尚未发布，期限可能随之调整")
    warning_date: date | None
    colour: str | None = Field(None, description="green / yellow / red；未开始或已决定为 null")
    suspended_days: int
    decided_at: datetime | None
    opinion: str
    refusal_reason: str
    legal_basis: str
    closed_reason: str
    results: list[ResultOut]
    inputs: list[ResultOut] = Field(..., description="前置事项的结果（本任务所需）")
    suspensions: list[SuspensionOut]


class PartyOut(Schema):
    id: int
    kind: str
    name: str
    id_number_masked: str


class CaseOut(Schema):
    id: UUID
    number: str | None
    title: str
    kind: str = Field(..., description="life_event / item")
    code: str
    version: int
    status: str
    status_label: str
    outcome: str
    outcome_label: str
    applicant: PartyOut
    agent: str | None
    channel: str
    channel_label: str
    delivery: dict[str, Any]
    answers: dict[str, Any]
    plan: dict[str, Any]
    form: dict[str, Any]
    materials: list[CaseMaterialOut]
    tasks: list[TaskOut]
    correction: CorrectionOut | None
    round: int
    refusal_reason: str
    due_date: date | None
    due_date_unconfirmed: bool = Field(False, description="期限所在年份的法定节假日安排尚未发布，期限可能随之调整")
    colour: str | None
    created_at: datetime
    submitted_at: datetime | None
    accepted_at: datetime | None
    completed_at: datetime | None
    delivered_at: datetime | None
    whole: bool = Field(..., description="false：部门审批人员只看到本部门任务所需的部分")


class CaseSummaryOut(Schema):
    id: UUID
    number: str | None
    title: str
    status: str
    status_label: str
    outcome: str
    applicant_name: str
    channel: str
    due_date: date | None
    colour: str | None
    created_at: datetime
    submitted_at: datetime | None


class EventOut(Schema):
    position: int
    action: str
    label: str
    role: str
    actor: str
    data: dict[str, Any]
    created_at: datetime
    hash: str


class TaskSummaryOut(Schema):
    id: UUID
    case_id: UUID
    case_number: str | None
    case_title: str
    applicant_name: str
    item_code: str
    item_name: str
    status: str
    status_label: str
    due_date: date | None
    colour: str | None
    activated_at: datetime | None


class CorrectionNoticeOut(Schema):
    case_id: UUID
    round: int
    problems: list[ProblemOut]
    note: str
    issued_at: datetime


class TextOut(Schema):
    detail: Text

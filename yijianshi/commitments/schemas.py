from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from yijianshi.cases.schemas import LongText
from yijianshi.core.schemas import InSchema, Text

DeferralStatusIn = Literal["owed", "supplied", "accepted", "overdue"]
PostCheckStatusIn = Literal["pending", "passed", "false"]


class CommitmentTextOut(Schema):
    item: str
    item_name: str
    version: int = Field(..., description="承诺书版本：签署时提交此版本号")
    conditions: str = Field(..., description="许可条件")
    content: str = Field(..., description="承诺内容")
    liability: str = Field(..., description="违诺责任")
    sm3: str = Field(..., description="所示文本的 SM3 摘要，签署记录保存此摘要")
    published_at: datetime


class CommitmentOut(Schema):
    item: str
    item_name: str
    text_version: int
    sm3: str
    channel: str
    signed_at: datetime
    replaced: list[str] = Field(..., description="以承诺代替的材料键")
    deferred: list[str] = Field(..., description="容缺后补的材料键")


class DeferralOut(Schema):
    case_id: UUID
    case_number: str
    key: str
    name: str
    form: str
    items: list[str]
    due_date: date | None
    status: Literal["owed", "supplied", "accepted", "overdue"]
    status_label: str
    supplied_at: datetime | None
    checked_at: datetime | None
    check_note: str


class NoticeOut(Schema):
    number: str
    title: str
    entries: list[dict]
    commitments: list[dict]
    consequence: str
    issued_at: datetime
    pdf_url: str


class PostCheckOut(Schema):
    id: int
    case_id: UUID
    case_number: str
    item_name: str
    department: str
    rule: str
    due_date: date
    status: Literal["pending", "passed", "false"]
    status_label: str
    finding: str
    checked_at: datetime | None


class CaseCommitmentsOut(Schema):
    commitments: list[CommitmentOut]
    deferrals: list[DeferralOut]
    notice: NoticeOut | None
    post_checks: list[PostCheckOut]


class SupplyIn(InSchema):
    files: list[UUID] = Field(..., min_length=1, max_length=20, description="补交材料的文件 id（先上传）")


class DeferralCheckIn(InSchema):
    accepted: bool = Field(..., description="true：核验通过；false：退回重新补交")
    note: LongText = Field("", description="核验意见；退回时必填")


class PostCheckIn(InSchema):
    result: Literal["passed", "false_commitment"] = Field(..., description="passed 属实 / false_commitment 承诺不实")
    finding: LongText = Field(..., description="核查情况")


class CreditRecordOut(Schema):
    id: int
    id_number: str = Field(..., description="证件号码（公民身份号码脱敏）")
    subject_name: str
    kind: str
    kind_label: str
    source: str
    reason: str
    reference: str
    recorded_at: datetime
    active: bool
    repaired_at: datetime | None
    repair_note: str


class CreditImportRowIn(InSchema):
    id_number: Text = Field(..., max_length=30, description="公民身份号码或统一社会信用代码")
    name: Text = Field(..., max_length=100)
    reason: LongText
    reference: Text = Field("", max_length=100, description="认定文书编号")


class CreditImportIn(InSchema):
    records: list[CreditImportRowIn] = Field(..., max_length=5000)


class CreditRepairIn(InSchema):
    note: LongText = Field(..., description="修复依据")


class InstantSwitchIn(InSchema):
    paused: bool = Field(..., description="true：立即暂停秒批；false：恢复")


class InstantSwitchOut(Schema):
    item: str
    paused: bool

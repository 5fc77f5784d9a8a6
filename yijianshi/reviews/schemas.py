from datetime import datetime
from uuid import UUID

from ninja import Field, Schema

from yijianshi.cases.schemas import LongText
from yijianshi.core.schemas import InSchema, Integer


class ReviewIn(InSchema):
    level: Integer = Field(..., description="总体评价：5 非常满意 / 4 满意 / 3 基本满意 / 2 不满意 / 1 非常不满意")
    dimensions: dict[str, Integer] = Field(
        default_factory=dict,
        max_length=4,
        description="分项 1–5：efficiency 办事效率、guide_accuracy 指南精确度、convenience 便捷度、usability 操作性",
    )
    comment: LongText = Field("", description="评价内容（不满意时必填，最多 500 字）")


class DimensionOut(Schema):
    key: str
    label: str
    level: int


class ReviewOut(Schema):
    case_id: UUID
    case_number: str
    case_title: str
    applicant_name: str
    level: int
    level_label: str
    dimensions: list[DimensionOut]
    comment: str
    departments: list[str]
    channel: str
    created_at: datetime
    updated_at: datetime
    revisions: int
    editable_until: datetime
    editable: bool

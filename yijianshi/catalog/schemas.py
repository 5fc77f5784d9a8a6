from typing import Any, Literal

from ninja import Field, Schema

from yijianshi.catalog.models import LifeEvent
from yijianshi.core.schemas import InSchema, Text

Audience = Literal.__getitem__(tuple(LifeEvent.Audience.values))
LifeStage = Literal.__getitem__(tuple(LifeEvent.LifeStage.values))


class DepartmentRef(Schema):
    code: str
    name: str


class LimitOut(Schema):
    value: int
    unit: str = Field(..., description="working_days 工作日 / calendar_days 自然日")


class ReductionOut(Schema):
    before: int
    after: int


class MaterialReductionOut(ReductionOut):
    substituted: int = Field(0, description="由申请人已有电子证照代替、无需提交的材料数（登录后的办理方案）")


class ReductionsOut(Schema):
    materials: MaterialReductionOut
    steps: ReductionOut
    days: ReductionOut
    visits: ReductionOut
    inspections: ReductionOut


class MaterialOut(Schema):
    key: str
    name: str
    type: int
    form: int
    need: int
    source: int
    issuing_department: str
    license_type: str
    license_holder: str = Field("", description="持证人：空为申请人本人，否则为写明持证人证件号码的字段键")
    originals: int
    copies: int
    acceptance_standard: str
    legal_basis: str
    formats: list[str] = Field(..., description="允许的文件格式（按内容识别）")
    default: bool


class FieldOptionOut(Schema):
    value: str
    label: str


class FieldBase(Schema):
    key: str
    label: str
    type: str
    required: bool
    max_length: int | None
    pattern: str
    min: float | None
    max: float | None
    options: list[FieldOptionOut]
    prefill: str
    help: str


class FieldOut(FieldBase):
    default: bool


class StepOut(Schema):
    kind: str
    name: str
    limit: LimitOut
    description: str


class ResultOut(Schema):
    name: str
    type: str
    license_type: str
    material_key: str
    delivery: list[str]


class ItemSummaryOut(Schema):
    code: str
    name: str
    item_type: str
    department: DepartmentRef
    promised_limit: LimitOut
    visits: int
    online: bool
    version: int
    sample: bool


class ItemOut(Schema):
    """A published item with the national standard elements (docs/catalog-format.md)."""

    code: str
    basic_code: str
    handling_code: str
    name: str
    aliases: list[str]
    item_type: str
    use_level: int
    department: DepartmentRef
    region: str
    applicable_to: str
    legal_basis: str
    conditions: str
    statutory_limit: LimitOut
    promised_limit: LimitOut
    limit_note: str
    case_kind: int
    visits: int
    channels: dict[str, Any]
    handle_area: str
    fees: list[dict[str, Any]]
    result: ResultOut
    special_procedures: list[dict[str, Any]]
    inspection: dict[str, Any]
    commitment_allowed: bool
    commitment: dict[str, Any] = Field(
        ..., description="告知承诺：监管领域、承诺书文本、以承诺代替的材料、容缺补交期限、事后核查规则"
    )
    instant_approval: dict[str, Any] = Field(..., description="秒批：是否允许，以及字段规则")
    credit_repair: list[str] = Field(..., description="本事项准予后修复的信用记录类型")
    service: dict[str, str]
    version: int
    sample: bool
    materials: list[MaterialOut]
    fields: list[FieldOut]
    steps: list[StepOut]


class OptionOut(Schema):
    key: str
    label: str


class ConditionOut(Schema):
    question: str
    options: list[str]


class QuestionOut(Schema):
    key: str
    text: str
    help: str
    multiple: bool
    required: bool
    shown_when: list[ConditionOut]
    options: list[OptionOut]


class MemberOut(Schema):
    code: str
    name: str
    department: DepartmentRef
    default: bool
    depends_on: list[str]


class LifeEventSummaryOut(Schema):
    code: str
    name: str
    aliases: list[str]
    audience: str
    life_stage: str
    lead_department: DepartmentRef
    item_count: int
    version: int
    sample: bool
    metrics: ReductionsOut


class LifeEventOut(LifeEventSummaryOut):
    description: str
    member_departments: list[DepartmentRef]
    items: list[MemberOut]
    questions: list[QuestionOut]


class PlanIn(InSchema):
    # Values are checked against the questions by the plan, which names what is wrong with each answer.
    answers: dict[Text, Any] = Field(
        default_factory=dict, max_length=200, description='{"问题键": "选项键"}，多选题为选项键列表'
    )


class PlanQuestionOut(Schema):
    key: str
    text: str
    help: str
    multiple: bool
    required: bool
    options: list[OptionOut]
    answer: list[str]


class PlanItemOut(Schema):
    code: str
    name: str
    department: DepartmentRef
    case_kind: int
    days: int
    visits: int
    lane: int
    depends_on: list[str]
    result: dict[str, str]
    commitment_allowed: bool
    commitment: "PlanCommitmentOut | None" = Field(None, description="可告知承诺时：承诺书及其效果")
    instant_approval: bool = Field(False, description="可秒批（规则均满足时提交即自动准予）")
    credit_repair: list[str] = Field([], description="准予后修复申请人的信用记录类型")


class PlanCommitmentOut(Schema):
    replaces: list[str] = Field(..., description="签署承诺后无需提交的材料键")
    deferrable: list[str] = Field(..., description="可容缺后补的材料键")
    deferral_days: int = Field(..., description="受理后补齐容缺材料的工作日数")
    post_check: dict[str, Any] = Field(
        ...,
        description="事后核查：rule（always 全部 / sampled 按风险抽查 / none 不核查）、risk 风险等级、days 核查期限",
    )
    text_version: int | None = Field(None, description="现行承诺书版本（签署时须提交此版本号）")
    conditions: str = ""
    content: str = ""
    liability: str = ""


class SubstituteOut(Schema):
    identifier: str
    name: str
    number: str
    issuer_name: str


class PrefilledOut(Schema):
    value: Any
    attribute: str = Field(..., description="档案属性，如 person.phone")
    source: str


class PlanMaterialOut(Schema):
    key: str
    name: str
    type: int
    form: int
    need: int
    source: int
    issuing_department: str
    license_type: str
    license_holder: str = Field("", description="持证人：空为申请人本人，否则为写明持证人证件号码的字段键")
    license_substitutable: bool
    originals: int
    copies: int
    acceptance_standard: str
    formats: list[str] = Field(..., description="各事项都接受的文件格式")
    for_items: list[str]
    substitute: SubstituteOut | None = Field(
        None, description="免提交：登录的申请人持有该类有效电子证照，提交时引用它代替上传"
    )


class ProducedOut(Schema):
    key: str
    name: str
    produced_by: str
    for_items: list[str]


class PlanFieldOut(FieldBase):
    for_items: list[str]
    prefilled: PrefilledOut | None = Field(None, description="按申请人授权从一人一档/一企一档预填的值（登录后）")


class FlowNodeOut(Schema):
    code: str
    name: str
    department: DepartmentRef
    days: int
    lane: int


class FlowEdgeOut(Schema):
    from_: str = Field(..., alias="from")
    to: str
    implied: bool = Field(..., description="由材料推出的依赖：后者需要前者的办理结果")


class FlowOut(Schema):
    nodes: list[FlowNodeOut]
    edges: list[FlowEdgeOut]
    lanes: list[list[str]]
    critical_path: list[str]
    days: int


class InspectionOut(Schema):
    place: str
    items: list[str]
    joint: bool


class PlanOut(Schema):
    life_event: dict[str, Any]
    answers: dict[str, list[str]]
    ignored_answers: list[str]
    questions: list[PlanQuestionOut]
    items: list[PlanItemOut]
    materials: list[PlanMaterialOut]
    produced_in_plan: list[ProducedOut]
    form: list[PlanFieldOut]
    flow: FlowOut
    inspections: list[InspectionOut]
    reductions: ReductionsOut


class SearchResultOut(Schema):
    kind: str = Field(..., description="life_event 一件事 / item 事项")
    code: str
    name: str
    highlight: str = Field(..., description="名称，命中的词以 <mark> 标出（已转义的 HTML）")
    snippet: str
    department: str
    audience: str
    score: float


class SearchOut(Schema):
    query: str
    terms: list[str]
    results: list[SearchResultOut]


class SuggestionOut(Schema):
    kind: str = Field(..., description="life_event 一件事 / item 事项")
    code: str
    name: str
    highlight: str = Field(..., description="名称，与输入相符的部分以 <mark> 标出（已转义的 HTML）")
    department: str
    url: str = Field(..., description="门户上的办事指南页")


class SuggestOut(Schema):
    query: str
    suggestions: list[SuggestionOut]

"""The service catalog: items of the implementation list (实施清单) and life events (一件事) built from them.

Rows here are what catalog administrators edit. Publishing freezes a JSON snapshot (ItemVersion,
LifeEventVersion) that plans and cases read, so a case keeps the catalog it was submitted under.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yijianshi.accounts.models import Department, Region
from yijianshi.catalog.commitment_rules import PostCheckRule, RegulatedArea, RiskLevel
from yijianshi.catalog.format import OPTION_EFFECTS, fragment_problems
from yijianshi.files.formats import FORMATS

KEY_VALIDATOR = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]*$", _("只能使用小写字母、数字、连字符和下划线，以字母或数字开头。")
)
ITEM_CODE_VALIDATOR = RegexValidator(r"^[0-9A-Za-z][0-9A-Za-z_-]*$", _("编码只能使用字母、数字、连字符和下划线。"))
BASIC_CODE_VALIDATOR = RegexValidator(r"^[0-9A-Z]{12}$", _("基本编码应为 12 位数字或大写字母。"))
# GB/T 36904 license type code: the defining authority's credit code (18) and a 3-digit sequence.
LICENSE_TYPE_VALIDATOR = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{18}[0-9]{3}$", _("证照类型代码应为定义机构的统一社会信用代码加 3 位序号，共 21 位。")
)


class DocumentField(models.JSONField):
    """A large JSON document (a published snapshot).

    On PostgreSQL, Django 5.2 bulk-inserts a batch as one array per column (INSERT … SELECT FROM UNNEST). psycopg
    escapes a text array in Python, character by character, which makes inserting 10,000 snapshots ten times slower.
    A field with `get_placeholder` is left out of that path: each document travels as its own parameter.
    """

    def get_placeholder(self, value, compiler, connection):
        return "%s"


def check_json_fields(instance, fields: dict[str, str]) -> None:
    """Validate JSON fields against their part of the catalog schema (`fields`: field name → schema pointer).

    Admin edits them as raw JSON; what they hold must be what an import would accept, or previews, publishing and
    export would fail later on it.
    """
    errors = {}
    for name, pointer in fields.items():
        problems = fragment_problems(getattr(instance, name), pointer)
        if problems:
            errors[name] = [
                ("/".join(map(str, path)) + "：" if path else "") + message for path, message in problems[:5]
            ]
    if errors:
        raise ValidationError(errors)


ITEM = "#/$defs/item/properties/"


# What a blank form or a filled-in sample may be.
def all_formats() -> list[str]:
    return list(FORMATS)


DOCUMENT_EXTENSIONS = ["pdf", "ofd", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"]


class Status(models.TextChoices):
    """The editable row's state; what the public sees is the live version (`version`), unless withdrawn."""

    DRAFT = "draft", _("草稿（有未发布的修改）")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤销")


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("工作日")
    CALENDAR_DAYS = "calendar_days", _("自然日")


class ServiceItem(models.Model):
    """One administrative procedure of one department, with the national standard elements."""

    class ItemType(models.TextChoices):
        LICENSING = "01", _("行政许可")
        PENALTY = "02", _("行政处罚")
        COERCION = "03", _("行政强制")
        LEVY = "04", _("行政征收")
        BENEFIT = "05", _("行政给付")
        INSPECTION = "06", _("行政检查")
        CONFIRMATION = "07", _("行政确认")
        REWARD = "08", _("行政奖励")
        ADJUDICATION = "09", _("行政裁决")
        OTHER_POWER = "10", _("其他行政权力")
        PUBLIC_SERVICE = "20", _("公共服务")

    class UseLevel(models.IntegerChoices):
        NATIONAL = 1, _("国家级")
        PROVINCIAL = 2, _("省级")
        CITY = 3, _("市级")
        COUNTY = 4, _("县级")
        TOWNSHIP = 5, _("乡镇级")

    class CaseKind(models.IntegerChoices):
        IMMEDIATE = 1, _("即办件")
        PROMISED = 2, _("承诺件")

    class HandleArea(models.TextChoices):
        CITY = "city", _("全市通办")
        PROVINCE = "province", _("全省通办")
        NATIONAL = "national", _("跨省通办")

    class ResultType(models.TextChoices):
        APPROVAL = "approval", _("审批")
        CERTIFICATE = "certificate", _("证照")
        PROOF = "proof", _("证明")
        REPORT = "report", _("鉴定报告")
        OTHER = "other", _("其他")

    code = models.CharField(_("实施编码"), max_length=36, unique=True, validators=[ITEM_CODE_VALIDATOR])
    basic_code = models.CharField(_("基本编码"), max_length=12, validators=[BASIC_CODE_VALIDATOR])
    handling_code = models.CharField(_("业务办理项编码"), max_length=50, blank=True)
    name = models.CharField(_("事项名称"), max_length=200)
    aliases = models.JSONField(_("别名"), default=list, blank=True, help_text=_("群众常用的说法，用于搜索"))
    item_type = models.CharField(_("事项类型"), max_length=2, choices=ItemType.choices)
    use_level = models.PositiveSmallIntegerField(_("行使层级"), choices=UseLevel.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="items"
    )
    region = models.ForeignKey(Region, verbose_name=_("实施区划"), on_delete=models.PROTECT, related_name="+")
    applicable_to = models.TextField(_("适用范围"), blank=True)
    legal_basis = models.TextField(_("设定依据"))
    conditions = models.TextField(_("受理条件"))
    statutory_limit = models.PositiveIntegerField(_("法定办结时限"))
    statutory_unit = models.CharField(_("法定时限单位"), max_length=16, choices=LimitUnit.choices)
    promised_limit = models.PositiveIntegerField(_("承诺办结时限"))
    promised_unit = models.CharField(_("承诺时限单位"), max_length=16, choices=LimitUnit.choices)
    limit_note = models.TextField(_("时限说明"), blank=True)
    case_kind = models.PositiveSmallIntegerField(_("办件类型"), choices=CaseKind.choices)
    visits = models.PositiveSmallIntegerField(_("到办事现场次数"), validators=[MaxValueValidator(10)])
    window = models.BooleanField(_("窗口办理"), default=True)
    online = models.BooleanField(_("网上办理"), default=True)
    online_depth = models.PositiveSmallIntegerField(
        _("网办深度"), default=3, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    express = models.BooleanField(_("支持快递"), default=True)
    pay_online = models.BooleanField(_("网上支付"), default=False)
    appointment = models.BooleanField(_("支持预约"), default=True)
    in_service_center = models.BooleanField(_("进驻政务服务中心"), default=True)
    handle_area = models.CharField(_("通办范围"), max_length=16, choices=HandleArea.choices, default=HandleArea.CITY)
    fee_required = models.BooleanField(_("是否收费"), default=False)
    fees = models.JSONField(_("收费项目"), default=list, blank=True)
    result_name = models.CharField(_("审批结果名称"), max_length=200)
    result_type = models.CharField(_("审批结果类型"), max_length=16, choices=ResultType.choices)
    result_license_type = models.CharField(
        _("结果证照类型代码"), max_length=21, blank=True, validators=[LICENSE_TYPE_VALIDATOR]
    )
    result_material_key = models.CharField(
        _("结果对应的材料键"),
        max_length=64,
        blank=True,
        validators=[KEY_VALIDATOR],
        help_text=_("同一一件事中，其他事项要求此材料时，由本事项的办理结果提供，无需申请人提交"),
    )
    result_delivery = models.JSONField(_("结果送达方式"), default=list, blank=True)
    special_procedures = models.JSONField(_("特别程序"), default=list, blank=True)
    has_inspection = models.BooleanField(_("需要现场核查"), default=False)
    inspection_place = models.CharField(
        _("核查场所"), max_length=64, blank=True, validators=[KEY_VALIDATOR], help_text=_("同一场所的核查可合并")
    )
    joint_inspection = models.BooleanField(_("可参加联合核查"), default=False)
    commitment_allowed = models.BooleanField(_("可告知承诺"), default=False)
    regulated_area = models.CharField(
        _("监管领域"),
        max_length=24,
        choices=RegulatedArea.choices,
        default=RegulatedArea.GENERAL,
        help_text=_(
            "涉及国家安全、公共安全、金融审慎监管、生态环境、人身健康和生命财产安全、重要涉外事项的，不得告知承诺。"
        ),
    )
    commitment_conditions = models.TextField(_("承诺书：许可条件"), blank=True)
    commitment_content = models.TextField(_("承诺书：承诺内容"), blank=True)
    commitment_liability = models.TextField(_("承诺书：违诺责任"), blank=True)
    commitment_replaces = models.JSONField(
        _("以承诺代替的材料"), default=list, blank=True, help_text=_("材料键；申请人承诺后无需提交")
    )
    deferral_days = models.PositiveSmallIntegerField(
        _("容缺补交期限（工作日）"), default=0, help_text=_("受理后多少个工作日内补齐；0 表示以承诺时限为限")
    )
    post_check_rule = models.CharField(
        _("事后核查"), max_length=16, choices=PostCheckRule.choices, default=PostCheckRule.NONE
    )
    risk_level = models.CharField(_("风险等级"), max_length=16, choices=RiskLevel.choices, default=RiskLevel.LOW)
    post_check_days = models.PositiveSmallIntegerField(_("核查期限（工作日）"), default=20)
    instant_allowed = models.BooleanField(_("可秒批"), default=False)
    instant_checks = models.JSONField(_("秒批规则"), default=list, blank=True)
    instant_paused = models.BooleanField(
        _("暂停秒批"), default=False, help_text=_("立即生效，无需重新发布；暂停期间由部门人工审批")
    )
    instant_switched_at = models.DateTimeField(_("秒批开关变更时间"), null=True, blank=True, editable=False)
    instant_switched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("秒批开关变更人"), null=True, blank=True, editable=False,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    credit_repairs = models.JSONField(
        _("修复的信用记录类型"), default=list, blank=True, help_text=_("本事项准予后，修复申请人此类信用记录")
    )
    consultation = models.CharField(_("咨询方式"), max_length=200, blank=True)
    complaint = models.CharField(_("监督投诉渠道"), max_length=200, blank=True)
    address = models.CharField(_("办理地点"), max_length=200, blank=True)
    office_hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    progress_query = models.CharField(_("进程和结果查询"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("上线版本"), default=0, editable=False, help_text=_("0：从未发布"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    is_sample = models.BooleanField(_("样例数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")
        ordering = ["code"]
        indexes = [models.Index(fields=["status", "department"])]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def clean(self):
        check_json_fields(
            self,
            {
                "aliases": ITEM + "aliases",
                "fees": ITEM + "fees",
                "special_procedures": ITEM + "special_procedures",
                "result_delivery": ITEM + "result/properties/delivery",
                "commitment_replaces": ITEM + "commitment/properties/replaces",
                "instant_checks": ITEM + "instant_approval/properties/checks",
                "credit_repairs": ITEM + "credit_repair",
            },
        )
        if self.commitment_allowed and self.regulated_area != RegulatedArea.GENERAL:
            raise ValidationError(
                {"commitment_allowed": _("“%(area)s”领域的事项不得实行告知承诺（国办发〔2020〕42号）。")
                 % {"area": self.get_regulated_area_display()}}
            )  # fmt: skip


class Material(models.Model):
    """A document an item asks for. The same key across items means the same document."""

    class MaterialType(models.IntegerChoices):
        LICENSE = 1, _("证照")
        FORM = 2, _("表格文书")
        OTHER = 3, _("其他")

    class Form(models.IntegerChoices):
        PAPER = 1, _("纸质")
        ELECTRONIC = 2, _("电子")
        BOTH = 3, _("纸质或电子")

    class Need(models.IntegerChoices):
        NECESSARY = 1, _("必要")
        OPTIONAL = 2, _("非必要")
        DEFERRABLE = 3, _("容缺后补")

    class Source(models.IntegerChoices):
        APPLICANT = 10, _("申请人自备")
        GOVERNMENT = 20, _("政府部门核发")
        OTHER = 99, _("其他")

    item = models.ForeignKey(ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="materials")
    key = models.CharField(_("材料键"), max_length=64, validators=[KEY_VALIDATOR])
    name = models.CharField(_("材料名称"), max_length=200)
    material_type = models.PositiveSmallIntegerField(_("材料类型"), choices=MaterialType.choices)
    form = models.PositiveSmallIntegerField(_("材料形式"), choices=Form.choices, default=Form.BOTH)
    need = models.PositiveSmallIntegerField(_("必要性"), choices=Need.choices, default=Need.NECESSARY)
    source = models.PositiveSmallIntegerField(_("来源渠道"), choices=Source.choices)
    issuing_department = models.CharField(_("出具单位"), max_length=100, blank=True)
    license_type = models.CharField(
        _("可替代的证照类型代码"), max_length=21, blank=True, validators=[LICENSE_TYPE_VALIDATOR]
    )
    license_holder = models.CharField(
        _("证照持有人字段"),
        max_length=64,
        blank=True,
        validators=[KEY_VALIDATOR],
        help_text=_("空：申请人本人的证照；否则填本事项中写明持证人证件号码的字段键（如 mother-citizen-id）。"),
    )
    originals = models.PositiveSmallIntegerField(_("原件份数"), default=0)
    copies = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    acceptance_standard = models.TextField(_("受理标准"), blank=True)
    legal_basis = models.TextField(_("材料依据"), blank=True)
    formats = models.JSONField(
        _("允许的文件格式"), default=all_formats, help_text=_("按文件内容识别：pdf、ofd、jpeg、png。")
    )
    blank_form = models.FileField(
        _("空白表格"), upload_to="catalog/forms/", blank=True, validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)]
    )
    sample = models.FileField(
        _("示例样表"),
        upload_to="catalog/samples/",
        blank=True,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
    )
    default_included = models.BooleanField(_("默认需要"), default=True, help_text=_("否：只在情形选项要求时需要"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["item", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "key"], name="material_key_unique_per_item")]

    def __str__(self):
        return self.name

    def clean(self):
        check_json_fields(self, {"formats": "#/$defs/material/properties/formats"})


class FormField(models.Model):
    """A field of an item's application form. The same key across items means the same data."""

    class FieldType(models.TextChoices):
        TEXT = "text", _("单行文本")
        TEXTAREA = "textarea", _("多行文本")
        NUMBER = "number", _("数字")
        DATE = "date", _("日期")
        SELECT = "select", _("单选")
        MULTISELECT = "multiselect", _("多选")
        CHECKBOX = "checkbox", _("勾选")
        CITIZEN_ID = "citizen_id", _("公民身份号码")
        CREDIT_CODE = "credit_code", _("统一社会信用代码")
        PHONE = "phone", _("手机号码")
        EMAIL = "email", _("电子邮箱")
        REGION = "region", _("行政区划")

    item = models.ForeignKey(ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="fields")
    key = models.CharField(_("字段键"), max_length=64, validators=[KEY_VALIDATOR])
    label = models.CharField(_("字段名称"), max_length=100)
    field_type = models.CharField(_("类型"), max_length=16, choices=FieldType.choices, default=FieldType.TEXT)
    required = models.BooleanField(_("必填"), default=True)
    max_length = models.PositiveIntegerField(_("最大长度"), null=True, blank=True)
    pattern = models.CharField(_("格式（正则）"), max_length=200, blank=True)
    min_value = models.DecimalField(_("最小值"), max_digits=18, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("最大值"), max_digits=18, decimal_places=4, null=True, blank=True)
    options = models.JSONField(_("选项"), default=list, blank=True)
    prefill = models.CharField(_("预填来源"), max_length=64, blank=True, help_text=_("一人一档/一企一档中的属性"))
    help_text = models.CharField(_("填写说明"), max_length=200, blank=True)
    default_included = models.BooleanField(_("默认需要"), default=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("表单字段")
        verbose_name_plural = _("表单字段")
        ordering = ["item", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "key"], name="field_key_unique_per_item")]

    def __str__(self):
        return self.label

    def clean(self):
        check_json_fields(self, {"options": "#/$defs/field/properties/options"})


class ProcessStep(models.Model):
    """A step of an item's process, with its own time limit."""

    class Kind(models.TextChoices):
        ACCEPT = "accept", _("受理")
        REVIEW = "review", _("审查")
        INSPECT = "inspect", _("现场核查")
        DECIDE = "decide", _("决定")
        DELIVER = "deliver", _("送达")
        OTHER = "other", _("其他")

    item = models.ForeignKey(ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("环节名称"), max_length=100)
    limit = models.PositiveIntegerField(_("时限"), default=0)
    unit = models.CharField(_("时限单位"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        ordering = ["item", "order", "id"]

    def __str__(self):
        return self.name


class LifeEvent(models.Model):
    """一件事: related items of several departments, done with one application."""

    class Audience(models.TextChoices):
        PERSON = "person", _("个人")
        BUSINESS = "business", _("企业")

    class LifeStage(models.TextChoices):
        BIRTH = "birth", _("出生")
        SCHOOL = "school", _("入学")
        WORK = "work", _("就业")
        FAMILY = "family", _("婚育")
        RESIDENCE = "residence", _("居住")
        HEALTH = "health", _("医疗与助残")
        RETIREMENT = "retirement", _("退休")
        AFTER_DEATH = "after_death", _("身后")
        OPENING = "opening", _("开办")
        CHANGE = "change", _("变更")
        OPERATION = "operation", _("经营")
        CONSTRUCTION = "construction", _("投资建设")
        CLOSING = "closing", _("注销")

    code = models.CharField(_("一件事编码"), max_length=36, unique=True, validators=[ITEM_CODE_VALIDATOR])
    name = models.CharField(_("名称"), max_length=100)
    aliases = models.JSONField(_("别名"), default=list, blank=True, help_text=_("群众常用的说法，用于搜索"))
    description = models.TextField(_("简介"), blank=True)
    audience = models.CharField(_("服务对象"), max_length=16, choices=Audience.choices)
    life_stage = models.CharField(_("生命周期阶段"), max_length=16, choices=LifeStage.choices)
    lead_department = models.ForeignKey(
        Department, verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="led_life_events"
    )
    version = models.PositiveIntegerField(_("上线版本"), default=0, editable=False, help_text=_("0：从未发布"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    is_sample = models.BooleanField(_("样例数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def clean(self):
        check_json_fields(self, {"aliases": "#/$defs/life_event/properties/aliases"})


class LifeEventItem(models.Model):
    """An item taking part in a life event; it waits for the items whose results it needs."""

    life_event = models.ForeignKey(
        LifeEvent, verbose_name=_("一件事"), on_delete=models.CASCADE, related_name="members"
    )
    item = models.ForeignKey(ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="memberships")
    default_included = models.BooleanField(_("默认办理"), default=True, help_text=_("否：只在情形选项要求时办理"))
    depends_on = models.ManyToManyField(
        "self", verbose_name=_("前置事项"), symmetrical=False, related_name="dependents", blank=True
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("一件事包含的事项")
        verbose_name_plural = _("一件事包含的事项")
        ordering = ["life_event", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["life_event", "item"], name="life_event_item_unique")]

    def __str__(self):
        return f"{self.life_event.name} · {self.item.name}"


class Question(models.Model):
    """A situation question (情形); shown only when its conditions on earlier answers hold."""

    life_event = models.ForeignKey(
        LifeEvent, verbose_name=_("一件事"), on_delete=models.CASCADE, related_name="questions"
    )
    key = models.CharField(_("问题键"), max_length=64, validators=[KEY_VALIDATOR])
    text = models.CharField(_("问题"), max_length=200)
    help_text = models.CharField(_("说明"), max_length=300, blank=True)
    multiple = models.BooleanField(_("可多选"), default=False)
    required = models.BooleanField(_("必答"), default=True)
    shown_when = models.JSONField(
        _("显示条件"),
        default=list,
        blank=True,
        help_text=_('如 [{"question": "键", "options": ["选项键"]}]，全部满足时显示'),
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("情形问题")
        verbose_name_plural = _("情形问题")
        ordering = ["life_event", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["life_event", "key"], name="question_key_unique")]

    def __str__(self):
        return self.text

    def clean(self):
        check_json_fields(self, {"shown_when": "#/$defs/question/properties/shown_when"})


class Option(models.Model):
    """An answer to a situation question and what it includes or excludes."""

    question = models.ForeignKey(Question, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="options")
    key = models.CharField(_("选项键"), max_length=64, validators=[KEY_VALIDATOR])
    label = models.CharField(_("选项"), max_length=200)
    include_items = models.JSONField(_("增加事项"), default=list, blank=True)
    exclude_items = models.JSONField(_("免办事项"), default=list, blank=True)
    include_materials = models.JSONField(_("增加材料"), default=list, blank=True)
    exclude_materials = models.JSONField(_("免交材料"), default=list, blank=True)
    include_fields = models.JSONField(_("增加字段"), default=list, blank=True)
    exclude_fields = models.JSONField(_("免填字段"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("情形选项")
        verbose_name_plural = _("情形选项")
        ordering = ["question", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "key"], name="option_key_unique")]

    def __str__(self):
        return self.label

    def clean(self):
        check_json_fields(self, {name: f"#/$defs/option/properties/{name}" for name in OPTION_EFFECTS})


class PublishedVersion(models.Model):
    """A frozen snapshot and its content digest (docs/catalog-format.md § Versions)."""

    version = models.PositiveIntegerField(_("版本"))
    snapshot = DocumentField(_("内容"))
    digest = models.CharField(_("内容摘要"), max_length=64, help_text=_("不含版本号的内容的 SHA-256"))
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class ItemVersion(PublishedVersion):
    """A published item, frozen: what single-item plans and cases read."""

    # Versions outlive edits and are what cases refer to: an item with versions cannot be deleted (withdraw it).
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="versions")

    class Meta:
        verbose_name = _("事项发布版本")
        verbose_name_plural = _("事项发布版本")
        ordering = ["item", "-version"]
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="item_version_unique")]

    def __str__(self):
        return f"{self.item.code} v{self.version}"


class LifeEventVersion(PublishedVersion):
    """A published life event with all its items, questions and options, frozen."""

    life_event = models.ForeignKey(LifeEvent, on_delete=models.PROTECT, related_name="versions")

    class Meta:
        verbose_name = _("一件事发布版本")
        verbose_name_plural = _("一件事发布版本")
        ordering = ["life_event", "-version"]
        constraints = [models.UniqueConstraint(fields=["life_event", "version"], name="life_event_version_unique")]

    def __str__(self):
        return f"{self.life_event.code} v{self.version}"


class SearchSynonym(models.Model):
    """A way people say something, and the catalog words it means: 开饭店 → 餐饮."""

    term = models.CharField(_("群众说法"), max_length=50, unique=True)
    expansions = models.JSONField(_("对应的目录用语"), default=list)

    class Meta:
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")
        ordering = ["term"]

    def __str__(self):
        return f"{self.term} → {'、'.join(self.expansions)}"

    def clean(self):
        check_json_fields(self, {"expansions": "#/$defs/synonym/properties/expansions"})


class CatalogState(models.Model):
    """One row: a counter bumped whenever the published catalog changes, so processes rebuild their search index."""

    generation = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("目录状态")
        verbose_name_plural = _("目录状态")

    def __str__(self):
        return f"generation {self.generation}"


class CommitmentText(models.Model):
    """A published version of an item's 告知承诺书. A new version is recorded whenever an item is published with a
    different text; applicants sign the latest, and a signature names the version it was given for."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="commitment_texts")
    version = models.PositiveIntegerField(_("承诺书版本"))
    conditions = models.TextField(_("许可条件"))
    content = models.TextField(_("承诺内容"))
    liability = models.TextField(_("违诺责任"))
    digest = models.CharField(_("SM3 摘要"), max_length=64)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)

    class Meta:
        verbose_name = _("告知承诺书版本")
        verbose_name_plural = _("告知承诺书版本")
        ordering = ["item", "-version"]
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="commitment_text_version_unique")]

    def __str__(self):
        return f"{self.item.code} 承诺书 v{self.version}"


class Announcement(models.Model):
    """通知公告 on the portal's home page: a new 一件事, changed opening hours, a holiday arrangement."""

    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"), max_length=5000)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("下线时间"), null=True, blank=True, help_text=_("留空则一直显示"))
    pinned = models.BooleanField(_("置顶"), default=False)

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        ordering = ["-pinned", "-published_at"]

    def __str__(self):
        return self.title

"""What the catalog may say about 告知承诺, 容缺受理, 事后核查, 秒批 and 信用修复 (国办发〔2020〕42号): the choices
shared by the catalog format, the item rows and the commitments domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegulatedArea(models.TextChoices):
    """The field an item regulates. Outside the general field, commitments may not replace proof (42号文 二.(二))."""

    GENERAL = "general", _("一般领域")
    NATIONAL_SECURITY = "national_security", _("国家安全、国家秘密")
    PUBLIC_SAFETY = "public_safety", _("公共安全")
    FINANCIAL = "financial", _("金融业审慎监管")
    ECOLOGY = "ecology", _("生态环境保护")
    LIFE_SAFETY = "life_safety", _("直接涉及人身健康、生命财产安全")
    FOREIGN_AFFAIRS = "foreign_affairs", _("重要涉外事项")


class PostCheckRule(models.TextChoices):
    ALWAYS = "always", _("全部核查")
    SAMPLED = "sampled", _("按风险等级抽查")
    NONE = "none", _("不核查")


class RiskLevel(models.TextChoices):
    LOW = "low", _("低风险")
    MEDIUM = "medium", _("中风险")
    HIGH = "high", _("高风险")


class CreditKind(models.TextChoices):
    """Marks that bar an applicant from commitments until repaired."""

    FALSE_COMMITMENT = "false_commitment", _("虚假承诺")
    SERIOUS_DISHONESTY = "serious_dishonesty", _("严重失信")


# Instant-approval field checks: operator → (label, how it compares the form's value with the rule's value).
INSTANT_OPERATORS = {
    "equals": _("等于"),
    "in": _("属于"),
    "at_least": _("不小于"),
    "at_most": _("不大于"),
    "filled": _("已填写"),
    "applicant_id": _("为申请人本人的证件号码"),
}

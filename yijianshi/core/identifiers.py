"""National identifiers: citizen IDs (GB 11643), credit codes (GB 32100) and region codes (GB/T 2260).

Validators raise Django's ValidationError with a Chinese message that names the identifier, so that
`full_clean()` in a service and a form both report the field clearly. Checksums come from python-stdnum.
"""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

CITIZEN_ID_TYPE = "111"  # 公民身份号码
CREDIT_CODE_TYPE = "001"  # 统一社会信用代码


def _reason(error: stdnum_errors.ValidationError, label: str, length: int) -> str:
    if isinstance(error, stdnum_errors.InvalidLength):
        return _("%(label)s应为 %(length)d 位。") % {"label": label, "length": length}
    if isinstance(error, stdnum_errors.InvalidChecksum):
        return _("%(label)s校验位不正确，请核对后重新输入。") % {"label": label}
    if isinstance(error, stdnum_errors.InvalidComponent):
        return _("%(label)s中的出生日期或地区码无效。") % {"label": label}
    return _("%(label)s含有不允许的字符。") % {"label": label}


def _half_width(value: str) -> str:
    """Full-width digits and letters, as Chinese input methods type them, become ASCII (NFKC)."""
    return unicodedata.normalize("NFKC", value or "")


def normalize_citizen_id(value: str) -> str:
    return ric.compact(_half_width(value))


def _validate(module, value: str, label, code: str) -> str:
    try:
        return module.validate(_half_width(value))
    except stdnum_errors.ValidationError as error:
        raise ValidationError(_reason(error, str(label), 18), code=code) from error


def validate_citizen_id(value: str) -> str:
    """Return the compact citizen ID, or raise ValidationError naming 公民身份号码."""
    return _validate(ric, value, _("公民身份号码"), "citizen_id")


def normalize_credit_code(value: str) -> str:
    return uscc.compact(_half_width(value))


def validate_credit_code(value: str) -> str:
    """Return the compact unified social credit code, or raise ValidationError naming it."""
    return _validate(uscc, value, _("统一社会信用代码"), "credit_code")


def citizen_birth_date(value: str) -> datetime.date:
    return ric.get_birth_date(value)


# GB/T 2260 codes extended to 12 digits: province (2), prefecture (2), county (2), township (3), village (3).
REGION_LEVEL_DIGITS = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
REGION_LEVEL_NAMES = {1: _("省级"), 2: _("市级"), 3: _("县级"), 4: _("乡镇级"), 5: _("村级")}


def validate_region_code(value: str) -> str:
    """A region code is 12 digits whose trailing zeros mark its level."""
    # str.isdigit() also accepts full-width and other Unicode digits; a code is ASCII.
    if not (isinstance(value, str) and len(value) == 12 and value.isascii() and value.isdigit()):
        raise ValidationError(_("行政区划代码应为 12 位数字。"), code="region_code")
    if value[:2] == "00":
        raise ValidationError(_("行政区划代码的省级代码无效。"), code="region_code")
    return value


def region_level(code: str) -> int:
    """1 province … 5 village, from the significant digits of a 12-digit code."""
    for level in (1, 2, 3, 4):
        if code[REGION_LEVEL_DIGITS[level] :] == "0" * (12 - REGION_LEVEL_DIGITS[level]):
            return level
    return 5


def region_prefix(code: str) -> str:
    """The digits every region inside this one starts with."""
    return code[: REGION_LEVEL_DIGITS[region_level(code)]]

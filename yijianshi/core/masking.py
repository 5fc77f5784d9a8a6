"""Masking of personal identifiers in logs, lists and pages shown to anyone but their subject."""

import re

# Digits as typed by any input method: ASCII or full-width.
_D = "[0-9０-９]"
# An 18-character citizen ID whose birth date starts 19xx or 20xx, wherever it stands: next to letters too
# (a username like "p110105…"), but not inside a longer run of digits.
CITIZEN_ID_RE = re.compile(
    rf"(?<![0-9０-９])({_D}{{6}})((?:[1１][9９]|[2２][0０]){_D}{{6}})({_D}{{3}}[0-9０-９XxＸｘ])(?![0-9０-９])"
)
MOBILE_RE = re.compile(rf"(?<![0-9０-９])([1１][3-9３-９]{_D})({_D}{{4}})({_D}{{4}})(?![0-9０-９])")


def mask_citizen_id(value: str) -> str:
    """110105199001010021 → 110105********0021: area code and last four kept."""
    if not value:
        return value
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_mobile(value: str) -> str:
    """13812345678 → 138****5678."""
    if not value or len(value) < 7:
        return value
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧**娜: the family name and, for long names, the last character stay."""
    if not value:
        return value
    if len(value) <= 2:
        return value[0] + "*" * (len(value) - 1)
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_text(text: str) -> str:
    """Mask every citizen ID and mobile number found anywhere in free text."""
    text = CITIZEN_ID_RE.sub(lambda m: mask_citizen_id(m.group(0)), text)
    return MOBILE_RE.sub(lambda m: mask_mobile(m.group(0)), text)

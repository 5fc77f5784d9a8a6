"""License identifiers in the style of GB/T 36904:
`1.2.156.3005.2.{type code (21)}.{issuer credit code (18)}.{sequence}.{version (3)}.{check}`.

The check character is ISO/IEC 7064 MOD 37,36 over the type code, credit code, sequence and version concatenated
without dots (python-stdnum). A version is a new identifier: `.001` when issued, `.002` after the first change.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum.iso7064 import mod_37_36

ROOT = "1.2.156.3005.2"
PATTERN = re.compile(
    r"^1\.2\.156\.3005\.2\.(?P<type_code>[0-9A-Z]{21})\.(?P<issuer_code>[0-9A-Z]{18})\."
    r"(?P<sequence>[0-9]{1,12})\.(?P<version>[0-9]{3})\.(?P<check>[0-9A-Z])$"
)


class IdentifierError(ValueError):
    """An identifier that is malformed or whose check character does not match; the message says which."""


@dataclass(frozen=True)
class LicenseIdentifier:
    type_code: str
    issuer_code: str
    sequence: int
    version: int

    @property
    def check(self) -> str:
        return mod_37_36.calc_check_digit(self._body())

    def _body(self) -> str:
        return f"{self.type_code}{self.issuer_code}{self.sequence}{self.version:03d}"

    def __str__(self) -> str:
        return f"{ROOT}.{self.type_code}.{self.issuer_code}.{self.sequence}.{self.version:03d}.{self.check}"

    def with_version(self, version: int) -> "LicenseIdentifier":
        return LicenseIdentifier(self.type_code, self.issuer_code, self.sequence, version)


def identifier_parse(text: str) -> LicenseIdentifier:
    """Parse and check an identifier (spaces around it and lower-case letters are forgiven)."""
    match = PATTERN.match(text.strip().upper())
    if not match:
        raise IdentifierError(
            _("证照标识格式不正确，应为 1.2.156.3005.2.证照类型代码.颁发机构代码.序号.版本号.校验位。")
        )
    parsed = LicenseIdentifier(match["type_code"], match["issuer_code"], int(match["sequence"]), int(match["version"]))
    if str(parsed)[:-1] != match.string[:-1]:
        # A sequence written with leading zeros is another identifier than the one the platform issues.
        raise IdentifierError(_("证照标识的序号不应以 0 开头。"))
    if match["check"] != parsed.check:
        raise IdentifierError(_("证照标识校验位不正确，请核对后重新输入。"))
    return parsed

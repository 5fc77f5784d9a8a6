"""Checksummed sample identifiers for demo data and tests."""

from stdnum.cn import ric, uscc

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def citizen_id(area: str, birth: str, sequence: int) -> str:
    """A valid citizen ID: 6-digit area, YYYYMMDD birth date, 3-digit sequence (odd = male), check character."""
    body = f"{area}{birth}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def organization_code(serial: str) -> str:
    """An 8-character organisation code body plus its GB 11714 check character."""
    total = sum(ORG_CODE_ALPHABET.index(char) * weight for char, weight in zip(serial, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return serial + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(registry: str, area: str, serial: str) -> str:
    """A valid unified social credit code: registry + kind (2), area (6), organisation code (9), check."""
    body = f"{registry}{area}{organization_code(serial)}"
    return body + uscc.calc_check_digit(body + "0")

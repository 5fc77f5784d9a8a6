"""Writing catalog YAML: block style, keys in the given order, every string as a JSON string.

JSON is a subset of YAML 1.2, so a string written by `json.dumps` reads back as the same string in any YAML 1.2
parser (yaml-rs) and in PyYAML, whatever it contains: no quoting rule to get wrong. This is also many times faster
than PyYAML's Python representer, which took most of a 10,000-item export. Values are JSON types only (dict, list,
str, int, float, bool, None), which is all the catalog format has.
"""

import json
import re
from collections.abc import Iterator

# Characters YAML does not allow raw inside a double-quoted scalar, which json.dumps(ensure_ascii=False) leaves raw.
UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
INDENT = "  "
# Letters first: YAML 1.1 readers take "_0" as the integer 0. fullmatch, since "$" also matches before a newline.
BARE_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# Words YAML 1.1 (PyYAML) reads as booleans or null even as keys.
RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def scalar(value) -> str:
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        return UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    raise TypeError(f"not a catalog value: {type(value).__name__}")


def _lines(value, depth: int) -> Iterator[str]:
    """Lines of a block collection at `depth`; scalars and empty collections are written inline by callers."""
    pad = INDENT * depth
    if isinstance(value, dict):
        for key, child in value.items():
            name = key if BARE_KEY.fullmatch(key) and key.lower() not in RESERVED else scalar(key)
            if isinstance(child, dict | list) and child:
                yield f"{pad}{name}:"
                yield from _lines(child, depth + 1)
            else:
                yield f"{pad}{name}: {_inline(child)}"
    else:
        for child in value:
            if isinstance(child, dict) and child:
                first, *rest = _lines(child, depth + 1)
                yield f"{pad}- {first.lstrip()}"
                yield from rest
            elif isinstance(child, list) and child:
                yield f"{pad}-"
                yield from _lines(child, depth + 1)
            else:
                yield f"{pad}- {_inline(child)}"


def _inline(value) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def section_lines(key: str, entries) -> Iterator[str]:
    """A top-level key whose value is a list, written entry by entry (so a caller can report progress)."""
    first = True
    for entry in entries:
        if first:
            yield f"{key}:"
            first = False
        yield from _lines([entry], 1)
    if first:
        yield f"{key}: []"


def dumps(document: dict) -> str:
    return "\n".join(_lines(document, 0)) + "\n"

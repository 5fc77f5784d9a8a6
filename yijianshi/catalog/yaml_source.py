"""Reading a catalog file: YAML with the position of every value, and schema errors in Chinese."""

from dataclasses import dataclass

import yaml
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from yijianshi.catalog import format as catalog_format
from yijianshi.catalog.checks import Problem

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Source:
    """Parsed data and the node tree it came from, to find the line and column of any path."""

    data: object
    root: yaml.Node | None

    def position(self, path) -> tuple[int, int] | None:
        """1-based (line, column) of the deepest node along `path` that exists."""
        node = self.root
        if node is None:
            return None
        for part in path:
            child = None
            if isinstance(node, yaml.MappingNode):
                child = next((value for key, value in node.value if key.value == str(part)), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                child = node.value[part]
            if child is None:
                break
            node = child
        return node.start_mark.line + 1, node.start_mark.column + 1


class SourceError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _duplicate_keys(node, path=()) -> list[Problem]:
    """YAML lets a later key silently replace an earlier one; a catalog file may not."""
    problems = []
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            if key.value in seen:
                problems.append(Problem((*path, key.value), _("键重复：%(key)s") % {"key": key.value}))
            seen.add(key.value)
            problems += _duplicate_keys(value, (*path, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            problems += _duplicate_keys(child, (*path, index))
    return problems


def parse(text: str) -> Source:
    """Parse YAML keeping the node tree; a syntax error or a repeated key is a SourceError with its line."""
    loader = Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = (
            _("第 %(line)d 行第 %(column)d 列：") % {"line": mark.line + 1, "column": mark.column + 1} if mark else ""
        )
        raise SourceError(
            [Problem((), where + _("YAML 格式错误（%(problem)s）") % {"problem": getattr(error, "problem", error)})]
        ) from error
    finally:
        loader.dispose()
    problems = _duplicate_keys(root) if root is not None else []
    if problems:
        source = Source(data, root)
        raise SourceError([locate(source, p) for p in problems])
    return Source(data, root)


def locate(source: Source, problem: Problem) -> Problem:
    """The problem, its message prefixed with the line and column of its path."""
    position = source.position(problem.path)
    if position is None:
        return problem
    return Problem(
        problem.path,
        _("第 %(line)d 行第 %(column)d 列：") % {"line": position[0], "column": position[1]} + problem.message,
    )


def _schema_message(error) -> str:
    kind, value = error.validator, error.validator_value
    if kind == "required":
        missing = [name for name in value if isinstance(error.instance, dict) and name not in error.instance]
        return _("缺少必填项：%(names)s") % {"names": "、".join(missing)}
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _("不允许的键：%(names)s") % {"names": "、".join(map(str, extra))}
    if kind == "type":
        names = {
            "string": "文本",
            "integer": "整数",
            "number": "数字",
            "boolean": "true 或 false",
            "array": "列表",
            "object": "对象",
            "null": "空",
        }
        wanted = value if isinstance(value, list) else [value]
        return _("类型应为%(type)s") % {"type": "或".join(names.get(v, v) for v in wanted)}
    if kind == "enum":
        return _("取值应为以下之一：%(values)s") % {"values": "、".join(map(str, value))}
    if kind == "const":
        return _("取值应为：%(value)s") % {"value": value}
    if kind == "pattern":
        return _("格式不正确：%(value)s") % {"value": error.instance}
    if kind in ("minLength", "maxLength"):
        return (
            _("不能为空")
            if value == 1 and kind == "minLength"
            else _("长度应在限制之内（%(limit)s）") % {"limit": value}
        )
    if kind in ("minimum", "maximum"):
        return _("数值超出范围（%(limit)s）") % {"limit": value}
    if kind == "minItems":
        return _("至少需要 %(n)s 项") % {"n": value}
    if kind == "uniqueItems":
        return _("列表中有重复项")
    return _("取值不符合要求")


def schema_problems(data) -> list[Problem]:
    validator = Draft202012Validator(catalog_format.schema())
    return [Problem(tuple(error.absolute_path), _schema_message(error)) for error in validator.iter_errors(data)]

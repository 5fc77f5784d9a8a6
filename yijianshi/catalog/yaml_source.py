"""Reading a catalog file: data fast, and the line and column of any value when there is something to report.

A catalog of 10,000 items is 15 MB of YAML. yaml-rs (Rust) parses it in about a second and a half, refuses repeated
keys and limits aliases; a compiled validator (fastjsonschema) checks it against the JSON Schema in about two.
Only when there are problems to report is the file composed again with PyYAML, whose node tree gives each value's
position, and validated with jsonschema, which lists every schema error.
"""

import re
from functools import cache

import fastjsonschema
import yaml
import yaml_rs
from django.utils.translation import gettext as _

from yijianshi.catalog import format as catalog_format
from yijianshi.catalog.checks import Problem

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PARSER_POSITION = re.compile(r"line (\d+),? column (\d+)")


class SourceError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Source:
    """Parsed data, and (composed on first use) the node tree it came from."""

    def __init__(self, text: str, data: object):
        self.text = text
        self.data = data
        self._root: yaml.Node | None = None
        self._composed = False

    @property
    def root(self) -> yaml.Node | None:
        if not self._composed:
            self._root = yaml.compose(self.text, Loader=Loader)
            self._composed = True
        return self._root

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


def _where(line: int, column: int) -> str:
    return _("第 %(line)d 行第 %(column)d 列：") % {"line": line, "column": column}


def _duplicate_keys(node, path=()) -> list[Problem]:
    """Every key repeated within its mapping, with its path."""
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
    """Parse YAML; a syntax error, a repeated key or an alias bomb is a SourceError with its position."""
    try:
        return Source(text, yaml_rs.loads(text))
    except yaml_rs.YAMLDecodeError as error:
        message = str(error)
    # Describe the error in PyYAML's terms when it agrees there is one; otherwise relay the parser's own.
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _where(mark.line + 1, mark.column + 1) if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise SourceError([Problem((), where + _("YAML 格式错误（%(problem)s）") % {"problem": problem})]) from error
    duplicates = _duplicate_keys(root)
    if duplicates:
        source = Source(text, None)
        source._root, source._composed = root, True
        raise SourceError([locate(source, problem) for problem in duplicates])
    found = PARSER_POSITION.search(message)
    where = _where(int(found[1]), int(found[2])) if found else ""
    detail = message.splitlines()[-1].strip() if message else ""
    raise SourceError([Problem((), where + _("YAML 格式错误（%(detail)s）") % {"detail": detail})])


def locate(source: Source, problem: Problem) -> Problem:
    """The problem, its message prefixed with the line and column of its path."""
    position = source.position(problem.path)
    if position is None:
        return problem
    return Problem(problem.path, _where(*position) + problem.message)


@cache
def _fast_validator():
    return fastjsonschema.compile(catalog_format.schema(), use_default=False)


def schema_problems(data) -> list[Problem]:
    """Every schema error, in Chinese, with its path; the compiled validator answers first for valid data."""
    try:
        _fast_validator()(data)
    except fastjsonschema.JsonSchemaException:
        pass
    else:
        return []
    return [Problem(path, message) for path, message in catalog_format.fragment_problems(data)]

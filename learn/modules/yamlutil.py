"""YAML loading that keeps the line of every key, for problems an author can find."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class LineMap:
    """Lines of keys and list items, by path: ("objectives", 0, "id") -> 12 (1-based, in file)."""

    first_line: int = 1
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def at(self, *path) -> int:
        """The line of the deepest known prefix of `path`, else the first line."""
        key = tuple(str(p) for p in path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.first_line


@dataclass
class YamlResult:
    """Parsed YAML, key lines and problems; `ok` is False if unusable."""

    data: Any = None
    lines: LineMap = field(default_factory=LineMap)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message): errors
    ok: bool = True


def _error_line(exc: Exception, text: str, first_line: int) -> int:
    for name in ("problem_mark", "context_mark"):
        mark = getattr(exc, name, None)
        if mark is not None and getattr(mark, "line", None) is not None:
            return first_line + mark.line
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        return first_line + text.count("\n", 0, position)
    return first_line


def _error_message(exc: Exception) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    hint = ""
    text = f"{context or ''} {problem}"
    if "mapping values are not allowed" in text:
        hint = ' (a text containing ": " must be put between double quotes)'
    elif "found character '\\t'" in text:
        hint = " (use spaces, not tabs, to indent)"
    elif "could not find expected ':'" in text or "simple key" in text:
        hint = " (each line must be `key: value`; check the quotes and the indentation)"
    base = f"{context}, {problem}" if context else str(problem)
    return f"the YAML cannot be read: {base}{hint}"


def _walk(node, path, result: YamlResult, seen: set[int], line: int) -> None:
    """Record key and item lines; `line` is where this node is used (for alias problems)."""
    if id(node) in seen:
        result.problems.append(
            (line, "YAML anchors and aliases (& and *) are not supported: write the value out")
        )
        result.ok = False
        return
    seen.add(id(node))
    first = result.lines.first_line
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = first + key_node.start_mark.line
            if not isinstance(key_node, yaml.ScalarNode):
                result.problems.append((key_line, "a key must be a plain word"))
                result.ok = False
                continue
            key = str(key_node.value)
            if key in keys:
                result.problems.append(
                    (key_line, f"the key '{key}' is given twice (also on line {keys[key]})")
                )
            keys.setdefault(key, key_line)
            result.lines.lines.setdefault(path + (key,), key_line)
            _walk(value_node, path + (key,), result, seen, key_line)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            item_line = first + item.start_mark.line
            result.lines.lines[path + (str(index),)] = item_line
            _walk(item, path + (str(index),), result, seen, item_line)


def load_yaml(text: str, first_line: int = 1) -> YamlResult:
    """Parse YAML text whose first line is line `first_line` of its file; never raises."""
    result = YamlResult(lines=LineMap(first_line=first_line))
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return result
        _walk(node, (), result, set(), first_line)
        if not result.ok:
            return result
        result.data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        result.ok = False
        result.problems.append((_error_line(exc, text, first_line), _error_message(exc)))
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:
        result.ok = False
        result.problems.append((first_line, f"the YAML cannot be read: {exc}"))
    finally:
        loader.dispose()
    return result

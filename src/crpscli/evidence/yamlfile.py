"""The only YAML reader: safe, bounded, and fast enough for a hundredfold overlay.

PyYAML's loaders build a node graph and resolve every scalar in Python, which costs seconds on
tens of thousands of entries. Here libyaml's C parser (pure-Python parser when it is missing)
produces events and one loop turns them straight into Python data, resolving a plain scalar by
YAML 1.1's rules only when it could be something other than a string. The loop is also where
untrusted files are bounded: only the standard tags, a nesting limit, a limit on what aliases may
expand to, and a size limit checked before the file is read. Every mapping remembers its line
and the line of each key, so a problem can be reported as ``file:line``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml import events

from .base import paused_gc
from .files import Unreadable, read_bounded
from .problems import MAX_ALIAS_NODES, MAX_DEPTH, MAX_LINE_CHARS, MAX_NODES, Code, Problem

try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - libyaml is optional
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

_YAML = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _MERGE = _YAML + "str", _YAML + "map", _YAML + "seq", _YAML + "merge"
_SCALAR_TAGS = {_YAML + name for name in ("str", "int", "float", "bool", "null", "timestamp", "binary")}
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
# First characters with which a plain scalar might be a number, bool, null, date or merge key.
# (A word that starts with a letter and is longer than five letters is none of them: the longest
# bool is "false", the longest null "null".)
_MAYBE_TYPED = set(_resolver.yaml_implicit_resolvers) | {""}
PLAIN = (True, False)
# The only spellings of numbers read as numbers: decimal, no leading zeros, at most 100 digits.
_NUMBERS = {
    _YAML + "int": re.compile(r"[-+]?(?:0|[1-9][0-9]{0,99})"),
    _YAML + "float": re.compile(
        r"[-+]?(?:(?:[0-9]{1,100}(?:\.[0-9]{0,100})?|\.[0-9]{1,100})(?:[eE][-+]?[0-9]{1,4})?|\.(?:inf|Inf|INF))"
        r"|\.(?:nan|NaN|NAN)"
    ),
}
_resolved: dict[str, str] = {}  # plain scalar -> its tag; values repeat (keys, vocabularies)


class LineDict(dict[Any, Any]):
    """A YAML mapping that remembers the line of itself and of each key."""

    __slots__ = ("key_lines", "line")
    line: int
    key_lines: dict[Any, int]


class YamlProblem(Exception):
    def __init__(self, line: int, code: Code, message: str) -> None:
        super().__init__(message)
        self.line, self.code, self.message = line, code, message


def _typed(tag: str, value: str, style: str | None, line: int) -> Any:
    if tag == _STR:
        return value
    if tag not in _SCALAR_TAGS:
        raise YamlProblem(line, Code.UNSAFE_TAG, f"tag {tag} is not allowed (safe YAML only)")
    kind = tag.removeprefix(_YAML)
    try:  # the constructor itself, not construct_object, which would keep every node it ever built
        typed = _constructor.yaml_constructors[tag](_constructor, yaml.ScalarNode(tag, value, style=style))
    except Exception:  # PyYAML raises ValueError, KeyError, IndexError... on values such as 2020-13-45
        raise YamlProblem(line, Code.INVALID_YAML, f"{value[:40]!r} is not a valid {kind}") from None
    if tag in _NUMBERS and not _NUMBERS[tag].fullmatch(value.strip()):
        message = f"{value[:40]!r} is not a decimal {kind} (only decimal numbers are read)"
        raise YamlProblem(line, Code.INVALID_YAML, message)
    return typed


def _scalar(event: events.ScalarEvent, line: int) -> Any:
    value, tag = event.value, event.tag
    if tag is None:
        if not event.implicit[0] or value[:1] not in _MAYBE_TYPED or (len(value) > 5 and value[0].isalpha()):
            return value
        tag = _resolved.get(value) or _resolved.setdefault(value, _resolver.resolve(yaml.ScalarNode, value, PLAIN))
        if tag == _MERGE:
            return _MERGE_KEY
        if tag in _NUMBERS and not _NUMBERS[tag].fullmatch(value):
            # YAML 1.1's other spellings of numbers (0x1F, 017, 1_000, 1:20:30) stay text: a
            # number field then says it wants a number, and no hex or base-60 form can grow a
            # number past what Python can print (4,300 digits)
            return value
    elif tag == "!":
        return value
    return _typed(tag, value, event.style, line)


def _check_collection_tag(tag: str | None, expected: str, line: int) -> None:
    if tag not in (None, "!", expected):
        raise YamlProblem(line, Code.UNSAFE_TAG, f"tag {tag} is not allowed (safe YAML only)")


_NO_KEY, _MERGE_KEY = object(), object()


class _Builder:
    """Events in, Python data out; one pass, no recursion (so no depth can overflow the stack)."""

    def __init__(self) -> None:
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.alias_nodes = 0
        self.nodes = 0
        self.duplicates: list[tuple[str, int, int]] = []
        # Each open collection: [container, pending (key, line) or _NO_KEY, node count, anchor, merges]
        self.stack: list[list[Any]] = []
        self.root: Any = None

    def add(self, value: Any, line: int, nodes: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise YamlProblem(line, Code.INVALID_YAML, f"more than {MAX_NODES} values in one file")
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame[2] += nodes
        container = frame[0]
        if isinstance(container, list):
            container.append(value)
        elif frame[1] is _NO_KEY:
            if isinstance(value, list | dict):
                raise YamlProblem(line, Code.INVALID_YAML, "a mapping key must be a plain value")
            frame[1] = (value, line)
        else:
            key, key_line = frame[1]
            frame[1] = _NO_KEY
            if key is _MERGE_KEY:
                frame[4].append((value, key_line))
                return
            if key in container.key_lines:
                self.duplicates.append((str(key), key_line, container.key_lines[key]))
            container.key_lines[key] = key_line
            container[key] = value

    def open(self, container: Any, anchor: str | None, line: int) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise YamlProblem(line, Code.INVALID_YAML, f"nested more than {MAX_DEPTH} levels deep")
        self.stack.append([container, _NO_KEY, 1, anchor, []])

    def close(self, line: int) -> None:
        container, _, nodes, anchor, merges = self.stack.pop()
        for merged, merge_line in merges:
            for source in merged if isinstance(merged, list) else [merged]:
                if not isinstance(source, dict):
                    raise YamlProblem(merge_line, Code.INVALID_YAML, "'<<' must merge a mapping or a list of mappings")
                for key, value in source.items():
                    if key not in container:
                        container[key] = value
                        container.key_lines[key] = merge_line
        if anchor:
            self.anchors[anchor] = (container, nodes)
        self.add(container, line, nodes)

    def alias(self, name: str, line: int) -> None:
        if name not in self.anchors:
            raise YamlProblem(line, Code.INVALID_YAML, f"unknown alias *{name}")
        value, nodes = self.anchors[name]
        self.alias_nodes += nodes
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise YamlProblem(
                line, Code.INVALID_YAML, f"aliases expand to more than {MAX_ALIAS_NODES} values (an alias bomb?)"
            )
        self.add(value, line, nodes)


def _build(text: str) -> tuple[Any, list[tuple[str, int, int]]]:
    builder = _Builder()
    stack = builder.stack
    scalar, stream_end, maybe_typed = events.ScalarEvent, events.StreamEndEvent, _MAYBE_TYPED
    mapping_start, sequence_start = events.MappingStartEvent, events.SequenceStartEvent
    ends = (events.MappingEndEvent, events.SequenceEndEvent)
    try:
        parser = _Parser(text)  # the pure-Python reader checks the characters here
    except yaml.reader.ReaderError as exc:
        raise _reader_problem(text, exc) from None
    try:
        next_event = parser.get_event
        while (event := next_event()).__class__ is not stream_end:
            # The common case, inlined for speed (a hundredfold file has a million of them): an
            # untagged string that is a list item, a new key, or the value of a key seen before.
            if (
                event.__class__ is scalar
                and stack
                and event.tag is None
                and event.anchor is None
                and (
                    not event.implicit[0]
                    or (value := event.value)[:1] not in maybe_typed
                    or (len(value) > 5 and value[0].isalpha())  # YAML 1.1 reads no such word as a bool or null
                )
                and builder.nodes < MAX_NODES
            ):
                builder.nodes += 1
                frame = stack[-1]
                container, pending = frame[0], frame[1]
                if container.__class__ is list:
                    frame[2] += 1
                    container.append(event.value)
                    continue
                if pending is _NO_KEY:
                    frame[2] += 1
                    frame[1] = (event.value, event.start_mark.line + 1)
                    continue
                key = pending[0]
                if key is not _MERGE_KEY and key not in container:
                    frame[2] += 1
                    frame[1] = _NO_KEY
                    container.key_lines[key] = pending[1]
                    container[key] = event.value
                    continue
            # Then untagged, unanchored collections opening and closing (what _take and _Builder do,
            # without the calls: a hundredfold claims file opens 120,000 of them).
            kind = event.__class__
            if (kind is mapping_start or kind is sequence_start) and event.tag is None and event.anchor is None:
                if len(stack) < MAX_DEPTH:
                    if kind is mapping_start:
                        mapping = LineDict()
                        mapping.line, mapping.key_lines = event.start_mark.line + 1, {}
                        stack.append([mapping, _NO_KEY, 1, None, []])
                    else:
                        stack.append([[], _NO_KEY, 1, None, []])
                    continue
            elif kind in ends and stack and not stack[-1][3] and not stack[-1][4]:
                container, _, nodes, _, _ = stack.pop()
                builder.add(container, event.start_mark.line + 1, nodes)
                continue
            _take(builder, event)
    except yaml.reader.ReaderError as exc:
        raise _reader_problem(text, exc) from None
    finally:
        parser.dispose()
    return builder.root, builder.duplicates


def _reader_problem(text: str, exc: yaml.reader.ReaderError) -> YamlProblem:
    """A character YAML does not allow (NUL, most control characters), on its line."""
    character = exc.character if isinstance(exc.character, int) else None
    where = text.find(chr(character)) if character is not None else -1
    line = text.count("\n", 0, where) + 1 if where >= 0 else 1
    what = f"U+{character:04X}" if character is not None else "a character"
    return YamlProblem(line, Code.INVALID_YAML, f"{what} is not allowed in YAML (control character)")


def _take(builder: _Builder, event: events.Event) -> None:
    line = event.start_mark.line + 1
    kind = event.__class__
    if kind is events.ScalarEvent:
        value = _scalar(event, line)  # type: ignore[arg-type]
        if event.anchor:  # type: ignore[attr-defined]
            builder.anchors[event.anchor] = (value, 1)  # type: ignore[attr-defined]
        builder.add(value, line, 1)
    elif kind is events.MappingStartEvent:
        _check_collection_tag(event.tag, _MAP, line)  # type: ignore[attr-defined]
        mapping = LineDict()
        mapping.line, mapping.key_lines = line, {}
        builder.open(mapping, event.anchor, line)  # type: ignore[attr-defined]
    elif kind is events.SequenceStartEvent:
        _check_collection_tag(event.tag, _SEQ, line)  # type: ignore[attr-defined]
        builder.open([], event.anchor, line)  # type: ignore[attr-defined]
    elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
        builder.close(line)
    elif kind is events.AliasEvent:
        builder.alias(event.anchor, line)  # type: ignore[attr-defined]
    elif kind is events.DocumentStartEvent and builder.root is not None:
        raise YamlProblem(line, Code.INVALID_YAML, "more than one YAML document in the file")


_LONG_LINE = re.compile(rf"(?m)^[^\n]{{{MAX_LINE_CHARS + 1}}}")


def _text_of(data: bytes) -> str:
    """The file's text, refusing invalid UTF-8 and overlong lines before parsing."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlProblem(line, Code.UNREADABLE, f"invalid UTF-8 at byte {exc.start}") from None
    # One huge flow collection would otherwise parse for seconds. (A search anchored at line
    # starts, not a split into lines: a file of millions of short lines would cost a gigabyte.)
    if len(text) > MAX_LINE_CHARS and (long_line := _LONG_LINE.search(text)):
        number = text.count("\n", 0, long_line.start()) + 1
        raise YamlProblem(number, Code.UNREADABLE, f"line {number} is longer than {MAX_LINE_CHARS} characters")
    return text


def read_data(path: Path) -> bytes:
    """A data file's bytes (bounded, never blocking), or the D013 problem that stops it."""
    try:
        return read_bounded(path)[0]
    except Unreadable as exc:
        raise YamlProblem(1, Code.UNREADABLE, str(exc)) from None


def read_yaml(path: Path, content: bytes | None = None) -> tuple[Any, list[Problem]]:
    """Parse one YAML file safely: its data, or the problems that stopped it.

    `content` is the file's bytes when the caller has read them already (to hash them for the
    cache): the records then come from exactly the bytes the cache key names."""
    try:
        with paused_gc():
            data, duplicates = _build(_text_of(read_data(path) if content is None else content))
    except YamlProblem as exc:
        return None, [Problem(path, exc.line, exc.code, "", exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"column {column}: {_one_line(exc.problem or str(exc))}"
        return None, [Problem(path, line, Code.INVALID_YAML, "", message)]
    except yaml.YAMLError as exc:
        return None, [Problem(path, 1, Code.INVALID_YAML, "", _one_line(str(exc)))]
    problems = [
        Problem(path, line, Code.DUPLICATE_KEY, "", f"duplicate key '{key[:80]}' (first at line {first})")
        for key, line, first in duplicates
    ]
    return (None if problems else data), problems


def _one_line(message: str) -> str:
    return " ".join(message.split())[:300]

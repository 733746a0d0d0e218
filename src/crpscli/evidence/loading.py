"""Data directories in, a validated evidence base out (the YAML itself is read by yamlfile.py).

Problems are collected, not raised one at a time, so a curator sees every mistake in one
run, each as ``file:line: CODE entry: message``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from .base import EvidenceBase, LoadResult, name_key, paused_gc
from .files import DATA_FILES, FILE_OF_KIND
from .problems import FILE_LEVEL, MAX_PROBLEMS, Code, Problem
from .records import Claim, Study, Topic, Treatment
from .vocab import OUTCOMES, Outcome
from .yamlfile import LineDict, read_yaml


@dataclass
class _Entry:
    """One validated record and where it came from, for cross-checks."""

    record: Any
    path: Path
    raw: LineDict


def parse_file(path: Path, content: bytes | None = None) -> tuple[list[Any], list[Problem]]:
    """Read one data file (or parse `content`, its bytes already read): its list of entries, or the problems."""
    data, problems = read_yaml(path, content)
    if problems or data is None:
        return [], problems
    if not isinstance(data, list):
        return [], [Problem(path, 1, Code.NOT_A_LIST, "", "the file must be a YAML list of entries")]
    return data, []


def _line_of(raw: Any, loc: tuple[int | str, ...], fallback: int) -> int:
    """Follow a pydantic error location through the parsed YAML to the nearest line."""
    line, node = fallback, raw
    for part in loc:
        if isinstance(node, LineDict):
            line = node.key_lines.get(str(part), line)
            node = node.get(str(part))
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            if isinstance(node, LineDict):
                line = node.line
        else:
            break
    return line


def _enum_values(error: dict[str, Any]) -> str | None:
    expected = (error.get("ctx") or {}).get("expected")
    return str(expected) if expected else None


def _validation_problems(path: Path, raw: LineDict, entry: str, exc: ValidationError) -> Iterator[Problem]:
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        where = ".".join(str(part) for part in loc)
        line = _line_of(raw, loc, raw.line)
        kind = error["type"]
        if kind in ("extra_forbidden", "unexpected_keyword_argument"):
            yield Problem(path, line, Code.UNKNOWN_FIELD, entry, f"unknown field '{where}'")
        elif kind in ("missing", "missing_argument", "missing_keyword_only_argument"):
            yield Problem(path, line, Code.MISSING_FIELD, entry, f"missing required field '{where}'")
        elif kind == "enum":
            allowed = _enum_values(error)
            message = f"{where}: {_short(error['input'])} is not one of {allowed}"
            yield Problem(path, line, Code.UNKNOWN_VALUE, entry, message)
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
            yield Problem(path, line, Code.INVALID_VALUE, entry, f"{where}: {message}")


def _short(value: Any) -> str:
    """A value from the data as it may appear in a message: repr'd, and cut if long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _entry_name(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), (str, int)):
        name = str(raw["id"])
        return name if len(name) <= 80 else name[:77] + "..."
    return f"#{index + 1}"


@cache
def validator(model: type) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def _records(items: list[Any], model: type) -> list[Any]:
    """Validate every entry in one call (fast); on any error, one at a time, None for the bad ones."""
    try:
        return validator(list[model]).validate_python(items)  # type: ignore[valid-type]
    except ValidationError:
        pass
    check, records = validator(model), []
    for raw in items:
        try:
            records.append(check.validate_python(raw) if isinstance(raw, LineDict) else None)
        except ValidationError:
            records.append(None)
    return records


def _validate_file(path: Path, model: type, content: bytes | None) -> tuple[list[_Entry], list[Problem]]:
    items, problems = parse_file(path, content)
    entries: list[_Entry] = []
    seen: dict[str, int] = {}
    for index, (raw, record) in enumerate(zip(items, _records(items, model), strict=True)):
        if len(problems) >= MAX_PROBLEMS:  # a hostile or garbled file: enough said, and bounded time
            line = raw.line if isinstance(raw, LineDict) else 1
            message = f"{len(problems)} problems already; the rest of the file is not checked"
            problems.append(Problem(path, line, Code.INVALID_VALUE, "", message))
            break
        if record is None:
            name = _entry_name(raw, index)
            if not isinstance(raw, LineDict):
                problems.append(Problem(path, 1, Code.INVALID_VALUE, name, "an entry must be a mapping"))
                continue
            try:
                validator(model).validate_python(raw)
            except ValidationError as exc:
                problems.extend(_validation_problems(path, raw, name, exc))
            continue
        name = record.id
        if record.id in seen:  # type: ignore[attr-defined]
            problems.append(
                Problem(path, raw.line, Code.DUPLICATE_ID, name, f"duplicate id (first at line {seen[name]})")
            )
            continue
        seen[name] = raw.line
        entries.append(_Entry(record, path, raw))
    return entries, problems


def _check_names(treatments: Iterable[_Entry], topics: Iterable[_Entry]) -> Iterator[Problem]:
    """A name or alias belongs to one treatment or topic: a name means one thing."""
    owner: dict[str, tuple[str, str]] = {}
    for kind, entries in (("treatment", treatments), ("topic", topics)):
        for entry in entries:
            record: Treatment | Topic = entry.record
            own: set[str] = set()
            for label, loc in _labels(record):
                key = name_key(label)
                if key in own:
                    continue
                own.add(key)
                other_kind, other = owner.setdefault(key, (kind, record.id))
                if (other_kind, other) != (kind, record.id):
                    yield Problem(
                        entry.path,
                        _line_of(entry.raw, loc, entry.raw.line),
                        Code.DUPLICATE_ALIAS,
                        record.id,
                        f"'{label}' is already a name or alias of {other_kind} '{other}'",
                    )


def _labels(record: Treatment | Topic) -> list[tuple[str, tuple[str | int, ...]]]:
    """The names a record answers to, each with where it is written (a topic's id is not typed)."""
    named: list[tuple[str, tuple[str | int, ...]]] = [] if isinstance(record, Topic) else [(record.id, ("id",))]
    named.append((record.name, ("name",)))
    return named + [(alias, ("aliases", i)) for i, alias in enumerate(record.aliases)]


def _check_groups(entries: list[_Entry]) -> Iterator[Problem]:
    """A group's name means all its members: a treatment outside the group may not have it as its
    id, name or alias, or it would take the group over (an overlay's "Ketamine" would hide every
    ketamine treatment)."""
    groups: dict[str, _Entry] = {}
    for entry in entries:
        if entry.record.group:
            groups.setdefault(name_key(entry.record.group), entry)
    for entry in entries:
        treatment: Treatment = entry.record
        own = name_key(treatment.group) if treatment.group else None
        for index, label in enumerate([treatment.id, treatment.name, *treatment.aliases]):
            key = name_key(label)
            member = groups.get(key)
            if member is None or key == own:
                continue
            loc = ("aliases", index - 2) if index >= 2 else ("name",) if index else ("id",)
            line = _line_of(entry.raw, loc, entry.raw.line)
            where = f"{member.path}:{_line_of(member.raw, ('group',), member.raw.line)}"
            yield Problem(
                entry.path,
                line,
                Code.GROUP_NAME_TAKEN,
                treatment.id,
                f"'{label}' is the name of the group '{member.record.group}' ({where}, treatment "
                f"'{member.record.id}'), and this treatment is not in that group",
            )


def _check_references(base: EvidenceBase, entries: dict[str, list[_Entry]], unreadable: set[str]) -> Iterator[Problem]:
    """References to missing records; none into a file that could not be read (that is its own problem)."""

    def missing(entry: _Entry, loc: tuple[int | str, ...], kind: str, ref: str) -> Iterator[Problem]:
        if FILE_OF_KIND[kind].name in unreadable:
            return
        line = _line_of(entry.raw, loc, entry.raw.line)
        yield Problem(entry.path, line, Code.UNKNOWN_REFERENCE, entry.record.id, f"unknown {kind} '{ref}'")

    for entry in entries["studies.yaml"]:
        study: Study = entry.record
        for index, citation in enumerate(study.citations):
            if citation.source not in base.sources:
                yield from missing(entry, ("citations", index, "source"), "source", citation.source)
        for index, discrepancy in enumerate(study.discrepancies):
            if discrepancy.source not in base.sources:
                yield from missing(entry, ("discrepancies", index, "source"), "source", discrepancy.source)
    for entry in entries["claims.yaml"]:
        claim: Claim = entry.record
        if claim.source not in base.sources:
            yield from missing(entry, ("source",), "source", claim.source)
        if claim.treatment not in base.treatments:
            yield from missing(entry, ("treatment",), "treatment", claim.treatment)
        for index, study_id in enumerate(claim.studies):
            if study_id not in base.studies:
                yield from missing(entry, ("studies", index), "study", study_id)
    for entry in entries["topics.yaml"]:
        for index, member in enumerate(entry.record.members):
            if member not in base.treatments:
                yield from missing(entry, ("members", index), "treatment", member)


def _check_outcomes(entries: Iterable[_Entry]) -> Iterator[Problem]:
    """A claim's outcome must be one of its aspect's (vocab.OUTCOMES); `general` fits any aspect."""
    for entry in entries:
        claim: Claim = entry.record
        if claim.outcome is Outcome.general or claim.outcome in OUTCOMES[claim.aspect]:
            continue
        allowed = ", ".join(sorted(o.value for o in OUTCOMES[claim.aspect])) + ", general"
        yield Problem(
            entry.path,
            _line_of(entry.raw, ("outcome",), entry.raw.line),
            Code.OUTCOME_OUTSIDE_ASPECT,
            claim.id,
            f"outcome '{claim.outcome.value}' is not a question of aspect '{claim.aspect.value}' (one of: {allowed})",
        )


def _data_files(directory: Path) -> tuple[list[Path], Problem | None]:
    """The data files a directory holds, or why it cannot be used.

    Anything under a data file's name counts as present (a directory, a FIFO, a device, a broken
    or looping symlink), so that reading it reports the problem instead of skipping it silently.
    """
    try:
        info = os.stat(directory)
    except OSError as exc:
        return [], Problem(directory, 1, Code.NO_DATA, "", f"not a usable data directory: {exc.strerror or exc}")
    if not stat.S_ISDIR(info.st_mode):
        return [], Problem(directory, 1, Code.NO_DATA, "", "not a directory (a data directory holds the YAML files)")
    present = []
    for name in DATA_FILES:
        try:
            os.lstat(directory / name)
        except FileNotFoundError:
            continue
        except OSError:
            pass  # present but odd: reading it says what is wrong
        present.append(directory / name)
    if not present:
        return [], Problem(directory, 1, Code.NO_DATA, "", f"no data files ({', '.join(DATA_FILES)})")
    return present, None


def load(directories: Iterable[Path], contents: dict[Path, bytes] | None = None) -> LoadResult:
    """Load and merge data directories; later directories extend and override earlier ones.

    An entry whose id an earlier directory already defines replaces it, with a notice naming
    both places and which one wins; within one file a repeated id is a problem (D009).
    `contents` holds files' bytes already read (keyed by directory / name): those are parsed
    instead of reading the file again.
    """
    with paused_gc():
        return _load(directories, contents or {})


def _load(directories: Iterable[Path], contents: dict[Path, bytes]) -> LoadResult:
    base = EvidenceBase()
    problems: list[Problem] = []
    notices: list[str] = []
    entries: dict[str, list[_Entry]] = {name: [] for name in DATA_FILES}
    locations: dict[tuple[str, str], tuple[Path, int]] = {}
    cut_short: set[str] = set()  # files not checked to the end: references into them are not checked
    for directory in directories:
        present, unusable = _data_files(directory)
        if unusable:
            problems.append(unusable)
            continue
        for path in present:
            file_entries, file_problems = _validate_file(path, DATA_FILES[path.name].record, contents.get(path))
            problems.extend(file_problems)
            if len(file_problems) > MAX_PROBLEMS:
                cut_short.add(path.name)
            table = base.table(path.name)
            for entry in file_entries:
                record_id = entry.record.id
                if record_id in table:
                    first, first_line = locations[(path.name, record_id)]
                    notices.append(
                        f"{path}:{entry.raw.line}: {DATA_FILES[path.name].kind} {record_id} overrides the entry from "
                        f"{first}:{first_line} (the later directory wins)"
                    )
                    entries[path.name] = [e for e in entries[path.name] if e.record.id != record_id]
                locations[(path.name, record_id)] = (path, entry.raw.line)
                table[record_id] = entry.record
                entries[path.name].append(entry)
    problems.extend(_check_names(entries["treatments.yaml"], entries["topics.yaml"]))
    problems.extend(_check_groups(entries["treatments.yaml"]))
    problems.extend(_check_outcomes(entries["claims.yaml"]))
    unreadable = {p.path.name for p in problems if p.code in FILE_LEVEL} | cut_short
    problems.extend(_check_references(base, entries, unreadable))
    return LoadResult(base, _capped(problems), notices, locations)


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS listed per file, then one line saying how many more there are.

    (A file cut short while validating has exactly one more: the line that says so, kept.)
    """
    total: dict[Path, int] = {}
    for problem in problems:
        total[problem.path] = total.get(problem.path, 0) + 1
    listed: dict[Path, int] = {}
    kept: list[Problem] = []
    for problem in problems:
        listed[problem.path] = listed.get(problem.path, 0) + 1
        if total[problem.path] <= MAX_PROBLEMS + 1 or listed[problem.path] <= MAX_PROBLEMS:
            kept.append(problem)
    for path, count in total.items():
        if count > MAX_PROBLEMS + 1:
            more = count - MAX_PROBLEMS
            kept.append(Problem(path, 1, Code.INVALID_VALUE, "", f"{more} more problem(s) in this file not listed"))
    return kept

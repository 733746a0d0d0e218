"""A cache of the validated evidence base, so that a command does not re-read and re-validate YAML.

The cache is one SQLite file per set of data, named by a hash of the data files' bytes (and of
crps's and Python's versions), in the user cache directory (``CRPS_CACHE_DIR`` overrides). It
holds each record as JSON, plus the lookups the queries need (names by folded label, claims per
treatment, claims per study, studies by reference key), so a command reads only the records it
shows: a hundredfold overlay costs a lookup, not a load. The full-text index has a file of its
own with the same key, made by the first search that needs it (`_SearchIndex`).

What it trusts, and why nothing in it can run code or change an answer:

- Records are JSON, rebuilt with the record classes themselves after every value has passed
  the same types and rules `crps check` applies (`records.Rule.checker`). Nothing is unpickled.
- The key is the hash of the very bytes the records were parsed from (each file is read once),
  and it is stored inside the file and checked on every read.
- The index file holds its format and key as well, checked before it is searched.
- Only files owned by the user are read, and only directories no one else can change under it
  (not writable by others, or sticky like /tmp) are written. Every file is made with O_EXCL and
  mode 0600 under a random name, then renamed into place, so a planted symlink is never followed.
- One process builds at a time (a lock file); the others wait briefly, then read the YAML.
- A stat note (size, mtime_ns, ctime_ns, inode and device of every file) saves re-hashing
  unchanged files; an edit that keeps all five (a second write through mmap) is not seen: then
  ``--no-cache`` or ``crps cache clear``.

It is never needed for a right answer: a cache that is missing, foreign, stale, unreadable or
damaged is rebuilt from the YAML; one that cannot be written is skipped. Data with problems is
never cached: those commands read the YAML and report the problems.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import json
import os
import re
import sqlite3
import stat
import sys
import time
import types
import typing
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import __version__

try:  # CPython's own SHA-256 (3.11: _sha256, 3.12 on: _sha2); hashlib loads OpenSSL, 2% of a warm start
    from _sha256 import sha256
except ImportError:  # pragma: no cover - another Python
    try:
        from _sha2 import sha256
    except ImportError:
        from hashlib import sha256
from . import fulltext
from .base import EvidenceBase, LoadResult, NameRow, cite_keys, name_key, paused_gc
from .files import DATA_FILES, Unreadable, read_bounded
from .records import Rule, Source

if TYPE_CHECKING:
    from .records import Claim, Study

FORMAT = "crps-cache-10"
KEEP = 8  # cache files kept; older ones (other data sets, old versions) are removed
LOCK_WAIT = 3.0  # seconds a process waits for another one's build before reading the YAML itself
STALE_SECONDS = 60  # a temporary file older than this belongs to a run that died
T = TypeVar("T")
Files = list[tuple[Path, Path, os.stat_result | None]]  # (path as given, resolved path, stat)


class CacheUnreadable(Exception):
    """The cache file failed while a command was reading it; rebuild and answer again."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"{path}: {why}")
        self.path = path


def cache_dir() -> Path | None:
    """Where caches live: CRPS_CACHE_DIR, else the platform's user cache directory."""
    if override := os.environ.get("CRPS_CACHE_DIR"):
        return Path(override)
    if sys.platform == "win32":
        root = os.environ.get("LOCALAPPDATA")
        return Path(root) / "crps" / "Cache" if root else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "crps"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "crps" if xdg else Path.home() / ".cache" / "crps"


# --- what the cache trusts -------------------------------------------------------------


def _ours(info: os.stat_result) -> bool:
    """A regular file of this user's (on a system without users, any regular file)."""
    owner = os.geteuid() if hasattr(os, "geteuid") else None
    return stat.S_ISREG(info.st_mode) and (owner is None or info.st_uid == owner)


def _writable(where: Path) -> bool:
    """A directory no other user can rename or replace our files in: not writable by group or
    others, or sticky (as /tmp is)."""
    try:
        info = os.stat(where)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and (not info.st_mode & 0o022 or bool(info.st_mode & stat.S_ISVTX))


def _open_own(path: Path) -> int | None:
    """A descriptor on `path` if it is a regular file of ours, never following a symlink or blocking."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags)
    except OSError:
        return None
    try:
        if _ours(os.fstat(handle)):
            return handle
    except OSError:
        pass
    os.close(handle)
    return None


def _exclusive(where: Path, prefix: str) -> tuple[int, Path]:
    """A new file of mode 0600 under a random name: O_EXCL, so nothing planted is opened."""
    import secrets  # only when writing: it imports random, base64 and hmac

    path = where / f".tmp-{prefix}-{secrets.token_hex(8)}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    return os.open(path, flags, 0o600), path


def _make_dir(where: Path) -> bool:
    with contextlib.suppress(OSError):
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
    return _writable(where)


# --- the key ---------------------------------------------------------------------------


def data_files(directories: Iterable[Path]) -> Files | None:
    """Each data file with its stat (None when absent); None when the data is not for the cache:
    anything but a directory of regular files (a file for a directory, a symlink loop, a FIFO, a
    file over the size limit) is for the loader to read once and report, every time."""
    from .problems import MAX_FILE_BYTES

    found: Files = []
    for directory in directories:
        try:
            if not directory.is_dir():
                return None
        except OSError:  # a name too long for the file system, say: the loader reports it
            return None
        root = directory.resolve()
        for name in DATA_FILES:
            path = root / name
            try:
                info = path.stat()
            except FileNotFoundError:
                if os.path.lexists(path):  # a dangling symlink
                    return None
                found.append((directory / name, path, None))
                continue
            except OSError:
                return None
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                return None
            found.append((directory / name, path, info))
    return found


def _signature(info: os.stat_result) -> tuple[int, ...]:
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev


def _note(where: Path, files: Files) -> Path:
    signature = "\n".join(f"{path}\0{'-' if info is None else _signature(info)}" for _, path, info in files)
    return where / f"stat-{sha256(signature.encode()).hexdigest()[:32]}"


def noted_key(where: Path, files: Files) -> str | None:
    """The content key a note of ours gives for files with exactly these stat signatures."""
    handle = _open_own(_note(where, files))
    if handle is None:
        return None
    try:
        noted = os.read(handle, 64).decode("ascii", "replace")
    except OSError:
        return None
    finally:
        os.close(handle)
    return noted if re.fullmatch(r"[0-9a-f]{32}", noted) else None


def read_contents(files: Files) -> tuple[dict[Path, bytes], bool] | None:
    """Every data file's bytes, read once (the loader parses these same bytes), and whether each
    was read from the file its stat signature describes; None when one cannot be read."""
    contents: dict[Path, bytes] = {}
    unchanged = True
    for given, path, info in files:
        if info is None:
            continue
        try:
            data, opened = read_bounded(path)
        except Unreadable:
            return None
        contents[given] = data
        unchanged = unchanged and _signature(opened) == _signature(info) and len(data) == info.st_size
    return contents, unchanged


def content_key(files: Files, contents: Mapping[Path, bytes]) -> str:
    """The hash of the data files' bytes (and of crps's and Python's versions): the cache key."""
    digest = sha256(f"{FORMAT}\0{__version__}\0{sys.version}".encode())
    for given, path, info in files:
        content = contents.get(given, b"") if info else b""
        digest.update(f"\0{path}\0{'file' if info else 'absent'}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()[:32]


def write_note(where: Path, files: Files, key: str) -> None:
    """Remember the key for these stat signatures, unless a file changed in the last two seconds
    (within the clock's resolution a change could keep its old signature)."""
    settled = time.time() - 2
    if not all(info is None or info.st_ctime < settled for _, _, info in files) or not _make_dir(where):
        return
    with contextlib.suppress(OSError):
        handle, temporary = _exclusive(where, "stat")
        try:
            os.write(handle, key.encode("ascii"))
        finally:
            os.close(handle)
        os.replace(temporary, _note(where, files))


# --- records as JSON, and back through the record classes -------------------------------


def _plain(value: object) -> Any:
    """A record as the JSON object of its fields (Enums are strings already)."""
    if dataclasses.is_dataclass(value):
        return value.__dict__
    raise TypeError(f"{type(value).__name__} is not a record")


# One encoder for every record group (json.dumps would make one per call: 30,000 on a hundredfold build).
_dump = json.JSONEncoder(default=_plain, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


Decode = Callable[[Any], Any]


def _expect(value: Any, kind: type) -> Any:
    if type(value) is not kind:
        raise TypeError(f"{type(value).__name__} where {kind.__name__} belongs")
    return value


def _decoder(hint: Any) -> Decode:
    """What turns JSON back into a value of this type, checking the type and every Rule on the way."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:
        rules = [rule for rule in args[1:] if isinstance(rule, Rule)]
        if len(rules) == 1 and args[0] in (str, int):
            return rules[0].checker(args[0])  # the type check and the rule in one call
        inner = _decoder(args[0])
        checks = [rule.checker() for rule in rules]

        def annotated(value: Any) -> Any:
            value = inner(value)
            for check in checks:
                value = check(value)
            return value

        return annotated
    if origin in (typing.Union, types.UnionType):
        (inner,) = [_decoder(arg) for arg in args if arg is not type(None)]
        return lambda value: None if value is None else inner(value)
    if origin is list:
        item = _decoder(args[0])
        return lambda value: [item(member) for member in _expect(value, list)]
    if hint is float:
        return lambda value: float(value) if type(value) in (int, float) else _expect(value, float)
    if hint in (str, int):
        return lambda value: _expect(value, hint)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        # A dict lookup (Enum(value) costs ten times as much); its keys are strings, so nothing else is found.
        return hint._value2member_map_.__getitem__  # type: ignore[no-any-return]
    if dataclasses.is_dataclass(hint):
        return _record_decoder(hint)  # type: ignore[arg-type]
    raise TypeError(f"no decoder for {hint!r}")


_DECODERS: dict[type, Decode] = {}


def _record_decoder(cls: type) -> Decode:
    """One function per record class, written as dataclasses write `__init__`: it checks the keys,
    decodes each field in field order (a missing one takes its default) and sets them all at once,
    then runs `__post_init__` as `__init__` would."""
    if cls in _DECODERS:
        return _DECODERS[cls]
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = dataclasses.fields(cls)
    namespace: dict[str, Any] = {
        "cls": cls,
        "new": object.__new__,
        "names": frozenset(f.name for f in fields),
        "required": frozenset(
            f.name for f in fields if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        ),
    }
    values = []
    for index, f in enumerate(fields):
        namespace[f"d{index}"] = _decoder(hints[f.name])
        value = f"d{index}(value[{f.name!r}])"
        if f.default is not dataclasses.MISSING:
            namespace[f"default{index}"] = f.default
            value += f" if {f.name!r} in value else default{index}"
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"factory{index}"] = f.default_factory
            value += f" if {f.name!r} in value else factory{index}()"
        values.append(f"        {f.name}={value},")
    post = ["    record.__post_init__()"] if hasattr(cls, "__post_init__") else []
    source = [
        "def build(value):",
        "    if type(value) is not dict or not required <= value.keys() <= names:",
        "        raise TypeError(f'a {cls.__name__} is not {sorted(value) if type(value) is dict else type(value)}')",
        "    record = new(cls)",
        "    record.__dict__.update(",
        *values,
        "    )",
        *post,
        "    return record",
    ]
    exec("\n".join(source), namespace)  # built from the record class's own fields
    _DECODERS[cls] = namespace["build"]
    return namespace["build"]  # type: ignore[no-any-return]


# --- reading ---------------------------------------------------------------------------


class _Reader:
    """The open cache file; every failure of it becomes CacheUnreadable."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # immutable: the file is replaced, never changed in place, so SQLite may skip locking
        escaped = str(path.absolute()).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
        try:
            self.db = sqlite3.connect(f"file:{escaped}?mode=ro&immutable=1", uri=True)
        except sqlite3.Error as exc:
            raise CacheUnreadable(path, str(exc)) from None

    def rows(self, sql: str, *args: object, shape: str) -> list[Any]:
        """The rows of a query, each checked to be `shape` ("s" text, "i" integer per column)."""
        try:
            found = self.db.execute(sql, args).fetchall()
        except (sqlite3.Error, OverflowError) as exc:
            raise CacheUnreadable(self.path, str(exc)) from None
        kinds = tuple(str if letter == "s" else int for letter in shape)
        if not all(tuple(map(type, row)) == kinds for row in found):
            raise CacheUnreadable(self.path, f"a row of {sql.split()[3]!r} is not {shape}")
        return found

    def decode(self, text: str, decode: Decode) -> Any:
        try:
            return decode(json.loads(text, parse_constant=_no_constant))
        except Exception as exc:  # a damaged file can fail in any way; each only means "rebuild"
            raise CacheUnreadable(self.path, f"{type(exc).__name__}: {exc}") from None

    def group(self, text: str, cls: type) -> list[Any]:
        """The records of one group, rebuilt and checked."""
        record = _record_decoder(cls)
        return self.decode(text, lambda value: [record(member) for member in _expect(value, list)])

    def meta(self, key: str, decode: Decode) -> Any:
        found = self.rows("SELECT value FROM meta WHERE key = ?", key, shape="s")
        if not found:
            raise CacheUnreadable(self.path, f"no {key}")
        return self.decode(found[0][0], decode)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number crps stores")


def _string(value: Any) -> str:
    return _expect(value, str)  # type: ignore[no-any-return]


def _strings(value: Any) -> list[str]:
    return [_expect(member, str) for member in _expect(value, list)]


def _lists(value: Any) -> list[list[str]]:
    return [_strings(member) for member in _expect(value, list)]


def _count(value: Any) -> int:
    if _expect(value, int) < 0:
        raise ValueError("a negative count")
    return value  # type: ignore[no-any-return]


def _counts(value: Any) -> dict[str, int]:
    counts = {name: _expect(value[name], int) for name in ("sources", "treatments", "claims", "studies", "topics")}
    if value.keys() != counts.keys() or min(counts.values()) < 0:
        raise ValueError("bad counts")
    return counts


def _names(value: Any) -> list[NameRow]:
    """The name index: (label, kind, target, members) rows, each checked."""
    rows = []
    for row in _expect(value, list):  # checked inline: a hundredfold base has 15,000 rows
        if type(row) is not list or len(row) != 4:
            raise TypeError("a name row is not four values")
        label, kind, target, members = row
        if not (type(label) is type(kind) is type(target) is str and type(members) is list) or not all(
            type(member) is str for member in members
        ):
            raise TypeError(f"the name row {label!r} is not (text, text, text, [text])")
        rows.append((label, kind, target, tuple(members)))
    return rows


def _sources(value: Any) -> dict[str, Source]:
    decode = _record_decoder(Source)
    sources = {key: decode(record) for key, record in _expect(value, dict).items()}
    if any(key != source.id for key, source in sources.items()):
        raise ValueError("a source filed under another id")
    return sources


def _in_chunks(values: list[str], size: int = 500) -> Iterator[tuple[list[str], str]]:
    """The values in slices SQLite can bind at once, each with its "?,?,..." placeholders."""
    for start in range(0, len(values), size):
        chunk = values[start : start + size]
        yield chunk, ",".join("?" * len(chunk))


class _Table(Mapping[str, T]):
    """Records of one kind, read from the cache when first asked for.

    Records are stored in groups, one JSON array each: a claim with the other claims about its
    treatment (the usual question is "the claims about X"), a study or treatment on its own.
    """

    def __init__(self, reader: _Reader, kind: str, size: int) -> None:
        self.reader, self.kind, self.size = reader, kind, size
        self.cls = next(f.record for f in DATA_FILES.values() if f.kind == kind)
        self.loaded: dict[str, T] = {}
        self.groups: set[str] = set()
        self.complete = False

    def _take(self, text: str) -> None:
        for record in self.reader.group(text, self.cls):
            self.loaded.setdefault(record.id, record)

    def load_groups(self, groups: Iterable[str]) -> None:
        missing = [g for g in dict.fromkeys(groups) if g not in self.groups]
        for chunk, marks in _in_chunks(missing):
            sql = f"SELECT grp, blob FROM grp WHERE kind = ? AND grp IN ({marks})"
            for group, text in self.reader.rows(sql, self.kind, *chunk, shape="ss"):
                self.groups.add(group)
                self._take(text)

    def found(self, record_id: str) -> T:
        """A record the lookup tables name; missing from its group means the file is damaged."""
        try:
            return self.loaded[record_id]
        except KeyError:
            raise CacheUnreadable(self.reader.path, f"{self.kind} {record_id} is not in its group") from None

    def some(self, sql: str, *args: object) -> list[T]:
        """The records a lookup query selects (it returns id, grp), in the query's order."""
        rows = self.reader.rows(sql, *args, shape="ss")
        self.load_groups(group for _, group in rows)
        return [self.found(record_id) for record_id, _ in rows]

    def __getitem__(self, record_id: str) -> T:
        if record_id not in self.loaded:
            found = self.some("SELECT id, grp FROM record WHERE kind = ? AND id = ?", self.kind, record_id)
            if not found:
                raise KeyError(record_id)
        return self.loaded[record_id]

    def __contains__(self, record_id: object) -> bool:
        try:
            self[record_id]  # type: ignore[index]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self.everything())

    def __len__(self) -> int:
        return self.size

    def everything(self) -> dict[str, T]:
        """All records in data order, read in two queries (for the commands that need them all), with
        the collector paused: tens of thousands of records that all live on would only be rescanned."""
        if not self.complete:
            with paused_gc():
                self._everything()
        return self.loaded

    def _everything(self) -> None:
        for _, text in self.reader.rows("SELECT grp, blob FROM grp WHERE kind = ?", self.kind, shape="ss"):
            self._take(text)
        order = self.reader.rows("SELECT id FROM record WHERE kind = ? ORDER BY seq", self.kind, shape="s")
        self.loaded = {record_id: self.found(record_id) for (record_id,) in order}
        if len(self.loaded) != self.size:
            raise CacheUnreadable(self.reader.path, f"{self.size} {self.kind} records counted, not found")
        self.complete = True

    def values(self) -> Any:
        return self.everything().values()

    def items(self) -> Any:
        return self.everything().items()


class CachedBase(EvidenceBase):
    """The evidence base answered from a cache file, reading only what each command asks for."""

    def __init__(self, reader: _Reader, index: _SearchIndex) -> None:
        counts = reader.meta("counts", _counts)
        self.reader = reader
        self.tables: dict[str, _Table[Any]] = {
            "study": _Table(reader, "study", counts["studies"]),
            "treatment": _Table(reader, "treatment", counts["treatments"]),
            "claim": _Table(reader, "claim", counts["claims"]),
            "topic": _Table(reader, "topic", counts["topics"]),
        }
        super().__init__(
            sources=reader.meta("sources", _sources),
            studies=self.tables["study"],
            treatments=self.tables["treatment"],
            claims=self.tables["claim"],
            topics=self.tables["topic"],
        )
        self.index: _SearchIndex = index

    def claims_of(self, treatment_ids: Iterable[str]) -> list[Claim]:
        claims = self.tables["claim"]
        wanted = list(dict.fromkeys(treatment_ids))
        claims.load_groups(wanted)  # a claim's group is its treatment
        sql = "SELECT id, seq FROM record WHERE kind = 'claim' AND grp = ?"
        rows = [self.reader.rows(sql, t, shape="si") for t in wanted]
        return [claims.found(record_id) for record_id, _ in sorted((r for found in rows for r in found), key=_seq)]

    def studies_cited(self, claims: Iterable[Claim]) -> dict[str, Study]:
        """In one query per 500 ids, not one per study (a whole base's claims cite thousands)."""
        studies, wanted = self.tables["study"], list(dict.fromkeys(s for claim in claims for s in claim.studies))
        for chunk, marks in _in_chunks(wanted):
            studies.some(f"SELECT id, grp FROM record WHERE kind = 'study' AND id IN ({marks})", *chunk)
        return {s: studies.loaded[s] for s in wanted if s in studies.loaded}

    def studies_keyed(self, keys: Collection[str], prefix: str) -> list[Study]:
        """From the table of `cite_keys`: one query, the studies in data order."""
        wanted, where = sorted(k for k in keys if k), []
        if wanted:
            where.append(f"k.key IN ({','.join('?' * len(wanted))})")
        if prefix:
            where.append("substr(k.key, 1, ?) = ?")
        if not where:
            return []
        args = [*wanted, *((len(prefix), prefix) if prefix else ())]
        return self.tables["study"].some(
            "SELECT id, grp FROM record WHERE kind = 'study' AND id IN "
            f"(SELECT study FROM citekey k WHERE {' OR '.join(where)}) ORDER BY seq",
            *args,
        )

    def claims_citing(self, study_id: str) -> list[Claim]:
        return self.tables["claim"].some(
            "SELECT r.id, r.grp FROM cites c JOIN record r ON r.kind = 'claim' AND r.id = c.claim "
            "WHERE c.study = ? ORDER BY r.seq",
            study_id,
        )

    def names(self) -> list[NameRow]:
        return self.reader.meta("names", _names)

    def names_keyed(self, keys: Collection[str]) -> list[NameRow]:
        """From the name table: the rows of the targets some row of these keys names, in order."""
        found: dict[int, tuple[str, str, str, str, str]] = {}
        sql = (
            "SELECT seq, key, label, kind, target, members FROM name WHERE (kind, target) IN "
            "(SELECT kind, target FROM name WHERE key IN ({}))"
        )
        for chunk, marks in _in_chunks(sorted(keys)):
            for seq, *row in self.reader.rows(sql.format(marks), *chunk, shape="isssss"):
                found[seq] = tuple(row)  # type: ignore[assignment]
        order = sorted(found)
        # every row's members in one JSON array: one decode, not one per row (a call may name 80 treatments)
        members = self.reader.decode(f"[{','.join(found[seq][4] for seq in order)}]", _lists)
        rows: list[NameRow] = []
        for seq, held in zip(order, members, strict=True):
            key, label, kind, target, _ = found[seq]
            if key != name_key(label):
                raise CacheUnreadable(self.reader.path, f"the name row {seq} is filed under another key")
            rows.append((label, kind, target, tuple(held)))
        return rows

    def longest_name_key(self) -> int:
        return self.reader.meta("longest_name", _count)  # type: ignore[no-any-return]

    def labels(self) -> list[str]:
        return self.reader.meta("labels", _strings)

    def search(self, terms: list[str]) -> list[fulltext.Match]:
        """From the index file beside the cache file (made by the first search that needs it)."""
        try:
            return super().search(terms)
        except sqlite3.Error as exc:
            raise CacheUnreadable(self.index.path, str(exc)) from None


def _seq(row: tuple[str, int]) -> int:
    return row[1]


# --- writing ---------------------------------------------------------------------------


def _write(path: Path, key: str, base: EvidenceBase, notices: list[str]) -> None:
    """Build the cache in a new 0600 file beside `path`, then rename it into place."""
    handle, temporary = _exclusive(path.parent, "evidence")
    os.close(handle)
    try:
        db = sqlite3.connect(temporary)
        try:
            _fill(db, key, base, notices)
            db.commit()
        finally:
            db.close()
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _fill(db: sqlite3.Connection, key: str, base: EvidenceBase, notices: list[str]) -> None:
    db.executescript(
        """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE record (kind TEXT, id TEXT, seq INTEGER, grp TEXT, PRIMARY KEY (kind, id));
        CREATE TABLE grp (kind TEXT, grp TEXT, blob TEXT, PRIMARY KEY (kind, grp));
        CREATE TABLE cites (study TEXT, claim TEXT);
        CREATE TABLE citekey (key TEXT, study TEXT);
        CREATE TABLE name (seq INTEGER PRIMARY KEY, key TEXT, label TEXT, kind TEXT, target TEXT, members TEXT);
        """
    )
    names = base.names()
    keys = [name_key(label) for label, *_ in names]
    db.executemany(
        "INSERT INTO name VALUES (?, ?, ?, ?, ?, ?)",
        [(seq, key, *row[:3], _dump(row[3])) for seq, (key, row) in enumerate(zip(keys, names, strict=True))],
    )
    meta = {
        "format": FORMAT,
        "key": key,
        "counts": base.counts(),
        "sources": dict(base.sources),
        "labels": base.labels(),
        "names": names,
        "longest_name": max(map(len, keys), default=0),
        "notices": notices,
    }
    db.executemany("INSERT INTO meta VALUES (?, ?)", [(name, _dump(value)) for name, value in meta.items()])
    for filename, kind in ((f.name, f.kind) for f in DATA_FILES.values() if f.kind != "source"):
        groups: dict[str, list[Any]] = {}
        rows = []
        for seq, record in enumerate(base.table(filename).values()):
            group = record.treatment if kind == "claim" else record.id
            groups.setdefault(group, []).append(record)
            rows.append((kind, record.id, seq, group))
        db.executemany("INSERT INTO record VALUES (?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO grp VALUES (?, ?, ?)", ((kind, g, _dump(members)) for g, members in groups.items()))
    db.executemany(
        "INSERT INTO cites VALUES (?, ?)",
        ((study, claim.id) for claim in base.claims.values() for study in claim.studies),
    )
    db.executemany(
        "INSERT INTO citekey VALUES (?, ?)", ((key, s.id) for s in base.studies.values() for key in cite_keys(s))
    )
    db.executescript(
        """
        CREATE INDEX record_order ON record (kind, seq);
        CREATE INDEX record_group ON record (kind, grp);
        CREATE INDEX cites_study ON cites (study);
        CREATE INDEX name_key ON name (key);
        CREATE INDEX citekey_key ON citekey (key);
        CREATE INDEX name_target ON name (kind, target);
        """
    )


class _SearchIndex:
    """The full-text index of one cache key, in a file of its own beside the cache file.

    Why apart: filling it is a third of a build (60,000 rows on a hundredfold data set), and only
    `search` and a name that matches nothing exactly need it. So the first search after a build
    fills it from the records and keeps it; no other command pays. The file is trusted as the cache
    file is: ours, opened without following a symlink, and holding its format and key.
    """

    def __init__(self, where: Path, key: str) -> None:
        self.where, self.key = where, key
        self.path = where / f"search-{key}.sqlite"

    def __call__(self, base: EvidenceBase) -> sqlite3.Connection:
        return self._kept() or self.filled(base)

    def _kept(self) -> sqlite3.Connection | None:
        reader = _own_reader(self.path, self.key)
        return reader.db if reader else None

    def filled(self, base: EvidenceBase) -> sqlite3.Connection:
        """A new index filled from `base`, renamed into place; the connection that filled it is the
        one returned. In memory when the directory cannot take the file, or others could change it."""
        if not _writable(self.where):
            return fulltext.in_memory(base)
        try:
            handle, temporary = _exclusive(self.where, "search")
        except OSError:
            return fulltext.in_memory(base)
        os.close(handle)
        db = None
        try:
            db = sqlite3.connect(temporary)
            db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; CREATE TABLE meta (key, value);")
            db.executemany("INSERT INTO meta VALUES (?, ?)", [("format", _dump(FORMAT)), ("key", _dump(self.key))])
            fulltext.fill(db, base)
            db.commit()
            os.replace(temporary, self.path)
            return db
        except (OSError, sqlite3.Error):  # a full disk, say: the same index, in memory
            if db is not None:
                db.close()
            return fulltext.in_memory(base)
        finally:
            temporary.unlink(missing_ok=True)


def _prune(directory: Path, keep: Path) -> None:
    """Keep the newest caches and notes; older ones belong to data that has since changed. A
    temporary file is a run's that died."""
    now = time.time()
    # (files, how many to keep, or None: remove those older than the given age in seconds)
    for pattern, kept, age in (
        ("evidence-*.sqlite", KEEP, 0),
        ("search-*.sqlite", KEEP, 0),
        ("stat-*", 4 * KEEP, 0),
        (".tmp-evidence-*", None, 0),  # only the lock's holder writes these: any other is a dead run's
        (".tmp-*", None, STALE_SECONDS),  # notes are written without the lock: a minute is plenty
    ):
        found = []
        for path in directory.glob(pattern):
            with contextlib.suppress(OSError):
                found.append((path.lstat().st_mtime, path))
        found.sort(reverse=True)
        if kept is None:
            old = [path for mtime, path in found if mtime <= now - age]
        else:
            old = [path for _, path in found if path != keep][kept - 1 :]
        for path in old:
            with contextlib.suppress(OSError):
                path.unlink()


@contextlib.contextmanager
def _builder(where: Path) -> Iterator[bool]:
    """Hold the build lock (True) for one build at a time; False when another process kept it
    for LOCK_WAIT seconds (or there can be no lock): then read the YAML without writing."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: builders may overlap; each renames a whole file
        yield True
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(where / "lock", flags, 0o600)
    except OSError:
        yield False
        return
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    yield False
                    return
                time.sleep(0.05)
        yield True
    finally:
        os.close(handle)  # releases the lock


def _path(where: Path, key: str) -> Path:
    return where / f"evidence-{key}.sqlite"


def _own_reader(path: Path, key: str) -> _Reader | None:
    """The file at `path` opened for reading, if it is ours and says inside that it holds this key
    in this format; else None."""
    handle = _open_own(path)
    if handle is None:
        return None
    try:
        reader = _Reader(path)
        if _signature(os.lstat(path)) != _signature(os.fstat(handle)):  # swapped since it was checked
            return None
        if reader.meta("format", _string) != FORMAT or reader.meta("key", _string) != key:
            return None
        return reader
    except (CacheUnreadable, OSError):
        return None
    finally:
        os.close(handle)


def _open(where: Path, key: str) -> LoadResult | None:
    """The cache of this key, if a file of ours holds it and says so inside; else None."""
    reader = _own_reader(_path(where, key), key)
    if reader is None:
        return None
    try:
        return LoadResult(
            CachedBase(reader, _SearchIndex(where, key)), problems=[], notices=reader.meta("notices", _strings)
        )
    except CacheUnreadable:
        return None


def load_or_build(directories: list[Path], build: Callable[[dict[Path, bytes] | None], LoadResult]) -> LoadResult:
    """The evidence base from the cache when one matches the data files, else `build` (which loads
    the YAML from the bytes given) and cached. Each data file is read once: its key is the hash of
    exactly the bytes that are parsed."""
    where = cache_dir()
    files = data_files(directories) if where else None
    if where is None or files is None:
        return build(None)
    with paused_gc():
        if (key := noted_key(where, files)) and (cached := _open(where, key)):
            return cached
        read = read_contents(files)
        if read is None:
            return build(None)
        contents, unchanged = read
        key = content_key(files, contents)
        if not (cached := _open(where, key)) and _make_dir(where):
            with _builder(where) as building:
                cached = _open(where, key)  # another process may have built it meanwhile
                if cached is None:
                    result = build(contents)
                    if building and not result.problems:  # data with problems is never cached
                        with contextlib.suppress(OSError, sqlite3.Error, ValueError):
                            _write(_path(where, key), key, result.base, result.notices)
                            _prune(where, _path(where, key))
                            result.base.index = _SearchIndex(where, key).filled  # from these records
                    if unchanged and not result.problems:
                        write_note(where, files, key)
                    return result
        if cached is None:
            return build(contents)
        if unchanged:
            write_note(where, files, key)
        return cached


def cached_base(directories: list[Path]) -> EvidenceBase | None:
    """The evidence straight from a noted cache file, for completion: no data file is read (None
    when there is none yet). A cache found unreadable raises CacheUnreadable when read."""
    where = cache_dir()
    files = data_files(directories) if where else None
    key = noted_key(where, files) if where and files else None
    cached = _open(where, key) if where and key else None
    return cached.base if cached else None


def forget(path: Path) -> None:
    """Remove a cache file that failed mid-command (it is rebuilt on the next run)."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def clear() -> tuple[Path | None, int]:
    """Remove every cache file, note and temporary file of ours: the cache directory and how many."""
    where = cache_dir()
    removed = 0
    if where is None or not where.is_dir():
        return where, 0
    for pattern in ("evidence-*.sqlite", "search-*.sqlite", "stat-*", ".tmp-*", "lock"):
        for path in where.glob(pattern):
            with contextlib.suppress(OSError):
                if _ours(path.lstat()):
                    path.unlink()
                    removed += 1
    return where, removed

"""A cache of the validated evidence base, so that a command does not re-read and re-validate YAML.

The cache is one SQLite file per set of data, named by a hash of the data files' bytes (and of
crps's and Python's versions), in the user cache directory (``CRPS_CACHE_DIR`` overrides). It
holds each record pickled on its own, plus the lookups the queries need (names, claims per
treatment, claims per study, searchable text), so a command reads only the records it shows:
a hundredfold overlay costs a lookup, not a load.

It is never needed for a right answer. A cache that is missing, stale, unreadable or corrupt is
rebuilt from the YAML; one that cannot be written (read-only directory, full disk) is skipped.
It is written to a temporary file and renamed into place, so a reader never sees half a cache.
Data with problems is never cached: those commands read the YAML and report the problems.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import re
import sqlite3
import stat
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import __version__
from . import fulltext
from .base import EvidenceBase, LoadResult, NameRow, paused_gc
from .files import DATA_FILES
from .problems import MAX_FILE_BYTES

if TYPE_CHECKING:
    from .records import Claim, Source

FORMAT = "crps-cache-5"
KEEP = 8  # cache files kept; older ones (other data sets, old versions) are removed
T = TypeVar("T")


class CacheUnreadable(Exception):
    """The cache file failed while a command was reading it; rebuild and answer again."""


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


def data_files(directories: Iterable[Path]) -> list[tuple[Path, os.stat_result | None]] | None:
    """Each data file with its stat (None when absent); None when the data is not for the cache:
    anything but a directory of regular files (a file for a directory, a symlink loop, a FIFO, a
    file over the size limit) is for the loader to read once and report, every time."""
    found: list[tuple[Path, os.stat_result | None]] = []
    for directory in directories:
        if not directory.is_dir():
            return None
        root = directory.resolve()
        for name in DATA_FILES:
            path = root / name
            try:
                info = path.stat()
            except FileNotFoundError:
                if os.path.lexists(path):  # a dangling symlink
                    return None
                found.append((path, None))
                continue
            except OSError:
                return None
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                return None
            found.append((path, info))
    return found


def content_key(files: list[tuple[Path, os.stat_result | None]]) -> str | None:
    """The hash of the data files' bytes (and of crps's and Python's versions): the cache key."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}".encode())
    for path, info in files:
        try:
            content = path.read_bytes() if info else b""
        except OSError:
            return None
        digest.update(f"\0{path}\0{'file' if info else 'absent'}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()[:32]


def fingerprint(directories: Iterable[Path], where: Path) -> str | None:
    """The content key, read from a note named after the files' stat signatures when one exists.

    Reading and hashing a hundredfold overlay costs about 25 ms; the note turns that into one
    small read while no file has changed. A file changed in the last two seconds is never noted,
    so a change within the clock's resolution cannot hide behind an old note.
    """
    files = data_files(directories)
    if files is None:
        return None
    signature = "\n".join(
        f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}" if info else f"{path}\0-"
        for path, info in files
    )
    note = where / f"stat-{hashlib.sha256(signature.encode()).hexdigest()[:32]}"
    try:
        if re.fullmatch(r"[0-9a-f]{32}", noted := note.read_text(encoding="ascii")):
            return noted
    except (OSError, UnicodeDecodeError):
        pass
    key = content_key(files)
    settled = time.time() - 2
    if key and all(info is None or info.st_ctime < settled for _, info in files):
        with contextlib.suppress(OSError):
            note.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary = note.with_name(f".tmp-{os.getpid()}-{note.name}")
            temporary.write_text(key, encoding="ascii")
            os.replace(temporary, note)
    return key


class _Unpickler(pickle.Unpickler):
    """Only crps's own record classes may come out of a cache file: no other code can run."""

    def find_class(self, module: str, name: str) -> Any:
        if module in ("crpscli.evidence.records", "crpscli.evidence.vocab"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a crps record")


def _decode(blob: bytes) -> Any:
    return _Unpickler(io.BytesIO(blob)).load()


class _Reader:
    """The open cache file; every failure of it becomes CacheUnreadable."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # immutable: the file is replaced, never changed in place, so SQLite may skip locking
        escaped = str(path.absolute()).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
        self.db = sqlite3.connect(f"file:{escaped}?mode=ro&immutable=1", uri=True)

    def rows(self, sql: str, *args: object) -> list[Any]:
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise CacheUnreadable(f"{self.path}: {exc}") from None

    def decode(self, blob: bytes) -> Any:
        try:
            return _decode(blob)
        except Exception as exc:
            raise CacheUnreadable(f"{self.path}: {exc}") from None

    def group(self, blob: bytes) -> list[Any]:
        """The records of one group; anything else in their place means the file is damaged."""
        records = self.decode(blob)
        if not isinstance(records, list) or not all(hasattr(r, "id") for r in records):
            raise CacheUnreadable(f"{self.path}: a record group holds something else")
        return records

    def meta(self, key: str) -> Any:
        found = self.rows("SELECT value FROM meta WHERE key = ?", key)
        if not found:
            raise CacheUnreadable(f"{self.path}: no {key}")
        return self.decode(found[0][0])


class _Table(Mapping[str, T]):
    """Records of one kind, read from the cache when first asked for.

    Records are stored in groups, one pickle each: a claim with the other claims about its
    treatment (the usual question is "the claims about X"), a study or treatment on its own.
    Fewer, larger pickles are much quicker to write on a first run.
    """

    def __init__(self, reader: _Reader, kind: str, size: int) -> None:
        self.reader, self.kind, self.size = reader, kind, size
        self.loaded: dict[str, T] = {}
        self.groups: set[str] = set()
        self.complete = False

    def load_groups(self, groups: Iterable[str]) -> None:
        missing = [g for g in dict.fromkeys(groups) if g not in self.groups]
        for start in range(0, len(missing), 500):  # within SQLite's limit on bound values
            chunk = missing[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT grp, blob FROM grp WHERE kind = ? AND grp IN ({marks})"
            for group, blob in self.reader.rows(sql, self.kind, *chunk):
                self.groups.add(group)
                for record in self.reader.group(blob):
                    self.loaded.setdefault(record.id, record)

    def some(self, sql: str, *args: object) -> list[T]:
        """The records a lookup query selects (it returns id, grp), in the query's order."""
        rows = self.reader.rows(sql, *args)
        self.load_groups(group for _, group in rows)
        return [self.loaded[record_id] for record_id, _ in rows]

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
        """All records in data order, read in two queries (for the commands that need them all)."""
        if not self.complete:
            for _, blob in self.reader.rows("SELECT grp, blob FROM grp WHERE kind = ?", self.kind):
                for record in self.reader.group(blob):
                    self.loaded.setdefault(record.id, record)
            order = self.reader.rows("SELECT id FROM record WHERE kind = ? ORDER BY seq", self.kind)
            self.loaded = {record_id: self.loaded[record_id] for (record_id,) in order}
            self.complete = True
        return self.loaded

    def values(self) -> Any:
        return self.everything().values()

    def items(self) -> Any:
        return self.everything().items()


class CachedBase(EvidenceBase):
    """The evidence base answered from a cache file, reading only what each command asks for."""

    def __init__(self, reader: _Reader) -> None:
        counts: dict[str, int] = reader.meta("counts")
        sources: dict[str, Source] = reader.meta("sources")
        self.reader = reader
        self.tables: dict[str, _Table[Any]] = {
            "study": _Table(reader, "study", counts["studies"]),
            "treatment": _Table(reader, "treatment", counts["treatments"]),
            "claim": _Table(reader, "claim", counts["claims"]),
            "topic": _Table(reader, "topic", counts["topics"]),
        }
        super().__init__(
            sources=sources,
            studies=self.tables["study"],
            treatments=self.tables["treatment"],
            claims=self.tables["claim"],
            topics=self.tables["topic"],
        )

    def claims_of(self, treatment_ids: Iterable[str]) -> list[Claim]:
        claims = self.tables["claim"]
        wanted = list(dict.fromkeys(treatment_ids))
        claims.load_groups(wanted)  # a claim's group is its treatment
        rows = [self.reader.rows("SELECT id, seq FROM record WHERE kind = 'claim' AND grp = ?", t) for t in wanted]
        return [claims.loaded[record_id] for record_id, _ in sorted((r for found in rows for r in found), key=_seq)]

    def claims_citing(self, study_id: str) -> list[Claim]:
        return self.tables["claim"].some(
            "SELECT r.id, r.grp FROM cites c JOIN record r ON r.kind = 'claim' AND r.id = c.claim "
            "WHERE c.study = ? ORDER BY r.seq",
            study_id,
        )

    def names(self) -> list[NameRow]:
        return [(label, kind, target, tuple(members)) for label, kind, target, members in self.reader.meta("names")]

    def labels(self) -> list[str]:
        return self.reader.meta("labels")

    def search(self, terms: list[str]) -> list[fulltext.Match]:
        """The cache file holds the full-text index."""
        try:
            return fulltext.matches(self.reader.db, terms)
        except sqlite3.Error as exc:
            raise CacheUnreadable(f"{self.reader.path}: {exc}") from None


def _seq(row: tuple[str, int]) -> int:
    return row[1]


def _write(path: Path, base: EvidenceBase, notices: list[str]) -> None:
    """Build the cache in a temporary file beside `path`, then rename it into place."""
    import tempfile

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".sqlite")
    os.close(handle)
    try:
        db = sqlite3.connect(temporary)
        try:
            _fill(db, base, notices)
            db.commit()
        finally:
            db.close()
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _fill(db: sqlite3.Connection, base: EvidenceBase, notices: list[str]) -> None:
    db.executescript(
        """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);
        CREATE TABLE record (kind TEXT, id TEXT, seq INTEGER, grp TEXT, PRIMARY KEY (kind, id));
        CREATE TABLE grp (kind TEXT, grp TEXT, blob BLOB, PRIMARY KEY (kind, grp));
        CREATE TABLE cites (study TEXT, claim TEXT);
        """
    )

    def dump(value: object) -> bytes:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    meta = {
        "format": FORMAT,
        "counts": base.counts(),
        "sources": dict(base.sources),
        "labels": base.labels(),
        "names": base.names(),
    }
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)", [(key, dump(value)) for key, value in {**meta, "notices": notices}.items()]
    )
    for filename, kind in ((f.name, f.kind) for f in DATA_FILES.values() if f.kind != "source"):
        groups: dict[str, list[Any]] = {}
        rows = []
        for seq, record in enumerate(base.table(filename).values()):
            group = record.treatment if kind == "claim" else record.id
            groups.setdefault(group, []).append(record)
            rows.append((kind, record.id, seq, group))
        db.executemany("INSERT INTO record VALUES (?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO grp VALUES (?, ?, ?)", ((kind, g, dump(members)) for g, members in groups.items()))
    db.executemany(
        "INSERT INTO cites VALUES (?, ?)",
        ((study, claim.id) for claim in base.claims.values() for study in claim.studies),
    )
    fulltext.fill(db, base)
    db.executescript(
        """
        CREATE INDEX record_order ON record (kind, seq);
        CREATE INDEX record_group ON record (kind, grp);
        CREATE INDEX cites_study ON cites (study);
        """
    )


def _prune(directory: Path, keep: Path) -> None:
    """Keep the newest caches and notes; older ones belong to data that has since changed."""
    for pattern, kept in (("evidence-*.sqlite", KEEP), ("stat-*", 4 * KEEP)):
        found = sorted(directory.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [c for c in found if c != keep][kept - 1 :]:
            old.unlink(missing_ok=True)


def _open(path: Path) -> LoadResult | None:
    try:
        reader = _Reader(path)
        if reader.meta("format") != FORMAT:
            return None
        return LoadResult(CachedBase(reader), problems=[], notices=reader.meta("notices"))
    except (CacheUnreadable, sqlite3.Error):
        return None


def cache_file(directories: list[Path]) -> Path | None:
    """The cache file for this data, or None when this data is not cached."""
    where = cache_dir()
    key = fingerprint(directories, where) if where else None
    return where / f"evidence-{key}.sqlite" if where and key else None


def cached_labels(directories: list[Path]) -> list[str] | None:
    """The names to complete, straight from the cache file (None when there is none yet)."""
    path = cache_file(directories)
    try:
        return _Reader(path).meta("labels") if path and path.is_file() else None
    except (CacheUnreadable, sqlite3.Error):
        return None


def store(path: Path, result: LoadResult) -> None:
    """Write the cache of a clean load; a directory that cannot be written only makes later runs slower."""
    with contextlib.suppress(OSError, sqlite3.Error), paused_gc():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _write(path, result.base, result.notices)
        _prune(path.parent, path)


def read(path: Path) -> LoadResult | None:
    """The evidence base from the cache file at `path`, or None when there is no usable one."""
    return _open(path) if path.is_file() else None


def forget(directories: list[Path]) -> None:
    """Remove the cache of this data (after it failed mid-command)."""
    if path := cache_file(directories):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)

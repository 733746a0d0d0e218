"""The cache is never needed for a right answer: deleted, read-only, unwritable, corrupt or stale,
every command answers exactly as it does from the YAML."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from crpscli.evidence.cache import FORMAT, content_key, data_files, noted_key, read_contents
from crpscli.evidence.files import shipped_data as builtin_data
from crpscli.evidence.store import load_evidence

QUESTIONS = [
    ("treat", "ketamine", "--json"),
    ("cite", "138", "--json"),
    ("search", "nerve", "block", "--json"),
    ("search", '"ketamine*', "OR", "NEAR(", "--format", "tsv"),  # full-text query syntax is taken as words
    ("search", "2-10", "days", "--format", "tsv"),
    ("list", "--format", "csv"),
    ("compare", "ivig", "--json"),
]


@pytest.fixture
def answers(cli, tmp_path: Path):
    """What every question gets from the YAML itself (a cache directory that cannot exist)."""
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file, so no cache can be made under it")
    env = {"CRPS_CACHE_DIR": str(blocked / "cache")}
    return {q: cli(*q, env=env).output for q in QUESTIONS}


def ask_all(cli, cache: Path) -> dict[tuple[str, ...], str]:
    out = {}
    for question in QUESTIONS:
        result = cli(*question, env={"CRPS_CACHE_DIR": str(cache)})
        assert result.exit_code == 0, result.output
        out[question] = result.output
    return out


def the_cache_file(cache: Path) -> Path:
    (found,) = cache.glob("evidence-*.sqlite")
    return found


def test_first_run_writes_one_cache_file_and_later_runs_read_it(cli, answers, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    assert ask_all(cli, cache) == answers
    made = the_cache_file(cache)
    monkeypatch.setenv("CRPS_CACHE_DIR", str(cache))
    assert type(load_evidence([builtin_data()]).base).__name__ == "CachedBase"
    assert ask_all(cli, cache) == answers
    assert list(cache.glob("evidence-*.sqlite")) == [made]


def test_deleted_cache_gives_the_same_answers_and_is_rebuilt(cli, answers, tmp_path):
    cache = tmp_path / "cache"
    ask_all(cli, cache)
    shutil.rmtree(cache)
    assert ask_all(cli, cache) == answers
    assert the_cache_file(cache).stat().st_size > 0


def test_read_only_cache_is_read(cli, answers, tmp_path):
    cache = tmp_path / "cache"
    ask_all(cli, cache)
    made = the_cache_file(cache)
    made.chmod(stat.S_IRUSR)
    cache.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert ask_all(cli, cache) == answers
        assert list(cache.glob("evidence-*")) == [made]
    finally:
        cache.chmod(stat.S_IRWXU)


def test_unwritable_cache_directory_only_costs_speed(cli, answers, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for cache in (blocker / "cache", tmp_path / "ro"):
        if cache.name == "ro":
            cache.mkdir(mode=stat.S_IRUSR | stat.S_IXUSR)
        assert ask_all(cli, cache) == answers
    if os.geteuid() != 0:  # root writes through permission bits
        assert list((tmp_path / "ro").iterdir()) == []


def _sql(path: Path, statement: str, *args: object) -> None:
    with sqlite3.connect(path) as db:
        db.execute(statement, args)
    db.close()


def the_search_index(cache: Path) -> Path:
    (found,) = cache.glob("search-*.sqlite")
    return found


def test_only_a_search_makes_the_search_index_and_later_searches_read_it(cli, answers, tmp_path):
    cache = tmp_path / "cache"
    env = {"CRPS_CACHE_DIR": str(cache)}
    for question in [q for q in QUESTIONS if q[0] != "search"]:
        assert cli(*question, env=env).output == answers[question]
    assert list(cache.glob("search-*")) == []  # no other command pays for the index
    search = QUESTIONS[2]
    assert cli(*search, env=env).output == answers[search]
    made = the_search_index(cache)
    assert made.name == the_cache_file(cache).name.replace("evidence-", "search-")  # the same key
    before = made.stat().st_mtime_ns
    assert ask_all(cli, cache) == answers
    assert the_search_index(cache).stat().st_mtime_ns == before  # read, not made again


def _sound_cache(cache: Path) -> None:
    with sqlite3.connect(the_cache_file(cache)) as db:
        assert db.execute("SELECT count(*) FROM record WHERE kind = 'claim'").fetchone()[0] > 300
    db.close()


def _sound_index(cache: Path) -> None:
    """An index of this cache's key (so made again, not kept), that finds what it holds."""
    key = the_cache_file(cache).stem.removeprefix("evidence-")
    with sqlite3.connect(the_search_index(cache)) as db:
        assert dict(db.execute("SELECT key, value FROM meta")) == {"format": f'"{FORMAT}"', "key": f'"{key}"'}
        assert db.execute("SELECT count(*) FROM search WHERE search MATCH 'nerve'").fetchone()[0] > 0
    db.close()


CACHE, INDEX = (the_cache_file, _sound_cache), (the_search_index, _sound_index)
WHOLE_FILE = {
    "garbage": lambda p: p.write_bytes(b"not a database at all" * 100),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 3]),
    "empty": lambda p: p.write_bytes(b""),
}


def _damage(file: tuple, how: str, label: str | None = None) -> object:
    """Damage to the cache file or the search index: whole-file damage by name, or an SQL statement."""
    damage = WHOLE_FILE[how] if how in WHOLE_FILE else (lambda p: _sql(p, how))
    return pytest.param(file, damage, id=label or how)


@pytest.mark.parametrize(
    ("file", "damage"),
    [
        *(_damage(CACHE, how) for how in WHOLE_FILE),
        _damage(CACHE, "UPDATE grp SET blob = x'80059500' WHERE kind = 'claim'", "bad-record-blobs"),
        _damage(CACHE, "DELETE FROM meta WHERE key = 'counts'", "missing-meta"),
        _damage(CACHE, "UPDATE grp SET blob = 'null'", "not-a-group"),
        _damage(CACHE, "UPDATE grp SET blob = '[{\"id\": 7}]'", "wrong-shape"),
        _damage(CACHE, "UPDATE grp SET blob = 12 WHERE kind = 'treatment'", "wrong-column-type"),
        _damage(CACHE, "UPDATE record SET seq = 'x'", "wrong-lookup-type"),
        _damage(CACHE, "DELETE FROM grp WHERE kind = 'claim'", "records-missing"),
        *(_damage(INDEX, how, f"index-{how}") for how in ("garbage", "truncated")),
        _damage(INDEX, "UPDATE meta SET value = '\"0123\"' WHERE key = 'key'", "index-another-key"),
        _damage(INDEX, "DELETE FROM meta WHERE key = 'format'", "index-missing-meta"),
        _damage(INDEX, "DELETE FROM search_data", "index-pages-gone"),
        _damage(INDEX, "DROP TABLE search", "index-dropped"),
    ],
)
def test_a_damaged_cache_file_gives_the_same_answers_and_is_made_again(cli, answers, tmp_path, file, damage):
    """The cache file and the search index beside it alike."""
    cache = tmp_path / "cache"
    ask_all(cli, cache)
    where, sound = file
    damage(where(cache))
    assert ask_all(cli, cache) == answers
    sound(cache)


def test_changed_data_is_seen_at_once(cli, tmp_path):
    """The key is the data's bytes: an edited overlay is never answered from the old cache."""
    cache, overlay = tmp_path / "cache", tmp_path / "overlay"
    shutil.copytree(builtin_data(), overlay)
    env = {"CRPS_CACHE_DIR": str(cache)}
    before = cli("--no-builtin", "--data", str(overlay), "treat", "ivig", "--format", "tsv", env=env)
    assert "Intravenous immunoglobulin" in before.output
    treatments = overlay / "treatments.yaml"
    text = treatments.read_text(encoding="utf-8")
    treatments.write_text(text.replace("name: Intravenous immunoglobulin", "name: IVIG X", 1), encoding="utf-8")
    after = cli("--no-builtin", "--data", str(overlay), "treat", "ivig", "--format", "json", env=env)
    assert after.exit_code == 0
    assert '"name": "IVIG X (IVIG)"' in after.output
    assert len(list(cache.glob("evidence-*.sqlite"))) == 2


def test_the_cache_is_never_written_into_a_data_directory(cli, tmp_path):
    overlay = tmp_path / "overlay"
    shutil.copytree(builtin_data(), overlay)
    before = sorted(p.name for p in overlay.rglob("*"))
    cli("--data", str(overlay), "treat", "ketamine", env={"CRPS_CACHE_DIR": str(tmp_path / "cache")})
    assert sorted(p.name for p in overlay.rglob("*")) == before


def test_cache_lives_in_the_user_cache_directory_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("CRPS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    load_evidence([builtin_data()])
    assert len(list((tmp_path / "xdg" / "crps").glob("evidence-*.sqlite"))) == 1


def test_a_file_edited_in_place_is_reread_even_with_its_old_size_and_mtime(cli, tmp_path, monkeypatch):
    """The stat note only saves re-reading files that have not changed: an edit changes ctime."""
    cache, overlay = tmp_path / "cache", tmp_path / "overlay"
    shutil.copytree(builtin_data(), overlay)
    monkeypatch.setattr("crpscli.evidence.cache.time.time", lambda: 4_000_000_000.0)  # every file looks settled
    env = {"CRPS_CACHE_DIR": str(cache)}
    args = ("--no-builtin", "--data", str(overlay), "treat", "ivig", "--format", "json")
    assert '"name": "Intravenous immunoglobulin (IVIG)"' in cli(*args, env=env).output
    files = data_files([overlay])
    assert files is not None
    (note,) = cache.glob("stat-*")
    assert note.read_text() == noted_key(cache, files) == content_key(files, read_contents(files)[0])
    treatments = overlay / "treatments.yaml"
    before = treatments.stat()
    text = treatments.read_text(encoding="utf-8")
    treatments.write_text(text.replace("name: Intravenous immunoglobulin", "name: Intravenous immunoglobulix", 1))
    os.utime(treatments, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert treatments.stat().st_size == before.st_size
    assert '"name": "Intravenous immunoglobulix (IVIG)"' in cli(*args, env=env).output


def test_the_cache_hashes_as_hashlib_does():
    """The cache takes CPython's own SHA-256 (hashlib would load OpenSSL at every start); same digests."""
    import hashlib

    from crpscli.evidence.cache import sha256

    for data in (b"", b"crps", os.urandom(100_000)):
        assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()

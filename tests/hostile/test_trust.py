"""Issue 11, tried as an attacker and as a careless user: one case per finding, each with its hang bound.

1. a crafted cache file cannot run code; 2. the cache answers exactly what the files say;
3. files in the cache directory are never written through a symlink; 4. one builder, no
leftovers, any number of search words; 5. an overlay cannot take over a shipped group;
6. data that passes check never breaks a command; 7. every format escapes for itself;
8. streams and environment.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crpscli.cli import app, complete_name
from crpscli.edge import clamp_sizes
from crpscli.evidence import cache
from crpscli.evidence.files import Unreadable, read_bounded, shipped_data
from crpscli.evidence.loading import load
from crpscli.evidence.store import load_evidence

from ..conftest import ENV, crps_executable
from .harness import HANG_BOUND, MEMORY_BOUND_MB, PeakMemory, data_dir, in_thread, run

SRC = Path(__file__).parent.parent.parent / "src" / "crpscli"


def invoke(*args: str, cache_dir: Path, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env={**ENV, "CRPS_CACHE_DIR": str(cache_dir), **(env or {})})


def only_cache(where: Path) -> Path:
    (found,) = where.glob("evidence-*.sqlite")
    return found


# --- 1. code execution from a crafted cache file ----------------------------------------


class _System:
    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def test_nothing_in_a_cache_file_runs_and_the_answer_stays_right(tmp_path, monkeypatch):
    where, marker = tmp_path / "cache", tmp_path / "ran"
    monkeypatch.setenv("CRPS_CACHE_DIR", str(where))
    expected = invoke("--no-cache", "list", "--format", "tsv", cache_dir=where).stdout
    invoke("list", cache_dir=where)  # builds the cache
    exploit = pickle.dumps(_System(f"touch {marker}"))
    assert len(exploit) < 200
    with sqlite3.connect(only_cache(where)) as db:
        db.execute("UPDATE meta SET value = ? WHERE key IN ('counts', 'sources', 'labels')", (exploit,))
        db.execute("UPDATE grp SET blob = ? WHERE kind = 'claim'", (exploit,))
    db.close()
    assert [n for n in complete_name("ke") if n.startswith("ketamine")]  # completion reads the same cache
    assert invoke("list", "--format", "tsv", cache_dir=where).stdout == expected
    assert not marker.exists()


def test_a_json_payload_of_the_wrong_shape_only_causes_a_rebuild(tmp_path: Path):
    where = tmp_path / "cache"
    expected = invoke("--no-cache", "treat", "ketamine", "--json", cache_dir=where).stdout
    invoke("treat", "ketamine", cache_dir=where)
    shapes = [
        '{"id": "x", "__class__": "os.system"}',
        '[{"id": 1}]',
        '[{"id": "ketamine-oral", "name": 7}]',
        "[[[[]]]]",
    ]
    for shape in shapes:
        with sqlite3.connect(only_cache(where)) as db:
            db.execute("UPDATE grp SET blob = ?", (shape,))
        db.close()
        result = invoke("treat", "ketamine", "--json", cache_dir=where)
        assert result.exit_code == 0 and result.stdout == expected, shape


def test_no_module_can_unpickle():
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+(pickle|marshal|shelve|dill)\b", text, re.M), path


# --- 2. the cache answers exactly what the files say -------------------------------------


def _version(directory: Path, name: str) -> None:
    path = directory / "treatments.yaml"
    text = re.sub(r"name: Widget therapy[^\n]*", f"name: Widget therapy {name}", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")


def _widget_name(directory: Path) -> str:
    return load_evidence([directory]).base.treatments["widget"].name


def test_a_file_changed_during_a_run_leaves_the_answer_of_the_bytes_read(tmp_path, monkeypatch):
    """A -> B during the run (a checkout away), then back to A: every answer is the files' own."""
    monkeypatch.setenv("CRPS_CACHE_DIR", str(tmp_path / "cache"))
    directory = data_dir(tmp_path)
    _version(directory, "A")
    real = cache.read_contents

    def read_then_change(files):
        found = real(files)
        _version(directory, "B")  # the file changes after it was hashed, before it is parsed
        return found

    monkeypatch.setattr(cache, "read_contents", read_then_change)
    assert _widget_name(directory) == "Widget therapy A"  # parsed from the bytes that were hashed
    monkeypatch.setattr(cache, "read_contents", real)
    assert _widget_name(directory) == "Widget therapy B"
    _version(directory, "A")
    assert _widget_name(directory) == "Widget therapy A"


def test_an_edit_no_stat_can_see_is_seen_with_no_cache_and_after_cache_clear(tmp_path, monkeypatch):
    """Stand-in for a second mmap write, which keeps size, mtime and ctime: every stat looks the same."""
    where = tmp_path / "cache"
    directory = data_dir(tmp_path)
    monkeypatch.setattr(cache, "_signature", lambda info: (0,))
    monkeypatch.setattr(cache.time, "time", lambda: 4_000_000_000.0)  # every file looks settled
    args = ("--no-builtin", "--data", str(directory), "treat", "widget", "--format", "tsv")
    assert "Widget therapy" in invoke(*args, cache_dir=where).stdout
    _version(directory, "edited")
    assert "Widget therapy edited" not in invoke(*args, cache_dir=where).stdout  # the documented blind spot
    assert "Widget therapy edited" in invoke("--no-cache", *args, cache_dir=where).stdout
    search = ("--no-builtin", "--data", str(directory), "search", "widget", "--format", "tsv")
    assert "Widget therapy edited" not in invoke(*search, cache_dir=where).stdout  # its index is as old
    cleared = invoke("cache", "clear", cache_dir=where)  # the cache, its search index, the note, the lock
    assert cleared.exit_code == 0 and cleared.stdout.startswith("removed 4 cache files")
    assert "Widget therapy edited" in invoke(*args, cache_dir=where).stdout
    assert "Widget therapy edited" in invoke(*search, cache_dir=where).stdout


def test_a_cache_under_another_key_is_never_served(tmp_path: Path):
    """The key is stored inside: another data set's cache renamed to this one's name is not read."""
    where = tmp_path / "cache"
    one, two = data_dir(tmp_path, "one"), data_dir(tmp_path, "two")
    _version(two, "TWO")
    for directory in (one, two):
        invoke("--no-builtin", "--data", str(directory), "list", cache_dir=where)
    caches = sorted(where.glob("evidence-*.sqlite"), key=lambda p: p.stat().st_mtime)
    os.replace(caches[1], caches[0])  # two's cache under one's key
    shown = invoke("--no-builtin", "--data", str(one), "list", "--format", "tsv", cache_dir=where).stdout
    assert "Widget therapy\t" in shown and "TWO" not in shown


# --- 3. planted symlinks ----------------------------------------------------------------


def test_symlinks_planted_in_the_cache_directory_are_never_written_through(tmp_path: Path):
    where, victim = tmp_path / "cache", tmp_path / "victim"
    victim.write_text("precious")
    where.mkdir(mode=0o700)
    directory = data_dir(tmp_path)
    files = cache.data_files([directory])
    assert files is not None
    contents, _ = cache.read_contents(files)
    key = cache.content_key(files, contents)
    names = [f"evidence-{key}.sqlite", f"search-{key}.sqlite", cache._note(where, files).name, "lock"]
    names += [f".tmp-{kind}-{n}" for kind in ("stat", "evidence", "search") for n in range(20)]
    for name in names:
        (where / name).symlink_to(victim)
    for command in (["sources"], ["search", "widget"]):
        result = invoke("--no-builtin", "--data", str(directory), *command, cache_dir=where)
        assert result.exit_code == 0, result.output
    assert "Widget" in result.stdout
    assert victim.read_text() == "precious"


def test_a_cache_directory_others_can_write_is_never_written(tmp_path: Path):
    """Another user could swap a file there after the rename: the cache and the search index are
    then skipped (the answers stay the same), before and after a cache was made."""
    directory = data_dir(tmp_path)
    plain = invoke("--no-builtin", "--data", str(directory), "search", "widget", cache_dir=tmp_path / "none").stdout
    for made_first in (False, True):
        where = tmp_path / f"shared-{made_first}"
        where.mkdir(mode=0o700)
        if made_first:
            invoke("--no-builtin", "--data", str(directory), "list", cache_dir=where)
        where.chmod(0o777)  # writable by others, and not sticky
        result = invoke("--no-builtin", "--data", str(directory), "search", "widget", cache_dir=where)
        assert result.exit_code == 0 and result.stdout == plain and "Widget" in plain
        assert [p.name.split("-")[0] for p in where.glob("*.sqlite")] == (["evidence"] if made_first else [])
        where.chmod(0o700)


def test_cache_files_are_private(tmp_path: Path):
    where = tmp_path / "cache"
    invoke("list", cache_dir=where)
    for path in where.iterdir():
        assert path.stat().st_mode & 0o077 == 0, path


# --- 4. one builder, no leftovers, any number of words ----------------------------------


def test_parallel_cold_runs_build_the_cache_once(tmp_path, monkeypatch):
    monkeypatch.setenv("CRPS_CACHE_DIR", str(tmp_path / "cache"))
    directory = data_dir(tmp_path)
    writes: list[int] = []
    real = cache._write

    def slow_write(*args):
        writes.append(1)
        time.sleep(0.3)  # long enough for every other thread to find the lock taken
        real(*args)

    monkeypatch.setattr(cache, "_write", slow_write)
    names: list[str] = []
    threads = [threading.Thread(target=lambda: names.append(_widget_name(directory))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG_BOUND)
    assert names == ["Widget therapy"] * 6
    assert writes == [1]


def test_a_killed_builders_temporary_file_is_removed(tmp_path: Path):
    where = tmp_path / "cache"
    where.mkdir(mode=0o700)
    stale = where / ".tmp-evidence-0123456789abcdef"
    with stale.open("wb") as handle:
        handle.truncate(30 * 2**20)  # what a run killed mid-write leaves
    old_note = where / ".tmp-stat-0123456789abcdef"
    old_note.write_text("x")
    os.utime(old_note, (time.time() - 3600,) * 2)
    invoke("list", cache_dir=where)
    assert sorted(p.name for p in where.iterdir() if p.name.startswith(".tmp-")) == []


def test_a_search_of_a_thousand_words_keeps_the_cache(tmp_path: Path):
    where = tmp_path / "cache"
    invoke("list", cache_dir=where)
    before = only_cache(where).stat().st_ino
    words = ["nerve"] * 999 + ["block"]
    result = invoke("search", *words, "--format", "tsv", cache_dir=where)
    assert result.exit_code == 0, result.output
    assert "sympathetic-nerve-block" in result.stdout
    assert only_cache(where).stat().st_ino == before


# --- 5. an overlay cannot take over a shipped group ---------------------------------------

TAKEOVER = """\
- id: my-ketamine
  name: Ketamine
  category: medication
  summary: An overlay's entry.
- id: my-pill
  name: My pill
  aliases: [NSAIDs, lidocaine, neuromodulation]
  category: medication
  summary: Another.
"""


def test_an_overlay_taking_a_group_name_is_a_problem_naming_both_places(tmp_path: Path):
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "treatments.yaml").write_text(TAKEOVER, encoding="utf-8")
    shipped = shipped_data() / "treatments.yaml"
    result = invoke("--data", str(overlay), "treat", "ketamine", cache_dir=tmp_path / "cache")
    assert result.exit_code == 3 and result.stdout == ""
    assert f"{overlay / 'treatments.yaml'}:2: D016 my-ketamine: 'Ketamine'" in result.stderr
    assert str(shipped) in result.stderr and result.stderr.count("D016") == 4
    check = invoke("check", str(overlay), cache_dir=tmp_path / "cache")
    assert check.exit_code == 1 and check.stdout.count("D016") == 4
    assert f"({overlay} on top of " in check.stdout


# --- 6. data that passes check never breaks a command --------------------------------------

BAD_VALUES = [
    ("studies", "sample_size: 10", "sample_size: 0x" + "f" * 4000, "D008", "sample_size"),
    ("studies", "year: 2020", "year: 1:00:00:00:00:00:00:00:00", "D008", "year"),
    ("studies", "sample_size: 10", "sample_size: -5", "D008", "greater than or equal to 0"),
    ("studies", "year: 2020", "year: 99999", "D008", "less than or equal to 2100"),
    ("studies", "design: rct", 'volume_pages: "12(3):12-²"\n  design: rct', "D008", "volume_pages"),
    ("studies", "design: rct", 'volume_pages: "5(2):110-100"\n  design: rct', "D008", "ends before it starts"),
    ("studies", "id: smith-2020", "id: 0x" + "f" * 4000, "D008", "id"),
    ("claims", "min: 2", "min: .nan", "D008", "finite"),
    ("claims", "min: 2", "min: .inf", "D008", "finite"),
    ("claims", "min: 2", "min: 20, max: 10", "D008", "max 10 is less than min 20"),
    ("claims", "stance: supports", "stance: 0x" + "f" * 4000, "D007", "stance"),
    ("treatments", "name: Widget therapy", "name: Widgеt therapy", "D008", "mixes Cyrillic and Latin"),
    ("treatments", "name: Widget therapy", 'name: "\\u202e\\u202e"', "D008", "visible"),
    ("treatments", "name: Widget therapy", 'name: "\\u200b\\u2060"', "D008", "visible"),
    ("treatments", "name: Widget therapy", 'name: "Widget \\u202etherapy"', "D008", "text-direction"),
    ("studies", "design: rct", 'doi: "10.1234/x}}@misc{injected,title={x}"\n  design: rct', "D008", "doi"),
    ("sources", "file: 900_notes.txt", "file: ../../../etc/passwd", "D008", "plain file name"),
]


def _good_with(tmp_path: Path, stem: str, old: str, new: str) -> Path:
    directory = data_dir(tmp_path)
    path = directory / f"{stem}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, (stem, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return directory


@pytest.mark.parametrize(("stem", "old", "new", "code", "needle"), BAD_VALUES, ids=[v[2][:30] for v in BAD_VALUES])
def test_what_check_refuses_no_command_shows(tmp_path, stem, old, new, code, needle):
    directory = _good_with(tmp_path, stem, old, new)
    where = tmp_path / "cache"
    check = in_thread(lambda: invoke("check", "--alone", str(directory), cache_dir=where))
    assert check.exit_code == 1, check.output  # type: ignore[attr-defined]
    assert f"{directory / (stem + '.yaml')}:" in check.output and f" {code} " in check.output  # type: ignore[attr-defined]
    assert needle in check.output  # type: ignore[attr-defined]
    for command in (["treat", "widget"], ["sources", "--json"], ["cite", "smith", "--format", "bibtex"]):
        result = invoke("--no-builtin", "--data", str(directory), *command, cache_dir=where)
        assert result.exit_code == 3, (command, result.output)


def test_a_valid_overlay_checks_clean_on_top_of_the_data_it_extends(tmp_path: Path):
    """An overlay citing a shipped source and treatment: alone its references are unknown (D011)."""
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "claims.yaml").write_text(
        "- id: my-claim\n  treatment: ldn\n  source: chopra-slides\n  locator: slide 3\n"
        "  quote: Low dose naltrexone\n  text: The deck names it.\n  stance: neutral\n  aspect: protocol\n"
        "  outcome: administration\n",
        encoding="utf-8",
    )
    on_top = invoke("check", str(overlay), cache_dir=tmp_path / "cache")
    assert on_top.exit_code == 0, on_top.output
    shipped = load([shipped_data()]).base.counts()
    assert on_top.output.startswith(
        f"no problems: 5 sources, {shipped['treatments']} treatments, {shipped['claims'] + 1} claims"
    )
    assert f"({overlay} on top of {shipped_data()}; --alone checks it by itself)" in on_top.output
    alone = invoke("check", "--alone", str(overlay), cache_dir=tmp_path / "cache")
    assert alone.exit_code == 1 and "D011" in alone.output


# --- 7. every format escapes for itself -----------------------------------------------------


def test_bibtex_of_hostile_but_valid_text_is_one_entry_per_study(tmp_path: Path):
    import json

    import bibtexparser

    hostile = json.dumps("x}} @misc{injected, title={owned}} \\\\ { % $ #")
    fields = f"title: {hostile}\n  journal: {hostile}\n  doi: 10.1234/a(b)c;d\n  finding: A made-up trial."
    directory = _good_with(tmp_path, "studies", "finding: A made-up trial.", fields)
    result = invoke("--no-builtin", "--data", str(directory), "export", "--format", "bibtex", cache_dir=tmp_path)
    assert result.exit_code == 0, result.output
    library = bibtexparser.parse_string(result.stdout)
    assert len(library.entries) == 1 and not library.failed_blocks
    assert library.entries[0].key.startswith("smith2020")
    assert library.entries[0]["doi"] == "10.1234/a(b)c;d"


def test_markdown_escapes_html_and_tsv_keeps_its_rows(tmp_path: Path):
    summary = "<script>alert(1)</script> one\u2028two\u2029three"
    directory = _good_with(tmp_path, "treatments", "summary: A made-up device.", f"summary: {summary!r}")
    args = ("--no-builtin", "--data", str(directory), "search", "alert")
    markdown = invoke(*args, "--format", "markdown", cache_dir=tmp_path).stdout
    assert "<script>" not in markdown and "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown
    for fmt in ("tsv", "csv"):
        out = invoke(*args, "--format", fmt, cache_dir=tmp_path).stdout
        assert len(out.splitlines()) == out.count("\n") == 2, out  # the header and one row
        assert "one\\u2028two\\u2029three" in out


def test_a_csv_cell_is_written_as_the_data_has_it_and_the_policy_is_documented(tmp_path: Path):
    directory = _good_with(tmp_path, "treatments", "summary: A made-up device.", "summary: '=HYPERLINK(1)'")
    out = invoke("--no-builtin", "--data", str(directory), "search", "hyperlink", "--format", "csv", cache_dir=tmp_path)
    assert ",=HYPERLINK(1)," in out.stdout
    readme = (SRC.parent.parent / "README.md").read_text(encoding="utf-8")
    assert "**CSV formulas:**" in readme


def test_completion_output_is_plain(tmp_path, monkeypatch):
    monkeypatch.setenv("CRPS_CACHE_DIR", str(tmp_path / "cache"))
    names = complete_name("")
    assert names and all(re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", n) is None for n in names)


# --- 8. streams and environment ------------------------------------------------------------


def test_a_full_disk_on_stdout_is_one_line_and_exit_5(tmp_path: Path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    env = {**os.environ, **ENV, "CRPS_CACHE_DIR": str(tmp_path)}
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [crps_executable(), "export", "--json"], stdout=full, stderr=subprocess.PIPE, env=env, timeout=HANG_BOUND
        )
    assert done.returncode == 5
    assert done.stderr.decode() == "crps: cannot write output: No space left on device\n"


def test_any_stdout_encoding_gets_replacement_characters(tmp_path: Path):
    for encoding in ("cp1252",):
        result = run("matrix", cache=tmp_path, env={"PYTHONIOENCODING": encoding})
        assert result.returncode == 0 and "Traceback" not in result.stderr, (encoding, result.stderr)
        assert "treatment" in result.stdout


def test_columns_are_clamped_everywhere(tmp_path: Path):
    environ = {"COLUMNS": "3" * 5000, "LINES": "junk"}
    clamp_sizes(environ)
    assert environ == {"COLUMNS": "1000"}
    import pty

    master, slave = pty.openpty()
    env = {**os.environ, **ENV, "CRPS_CACHE_DIR": str(tmp_path), "COLUMNS": "2000000000", "CRPS_PAGER": ""}
    env.pop("NO_COLOR")
    memory = PeakMemory()
    process = subprocess.Popen(
        memory.command([crps_executable(), "matrix"]),
        pass_fds=memory.pass_fds,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=env,
    )
    memory.started()
    os.close(slave)
    chunks = []
    try:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait()
    finally:
        os.close(master)
    assert process.returncode == 0
    peak = memory.megabytes()
    assert peak is not None and peak < MEMORY_BOUND_MB
    assert max(len(line) for line in re.sub(rb"\x1b\[[0-9;]*m", b"", b"".join(chunks)).splitlines()) <= 1000 * 4


def test_ctrl_c_at_any_moment_is_quiet(tmp_path: Path):
    """From the first line of crps's code on, Ctrl-C is exit 130 and silence. (Before it, in the
    first tens of milliseconds, Python is still starting and finding the package: a traceback of
    its own start-up never passes through a file of crps's.)"""
    env = {**os.environ, **ENV, "CRPS_CACHE_DIR": str(tmp_path)}
    subprocess.run([crps_executable(), "list"], capture_output=True, env=env, timeout=HANG_BOUND)  # bytecode written
    for delay in (0.0, 0.02, 0.06, 0.15, 0.4):
        process = subprocess.Popen(
            [crps_executable(), "list"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=HANG_BOUND)
        assert b"/crpscli/" not in err, (delay, err[-2000:])  # no frame in crps's own files
        if delay >= 0.3:  # crps is running by now, even on a loaded machine (importing typer, reading the cache)
            # 130, or killed by the signal itself (the shell shows 130 too) before or after Python ran
            assert process.returncode in (130, -signal.SIGINT, 0), (delay, process.returncode)
            assert err == b"", (delay, err[-2000:])


def test_check_sources_applies_the_data_file_limits(tmp_path: Path):
    directory = data_dir(tmp_path)
    documents = tmp_path / "documents"
    documents.mkdir()
    with (documents / "900_notes.txt").open("wb") as handle:
        handle.truncate(2**30)  # 1 GB, sparse
    result = run("check", "--alone", str(directory), "--sources", str(documents), cache=tmp_path / "cache")
    assert result.returncode == 1 and "D013" in result.stdout and "larger than the limit" in result.stdout
    assert result.peak_mb is None or result.peak_mb < MEMORY_BOUND_MB


def test_brief_output_refuses_a_fifo_and_a_symlink_and_writes_whole(tmp_path: Path):
    fifo, victim, link, good = tmp_path / "fifo", tmp_path / "victim", tmp_path / "link", tmp_path / "brief.md"
    os.mkfifo(fifo)
    victim.write_text("precious")
    link.symlink_to(victim)
    where = tmp_path / "cache"
    for target in (fifo, link):
        result = in_thread(lambda t=target: invoke("brief", "ketamine-oral", "-o", str(t), cache_dir=where))
        assert result.exit_code == 2 and "is not a regular file" in result.stderr  # type: ignore[attr-defined]
    assert victim.read_text() == "precious"
    good.write_text("old")
    assert invoke("brief", "ketamine-oral", "-o", str(good), cache_dir=tmp_path / "cache").exit_code == 0
    assert good.read_text(encoding="utf-8").startswith("# Oral ketamine")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_fifo_is_never_opened_blocking_and_is_checked_on_its_descriptor(tmp_path: Path):
    fifo = tmp_path / "claims.yaml"
    os.mkfifo(fifo)

    def read() -> str:
        try:
            read_bounded(fifo)
        except Unreadable as exc:
            return str(exc)
        return "read"

    assert in_thread(read) == "not a regular file"


def test_the_stat_shortcut_needs_size_times_inode_and_device():
    info = os.stat(shutil.which("sh") or "/bin/sh")
    assert cache._signature(info) == (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)

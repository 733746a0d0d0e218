"""Nothing lost silently: duplicates are reported, overlay overrides warned about, data never written."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .harness import assert_clean_failure, data_dir, run

WIDGET_V2 = "- {id: widget, name: Widget therapy v2, category: device, summary: Changed by the overlay.}\n"


def test_duplicate_keys_are_reported_with_both_lines(tmp_path: Path):
    directory = data_dir(tmp_path, treatments="- id: widget\n  name: A\n  category: device\n  name: B\n  summary: s\n")
    result = run("--no-builtin", "--data", str(directory), "treat", "widget", cache=tmp_path / "cache")
    assert_clean_failure(result, 3, f"{directory / 'treatments.yaml'}:4: D003 duplicate key 'name' (first at line 2)")


def test_duplicate_ids_in_one_file_are_reported(tmp_path: Path):
    twice = "- {id: widget, name: Widget, category: device, summary: s}\n" * 2
    directory = data_dir(tmp_path, treatments=twice)
    result = run("--no-builtin", "--data", str(directory), "list", cache=tmp_path / "cache")
    assert_clean_failure(result, 3, f"{directory / 'treatments.yaml'}:2: D009 widget: duplicate id (first at line 1)")


def test_a_treatment_in_two_data_directories_warns_and_says_which_wins(tmp_path: Path):
    base = data_dir(tmp_path, "base")
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "treatments.yaml").write_text(WIDGET_V2, encoding="utf-8")
    warning = (
        f"crps: warning: {overlay / 'treatments.yaml'}:1: treatment widget overrides the entry from "
        f"{base / 'treatments.yaml'}:1 (the later directory wins)"
    )
    args = ("--no-builtin", "--data", str(base), "--data", str(overlay))
    for attempt in ("first run, from the YAML", "second run, from the cache"):
        result = run(*args, "treat", "widget", cache=tmp_path / "cache")
        assert result.returncode == 0, (attempt, result.stderr)
        assert result.stderr.splitlines() == [warning], attempt
        assert "Widget therapy v2" in result.stdout and "Changed by the overlay." in result.stdout
    check = run(*args, "check", cache=tmp_path / "cache")
    assert check.returncode == 0 and check.stderr.splitlines() == [warning]


def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Every path under root with its modification time and content hash."""
    found = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        found[str(path.relative_to(root))] = (info.st_mtime_ns, digest)
    return found


def test_data_directories_are_never_written(tmp_path: Path):
    base = data_dir(tmp_path, "base")
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "treatments.yaml").write_text(WIDGET_V2, encoding="utf-8")
    broken = data_dir(tmp_path, "broken", claims="- [unclosed\n")
    before = {d: snapshot(d) for d in (base, overlay, broken)}
    mtimes = {d: os.stat(d).st_mtime_ns for d in (base, overlay, broken)}
    pair = ("--no-builtin", "--data", str(base), "--data", str(overlay))
    for args in (
        (*pair, "treat", "widget"),
        (*pair, "treat", "widget"),  # answered from the cache
        (*pair, "export", "--json"),
        (*pair, "search", "widget"),
        (*pair, "check"),
        ("check", str(base)),
        ("--no-builtin", "--data", str(broken), "list"),
        ("check", str(broken)),
    ):
        run(*args, cache=tmp_path / "cache", cwd=base)
    assert {d: snapshot(d) for d in (base, overlay, broken)} == before
    assert {d: os.stat(d).st_mtime_ns for d in (base, overlay, broken)} == mtimes
    assert list((tmp_path / "cache").glob("evidence-*.sqlite"))  # the cache went where it belongs

"""No hang, no blow-up: each hostile file or directory ends quickly with one clear error, memory bounded.

Every run is killed at HANG_BOUND (a hang fails the test); peak memory is the child's own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from crpscli.evidence import loading, yamlfile
from crpscli.evidence.loading import load
from crpscli.evidence.problems import MAX_FILE_BYTES, MAX_LINE_CHARS, Code
from crpscli.evidence.yamlfile import read_yaml

from .harness import MEMORY_BOUND_MB, assert_clean_failure, data_dir, in_thread, run

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, /dev/zero and symlinks as on POSIX")


def refused(result, path: Path, line: int, code: str) -> None:
    """Exit 3, the problem as path:line: CODE, the summary, and nothing else."""
    assert_clean_failure(result, 3, f"{path}:{line}: {code}", " in the data; run 'crps check'")
    assert len(result.stderr.splitlines()) == 2, result.stderr
    if result.peak_mb is not None:
        assert result.peak_mb < MEMORY_BOUND_MB, f"peak memory {result.peak_mb:.0f} MB"


def billion_laughs() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def test_alias_bomb(tmp_path: Path):
    directory = data_dir(tmp_path, treatments=billion_laughs())
    result = run("--no-builtin", "--data", str(directory), "list", cache=tmp_path / "cache")
    refused(result, directory / "treatments.yaml", 6, "D001")
    assert "aliases expand to more than 100000 values" in result.stderr


@pytest.mark.parametrize(
    "document",
    [
        pytest.param("".join("  " * depth + "-\n" for depth in range(5000)) + "  " * 5000 + "x\n", id="block"),
        pytest.param("[\n" * 50_000 + "]\n" * 50_000, id="flow"),
        pytest.param("a:\n" + "".join(" " * depth + f"k{depth}:\n" for depth in range(1, 3000)), id="mapping"),
    ],
)
def test_deep_nesting(tmp_path: Path, document: str):
    directory = data_dir(tmp_path, claims=document)
    result = run("--no-builtin", "--data", str(directory), "list", cache=tmp_path / "cache")
    assert "nested more than 64 levels deep" in result.stderr
    line = int(result.stderr.split(":")[1])
    refused(result, directory / "claims.yaml", line, "D001")


def test_hundred_megabyte_file_is_refused_before_reading(tmp_path: Path):
    directory = data_dir(tmp_path)
    with open(directory / "studies.yaml", "wb") as big:  # sparse: no 100 MB written to the disk
        big.truncate(100 * 2**20)
    result = run("--no-builtin", "--data", str(directory), "list", cache=tmp_path / "cache")
    refused(result, directory / "studies.yaml", 1, "D013")
    assert f"larger than the limit of {MAX_FILE_BYTES // 2**20} MB" in result.stderr


def test_file_of_one_ten_megabyte_line(tmp_path: Path):
    directory = data_dir(tmp_path, claims="- " + "x" * 10 * 2**20 + "\n")
    result = run("--no-builtin", "--data", str(directory), "list", cache=tmp_path / "cache")
    refused(result, directory / "claims.yaml", 1, "D013")
    assert f"line 1 is longer than {MAX_LINE_CHARS} characters" in result.stderr


def test_long_line_is_found_where_it_is(tmp_path: Path):
    (tmp_path / "x.yaml").write_text("- a\n" * 30_000 + "- " + "y" * 200_000 + "\n", encoding="utf-8")
    data, problems = in_thread(lambda: read_yaml(tmp_path / "x.yaml"))
    assert data is None
    assert [(p.line, p.code) for p in problems] == [(30_001, Code.UNREADABLE)]


@posix_only
def test_dev_zero_as_a_data_file(tmp_path: Path):
    directory = data_dir(tmp_path)
    (directory / "claims.yaml").unlink()
    (directory / "claims.yaml").symlink_to("/dev/zero")
    result = run("--no-builtin", "--data", str(directory), "list", cache=tmp_path / "cache")
    refused(result, directory / "claims.yaml", 1, "D013")
    assert "not a regular file" in result.stderr


@posix_only
def test_fifo_as_a_data_file_is_never_opened(tmp_path: Path):
    """Opening a FIFO with no writer blocks for ever: finishing at all shows it was not opened."""
    directory = data_dir(tmp_path)
    (directory / "sources.yaml").unlink()
    os.mkfifo(directory / "sources.yaml")
    result = run("--no-builtin", "--data", str(directory), "list", cache=tmp_path / "cache")
    refused(result, directory / "sources.yaml", 1, "D013")
    assert "not a regular file" in result.stderr
    check = run("check", str(directory), cache=tmp_path / "cache")
    assert check.returncode == 1 and f"{directory / 'sources.yaml'}:1: D013" in check.stdout


def test_directory_where_a_file_should_be(tmp_path: Path):
    directory = data_dir(tmp_path)
    (directory / "treatments.yaml").unlink()
    (directory / "treatments.yaml").mkdir()
    result = run("--no-builtin", "--data", str(directory), "list", cache=tmp_path / "cache")
    refused(result, directory / "treatments.yaml", 1, "D013")
    assert "not a regular file" in result.stderr


@posix_only
@pytest.mark.parametrize("target", ["claims.yaml", "elsewhere.yaml"], ids=["loop", "dangling"])
def test_symlink_loop_or_dangling_link_as_a_data_file(tmp_path: Path, target: str):
    """Both used to be skipped as if absent: the answer silently lacked the file's data."""
    directory = data_dir(tmp_path)
    (directory / "claims.yaml").unlink()
    (directory / "claims.yaml").symlink_to(target)
    result = run("--no-builtin", "--data", str(directory), "list", cache=tmp_path / "cache")
    refused(result, directory / "claims.yaml", 1, "D013")


@posix_only
def test_symlink_loop_as_the_data_directory(tmp_path: Path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    result = run("--no-builtin", "--data", str(loop), "treat", "widget", cache=tmp_path / "cache")
    refused(result, loop, 1, "D014")
    assert "not a usable data directory" in result.stderr


def test_data_naming_a_file_or_nothing(tmp_path: Path):
    file = data_dir(tmp_path) / "claims.yaml"
    result = run("--no-builtin", "--data", str(file), "list", cache=tmp_path / "cache")
    refused(result, file, 1, "D014")
    assert "not a directory" in result.stderr
    missing = tmp_path / "no-such-dir"
    result = run("list", cache=tmp_path / "cache", env={"CRPS_DATA": str(missing)})
    refused(result, missing, 1, "D014")


def test_too_many_values_in_one_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The value limit, lowered so the test is quick: a file of many small values stops at it."""
    monkeypatch.setattr(yamlfile, "MAX_NODES", 1000)
    (tmp_path / "claims.yaml").write_text("- 1\n" * 5000, encoding="utf-8")
    data, problems = in_thread(lambda: read_yaml(tmp_path / "claims.yaml"))
    assert data is None
    assert [(p.line, p.code, p.message) for p in problems] == [
        (1001, Code.INVALID_YAML, "more than 1000 values in one file")
    ]


def test_problems_are_capped_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A garbled file is not checked to the end: it says how far it got, in bounded time."""
    monkeypatch.setattr(loading, "MAX_PROBLEMS", 5)
    directory = data_dir(tmp_path, treatments="- just a string\n" * 50)
    result = in_thread(lambda: load([directory]))
    messages = [p.message for p in result.problems if p.path.name == "treatments.yaml"]
    assert messages == ["an entry must be a mapping"] * 5 + ["5 problems already; the rest of the file is not checked"]
    # the claims that refer to treatments in that file are not reported as unknown references
    assert [p.code for p in result.problems if p.code is Code.UNKNOWN_REFERENCE] == []


def test_peak_memory_is_the_commands_own_not_the_test_workers(tmp_path: Path):
    """CI once failed two bounds because a child reported its parent's size (Linux carries the
    high-water mark across fork and exec). A worker grown past the bound must not move the figure."""
    ballast = bytearray(MEMORY_BOUND_MB * 2**20)
    for offset in range(0, len(ballast), 4096):  # touched, so that it is resident
        ballast[offset] = 1
    result = run("--version", cache=tmp_path / "cache")
    assert result.returncode == 0 and result.stdout.startswith("crps ")
    assert result.peak_mb is not None and result.peak_mb < MEMORY_BOUND_MB / 3, result.peak_mb
    del ballast

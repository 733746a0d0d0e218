"""Interrupts and pipes: Ctrl-C exits 130 quietly, a closed stdout exits quietly, a full disk under
the cache still gets the answer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import ENV, crps_executable
from .harness import HANG_BOUND, ignore_sigxfsz_and_limit_file_size, run

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals, pipes and resource limits")


def big_data(directory: Path, treatments: int = 5000, claims_each: int = 10) -> Path:
    """A valid data set large enough that loading it takes seconds (written as text: fast)."""
    directory.mkdir()
    (directory / "sources.yaml").write_text(
        "- {id: notes, number: '900', file: n.txt, title: Notes, kind: clinician_article,"
        " conditions: [crps], evidence_value: Made up.}\n",
        encoding="utf-8",
    )
    (directory / "treatments.yaml").write_text(
        "".join(
            f"- id: t{i}\n  name: Treatment {i}\n  aliases: [alias {i}]\n  category: device\n  summary: Made up {i}.\n"
            for i in range(treatments)
        ),
        encoding="utf-8",
    )
    (directory / "claims.yaml").write_text(
        "".join(
            f"- id: c{i}-{j}\n  treatment: t{i}\n  source: notes\n  locator: page {j}\n  quote: words {j}\n"
            f"  text: The notes say something about treatment {i}, number {j}.\n  stance: neutral\n"
            f"  aspect: efficacy\n  outcome: overall\n"
            for i in range(treatments)
            for j in range(claims_each)
        ),
        encoding="utf-8",
    )
    return directory


@posix_only
@pytest.mark.parametrize("delay", [0.3, 0.9])
def test_ctrl_c_exits_130_quietly(tmp_path: Path, delay: float):
    data = big_data(tmp_path / "big")
    env = {**os.environ, **ENV, "CRPS_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [crps_executable(), "--no-builtin", "--data", str(data), "treat", "t1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    time.sleep(delay)
    assert process.poll() is None, "crps finished before Ctrl-C: make the generated data larger"
    process.send_signal(signal.SIGINT)
    try:
        out, err = process.communicate(timeout=HANG_BOUND)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("crps did not stop after Ctrl-C")
    assert process.returncode == 130
    assert out == b""
    assert err == b""  # no traceback, no "Aborted!"
    assert not list((tmp_path / "cache").glob(".tmp-*"))  # no half-written cache left behind


def shell(command: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **ENV, "CRPS_CACHE_DIR": str(tmp_path / "cache"), "CRPS": crps_executable()}
    return subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=env, timeout=HANG_BOUND)


@posix_only
def test_closed_stdout_exits_quietly(tmp_path: Path):
    """With fd 1 closed Python has no sys.stdout at all; this used to be an internal error (exit 4)."""
    result = shell('"$CRPS" treat ketamine-infusion >&-; echo "exit $?" >&2', tmp_path)
    assert (result.stdout, result.stderr) == ("", "exit 0\n")


@posix_only
def test_closed_stdout_and_stderr_exit_quietly(tmp_path: Path):
    result = shell('"$CRPS" treat ketamine >&- 2>&-; echo "exit $?"', tmp_path)
    assert (result.stdout, result.stderr) == ("exit 0\n", "")


@posix_only
@pytest.mark.parametrize("fmt", ["table", "json", "yaml", "csv", "markdown"])
@pytest.mark.parametrize("command", [["export"], ["treat", "ketamine-infusion"], ["list"]])
def test_reader_gone_before_the_first_write(tmp_path: Path, command: list[str], fmt: str):
    """Every write meets a closed pipe (EPIPE): typer, rich and the interpreter each met it
    differently (exit 0, exit 1); it is now always exit 0, nothing on stderr."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {**os.environ, **ENV, "CRPS_CACHE_DIR": str(tmp_path / "cache")}
    try:
        result = subprocess.run(
            [crps_executable(), *command, "--format", fmt],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=HANG_BOUND,
        )
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (0, "")


@posix_only
def test_pipe_into_head(tmp_path: Path):
    result = shell('"$CRPS" export --json | head -1; "$CRPS" export --format yaml | head -c 10 >/dev/null', tmp_path)
    assert (result.stdout, result.stderr) == ("{\n", "")


@posix_only
def test_full_disk_when_writing_the_cache(tmp_path: Path):
    """Files may not grow past 16 KB in the child (as on a full disk): no cache, same answer."""
    cache = tmp_path / "cache"
    full = run("treat", "ketamine-infusion", cache=cache, preexec_fn=ignore_sigxfsz_and_limit_file_size(16 * 1024))
    assert full.returncode == 0, full.stderr
    assert "Intravenous ketamine infusion" in full.stdout and full.stderr == ""
    assert not list(cache.glob("evidence-*.sqlite")) and not list(cache.glob(".tmp-*"))
    roomy = run("treat", "ketamine-infusion", cache=cache)
    assert roomy.stdout == full.stdout
    assert list(cache.glob("evidence-*.sqlite"))  # with room the cache is written: the limit is what stopped it

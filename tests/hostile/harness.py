"""Running `crps` against hostile input: every run has a hang bound, and its peak memory is measured.

A case that hangs fails its test (the child is killed at the bound) instead of hanging CI.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import DATA, ENV, crps_executable

GOOD = DATA / "good"
HANG_BOUND = 10.0  # seconds: generous against the two seconds a refusal should take
MEMORY_BOUND_MB = 300
# Exit codes the README documents.
DOCUMENTED = {0, 1, 2, 3, 4, 5, 130}


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float | None  # the child's peak resident memory (None where the platform cannot say)


# Runs the command in a child of its own and writes that child's peak resident memory (MB) to
# the descriptor named first. Why a launcher: Linux carries a process's high-water mark across fork
# and exec, so a command started straight from a pytest worker that has grown to 300 MB would
# report 300 MB whatever it used. Forked from this launcher's few MB, the figure is the command's.
_LAUNCHER = """
import os, signal, sys
report, command = int(sys.argv[1]), sys.argv[2:]
child = os.fork()
if child == 0:
    os.close(report)
    try:
        os.execv(command[0], command)
    finally:
        os._exit(127)
_, status, usage = os.wait4(child, 0)
os.write(report, str(usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)).encode())
code = os.waitstatus_to_exitcode(status)
if code < 0:
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
sys.exit(code)
"""


class PeakMemory:
    """Start a command through the launcher above, then read its own peak memory."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()

    def command(self, argv: list[str | bytes]) -> list[str | bytes]:
        return [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(self._write), *argv]

    @property
    def pass_fds(self) -> tuple[int]:
        return (self._write,)

    def started(self) -> None:
        os.close(self._write)

    def megabytes(self) -> float | None:
        """The figure, once the launcher has exited (None where it could not measure)."""
        with os.fdopen(self._read, "rb") as report:
            text = report.read()
        return float(text) if text else None


def _wait(process: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait for the launcher; at the bound kill its whole session (launcher and command)."""
    expired = threading.Event()

    def kill() -> None:
        expired.set()
        os.killpg(process.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        process.wait()
    finally:
        timer.cancel()
    return expired.is_set()


def run(
    *args: str | bytes,
    cache: Path,
    env: dict[str, str] | None = None,
    timeout: float = HANG_BOUND,
    preexec_fn: Callable[[], None] | None = None,
    cwd: Path | None = None,
) -> Run:
    """The installed console script, as a shell runs it, with a private cache and a hang bound."""
    full_env = {**os.environ, **ENV, "CRPS_CACHE_DIR": str(cache), **(env or {})}
    full_env.pop("CRPS_DEBUG", None)
    start = time.monotonic()
    memory = PeakMemory()
    process = subprocess.Popen(
        memory.command([crps_executable(), *args]),
        pass_fds=memory.pass_fds,
        start_new_session=True,  # so that a hang is killed with everything it started
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=full_env,
        preexec_fn=preexec_fn,  # only to set resource limits in the child
        cwd=cwd,
    )
    memory.started()
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: out.append(process.stdout.read()), daemon=True),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err.append(process.stderr.read()), daemon=True),  # type: ignore[union-attr]
    ]
    for reader in readers:
        reader.start()
    expired = _wait(process, timeout)
    seconds = time.monotonic() - start
    for reader in readers:
        reader.join(timeout)
    if expired:
        pytest.fail(f"crps {' '.join(map(str, args))[:200]} did not finish within {timeout} s (a hang)")
    return Run(
        process.returncode,
        b"".join(out).decode("utf-8", "replace"),
        b"".join(err).decode("utf-8", "replace"),
        seconds,
        memory.megabytes(),
    )


def data_dir(root: Path, name: str = "data", **files: str | bytes) -> Path:
    """A copy of the small valid data set, with some files replaced (sources="..." and so on)."""
    directory = root / name
    shutil.copytree(GOOD, directory)
    if "treatments" in files and "topics" not in files:  # the topic's members are the set's own treatments
        (directory / "topics.yaml").unlink()
    for stem, content in files.items():
        path = directory / f"{stem}.yaml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return directory


def in_thread(function: Callable[[], object], timeout: float = HANG_BOUND) -> object:
    """Call function in a daemon thread; a hang fails the test (the thread is left behind)."""
    result: list[object] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            result.append(function())
        except BaseException as exc:  # reported below, in the test's thread
            failure.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail(f"{getattr(function, '__name__', function)} did not finish within {timeout} s (a hang)")
    if failure:
        raise failure[0]
    return result[0]


def assert_clean_failure(result: Run, code: int, *needles: str) -> None:
    """The documented exit code, nothing on stdout, no traceback, and every needle on stderr."""
    assert result.returncode == code, (result.returncode, result.stderr[:2000])
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr[:2000])


def ignore_sigxfsz_and_limit_file_size(limit: int) -> Callable[[], None]:
    """For preexec_fn: files the child writes may not grow past `limit` bytes (a full disk)."""

    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply

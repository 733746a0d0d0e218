"""Shared fixtures: the CLI driven in-process (CliRunner) and as the installed `crps` command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crpscli.cli import app

HERE = Path(__file__).parent
DATA = HERE / "data"
SHARED_SOURCES = HERE.parent.parent / "shared" / "sources"
# A stable, colourless environment: pinned width (wide, so content tests are not cut by
# wrapping; golden tests pin their own), no TTY, no user settings.
ENV = {"COLUMNS": "250", "NO_COLOR": "1", "CRPS_FORMAT": "", "CRPS_DATA": "", "TERM": "dumb"}
# The matrix's CSV header on the shipped data: a column per source with a claim about CRPS.
MATRIX_HEADER = [
    "id",
    "name",
    "category",
    "medscape-ivig",
    "blog-flames",
    "chopra-slides",
    "chopra-ketamine",
    "conflicted",
    "level",
]


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory):
    """The suite never touches the user's cache; tests share one so that cached answers are exercised.

    After the run the directory holds the cache and nothing else: cache files, stat notes and the
    lock, no temporary file left by a build or a note."""
    where = tmp_path_factory.mktemp("cache")
    os.environ["CRPS_CACHE_DIR"] = str(where)
    yield
    os.environ.pop("CRPS_CACHE_DIR", None)
    cache = re.compile(r"(evidence|search)-[0-9a-f]{32}\.sqlite|stat-[0-9a-f]{32}|lock")
    left = sorted(p.name for p in where.iterdir() if not cache.fullmatch(p.name))
    assert left == [], f"the test run left files in the cache directory: {left}"


@pytest.fixture
def cli():
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None):
        return runner.invoke(app, list(args), env={**ENV, **(env or {})}, catch_exceptions=False)

    return invoke


def crps_executable() -> str:
    beside = Path(sys.executable).with_name("crps")
    found = str(beside) if beside.exists() else shutil.which("crps")
    if not found:
        pytest.fail("the crps command is not installed; run pip install '.[test]' first")
    return found


@pytest.fixture
def crps():
    """Run the installed console script, as a user's shell would."""
    exe = crps_executable()

    def run(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, **ENV, **(env or {})}
        return subprocess.run([exe, *args], capture_output=True, text=True, env=full_env, timeout=60, **kwargs)

    return run

"""No traceback, ever, and no code from data: one line naming what and where, the documented exit code.

An unexpected error inside crps is one line asking for a bug report (exit 4); the traceback
shows only with --debug.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crpscli.evidence.problems import Code
from crpscli.evidence.yamlfile import read_yaml

from ..conftest import ENV
from .harness import HANG_BOUND, assert_clean_failure, data_dir, run

UNSAFE = {
    "object-apply": "- !!python/object/apply:os.system ['touch {marker}']\n",
    "name": "- id: x\n  name: !!python/name:os.system\n",
    "object-new-mapping": "- id: x\n  name: X\n- !!python/object/new:os.system\n  args: ['touch {marker}']\n",
    "module": "- !!python/module:os\n",
    "local-tag": "- id: x\n  name: !shell 'touch {marker}'\n",
}
UNSAFE_LINE = {"object-apply": 1, "name": 2, "object-new-mapping": 3, "module": 1, "local-tag": 2}


@pytest.mark.parametrize("case", sorted(UNSAFE))
def test_python_tags_are_a_data_error_naming_the_line(tmp_path: Path, case: str):
    marker = tmp_path / "ran"
    directory = data_dir(tmp_path, treatments=UNSAFE[case].format(marker=marker))
    result = run("--no-builtin", "--data", str(directory), "list", cache=tmp_path / "cache")
    where = f"{directory / 'treatments.yaml'}:{UNSAFE_LINE[case]}: D002"
    assert_clean_failure(result, 3, where, "is not allowed (safe YAML only)")
    assert not marker.exists()


@pytest.mark.parametrize(
    ("document", "line", "message"),
    [
        ("- id: a\n  name: 2020-13-45\n", 2, "'2020-13-45' is not a valid timestamp"),
        ("- !!int abc\n", 1, "'abc' is not a valid int"),
        ("- !!float\n", 1, "'' is not a valid float"),
        ("- !!bool maybe\n", 1, "'maybe' is not a valid bool"),
        ("- a\n- b\0c\n", 2, "U+0000 is not allowed in YAML (control character)"),
        ("- a\n- [\n", 3, "column 1: "),  # then the parser's own words (libyaml's or PyYAML's)
    ],
    ids=["bad-date", "bad-int", "empty-float", "bad-bool", "nul-byte", "unterminated"],
)
def test_bad_scalars_and_bytes_are_one_line_data_errors(tmp_path: Path, document: str, line: int, message: str):
    """A plain date that is no date used to raise ValueError from deep inside PyYAML."""
    (tmp_path / "claims.yaml").write_text(document, encoding="utf-8")
    data, problems = read_yaml(tmp_path / "claims.yaml")
    assert data is None
    assert [(p.line, p.code) for p in problems] == [(line, Code.INVALID_YAML)]
    assert problems[0].message.startswith(message)
    assert "\n" not in str(problems[0])


def test_bad_data_from_the_command_line_is_exit_3_one_line_each(tmp_path: Path):
    directory = data_dir(tmp_path, treatments="- id: x\n  name: 2020-13-45\n")
    result = run("--no-builtin", "--data", str(directory), "treat", "x", cache=tmp_path / "cache")
    assert_clean_failure(result, 3, f"{directory / 'treatments.yaml'}:2: D001 '2020-13-45' is not a valid timestamp")
    assert result.stderr.splitlines()[-1] == "crps: 1 problem in the data; run 'crps check'"


def test_a_key_with_a_line_break_still_makes_one_line(tmp_path: Path):
    directory = data_dir(tmp_path, treatments='- id: x\n  "a\\nb": 1\n  "a\\nb": 2\n')
    result = run("--no-builtin", "--data", str(directory), "list", cache=tmp_path / "cache")
    assert_clean_failure(result, 3, f"{directory / 'treatments.yaml'}:3: D003 duplicate key 'a\\nb'")
    assert len(result.stderr.splitlines()) == 2


BROKEN = """
import sys
import crpscli.answers.listing
def broken(base):
    raise RuntimeError("the query broke")
crpscli.answers.listing.sources = broken
from crpscli.edge import main
sys.argv = ["crps", *sys.argv[1:]]
main()
"""


def run_broken(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**ENV, "CRPS_CACHE_DIR": str(cache), "PATH": ""}
    return subprocess.run(
        [sys.executable, "-c", BROKEN, *args], capture_output=True, text=True, env=env, timeout=HANG_BOUND
    )


def test_internal_error_is_one_line_asking_for_a_bug_report(tmp_path: Path):
    result = run_broken("sources", cache=tmp_path)
    assert result.returncode == 4
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "crps: internal error (RuntimeError: the query broke); please report it as a bug, "
        "with the output of the same command run with --debug"
    ]


def test_debug_shows_the_traceback(tmp_path: Path):
    result = run_broken("--debug", "sources", cache=tmp_path)
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "RuntimeError: the query broke" in result.stderr


def test_a_nonsense_columns_setting_is_ignored(tmp_path: Path):
    """Off a terminal COLUMNS sets the width; 'abc' used to be an internal error, a huge one a huge table."""
    for columns in ("abc", "-3", "99999999999"):
        result = run("list", cache=tmp_path / "cache", env={"COLUMNS": columns})
        assert result.returncode == 0 and result.stderr == "", (columns, result.stderr)
        assert max(map(len, result.stdout.splitlines())) <= 1000


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("treat", "ldn", "--format", "nope"),
            "crps: Invalid value for '--format' / '-f': 'nope' is not a format; "
            "treat takes table, json, yaml, csv, tsv, markdown (see 'crps treat --help')",
        ),
        (("tret", "ldn"), "crps: No such command 'tret'. Did you mean 'treat'? (see 'crps --help')"),
        (
            ("treat", "scs", "--no-pager"),
            "crps: --no-pager is an option of crps itself, before the command: crps --no-pager treat ...",
        ),
    ],
)
def test_a_usage_error_is_one_line_saying_where_to_read_more(tmp_path: Path, args: tuple[str, ...], line: str):
    """typer printed three lines (Usage, Try, Error), and a box of five on a terminal."""
    result = run(*args, cache=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [line]

"""Where a screen goes: colour (--color, NO_COLOR, CLICOLOR_FORCE), width off a terminal, and the pager."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from typing import NamedTuple

import pytest

from ..conftest import ENV, crps_executable

ESC = "\x1b["


def test_color_always_keeps_colour_and_boxes_in_a_pipe(cli):
    result = cli("--color", "always", "treat", "tadalafil")
    assert result.exit_code == 0
    assert ESC in result.stdout and "─" in result.stdout
    assert "\x1b[1;4mTadalafil\x1b[0m" in result.stdout  # only the name is the heading


def test_color_never_and_no_color_give_plain_text(cli):
    assert ESC not in cli("--color", "never", "treat", "tadalafil", env={"CLICOLOR_FORCE": "1"}).stdout
    assert ESC not in cli("treat", "tadalafil", env={"NO_COLOR": "1", "CLICOLOR_FORCE": "1"}).stdout


def test_clicolor_force_colours_a_pipe(cli):
    assert ESC in cli("treat", "tadalafil", env={"NO_COLOR": "", "CLICOLOR_FORCE": "1"}).stdout
    assert ESC not in cli("treat", "tadalafil", env={"NO_COLOR": "", "CLICOLOR_FORCE": "0"}).stdout


def run_detached(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """crps in a new session: no controlling terminal, as under cron or CI."""
    return subprocess.run(
        [crps_executable(), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **ENV, **env},
        start_new_session=True,
        timeout=30,
    )


def test_off_a_terminal_the_width_is_columns_else_100():
    lines = run_detached("treat", "ketamine", COLUMNS="").stdout.splitlines()
    assert max(map(len, lines)) == 100
    narrow = run_detached("treat", "ketamine", COLUMNS="60").stdout.splitlines()
    assert max(map(len, narrow)) == 60


class Screen(NamedTuple):
    paged: str  # what the pager was given ("" when none ran)
    stderr: str


def on_a_terminal(tmp_path, *args: str, **env: str) -> Screen:
    """Run crps with stdout on a pseudo-terminal and a pager that records what it is given."""
    record = tmp_path / "paged.txt"
    recorder = f"{sys.executable} -c \"import sys; open({str(record)!r}, 'w').write(sys.stdin.read())\""
    primary, secondary = pty.openpty()
    try:
        settings = {"CRPS_PAGER": recorder, "COLUMNS": "80", **env}
        child = subprocess.run(
            [crps_executable(), *args],
            stdin=subprocess.DEVNULL,
            stdout=secondary,
            stderr=subprocess.PIPE,
            env={**os.environ, **ENV, **settings},
            timeout=30,
        )
        assert child.returncode == 0, child.stderr
    finally:
        os.close(secondary)
        os.close(primary)
    return Screen(record.read_text(encoding="utf-8") if record.exists() else "", child.stderr.decode())


def test_a_terminal_gets_the_pager(tmp_path):
    paged = on_a_terminal(tmp_path, "treat", "ketamine").paged
    # the not-advice notice opens the first page too (a reader may quit the pager there), then how
    # "ketamine" was read (stderr scrolls away behind a pager)
    lines = paged.splitlines()
    assert (
        " ".join(lines[:2]) == "crps summarises what its sources say; it is not medical advice. Ask your own clinician."
    )
    assert lines[2] == 'Showing the 5 entries of group "ketamine" for "ketamine".'
    assert lines[3].startswith("Disagreements: ketamine-infusion")
    assert paged.rstrip().endswith("clinician.")


def test_a_screen_that_fits_the_terminal_shows_the_notice_once(tmp_path):
    """less -F shows a short screen whole, so a notice atop it as well as below is said twice."""
    notice = "it is not medical advice"
    short = on_a_terminal(tmp_path, "search", "kids", LINES="40").paged
    assert 5 < short.count("\n") < 40 and short.count(notice) == 1 and short.rstrip().endswith("clinician.")
    long = on_a_terminal(tmp_path, "treat", "ldn", LINES="40").paged
    assert long.count("\n") > 40 and long.count(notice) == 2 and notice in long.split("\n", 2)[0]


def test_how_a_name_was_read_is_said_once_on_a_terminal_and_on_stderr_in_a_pipe(tmp_path):
    """On a terminal the screen opens with it, so stderr (the same screen) does not repeat it; piped,
    stderr is where a script's user sees it."""
    screen = on_a_terminal(tmp_path, "treat", "ketamin")
    assert screen.paged.count('for "ketamin"') == 1 and screen.stderr == ""
    piped = run_detached("treat", "ketamin")
    assert piped.stderr == 'crps: showing the 5 entries of group "ketamine" for "ketamin"\n'
    assert piped.stdout.startswith('Showing the 5 entries of group "ketamine" for "ketamin".\n')
    as_json = run_detached("treat", "ketamin", "--json")
    assert as_json.stderr == piped.stderr and as_json.stdout.startswith("{")


def test_a_brief_on_a_terminal_is_paged_too(tmp_path):
    """A brief is 100 to 500 lines of markdown: on a terminal it goes through the pager as a table does."""
    paged = on_a_terminal(tmp_path, "brief", "ldn").paged
    assert paged.startswith("# Low-dose naltrexone") and "## Details" in paged


def test_pager_falls_back_to_pager_and_no_pager_turns_it_off(tmp_path):
    recorder = f"{sys.executable} -c \"import sys; open({str(tmp_path / 'paged.txt')!r}, 'w').write('x')\""
    assert on_a_terminal(tmp_path, "treat", "ldn", CRPS_PAGER="", PAGER="").paged == ""
    assert on_a_terminal(tmp_path, "treat", "ldn", PAGER=recorder, CRPS_PAGER=recorder).paged == "x"
    (tmp_path / "paged.txt").unlink()
    assert on_a_terminal(tmp_path, "--no-pager", "treat", "ldn").paged == ""


@pytest.mark.parametrize("pager", ["cat", "no-such-pager-anywhere"])
def test_cat_or_a_missing_pager_writes_straight_to_the_terminal(tmp_path, pager):
    assert on_a_terminal(tmp_path, "treat", "ldn", CRPS_PAGER=pager).paged == ""


def test_a_pipe_never_gets_the_pager(tmp_path):
    record = tmp_path / "paged.txt"
    result = run_detached("treat", "ldn", CRPS_PAGER=f"{sys.executable} -c \"open({str(record)!r}, 'w')\"")
    assert result.returncode == 0 and result.stdout and not record.exists()

"""The installed `crps` command, run as a separate process the way a shell or script runs it."""

from __future__ import annotations

import json
import subprocess

from crpscli.output.text import NOTICE

from ..conftest import crps_executable


def test_treat_ketamine_runs_from_any_directory(crps, tmp_path):
    result = crps("treat", "ketamine", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Intravenous ketamine infusion" in result.stdout
    assert result.stdout.rstrip().endswith(NOTICE)
    assert result.stderr == 'crps: showing the 5 entries of group "ketamine" for "ketamine"\n'


def test_off_a_tty_there_are_no_escape_codes(crps):
    result = crps("compare", "ivig", env={"NO_COLOR": ""})
    assert "\x1b[" not in result.stdout


def test_json_for_scripts(crps):
    result = crps("cite", "138", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["matches"][0]["study"]["pmid"] == "20124231"
    assert NOTICE not in result.stdout


def test_exit_codes(crps):
    assert crps("treat", "ldn").returncode == 0
    unknown = crps("treat", "no-such-thing")
    assert unknown.returncode == 1 and unknown.stdout == ""
    assert unknown.stderr.startswith("crps: none of the five sources mentions 'no-such-thing'")
    assert crps("treat", "--bogus-option").returncode == 2
    assert "Traceback" not in unknown.stderr


def test_invalid_data_exits_3(crps, tmp_path):
    (tmp_path / "treatments.yaml").write_text("- {id: x, name: X, category: spell, summary: s}\n")
    result = crps("--data", str(tmp_path), "list")
    assert result.returncode == 3
    assert f"{tmp_path}/treatments.yaml:1: D007 x: category: 'spell' is not one of" in result.stderr
    assert "Traceback" not in result.stderr


def test_closed_pipe_exits_quietly():
    shell = subprocess.run(
        f"'{crps_executable()}' export --json | head -1", shell=True, capture_output=True, text=True, timeout=60
    )
    assert shell.returncode == 0
    assert len(shell.stdout.splitlines()) == 1
    assert shell.stderr == ""


def test_python_dash_m_agrees_with_the_console_script(crps):
    import sys

    module = subprocess.run(
        [sys.executable, "-m", "crpscli", "cite", "kemler", "--json"], capture_output=True, text=True, timeout=60
    )
    assert module.returncode == 0
    assert json.loads(module.stdout) == json.loads(crps("cite", "kemler", "--json").stdout)


def test_shell_completion_offers_treatment_names_and_aliases(crps):
    env = {"_CRPS_COMPLETE": "complete_bash", "COMP_WORDS": "crps treat ld", "COMP_CWORD": "2"}
    assert crps(env=env).stdout.split() == ["ldn"]
    env["COMP_WORDS"] = "crps treat ketamine-o"
    assert crps(env=env).stdout.split() == ["ketamine-oral"]

"""The README and the help stay in step with the tool."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import typer.main

from crpscli.cli import app
from crpscli.evidence import Code

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_examples_are_fresh():
    spec = importlib.util.spec_from_file_location("readme_examples", ROOT / "scripts" / "readme_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.refreshed(README) == README, "run: python scripts/readme_examples.py"


def test_readme_starts_with_the_two_setup_commands():
    block = re.search(r"```sh\n(.*?)```", README, re.S).group(1).splitlines()
    assert len(block) == 2
    assert block[0].endswith("pip install . && crps treat ketamine")
    assert block[1].endswith("pip install '.[test]' && pytest")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install '.[test]' && pytest" in ci


def test_every_problem_code_is_documented():
    for code in Code:
        assert f"| {code.value} |" in README


def test_every_command_has_help_and_is_in_the_readme(cli):
    group = typer.main.get_group(app)
    for name, command in group.commands.items():
        assert command.help, name
        assert f"crps {name}" in README, name
        result = cli(name, "--help")
        assert result.exit_code == 0

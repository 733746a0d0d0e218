"""The README and the help stay in step with the tool."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import typer.main

from crpscli.cli import app
from crpscli.evidence.problems import Code

ROOT = Path(__file__).resolve().parents[2]
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


def _pictures_module():
    spec = importlib.util.spec_from_file_location("readme_pictures", ROOT / "scripts" / "readme_pictures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_pictures_are_fresh_and_embedded():
    pictures = _pictures_module()
    assert pictures.main(["--check"]) == 0, "run: python scripts/readme_pictures.py"
    for name, args in pictures.PICTURES.items():
        assert f"](docs/img/{name})" in README, name
        svg = (ROOT / "docs" / "img" / name).read_text(encoding="utf-8")
        assert svg.startswith("<svg ") and f"$ crps {args}" in pictures.shown_text(svg)


def test_readme_pictures_are_deterministic_and_show_the_real_output():
    pictures = _pictures_module()
    first, second = pictures.picture("cite 138"), pictures.picture("cite 138")
    assert first == second
    shown = pictures.shown_text(first)
    assert "$ crps cite 138" in shown and "20124231" in shown and "Annals of Internal Medicine" in shown
    matrix = pictures.shown_text(pictures.picture("matrix"))
    assert "lines left out" in matrix  # a long screen keeps its head and its tail (the legend)
    assert "Legend:" in matrix and "82 treatments: 9 with a conflict, 8 with a tension only" in matrix


def test_a_stale_picture_fails_the_check(tmp_path, monkeypatch):
    pictures = _pictures_module()
    for name in pictures.PICTURES:
        (tmp_path / name).write_text((ROOT / "docs" / "img" / name).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(pictures, "IMAGES", tmp_path)
    assert pictures.main(["--check"]) == 0
    stale = tmp_path / "matrix.svg"
    stale.write_text(stale.read_text(encoding="utf-8").replace("Magnesium", "Magnesiun"), encoding="utf-8")
    assert pictures.main(["--check"]) == 1
    # Under another rich version only the text shown counts, and the changed text is still caught.
    stamp = stale.read_text(encoding="utf-8").replace("with rich ", "with rich 0.0.0-", 1)
    stale.write_text(stamp, encoding="utf-8")
    assert pictures.main(["--check"]) == 1

"""Encodings: UTF-8 with or without BOM, invalid UTF-8 with its byte offset, names in any script,
and arguments that are too long, carry control characters or are not text."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

from crpscli.edge import MAX_ARG_CHARS

from .harness import GOOD, assert_clean_failure, data_dir, run

SCRIPTS = (
    "- id: ketamine-topical\n  name: Kétamine topique\n"
    "  aliases: [кетамин, ケタミン, 氯胺酮, كيتامين, Κεταμίνη]\n  category: topical\n  summary: Crème à 10 %.\n"
)


def test_utf8_with_bom_in_every_file(tmp_path: Path):
    directory = tmp_path / "bom"
    directory.mkdir()
    for source in GOOD.glob("*.yaml"):
        (directory / source.name).write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    result = run("--no-builtin", "--data", str(directory), "treat", "wt", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert "Widget therapy" in result.stdout and result.stderr == ""


def test_invalid_utf8_names_the_byte_offset_and_line(tmp_path: Path):
    text = "- id: widget\n  name: Widget\n  category: device\n  summary: caf"
    raw = text.encode() + b"\xe9 latin-1\n"
    directory = data_dir(tmp_path, treatments=raw)
    result = run("--no-builtin", "--data", str(directory), "list", cache=tmp_path / "cache")
    where = f"{directory / 'treatments.yaml'}:4: D013 invalid UTF-8 at byte {len(text.encode())}"
    assert_clean_failure(result, 3, where)


def test_utf16_is_not_utf8(tmp_path: Path):
    directory = data_dir(tmp_path, sources=(GOOD / "sources.yaml").read_text(encoding="utf-8").encode("utf-16"))
    result = run("--no-builtin", "--data", str(directory), "list", cache=tmp_path / "cache")
    assert_clean_failure(result, 3, f"{directory / 'sources.yaml'}:1: D013 invalid UTF-8 at byte 0")


@pytest.mark.parametrize(
    "typed",
    [
        "ketamine topique",  # no accent
        unicodedata.normalize("NFD", "Kétamine topique"),  # accent as a combining character
        "КЕТАМИН",  # Cyrillic, other case
        "ｹﾀﾐﾝ",  # half-width katakana
        "氯胺酮",
        "كيتامين",
        "κεταμινη",  # Greek without the accent, lower case
    ],
)
def test_names_in_any_script_resolve(tmp_path: Path, typed: str):
    directory = data_dir(tmp_path, treatments=SCRIPTS, claims="[]\n")
    result = run("--no-builtin", "--data", str(directory), "treat", typed, cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert "Kétamine topique" in result.stdout and "кетамин, ケタミン, 氯胺酮" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["treat", "k" * 100_000], f"crps: argument 2 is 100000 characters long; the limit is {MAX_ARG_CHARS}"),
        (
            ["--data", "/" + "d" * 5000, "list"],
            f"crps: argument 2 is 5001 characters long; the limit is {MAX_ARG_CHARS}",
        ),
        (["treat", "ket\x1b]0;pwned\x07amine"], "crps: argument 2 contains the control character U+001B"),
        (["search", "a\nb"], "crps: argument 2 contains the control character U+000A"),
        (["treat", "x\x9b31m"], "crps: argument 2 contains the control character U+009B"),
    ],
    ids=["100k-name", "long-path", "osc", "newline", "c1"],
)
def test_hostile_arguments_get_one_usage_line(tmp_path: Path, args: list[str], message: str):
    result = run(*args, cache=tmp_path / "cache")
    assert_clean_failure(result, 2)
    assert result.stderr.splitlines() == [message]


def test_nul_in_an_argument_in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """exec cannot pass a NUL in an argument; a Python caller of main() can."""
    from crpscli.edge import main

    monkeypatch.setattr(sys, "argv", ["crps", "treat", "a\x00b"])
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 2
    assert capsys.readouterr().err == "crps: argument 2 contains the control character U+0000\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX arguments are bytes")
def test_undecodable_argument(tmp_path: Path):
    result = run("treat", b"k\xffetamine", cache=tmp_path / "cache")
    assert_clean_failure(result, 2)
    assert result.stderr.splitlines() == ["crps: argument 2 is not valid text (undecodable bytes)"]


def test_longest_accepted_argument_is_an_answer_not_an_error(tmp_path: Path):
    result = run("treat", "k" * MAX_ARG_CHARS, cache=tmp_path / "cache")
    assert_clean_failure(result, 1, "crps: none of the five sources mentions")

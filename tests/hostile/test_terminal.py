"""No terminal injection: text from data files is shown as text, in every format and every command.

Every text field of a small data set carries the same payload: escape sequences that would
recolour the terminal, retitle it, write the clipboard or forge a hyperlink, raw C0 and C1
control characters, and rich markup. The payload must come out literal (markup) or neutralised
(control characters), and in JSON and YAML escaped, so that parsing gives the payload back.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from crpscli.cli import app

from ..conftest import ENV, crps_executable
from .harness import HANG_BOUND

PAYLOAD = (
    "A\x1b]0;TITLE-PWNED\x07B \x1b[31mRED\x1b[0m C\x9b31mD\x85E\x7fF\x00G\rH\x08I "
    "[bold red]MARKUP[/bold red] [link=http://evil.example/]LINK[/link] "
    "\x1b]52;c;Y2xpcA==\x07 \x1b]8;;http://evil.example/\x1b\\forged\x1b]8;;\x1b\\ end"
)
# Names may hold no control characters (D008: no argument could name them), so they carry the markup only.
NAME_PAYLOAD = "[bold red]MARKUP[/bold red] [link=http://evil.example/]LINK[/link] end"
QUOTE = "q\x1b]0;TITLE-PWNED\x07 [bold]QMARK[/bold] \x9b31m"  # a quote has at most twelve words
MARKUP = "[bold red]MARKUP[/bold red]"
NEUTRALISED = "\\x1b]0;TITLE-PWNED\\x07"
# What may never reach the output raw: C0 controls but tab and newline, DEL, C1 controls.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def y(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's too)."""
    return json.dumps(text)


def hostile_data(directory: Path) -> Path:
    directory.mkdir()
    p = y(PAYLOAD)
    sources = "".join(
        f"- id: {sid}\n  number: '{number}'\n  file: f.txt\n  title: {p}\n  author: {p}\n"
        f"  kind: clinician_article\n  year: 2024\n  conditions: [crps]\n  origin: {p}\n  evidence_value: {p}\n"
        for sid, number in (("s-one", "901"), ("s-two", "902"))
    )
    studies = (
        f"- id: st-one\n  verification: from_source_only\n"
        f"  citations:\n  - {{source: s-one, ref: {p}, locator: {p}}}\n"
        f"  authors: [{p}]\n  title: {p}\n  journal: {p}\n  year: 2020\n  volume_pages: 12(3):45-67\n"
        f"  doi: 10.1234/abc.5\n  pmid: '123'\n  design: rct\n  sample_size: 10\n  sample_note: {p}\n"
        f"  finding: {p}\n  discrepancies:\n  - {{kind: result, source: s-two, note: {p}}}\n"
    )
    treatments = (
        f"- id: widget\n  name: {y('Widget ' + NAME_PAYLOAD)}\n  aliases: [{y('wt ' + NAME_PAYLOAD)}]\n"
        f"  category: device\n  group: {y(NAME_PAYLOAD)}\n  summary: {p}\n"
    )
    claims = "".join(
        f"- id: {cid}\n  treatment: widget\n  source: {source}\n  locator: {p}\n  quote: {y(QUOTE)}\n"
        f"  text: {p}\n  stance: {stance}\n  aspect: efficacy\n  outcome: overall\n"
        f"  figures:\n  - {{quantity: dose, min: {dose}, unit: mg, note: {p}}}\n  studies: [st-one]\n"
        for cid, source, stance, dose in (("c-one", "s-one", "supports", 1), ("c-two", "s-two", "opposes", 2))
    )
    for name, text in (("sources", sources), ("studies", studies), ("treatments", treatments), ("claims", claims)):
        (directory / f"{name}.yaml").write_text(text, encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_data(tmp_path_factory.mktemp("hostile") / "data")


COMMANDS = {
    "treat": ["treat", "widget"],
    "compare": ["compare", "widget"],
    "cite": ["cite", "st-one"],
    "list": ["list"],
    "sources": ["sources"],
    "conflicts": ["conflicts"],
    "search": ["search", "MARKUP"],
    "export": ["export"],
}
FORMATS = ["table", "json", "yaml", "csv", "tsv", "markdown"]


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def test_the_data_set_is_valid_and_carries_the_payload(hostile: Path):
    result = CliRunner().invoke(app, ["check", "--alone", str(hostile)], env=ENV)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("no problems: 2 sources, 1 treatments, 2 claims, 1 studies")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_data_cannot_drive_the_terminal(hostile: Path, command: str, fmt: str):
    args = ["--no-builtin", "--data", str(hostile), *COMMANDS[command], "--format", fmt]
    result = CliRunner().invoke(app, args, env={**ENV, "COLUMNS": "1000"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert RAW_CONTROL.search(out) is None, RAW_CONTROL.findall(out)
    if command == "export" and fmt in ("table", "csv", "tsv", "markdown"):
        return  # export lists claims in these formats; the payload is checked in JSON and YAML
    shows_text = command not in ("list", "conflicts")  # these show names, which carry only the markup
    if fmt == "table":
        assert MARKUP in out  # rich markup shown as text, not applied
        assert NEUTRALISED in out or not shows_text
    elif fmt == "json":
        assert any((PAYLOAD if shows_text else NAME_PAYLOAD) in s for s in strings(json.loads(out)))  # escaped
    elif fmt == "yaml":
        assert any((PAYLOAD if shows_text else NAME_PAYLOAD) in s for s in strings(yaml.safe_load(out)))
    else:
        assert (NEUTRALISED in out or not shows_text) and MARKUP in out


def test_json_escapes_c1_controls_and_keeps_other_text_readable(hostile: Path):
    args = ["--no-builtin", "--data", str(hostile), "treat", "widget", "--json"]
    out = CliRunner().invoke(app, args, env=ENV).stdout
    assert "\\u009b31m" in out and "\\u0085" in out and "\\u007f" in out and "\\u001b]0;" in out
    assert "Widget [bold red]MARKUP" in out  # plain text stays plain


def read_pty(master: int, process: subprocess.Popen[bytes]) -> bytes:
    chunks, deadline = [], time.monotonic() + HANG_BOUND
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed its side
                break
            if not chunk:
                break
            chunks.append(chunk)
        elif process.poll() is not None:
            break
    else:
        process.kill()
        pytest.fail("crps on a terminal did not finish (a hang)")
    return b"".join(chunks)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
@pytest.mark.parametrize("command", ["treat", "cite", "sources"])
def test_on_a_real_terminal_only_crps_own_links_and_colours(hostile: Path, tmp_path: Path, command: str):
    """On a terminal rich colours and links: the only OSC sequences are its links to doi.org/PubMed."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 400, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "CRPS_FORMAT")}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", CRPS_CACHE_DIR=str(tmp_path), CRPS_DATA="")
    args = [crps_executable(), "--no-builtin", "--data", str(hostile), *COMMANDS[command]]
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    try:
        out = read_pty(master, process).decode("utf-8")
        process.wait(HANG_BOUND)
    finally:
        os.close(master)
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    assert "\x1b[" in out  # it is coloured: this really is the terminal path
    assert "TITLE-PWNED" in out and "\x1b]0;" not in out and "\x1b]52;" not in out and "\x07" not in out
    assert re.search(r"[\x80-\x9f]", out) is None
    for osc in re.findall(r"\x1b\][^\x1b\x07]*", out):
        assert re.fullmatch(
            r"\x1b\]8;(id=\d+;https://(doi\.org/10\.1234/abc\.5|pubmed\.ncbi\.nlm\.nih\.gov/123/))?;?", osc
        ), osc
    assert "evil.example" not in "".join(re.findall(r"\x1b\]8;[^\x1b]*", out))
    assert MARKUP in re.sub(r"\x1b\[[0-9;]*m", "", out)


@pytest.mark.parametrize(
    ("command", "start"),
    [("treat", "clinician article 901, 2024: A"), ("compare", "Widget [bold red]")],
    ids=["table-title", "compare-title"],
)
def test_table_titles_built_from_data_show_markup_as_text(hostile: Path, command: str, start: str):
    """Rich reads markup in plain strings (titles, headers) unless told not to."""
    args = ["--no-builtin", "--data", str(hostile), *COMMANDS[command]]
    out = CliRunner().invoke(app, args, env={**ENV, "COLUMNS": "1000"}).stdout
    titles = [line for line in out.splitlines() if line.startswith(start)]  # compare: the heading and the grid's
    assert titles
    for title in titles:
        assert MARKUP in title and "[link=http://evil.example/]LINK[/link]" in title


def test_yaml_output_escapes_a_lone_nel():
    """PyYAML leaves U+0085 raw unless something else forces double quotes."""
    from crpscli.output.data import dump_yaml

    text = dump_yaml({"note": "one\x85two", "k\x85": ["x\x85"]})
    assert RAW_CONTROL.search(text) is None
    assert yaml.safe_load(text) == {"note": "one\x85two", "k\x85": ["x\x85"]}


def test_a_doi_with_an_escape_is_a_data_error(tmp_path: Path):
    """The DOI becomes a hyperlink on a terminal: an escape in it would end the link early."""
    directory = hostile_data(tmp_path / "data")
    studies = (directory / "studies.yaml").read_text(encoding="utf-8")
    forged = y("10.1234/x\x1b]8;;http://evil.example/\x1b\\")
    (directory / "studies.yaml").write_text(studies.replace("10.1234/abc.5", forged), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--alone", str(directory)], env=ENV)
    assert result.exit_code == 1
    assert f"{directory / 'studies.yaml'}:10: D008 st-one: doi: String should match pattern" in result.output

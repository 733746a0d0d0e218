"""Refresh the example output in README.md from the real commands.

Each block in the README between `<!-- example: ARGS -->` and `<!-- /example -->` is replaced
by the output of `crps ARGS` at 100 columns, and each `<!-- entry: FILE ID -->` block by that
entry as it stands in the shipped data. `--check` exits 1 if any block is stale (the test
suite runs that check, so the README cannot drift from the tool or the data).
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from typer.testing import CliRunner

from crpscli.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(<!-- (?P<kind>example|entry): (?P<args>.+?) -->\n)(?P<body>.*?)(<!-- /(?P=kind) -->)", re.S)
DATA = Path(__file__).resolve().parent.parent / "src" / "crpscli" / "data"
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "CRPS_FORMAT": "", "CRPS_DATA": ""}
MAX_LINES = 40


def render(args: str) -> str:
    result = CliRunner().invoke(app, shlex.split(args), env=ENV)
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 2], "...", lines[-1]]
    return "```console\n$ crps " + args + "\n" + "\n".join(lines) + "\n```\n"


def entry(args: str) -> str:
    """The YAML of one entry, from its `- id:` line to the next entry or comment."""
    filename, entry_id = args.split()
    lines = (DATA / filename).read_text(encoding="utf-8").splitlines()
    start = lines.index(f"- id: {entry_id}")
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].startswith(("- ", "#")) or not lines[i].strip()),
        len(lines),
    )
    return "```yaml\n" + "\n".join(lines[start:end]) + "\n```\n"


def refreshed(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        body = render(match["args"]) if match["kind"] == "example" else entry(match["args"])
        return match.group(1) + body + match.group(5)

    return BLOCK.sub(replace, text)


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    updated = refreshed(current)
    if "--check" in argv:
        if updated != current:
            print("README.md examples are stale: run python scripts/readme_examples.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

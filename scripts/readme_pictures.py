"""Draw the README's pictures of `crps compare ivig`, `crps cite 138` and `crps matrix` as SVG.

Each picture is the real command run in-process against the shipped data: typer parses the
arguments, the query answers, and the command's report is drawn by the same renderer as on a
terminal (colour, box drawing), on a recording rich console 100 columns wide, then exported with
`Console.export_svg`. A screen longer than MAX_LINES keeps its first and last lines, with a
marker saying how many were left out in between.

    python scripts/readme_pictures.py           # rewrite docs/img/*.svg
    python scripts/readme_pictures.py --check   # exit 1 if any picture is stale (the tests run this)

The SVG is deterministic (rich derives its ids from the content), so a picture changes only when
the data, the layout or rich does. Each file names the rich version that drew it; under another
version of rich, `--check` compares the text the pictures show rather than their bytes.
"""

from __future__ import annotations

import html
import io
import re
import shlex
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any
from unittest import mock

from rich.console import Console, Group
from rich.segment import Segment, Segments
from rich.text import Text
from typer.testing import CliRunner

from crpscli import cli
from crpscli.output.tables import render

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "img"
PICTURES = {
    "compare-ivig.svg": "compare ivig",
    "cite-138.svg": "cite 138",
    "matrix.svg": "matrix",
}
WIDTH = 100
MAX_LINES = 64
TAIL_LINES = 12
ENV = {"CRPS_DATA": "", "CRPS_FORMAT": ""}
STAMP = "<!-- drawn by scripts/readme_pictures.py with rich {} -->"
STAMP_PATTERN = re.compile(r"<!-- drawn by scripts/readme_pictures\.py with rich (\S+) -->")


def _console() -> Console:
    return Console(
        record=True,
        width=WIDTH,
        force_terminal=True,
        color_system="truecolor",
        no_color=False,  # a NO_COLOR in the environment must not change the picture
        highlight=False,
        emoji=False,
        file=io.StringIO(),
        legacy_windows=False,
    )


def picture(args: str) -> str:
    """The SVG of `crps ARGS` as a terminal shows it."""
    console = _console()
    console.print(Text(f"$ crps {args}", style="bold"))
    reports: list[Any] = []

    def draw(report: Any, *_: Any, **__: Any) -> None:  # stands in for cli.emit
        reports.append(report)

    with mock.patch.object(cli, "emit", draw):
        result = CliRunner().invoke(cli.app, shlex.split(args), env=ENV, catch_exceptions=False)
    if result.exit_code != 0 or len(reports) != 1:
        raise SystemExit(f"crps {args} failed (exit {result.exit_code}): {result.output.strip()}")
    shown = render(reports[0], plain=False)
    if isinstance(shown, list):  # render gives a list of renderables where it does not group them itself
        shown = Group(*shown)
    lines = console.render_lines(shown, console.options.update(width=WIDTH), pad=False)
    if len(lines) > MAX_LINES:
        head, tail = lines[: MAX_LINES - TAIL_LINES - 1], lines[-TAIL_LINES:]
        marker = [Segment(f"⋮ {len(lines) - len(head) - len(tail)} lines left out ⋮", console.get_style("dim"))]
        lines = [*head, marker, *tail]
    console.print(Segments([segment for line in lines for segment in (*line, Segment.line())]), end="")
    svg = console.export_svg(title=f"crps {args}")
    first, rest = svg.split("\n", 1)
    return f"{first}\n{STAMP.format(version('rich'))}\n{rest}"


def shown_text(svg: str) -> str:
    """The characters a picture shows, in order, whatever the SVG around them."""
    return "".join(html.unescape(part) for part in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)).replace(
        "\xa0", " "
    )


def stale(name: str, drawn: str) -> bool:
    path = IMAGES / name
    if not path.exists():
        return True
    current = path.read_text(encoding="utf-8")
    if current == drawn:
        return False
    stamp = STAMP_PATTERN.search(current)
    if stamp and stamp.group(1) != version("rich"):
        return shown_text(current) != shown_text(drawn)
    return True


def main(argv: list[str]) -> int:
    drawn = {name: picture(args) for name, args in PICTURES.items()}
    if "--check" in argv:
        old = [name for name, svg in drawn.items() if stale(name, svg)]
        if old:
            print(
                f"docs/img is stale ({', '.join(old)}): run python scripts/readme_pictures.py",
                file=sys.stderr,
            )
            return 1
        return 0
    IMAGES.mkdir(parents=True, exist_ok=True)
    for name, svg in drawn.items():
        (IMAGES / name).write_text(svg, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Piped output (output/plaintext.py) is exactly what rich prints for the same tables without colour.

plaintext lays the tables out with rich's layout functions but without its console (for speed);
this pins it against rich's console, screen by screen, at the widths people use.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from crpscli.answers.cite import cite
from crpscli.answers.compare import compare
from crpscli.answers.conflicts import conflicts
from crpscli.answers.export import export
from crpscli.answers.listing import list_treatments, sources
from crpscli.answers.matrix import matrix
from crpscli.answers.names import resolve_all
from crpscli.answers.search import search
from crpscli.answers.treat import treat
from crpscli.evidence.files import shipped_data
from crpscli.evidence.loading import load
from crpscli.evidence.vocab import Category
from crpscli.output.plaintext import plain_text
from crpscli.output.tables import render

BASE = load([shipped_data()]).base
SCREENS = {
    "treat ldn": lambda: treat(BASE, resolve_all(BASE, ["ldn"]).treatments),
    "treat ketamine": lambda: treat(BASE, resolve_all(BASE, ["ketamine"]).treatments),
    "compare ivig": lambda: compare(BASE, resolve_all(BASE, ["ivig"]).treatments),
    "compare magnesium tadalafil": lambda: compare(BASE, resolve_all(BASE, ["magnesium", "tadalafil"]).treatments),
    "cite 138": lambda: cite(BASE, ["138"]),
    "list": lambda: list_treatments(BASE),
    "list --category device": lambda: list_treatments(BASE, Category.device),
    "sources": lambda: sources(BASE),
    "conflicts": lambda: conflicts(BASE),
    "matrix": lambda: matrix(BASE),
    "search naltrexone": lambda: search(BASE, "naltrexone"),
    "export": lambda: export(BASE),
}


def printed_by_rich(renderables: list, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, markup=False, highlight=False, emoji=False)
    console.print(Group(*renderables))
    return "".join(line.rstrip() + "\n" for line in console.file.getvalue().splitlines())


@pytest.mark.parametrize("width", [50, 80, 140])
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_plain_text_is_what_rich_prints(screen, width):
    shown = render(SCREENS[screen](), plain=True)
    assert plain_text(shown, width) == printed_by_rich(shown, width)


@pytest.mark.parametrize("width", [50, 80, 140])
@pytest.mark.parametrize("screen", ["treat ivig", "compare ivig"])
def test_the_full_claims_are_what_rich_prints(screen, width):
    """--full: every claim whole, and each study's notes once in a table of their own."""
    report = (treat if screen.startswith("treat") else compare)(BASE, resolve_all(BASE, ["ivig"]).treatments)
    shown = render(report, plain=True, full=True)
    assert plain_text(shown, width) == printed_by_rich(shown, width)


@pytest.mark.parametrize(
    "cell",
    [
        "a" * 30 + " short words after a long one",  # a word longer than the column is folded
        "centred",
        "line one\nline two that is rather longer than the column",
        "",
    ],
)
def test_edge_cases_match_rich(cell):
    table = Table(
        "first", "second column", box=None, pad_edge=False, show_edge=False, title="A title wider than the table"
    )
    table.columns[1].justify = "center"
    table.add_row(Text(cell), Text("x"))
    table.add_row(Text("y"), Text(cell))
    assert plain_text([table], 24) == printed_by_rich([table], 24)


def test_columns_squeezed_to_nothing_are_blank_as_rich_prints_them():
    """A table of more columns than the width has cells (50 sources in a matrix): no crash."""
    table = Table(*[f"c{i}" for i in range(30)], box=None, pad_edge=False, show_edge=False)
    table.add_row(*[Text("abc def")] * 30)
    assert plain_text([table], 20) == printed_by_rich([table], 20)


def test_the_ascii_line_breaker_is_rich_divide_line():
    """plaintext breaks ASCII lines itself (for speed): the same breaks as rich's divide_line."""
    import random

    from rich._wrap import divide_line

    from crpscli.output.plaintext import _breaks

    rng = random.Random(3)
    pieces = ["a", "word", "disease-modifying", "x" * 25, " ", "  ", "(LDN)", "0.5", "g/kg;"]
    for _ in range(3000):
        line = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(0, 14)))
        width, fold = rng.randint(1, 40), rng.random() < 0.8
        assert _breaks(line, width, fold) == divide_line(line, width, fold=fold), (line, width, fold)

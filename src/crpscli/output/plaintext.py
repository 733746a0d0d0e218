"""Undecorated text for pipes and NO_COLOR: the same renderables, laid out without rich's console.

Off a terminal the output carries no colour or box, so rich's console pipeline (segments,
styles, cell measurement) is pure cost: about 40 ms for the ketamine page, a quarter of the
command. Here a table is laid out the way the console lays out these tables (prose columns
share the spare width, the others keep their natural width up to their limit, two spaces
between columns) and each cell is wrapped with textwrap.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import Any

from rich.table import Table
from rich.text import Text

GAP = 2
NARROWEST = 6


def _lines(cell: Any) -> list[str]:
    return (cell.plain if isinstance(cell, Text) else str(cell)).split("\n")


def _wrap(lines: Iterable[str], width: int) -> list[str]:
    wrapped: list[str] = []
    for line in lines:
        wrapped += textwrap.wrap(line, width, break_on_hyphens=False, drop_whitespace=True) or [""]
    return wrapped


def _widths(table: Table, rows: list[list[list[str]]], width: int) -> list[int]:
    """Column widths: natural, capped at each column's max_width, prose columns taking the rest."""
    columns = table.columns
    natural = [
        max([len(line) for line in _lines(column.header)] + [len(line) for row in rows for line in row[i]] or [0])
        for i, column in enumerate(columns)
    ]
    widths = [min(n, c.max_width) if c.max_width else n for n, c in zip(natural, columns, strict=True)]
    prose = [i for i, c in enumerate(columns) if c.ratio]
    spare = width - GAP * (len(columns) - 1)
    if prose:
        fixed = sum(w for i, w in enumerate(widths) if i not in prose)
        share = max(NARROWEST, (spare - fixed) // len(prose))
        for i in prose:
            widths[i] = share if table.expand else min(natural[i], share)
    # Too wide: narrow the widest column that wraps at spaces, so ids and numbers stay whole.
    wraps = [any(" " in line for row in rows for line in row[i]) for i in range(len(columns))]
    while sum(widths) > spare:
        candidates = [i for i in range(len(widths)) if widths[i] > NARROWEST and wraps[i]] or [
            i for i in range(len(widths)) if widths[i] > NARROWEST
        ]
        if not candidates:
            break
        widths[max(candidates, key=lambda i: widths[i])] -= 1
    return widths


def _table(table: Table, width: int) -> list[str]:
    cells = [list(column.cells) for column in table.columns]
    rows = [[_lines(cells[c][r]) for c in range(len(cells))] for r in range(table.row_count)]
    widths = _widths(table, rows, width)
    out = _wrap(_lines(table.title), width) if table.title else []
    header = [_lines(column.header) for column in table.columns] if table.show_header else None
    for row in ([header] if header else []) + rows:
        wrapped = [_wrap(lines, w) for lines, w in zip(row, widths, strict=True)]
        for i in range(max(len(w) for w in wrapped)):
            parts = [(w[i] if i < len(w) else "").ljust(widths[n]) for n, w in enumerate(wrapped)]
            out.append((" " * GAP).join(parts).rstrip())
    return out


def plain_text(renderables: Iterable[Any], width: int) -> str:
    """Tables and texts as plain lines no wider than `width`."""
    out: list[str] = []
    for item in renderables:
        out += _table(item, width) if isinstance(item, Table) else _wrap(_lines(item), width)
    return "\n".join(out) + "\n"

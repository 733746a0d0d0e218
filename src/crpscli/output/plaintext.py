"""Undecorated text for pipes and NO_COLOR: the same renderables, laid out without rich's console.

Off a terminal the output carries no colour or box, so rich's console pipeline (segments,
styles, render options) is pure cost: about 40 ms for the ketamine page, a quarter of the
command. Here the tables are laid out with rich's own layout functions, fed plain strings: column
widths by the steps of `Table._calculate_column_widths` (measure each column, share the spare
width among ratio columns, collapse the widest wrapping columns when too wide), lines broken by
`rich._wrap.divide_line`, cells justified and headers aligned to the bottom as rich does. The
result is the text rich prints for the same tables without colour (tests/output/test_plaintext.py pins
it screen by screen), without the console. Only box-less tables (plain mode) are laid out here.
Below 80 columns a table that does not fit becomes stacked records (output/stacked.py): the
same blocks rich draws, each wrapped here as rich wraps text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from rich._ratio import ratio_distribute, ratio_reduce
from rich._wrap import divide_line
from rich.cells import cell_len, set_cell_size
from rich.table import Column, Table
from rich.text import Text

from .stacked import ByWidth, records, stacks


def _plain(cell: Any) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def _cells(text: str) -> int:
    """Terminal cells the text takes: its length for printable ASCII (all the data has, once cleaned)."""
    return len(text) if text.isascii() else cell_len(text)


_WORD = re.compile(r"\s*\S+\s*")  # a word and the white space after it, as rich._wrap splits lines


def _breaks(line: str, width: int, fold: bool) -> list[int]:
    """`rich._wrap.divide_line` for printable ASCII, where a character is a cell: where to break
    the line (rich's function measures every word's cells, the most of the layout's time).
    Any other text goes to rich's own function. tests/output/test_plaintext.py pins the two together."""
    if not line.isascii():
        return divide_line(line, width, fold=fold)
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(line):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if not fold:
                if start:
                    breaks.append(start)
                offset = len(word)
                continue
            chunks = [word[i : i + width] for i in range(0, len(word), width)]
            for chunk in chunks[:-1]:
                if start:
                    breaks.append(start)
                start += len(chunk)
            if start:
                breaks.append(start)
            offset = len(chunks[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _measure(text: str, width: int) -> tuple[int, int]:
    """A cell's (minimum, maximum) width as rich measures Text: the longest word, the longest line."""
    lines = text.splitlines()
    longest = max(map(_cells, lines), default=0)
    shortest = max(map(_cells, text.split()), default=longest)
    shortest, longest = max(0, min(shortest, longest)), max(0, shortest, longest)
    shortest, longest = min(shortest, width), min(longest, width)
    return (0, 0) if longest < 1 else (shortest, longest)


def _wrap(text: str, width: int, justify: str = "left", overflow: str = "fold") -> list[str]:
    """The text's lines wrapped as rich wraps them: a word longer than the width is folded, or cut
    with an ellipsis (or cropped) when the column says so."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.expandtabs(8)
        fits = _cells(line) <= width
        cuts = [0, len(line)] if fits else [0, *_breaks(line, width, overflow == "fold"), len(line)]
        for start, end in pairwise(cuts):
            piece = line[start:end].rstrip()
            if cell_len(piece) > width:
                piece = set_cell_size(piece, width - 1) + "…" if overflow == "ellipsis" else set_cell_size(piece, width)
            if justify == "center":
                piece = " " * ((width - cell_len(piece)) // 2) + piece
            elif justify == "right":
                piece = " " * (width - cell_len(piece)) + piece
            out.append(piece)
    return out


def _padding(table: Table, index: int) -> tuple[int, int]:
    """(left, right) padding of a column: rich's default of one cell each side, none at the edges."""
    _, right, _, left = table.padding
    if not table.pad_edge:
        left = 0 if index == 0 else left
        right = 0 if index == len(table.columns) - 1 else right
    return left, right


def _column_range(table: Table, column: Column, cells: list[str], pad: int, width: int) -> tuple[int, int]:
    """`Table._measure_column`: the widest of the cells' measures, padded, clamped to the column's limits."""
    if width < 1:
        return 0, 0
    measured = [_measure(cell, width) for cell in set(cells)]  # the widest counts: each text measured once
    low = max((m[0] + pad for m in measured), default=1)
    high = max((min(m[1] + pad, width) for m in measured), default=width)
    low, high = min(min(low, width), high), min(high, width)
    if column.min_width is not None:
        low, high = max(low, column.min_width + pad), max(high, column.min_width + pad)
    if column.max_width is not None:
        low, high = min(low, column.max_width + pad), min(high, column.max_width + pad)
    return low, high


def _widths(table: Table, cells: list[list[str]], width: int) -> list[int]:
    """`Table._calculate_column_widths` for a table without borders: each column's width with its padding."""
    columns = table.columns
    pads = [sum(_padding(table, i)) for i in range(len(columns))]
    ranges = [_column_range(table, c, cells[i], pads[i], width) for i, c in enumerate(columns)]
    widths = [high or 1 for _, high in ranges]
    if table.expand and any(c.ratio for c in columns if c.ratio is not None):
        fixed = [0 if c.ratio is not None else high for (_, high), c in zip(ranges, columns, strict=True)]
        minimum = [(c.width or 1) + pads[i] for i, c in enumerate(columns) if c.ratio is not None]
        shares = iter(
            ratio_distribute(width - sum(fixed), [c.ratio or 0 for c in columns if c.ratio is not None], minimum)
        )
        widths = [fixed[i] + next(shares) if c.ratio is not None else widths[i] for i, c in enumerate(columns)]
    total = sum(widths)
    if total > width:
        wrapable = [c.width is None and not c.no_wrap for c in columns]
        widths = Table._collapse_widths(widths, wrapable, width)
        total = sum(widths)
        if total > width:
            widths = ratio_reduce(total - width, [1] * len(widths), widths, widths)
            total = sum(widths)
        widths = [
            _column_range(table, c, cells[i], pads[i], w)[1]
            for i, (w, c) in enumerate(zip(widths, columns, strict=True))
        ]
    if total < width and table.expand:
        widths = [w + extra for w, extra in zip(widths, ratio_distribute(width - total, widths), strict=True)]
    return widths


def _records(table: Table, width: int) -> list[str]:
    """A table shown as stacked records (output/stacked.py): each block wrapped and indented."""
    return [
        (" " * indent + line).rstrip()
        for indent, block in records(table, width)
        for line in _wrap(block.plain, width - indent)
    ]


def _texts(table: Table) -> list[list[str]]:
    """Each column's texts as plain strings, its header first when the table shows one."""
    columns = [[_plain(cell) for cell in column.cells] for column in table.columns]
    if table.show_header:
        columns = [[_plain(column.header), *texts] for column, texts in zip(table.columns, columns, strict=True)]
    return columns


def _layout(table: Table, width: int) -> tuple[list[list[str]], list[int]]:
    """The table's texts and its columns' widths at this width, worked out once: `folds` asks for
    them to decide whether the table stacks, then `_table` lays it out with them."""
    laid: dict[int, tuple[list[list[str]], list[int]]] = table.__dict__.setdefault("_crps_layout", {})
    if width not in laid:
        texts = _texts(table)
        laid[width] = texts, _widths(table, texts, width)
    return laid[width]


def folds(table: Table, width: int) -> bool:
    """Whether laid out at this width some column is narrower than a word in it, so that rich would
    break the word (an id in `crps list` at 80 columns): stacked.stacks then shows records."""
    texts, widths = _layout(table, width)
    for index, column in enumerate(texts):
        room = widths[index] - sum(_padding(table, index))
        if any(_cells(word) > room for text in set(column) for word in text.split()):
            return True
    return False


def _table(table: Table, width: int) -> list[str]:
    if stacks(table, width):
        return _records(table, width)
    columns = table.columns
    texts, widths = _layout(table, width)
    rows = [[column[r] for column in texts] for r in range(len(texts[0]) if texts else 0)]
    headers = table.show_header
    out = _wrap(_plain(table.title), sum(widths), table.title_justify) if table.title else []
    pads = [_padding(table, index) for index in range(len(columns))]
    laid: dict[tuple[int, str], list[str]] = {}  # a column's text is laid out once however often it recurs
    for number, row in enumerate(rows):
        cells = []
        for index, cell in enumerate(row):
            if (lines := laid.get((index, cell))) is None:
                (left, right), column = pads[index], columns[index]
                inner = max(0, widths[index] - left - right)
                wrapped = _wrap(cell, inner, column.justify, column.overflow) if inner else [""]  # as rich: blank
                lines = laid[index, cell] = [" " * left + line.ljust(inner) + " " * right for line in wrapped]
            cells.append(lines)
        height = max(len(lines) for lines in cells)
        blank = [" " * w for w in widths]
        # rich aligns the header row to the bottom, the others to the top
        top = [height - len(lines) if headers and number == 0 else 0 for lines in cells]
        cells = [
            [blank[i]] * top[i] + lines + [blank[i]] * (height - top[i] - len(lines)) for i, lines in enumerate(cells)
        ]
        out += ["".join(parts).rstrip() for parts in zip(*cells, strict=True)]
    return out


def plain_text(renderables: Iterable[Any], width: int) -> str:
    """Tables and texts as plain lines no wider than `width`."""
    out: list[str] = []
    for item in renderables:
        item = item.at(width) if isinstance(item, ByWidth) else item
        if isinstance(item, Table):
            out += _table(item, width)
        elif hasattr(item, "lines"):  # a width-aware renderable (tables.ClaimLines): its lines at this width
            out += [wrapped for line in item.lines(width) for wrapped in _wrap(_plain(line), width)]
        else:
            out += _wrap(_plain(item), width)
    return "\n".join(out) + "\n"

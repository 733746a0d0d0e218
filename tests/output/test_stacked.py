"""Narrow screens: below 80 columns tables become stacked records (output/stacked.py), not columns
a few characters wide; at 80 and wider they stay tables."""

from __future__ import annotations

import re

import pytest
from rich.text import Text

from crpscli.answers.common import claims_of
from crpscli.answers.matrix import matrix
from crpscli.answers.names import resolve_all
from crpscli.answers.treat import treat
from crpscli.evidence.files import shipped_data
from crpscli.evidence.loading import load
from crpscli.output.plaintext import plain_text
from crpscli.output.stacked import StackedTable
from crpscli.output.tables import render

BASE = load([shipped_data()]).base
CLAIM_HEADER = re.compile(r"^stance +question +(what the )?source says +rests on$", re.MULTILINE)  # wraps at 80


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", ["ketamine", "ldn"])
def test_treat_at_50_columns_is_records_with_every_claim_whole(cli, name):
    narrow, wide = (cli("treat", name, "--full", env={"COLUMNS": width}).stdout for width in ("50", "120"))
    lines = narrow.splitlines()
    assert max(map(len, lines)) <= 50
    assert len(lines) <= 2.5 * len(wide.splitlines())
    claims = claims_of(BASE, [t.id for t in resolve_all(BASE, [name]).treatments])
    assert claims
    # each claim a record: its stance heads it, its aspect a field, its text whole (no word broken)
    assert narrow.count("  question: ") == len(claims)
    assert not CLAIM_HEADER.search(narrow)
    flowing = words(narrow)
    for claim in claims:
        assert words(claim.text) in flowing, claim.id
        question = claim.aspect.value.replace("_", " ")
        heading_then_question = rf"^{claim.stance.value}\b[^\n]*(\n  )?[^\n]*question: {question}"
        assert re.search(heading_then_question, narrow, re.MULTILINE), claim.id


def test_treat_full_at_140_columns_stays_a_table(cli):
    out = cli("treat", "ldn", "--full", env={"COLUMNS": "140"}).stdout
    assert CLAIM_HEADER.search(out)
    assert "  question: " not in out


@pytest.mark.parametrize("name", ["ketamine", "ivig"])
def test_treat_full_at_80_columns_is_records_where_the_table_would_squeeze_the_text(cli, name):
    """At 80 columns the full table left the text 7-12 cells ('present' / 's IV'), ids broken
    ('003-ketami' / 'ne-infusio'), and ketamine took 2,500 lines; as records every text is whole."""
    out = cli("treat", name, "--full", env={"COLUMNS": "80"}).stdout
    assert "  question: " in out and len(out.splitlines()) < 1000
    tokens = out.split()
    for claim in claims_of(BASE, [t.id for t in resolve_all(BASE, [name]).treatments]):
        assert claim.id in tokens, claim.id  # whole, never folded
    if name == "ketamine":
        assert "The article presents IV ketamine infusions as a valuable, promising option" in words(out)


GRID_HEADER = re.compile(r"^aspect +Intravenous ketamine", re.MULTILINE)


@pytest.mark.parametrize("width", ["80", "140"])
def test_a_side_by_side_grid_too_narrow_for_its_prose_is_records_at_any_width(cli, width):
    """compare ketamine puts five entries side by side: at 80 columns each had 13 cells (1,163
    lines), at 140 about 24 (608). As records, by question then entry, each claim's text is whole."""
    out = cli("compare", "ketamine", env={"COLUMNS": width}).stdout
    lines = out.splitlines()
    assert not GRID_HEADER.search(out) and len(lines) < 400
    assert "\nefficacy\n  Intravenous ketamine infusion:\n    supports ≈ (000) The review names" in out
    assert max(map(len, lines)) <= int(width)


def test_a_grid_with_room_for_its_prose_stays_a_grid(cli):
    out = cli("compare", "magnesium", env={"COLUMNS": "80"}).stdout  # two columns of 30 cells
    assert re.search(r"^aspect +review excerpt 000 +patient blog 001$", out, re.MULTILINE)


def test_every_treatment_stays_within_two_and_a_half_times_its_length_at_120():
    for treatment in BASE.treatments:
        shown = render(treat(BASE, [BASE.treatments[treatment]]), plain=True)
        at_120 = plain_text(shown, 120).count("\n")
        for width in (60, 50):
            assert plain_text(shown, width).count("\n") <= 2.5 * at_120, (treatment, width)


@pytest.mark.parametrize(
    "command",
    [
        ["compare", "ivig", "--full"],
        ["list"],
        ["sources"],
        ["search", "naltrexone"],
        ["conflicts"],
        ["cite", "138"],
        ["topics"],
    ],
)
def test_other_screens_at_50_columns_break_no_word(cli, command):
    """Every word shown at 50 columns is a word of the 120-column screen (a label may gain a colon)."""
    narrow = cli(*command, env={"COLUMNS": "50"}).stdout
    wide = cli(*command, env={"COLUMNS": "120"}).stdout
    assert max(map(len, narrow.splitlines())) <= 50
    known = {w.rstrip(":") for w in wide.split()}
    broken = {w for w in narrow.split() if w.rstrip(":") not in known}
    assert not broken
    assert len(narrow.splitlines()) <= 3 * len(wide.splitlines())


def test_a_table_that_fits_stays_a_table_and_records_keep_the_column_order():
    table = StackedTable("id", "kind", "text", box=None, pad_edge=False, show_edge=False)
    table.columns[2].ratio = 1
    table.add_row(Text("a-1"), Text("short"), Text("ok"))
    assert plain_text([table], 40) == "id   kind   text\na-1  short  ok\n"
    table.add_row(Text("b-2"), Text("long\nlines"), Text("one two three four five six seven eight nine ten"))
    assert plain_text([table], 40).splitlines() == [
        "a-1  kind: short",
        "  ok",
        "",
        "b-2",
        "  kind:",
        "    long",
        "    lines",
        "  one two three four five six seven",
        "  eight nine ten",
    ]


def test_the_matrix_at_50_columns_heads_sources_by_number_and_keeps_every_name_whole(cli):
    narrow = cli("matrix", env={"COLUMNS": "50"}).stdout
    assert max(map(len, narrow.splitlines())) <= 50
    assert re.search(r"^treatment +000  001  002  003  ≠/≈$", narrow, re.MULTILINE)
    flowing = words(narrow)
    assert "(000 review excerpt; 001 patient blog;" in flowing  # the title names the numbered columns
    assert re.search(r"^Magnesium +± M  \+ S +≠$", narrow, re.MULTILINE)
    rows = matrix(BASE).treatments
    assert len(rows) > 50
    shown = set(narrow.split())
    assert all(word in shown for row in rows for word in row.name.split())  # wrapped, never broken
    assert "disagree" in cli("matrix", env={"COLUMNS": "80"}).stdout


def test_rows_of_short_columns_that_leave_their_text_too_little_room_are_records(cli):
    """cite 003:1 at 80 columns folded claim ids and treatment ids inside ('003-ketamine-infu' /
    'sion-7') and left the claim's text 15 cells; as records every id is whole."""
    out = cli("cite", "003:1", env={"COLUMNS": "80"}).stdout
    assert "003-ketamine-infusion-7  source: chopra-ketamine  treatment: ketamine-infusion" in out
    assert "what rests on it" not in out
    assert "what rests on it" in cli("cite", "003:1", env={"COLUMNS": "140"}).stdout  # room: a table


@pytest.mark.parametrize("width", ["50", "80", "140"])
def test_a_claims_conflict_mark_sits_by_its_stance_and_never_ends_a_line(cli, width):
    """In a side-by-side cell the mark came after the claim's text, so wrapping could leave it
    alone at a line's end with the claim id below it (compare ivig at 80 columns)."""
    for name in ("ivig", "magnesium", "spinal cord stimulator", "ketamine"):
        out = cli("compare", name, env={"COLUMNS": width}).stdout
        side_by_side = out[re.search(r"side\s+by\s+side", out).end() :]
        assert not re.search(r"[≠≈]$", side_by_side, re.MULTILINE), (name, width)
        assert re.search(r"\b(supports|opposes|mixed|caution) [≠≈] ", side_by_side), (name, width)


@pytest.mark.parametrize("width", ["80", "90", "100", "120"])
def test_a_table_that_would_break_a_word_is_records_instead(cli, width):
    """At 80-100 columns `crps list` folded ids ("ketamine-nasal-subling" / "ual") and `crps sources`
    did too ("droracle-ivig-bac" / "k"): every id stays whole on one line."""
    for command, ids in (("list", BASE.treatments), ("sources", BASE.sources)):
        out = cli(command, env={"COLUMNS": width}).stdout
        words = set(out.split())
        assert [i for i in ids if i not in words] == [], (command, width)
        assert max(map(len, out.splitlines())) <= int(width)

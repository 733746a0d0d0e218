"""`crps matrix`: treatments by sources, each cell a source's overall stance, disagreements marked."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from rich.console import Console, Group

from crpscli.answers.listing import list_treatments
from crpscli.answers.matrix import matrix, overall_stance
from crpscli.evidence.files import shipped_data as builtin_data
from crpscli.evidence.loading import load
from crpscli.evidence.vocab import Stance
from crpscli.output.tables import render
from crpscli.output.text import NOTICE

from ..conftest import MATRIX_HEADER

S, OPP, M, N, C = Stance.supports, Stance.opposes, Stance.mixed, Stance.neutral, Stance.caution


@pytest.mark.parametrize(
    ("stances", "overall"),
    [
        ([], None),
        ([S], S),
        ([S, S, C, N], S),  # cautions and neutral remarks qualify a side, they do not reverse it
        ([OPP, N], OPP),
        ([S, OPP], M),  # argues both ways
        ([S, S, S, OPP, C], M),
        ([S, M], S),
        ([N, M, C], M),
        ([N, C, C], C),
        ([N, N], N),
    ],
)
def test_overall_stance_rule(stances, overall):
    assert overall_stance(stances) == overall


def grid(cli, *args: str) -> dict:
    result = cli("matrix", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cell(data: dict, treatment: str, source: str) -> dict | None:
    row = next(r for r in data["treatments"] if r["id"] == treatment)
    return row["cells"][source]


def test_cells_follow_the_rule_on_the_shipped_data(cli):
    data = grid(cli)
    magnesium = cell(data, "magnesium", "medscape-ivig")
    assert magnesium["stance"] == "mixed"
    assert magnesium["claims"]["supports"] == 2 and magnesium["claims"]["opposes"] == 1
    assert cell(data, "magnesium", "blog-flames")["stance"] == "supports"
    assert cell(data, "ketamine-oral", "chopra-slides")["stance"] == "opposes"
    assert cell(data, "ivig", "chopra-slides")["stance"] == "neutral"
    assert cell(data, "ivig", "medscape-ivig")["stance"] == "mixed"  # supports, and a response within placebo
    assert cell(data, "tadalafil", "blog-flames") is None  # no claim: a blank cell
    for row in data["treatments"]:
        for found in row["cells"].values():
            if found:
                stances = [Stance(s) for s, n in found["claims"].items() for _ in range(n)]
                assert found["stance"] == overall_stance(stances)


def test_back_pain_page_has_no_column_and_is_named_as_left_out(cli):
    data = grid(cli)
    assert [c["id"] for c in data["columns"]] == ["medscape-ivig", "blog-flames", "chopra-slides", "chopra-ketamine"]
    assert [c["id"] for c in data["left_out"]] == ["droracle-ivig-back"]
    ids = {r["id"] for r in data["treatments"]}
    assert "ivig" in ids and "epidural-steroid-injection" not in ids  # only back-pain claims: no row
    out = cli("matrix").stdout
    assert "No column for AI-generated answer 004: no claim about CRPS in these rows." in out


def test_conflicted_rows_are_the_ones_list_calls_conflicted(cli):
    base = load([builtin_data()]).base
    expected = [t.id for t in list_treatments(base, conflicted=True).treatments]
    data = grid(cli, "--conflicted")
    assert [r["id"] for r in data["treatments"]] == expected
    assert all(r["conflicted"] for r in data["treatments"])
    everything = grid(cli)
    assert {r["id"] for r in everything["treatments"] if r["conflicted"]} == set(expected)


def test_aspect_counts_only_claims_on_that_aspect(cli):
    data = grid(cli, "--aspect", "efficacy", "--conflicted")
    assert data["aspect"] == "efficacy"
    assert [r["id"] for r in data["treatments"]] == [
        "ivig",
        "magnesium",
        "spinal-cord-stimulator",
        "drg-stimulator",
        "tens",
        "sympathetic-nerve-block",
        "desensitization",
    ]
    # Intravenous ketamine's course lengths (2–10, 10 and 4–10 days) nest: no conflict on protocol.
    assert cli("matrix", "--aspect", "protocol", "--conflicted").exit_code == 1
    assert grid(cli, "--aspect", "safety")["treatments"][0]["level"] == "tension"  # IV ketamine, long-term
    assert cell(grid(cli, "--aspect", "safety"), "ivig", "medscape-ivig")["stance"] == "caution"


def test_category_filter(cli):
    data = grid(cli, "--category", "device")
    assert data["treatments"] and {r["category"] for r in data["treatments"]} == {"device"}
    assert "spinal-cord-stimulator" in [r["id"] for r in data["treatments"]]


def test_filters_that_leave_nothing_exit_1_with_one_line(cli):
    result = cli("matrix", "--category", "surgery", "--conflicted")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "crps: no treatment matches --category surgery --conflicted\n"
    assert cli("matrix", "--aspect", "magic").exit_code == 2


def test_table_without_colour_shows_letters_legend_and_marks(cli):
    result = cli("matrix", "--aspect", "efficacy", "--conflicted")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    magnesium = next(line for line in lines if line.startswith("Magnesium"))
    assert magnesium.split() == ["Magnesium", "±", "M", "+", "S", "≠"]
    drg = next(line for line in lines if line.startswith("Dorsal root ganglion"))
    assert drg.split()[-5:] == ["+", "S", "−", "O", "≠"]
    legend = next(line for line in lines if line.startswith("Legend:"))
    for mark in ("+ S supports", "− O opposes", "± M mixed", "~ N neutral", "! C caution", "≠ a conflict"):
        assert mark in legend
    assert "≈ a tension (and no conflict)" in result.stdout
    assert "7 treatments: 7 with a conflict, 0 with a tension only" in result.stdout
    assert result.stdout.rstrip().endswith(NOTICE)


def test_table_in_colour_shows_coloured_symbols_without_letters():
    report = matrix(load([builtin_data()]).base, aspect=None, conflicted=True)
    console = Console(record=True, width=120, force_terminal=True, color_system="truecolor", file=io.StringIO())
    shown = render(report, plain=False)
    console.print(Group(*shown) if isinstance(shown, list) else shown)
    out = console.export_text(styles=False, clear=False)
    magnesium = next(line for line in out.splitlines() if "Magnesium" in line)
    assert magnesium.split() == ["Magnesium", "±", "+", "≠"]
    styled = console.export_text(styles=True)
    assert re.search(r"\x1b\[32m *\+", styled)  # supports in green
    assert re.search(r"\x1b\[33m *±", styled)  # mixed in yellow


def test_csv_is_the_grid_as_data(cli):
    result = cli("matrix", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == MATRIX_HEADER
    magnesium = next(r for r in rows if r["id"] == "magnesium")
    assert (magnesium["medscape-ivig"], magnesium["blog-flames"], magnesium["chopra-slides"]) == (
        "mixed",
        "supports",
        "",
    )
    assert (magnesium["conflicted"], magnesium["level"]) == ("yes", "conflict")
    ldn = next(r for r in rows if r["id"] == "ldn")
    assert (ldn["conflicted"], ldn["level"]) == ("no", "tension")
    assert len(rows) == len(grid(cli)["treatments"])


def test_the_matrix_opens_with_its_legend_and_conflicts_with_their_count(cli):
    """The answer first: the marks are explained before the grid, the count before the list."""
    assert cli("matrix").stdout.startswith("Legend: + S supports")
    first = cli("conflicts").stdout.splitlines()[0]
    found = json.loads(cli("conflicts", "--json").stdout)
    levels = [sum(d["level"] == level for d in found) for level in ("conflict", "tension")]
    assert first == f"{levels[0]} conflicts, {levels[1]} tensions"

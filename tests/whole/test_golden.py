"""Table output as a person sees it, width pinned at 100 columns (and at 50, where tables are
stacked records).

After an intended change to the data or the layout, regenerate with
    CRPS_UPDATE_GOLDEN=1 pytest tests/whole/test_golden.py
and read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parents[1] / "golden"
SCREENS = {
    "treat-ldn": ["treat", "ldn", "--full"],
    "treat-ldn-compact": ["treat", "ldn"],
    "treat-ketamine-compact": ["treat", "ketamine"],
    "compare-ivig": ["compare", "ivig", "--full"],
    "compare-ivig-compact": ["compare", "ivig"],
    "cite-138": ["cite", "138"],
    "list-devices": ["list", "--category", "device"],
    "sources": ["sources"],
    "conflicts": ["conflicts"],
}

NARROW = {"treat-ldn-50": ["treat", "ldn"], "cite-138-50": ["cite", "138"]}


@pytest.mark.parametrize("name", sorted(SCREENS) + sorted(NARROW))
def test_table_matches_golden_file(cli, name):
    result = cli(*SCREENS.get(name) or NARROW[name], env={"COLUMNS": "50" if name in NARROW else "100"})
    assert result.exit_code == 0
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("CRPS_UPDATE_GOLDEN"):
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8")

"""Measure the spelling-correction threshold of name resolution (answers/names.py, step 4).

For each cutoff and shortest corrected length, how many typical misspellings resolve to what they mean,
and how many everyday English words and names no source covers would be shown as something (each of
those is a wrong answer). The chosen values are the ones with no wrong answer and the most misspellings
resolved. Run: python scripts/spelling_threshold.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.spelling import EVERYDAY, MISSPELLINGS, UNCOVERED

from crpscli.answers import names
from crpscli.evidence.files import shipped_data
from crpscli.evidence.loading import load


def measure(index: names.Names) -> tuple[int, list[str]]:
    right = 0
    for typed, meant in MISSPELLINGS.items():
        reading = index.read(typed, exact=False)
        if reading and len(reading.targets) == 1 and reading.targets[0].id == meant:
            right += 1
    wrong = [w for w in [*EVERYDAY, *UNCOVERED] if (r := index.read(w, exact=False)) and r.how == "corrected"]
    return right, wrong


def main() -> int:
    index = names.Names(load([shipped_data()]).base)
    chosen = (names.CORRECTION, names.CORRECTED_MIN)
    print(f"{len(MISSPELLINGS)} misspellings, {len(EVERYDAY)} everyday words, {len(UNCOVERED)} uncovered names")
    print("cutoff  min length  misspellings resolved  unrelated words corrected")
    for shortest in (5, 6, 7, 8):
        for step in range(78, 96, 2):
            names.CORRECTION, names.CORRECTED_MIN = step / 100, shortest
            right, wrong = measure(index)
            mark = "  <- in use" if (step / 100, shortest) == chosen else ""
            print(f"{step / 100:.2f}    {shortest:>10}  {right:>21}  {len(wrong):>3} {' '.join(wrong[:8])}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

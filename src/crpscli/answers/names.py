"""Which treatments a name the user typed means."""

from __future__ import annotations

from collections.abc import Iterable

from ..evidence.base import EvidenceBase, name_key
from ..evidence.records import Treatment
from .common import NotFound


class UnknownName(NotFound):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no treatment matches '{name}'{hint}")
        self.suggestions = suggestions


class AmbiguousName(NotFound):
    def __init__(self, name: str, candidates: list[Treatment]) -> None:
        listed = ", ".join(f"{t.id} ({t.name})" for t in candidates)
        super().__init__(f"'{name}' matches several treatments: {listed}")
        self.candidates = candidates


def _resolve(base: EvidenceBase, index: dict[str, list[str]], name: str) -> list[Treatment]:
    """The treatments a name means: one, or a whole group; raise when unknown or ambiguous."""
    key = name_key(name)
    if key and key in index:
        return [base.treatments[i] for i in index[key]]
    order = {treatment_id: n for n, treatment_id in enumerate(base.treatments)}
    partial = sorted({i for k, ids in index.items() if key and key in k for i in ids}, key=order.__getitem__)
    if len(partial) == 1:
        return [base.treatments[partial[0]]]
    if partial:
        raise AmbiguousName(name, [base.treatments[i] for i in partial])
    import difflib

    close = difflib.get_close_matches(key, list(index), n=8, cutoff=0.6)
    suggestions = list(dict.fromkeys(i for k in close for i in index[k]))[:4]
    raise UnknownName(name, suggestions)


def resolve_all(base: EvidenceBase, names: Iterable[str]) -> list[Treatment]:
    """Every treatment the names mean, in the order named, each once."""
    index = base.name_index()
    found: dict[str, Treatment] = {}
    for name in names:
        for treatment in _resolve(base, index, name):
            found.setdefault(treatment.id, treatment)
    return list(found.values())

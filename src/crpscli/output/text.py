"""Text as crps shows it: the notice every human-facing screen carries, and data made safe to print."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..evidence.records import design_and_size

if TYPE_CHECKING:
    from ..answers.common import StudyRef
    from ..answers.summary import Position

NOTICE = "crps summarises what its sources say; it is not medical advice. Ask your own clinician."

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Neutralise control characters (ANSI/OSC escapes) so data cannot drive the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def one_line(text: str) -> str:
    """Text for one line of stderr: control characters neutralised, line breaks shown as \\n."""
    return clean(text).replace("\n", "\\n")


def counted(n: int, word: str) -> str:
    """ "1 treatment", "3 treatments": no "(s)"."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def question_name(aspect: str, outcome: str | None) -> str:
    """ "efficacy: pain", "efficacy: general" (no narrower question fits), "prevention" (an
    outcome that only repeats its aspect)."""
    named = aspect.replace("_", " ")
    if not outcome or outcome == aspect:
        return named
    return f"{named}: {outcome.replace('_', ' ')}"


def study_words(study: StudyRef) -> str:
    """ "Sigtermans 2009, rct, n=60": a study as a bottom line names it ("unnamed editorial")."""
    return f"{study.who()}, {design_and_size(study.design, study.sample_size)}" if study.named else study.who()


def position_notes(position: Position) -> list[tuple[str, StudyRef | None]]:
    """What follows a source in a bottom line, each note with the study it names: the best study
    behind the position itself, then each other stance its claims take, with the best study those
    claims cite that is not named yet ("also caution: Sigtermans 2009, rct, n=60"). A study is
    never shown behind a stance it does not back."""
    notes: list[tuple[str, StudyRef | None]] = []
    named: set[str] = set()
    if position.studies:
        best = position.studies[0]
        notes.append((study_words(best), best))
        named.add(best.id)
    for qualifier in position.qualifiers:
        best = next((s for s in qualifier.studies if s.id not in named), None)
        notes.append((f"also {qualifier.stance.value}" + (f": {study_words(best)}" if best else ""), best))
        named |= {best.id} if best else set()
    return notes

"""Text as crps shows it: the notice every human-facing screen carries, and data made safe to print."""

from __future__ import annotations

import re

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

"""The one reader of author names, as the data writes them: Vancouver style, "Del Valle L", "van Hilten JJ".

Labels ("Del Valle 2009"), `crps cite`'s surname match and the citation exports all split names here,
so a surname with particles ("Del Valle", "van den Wildenberg", "del Rey") is never cut to its first word.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Words that start a surname without being all of it, in any case ("van Hilten" is also found as "Hilten").
PARTICLES = frozenset(
    {"da", "de", "del", "della", "den", "der", "di", "do", "dos", "du", "la", "le", "ten", "van", "von"}
)


@dataclass(frozen=True)
class AuthorName:
    """A name split into family name and initials ("JJ"; empty when the data gives a surname only)."""

    family: str
    initials: str

    def spaced(self) -> str:
        """Initials as "J. J.": CSL processors and BibTeX read each as a separate given name."""
        return " ".join(f"{initial}." for initial in self.initials)

    def surname_keys(self) -> set[str]:
        """What a reader may type for this surname, folded: all of it, and it without its particles."""
        words = self.family.split()
        core = [w for i, w in enumerate(words) if not (w.casefold() in PARTICLES and i < len(words) - 1)]
        return {key for key in (fold(self.family), fold(" ".join(core))) if key}


def parse_author(vancouver: str) -> AuthorName:
    """Split "Goebel A" into Goebel + A; a name without trailing initials is all family name."""
    parts = vancouver.split()
    if len(parts) > 1 and parts[-1].isalpha() and parts[-1].isupper():
        return AuthorName(" ".join(parts[:-1]), parts[-1])
    return AuthorName(" ".join(parts), "")


# ASCII's characters that are not letters or digits: what fold drops from an ASCII text
_NOT_ALNUM_ASCII = str.maketrans("", "", "".join(ch for ch in map(chr, range(128)) if not ch.isalnum()))


def fold(text: str) -> str:
    """Case, accents, spaces, hyphens and punctuation ignored (as treatment names are matched).

    ASCII text (nearly every name) takes a shortcut with the same result: NFKD leaves it as it is,
    and casefold is lower (tests/evidence/test_authors.py pins the two)."""
    if text.isascii():
        return text.lower().translate(_NOT_ALNUM_ASCII)
    return _fold_unicode(text)


def _fold_unicode(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())

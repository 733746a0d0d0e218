"""Which treatments a name the user typed means: one function, `resolve_all`, in a fixed order.

1. exact: a treatment's id, name or alias (case, accents, spaces, hyphens and punctuation ignored);
2. a group, class or topic name: its members, in the topic's order;
3. words: every word typed is a whole word, or the start of a word, of one name (never the inside of
   a word, so "ice" is not "service"); the names whose every word was typed beat those only partly typed;
4. a confident spelling correction of the whole name, or of each of its words, then 1 to 3 again;
5. nothing: "none of the five sources mentions ...", with suggestions only when they are close.

Anything but an exact treatment name is shown with one line on stderr saying what is shown. Up to
`MAX_SHOWN` equally good entries are all shown; more are listed, and nothing is shown (exit 1).
Several words typed unquoted are read as the longest names they spell, left to right.
"""

from __future__ import annotations

import difflib
import unicodedata
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from ..evidence.base import EvidenceBase, NameRow, name_key
from ..evidence.records import Treatment
from .common import NotFound

_INDEXES: weakref.WeakKeyDictionary[EvidenceBase, Names] = weakref.WeakKeyDictionary()
MAX_SHOWN = 5  # at most this many equally good entries are shown for one name
PREFIX_MIN, PREFIX_SHARE = 5, 0.8  # a typed word is taken as a word's start from 5 letters and 80% of it

# Spelling corrections (step 4), measured by scripts/spelling_threshold.py on 82 typical misspellings and on
# a thousand everyday English words and 17 treatments no source covers: from 8 letters at a similarity of
# 0.84, 80 misspellings resolve and no unrelated word does; shorter words collide with everyday ones
# ("imagine" is one letter from "imaging"), so they are only suggested.
CORRECTION = 0.84
CORRECTED_MIN = 8
SUGGESTION = 0.75  # a name this close is suggested, never shown
SUGGESTED_MIN = 4  # "ivgi" (ivig with two letters swapped) gets its suggestion

# Words that name nothing by themselves: a name is found through its other words. Function words, and
# everyday words in names ("blood work", "mental health care") that would otherwise make "work" a blood test.
STOP_WORDS = frozenset(
    """a about after all also am an and any are as at be been before being but by can could crps did do
    does doing during for from get got had has have having he her his how i if in into is it its me my
    no nor not of on or our she should so some such than that the their them then there these they this
    those to too try use using very was we were what when where which while who why will with would you
    your know""".split()  # noqa: SIM905
)
GENERIC_WORDS = frozenset(
    """work care health control sign first attempt over bed under tongue mouth room friend family member
    treatment treatments therapy therapies test tests medicine medicines medication medications
    exam examination high risk off label use point gentle early effective centre center natural section""".split()  # noqa: SIM905
)


def words_of(text: str) -> list[str]:
    """The words of a name or query, folded like names (case and accents ignored)."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    cleaned = "".join(ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch))
    return cleaned.split()


def _stem(word: str) -> str:
    """Plural and singular alike: "blocks" is "block", "NSAIDs" is "NSAID" (not "tens": too short to tell)."""
    return word[:-1] if len(word) > 4 and word.endswith("s") else word


@dataclass(frozen=True)
class Target:
    """What a name can stand for: one treatment, or a group or topic of them."""

    kind: str  # "treatment", "group" or "topic"
    id: str
    label: str  # how it is named in messages
    members: tuple[str, ...]

    def shown(self) -> str:
        if self.kind == "treatment":
            return self.label
        count = len(self.members)
        return f'the {count} {"entry" if count == 1 else "entries"} of {self.kind} "{self.label}"'


@dataclass
class Named:
    """What the typed names mean: the treatments, in order, and the lines saying how they were read."""

    treatments: list[Treatment] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


class UnknownName(NotFound):
    """Nothing is named so. Only when the words are nowhere in the data either is it said that no source
    mentions them; otherwise the message points to `crps search`."""

    def __init__(self, name: str, sources: int, suggestions: Sequence[str], mentioned: bool, exact: bool) -> None:
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        if exact:
            message = f"no treatment, group or topic is named '{name}' (--exact: names, aliases and groups only)"
        elif mentioned:
            message = f"no entry is named '{name}', but the sources mention it: try crps search {name}"
        else:
            message = f"none of the {_count(sources)} sources mentions '{name}'"
        super().__init__(message + hint)
        self.suggestions = list(suggestions)


class AmbiguousName(NotFound):
    def __init__(self, name: str, candidates: Sequence[Target]) -> None:
        listed = ", ".join(f"{t.id} ({t.label})" for t in candidates)
        super().__init__(f"'{name}' matches {len(candidates)} entries: {listed}; name one of them")
        self.candidates = list(candidates)


_NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def _count(n: int) -> str:
    return _NUMBERS[n] if n < len(_NUMBERS) else str(n)


class _Unindexed(Exception):
    """A partial index was asked what only the whole index knows: build that one and read again."""


@dataclass(frozen=True)
class _Reading:
    """What one name was read as, and how (for the notice)."""

    targets: tuple[Target, ...]
    how: str  # "exact", "collection", "words", "corrected"


class Names:
    """The names of one evidence base, indexed for the steps above.

    It holds its base weakly: `_INDEXES` keeps an index as long as its base lives, and an index
    holding its base would keep every base ever indexed alive (25 MB each, in a process that asks
    many bases, such as the tests).

    A partial index (`Names.partial`) holds only the names some run of the typed words folds to, and
    answers steps 1 and 2 for exactly those; asked anything else, it raises _Unindexed."""

    def __init__(
        self, base: EvidenceBase, rows: list[NameRow] | None = None, asked: frozenset[str] | None = None
    ) -> None:
        self._base = weakref.ref(base)
        self.asked = asked  # the folded names a partial index was built for; None for the whole index
        self.exact: dict[str, Target] = {}  # step 1: one treatment per key (loading forbids a shared alias)
        self.collections: dict[str, Target] = {}  # step 2: a topic wins over a group of the same name
        self.rows: list[tuple[str, Target]] = []  # every label with what it names
        named: dict[tuple[str, str], str] = {}  # (kind, id) -> its name: the first row of each (base.names)
        self.spelled: dict[str, str] = {}  # each key as a name is written
        for label, kind, target_id, members in base.names() if rows is None else rows:
            key = name_key(label)
            self.spelled.setdefault(key, label)
            name = named.setdefault((kind, target_id), label)
            if kind == "treatment":
                target = Target(kind, target_id, name, members)
                self.exact.setdefault(key, target)
            else:
                target = Target(kind, target_id, label if kind == "group" else name, members)
                known = self.collections.get(key)
                if known is None or (known.kind == "group" and kind == "topic"):
                    self.collections[key] = target
            self.rows.append((label, target))
        self._fitting: dict[str, frozenset[str]] = {}
        self.keys = {**self.collections, **self.exact}
        self.longest_key = max(map(len, self.keys), default=0)

    @staticmethod
    def partial(base: EvidenceBase, typed: Sequence[str]) -> Names:
        """The index of only the names that runs of the typed words fold to (as `_spans` reads them):
        an exact name, the usual case, then costs a lookup instead of an index of every name."""
        longest = base.longest_name_key()
        folded = [name_key(word) for word in typed]
        asked = set()
        for i in range(len(folded)):
            key = ""
            for word in folded[i:]:
                key += word
                if len(key) > longest:
                    break
                asked.add(key)
        index = Names(base, base.names_keyed(asked), frozenset(asked))
        index.longest_key = longest  # of every name, not only of those it holds
        return index

    def _covered(self, key: str) -> None:
        """A partial index knows a key it was built for, and that no key longer than every name is one."""
        if self.asked is not None and key not in self.asked and len(key) <= self.longest_key:
            raise _Unindexed(key)

    @property
    def base(self) -> EvidenceBase:
        base = self._base()
        assert base is not None, "a name index outlived its evidence base"
        return base

    # Steps 3 and 4 need each label's words; an exact name (most calls) never does, so they are built
    # on first use.
    @cached_property
    def labelled(self) -> list[tuple[list[str], Target]]:
        return [(words_of(label), target) for label, target in self.rows]

    @cached_property
    def vocabulary(self) -> list[str]:
        return sorted({w for words, _ in self.labelled for w in words})

    @cached_property
    def labels_with(self) -> dict[str, set[int]]:
        """word -> the labels (by index) holding it."""
        found: dict[str, set[int]] = {}
        for i, (words, _) in enumerate(self.labelled):
            for word in words:
                found.setdefault(word, set()).add(i)
        return found

    @staticmethod
    def of(base: EvidenceBase) -> Names:
        """The index of a base, built once (tests and search ask many names of one base)."""
        index = _INDEXES.get(base)
        if index is None:
            index = _INDEXES[base] = Names(base)
        return index

    def fitting(self, typed: str) -> frozenset[str]:
        """The words of names that a typed word fits (remembered: a word is asked about again and again)."""
        found = self._fitting.get(typed)
        if found is None:
            found = self._fitting[typed] = frozenset(v for v in self.vocabulary if _fits(typed, v))
        return found

    def known(self, name: str) -> bool:
        """Whether a name is a treatment's, group's or topic's own (steps 1 and 2)."""
        key = name_key(name)
        self._covered(key)
        return key in self.keys

    def read(self, name: str, exact: bool) -> _Reading | None:
        """Steps 1 to 4 for one name; None when nothing fits."""
        key = name_key(name)
        self._covered(key)
        if key in self.exact:
            return _Reading((self.exact[key],), "exact")
        if key in self.collections:
            return _Reading((self.collections[key],), "collection")
        if exact:
            return None
        if self.asked is not None:
            raise _Unindexed(key)
        found = self._by_words(words_of(name))
        if found:
            return _Reading(found, "words")
        corrected = self._corrected(name)
        return _Reading(corrected, "corrected") if corrected else None

    def _by_words(self, typed: list[str], whole_only: bool = False) -> tuple[Target, ...]:
        """Step 3: the targets with a name holding every typed word whole or as a word's start; names
        whose every word was typed first (`whole_only`: only those)."""
        wanted = [w for w in typed if w not in STOP_WORDS]
        if not wanted or all(w in GENERIC_WORDS for w in wanted):
            return ()
        fitting = [self.fitting(w) for w in wanted]
        candidates = set.intersection(*(set().union(*(self.labels_with[v] for v in f)) for f in fitting))
        whole: dict[Target, None] = {}
        partly: dict[Target, None] = {}
        for words, target in (self.labelled[i] for i in sorted(candidates)):
            covered = all(
                any(_fits(w, label_word) for w in wanted) for label_word in words if label_word not in STOP_WORDS
            )
            if covered:
                whole[target] = None
            elif target.kind == "treatment" and any(_fits(w, head) for w in wanted for head in words_of(target.id)):
                # part of a name counts only through the words of the entry's id, the words that name it
                # ("dog" is the service dog; "box" is not mirror therapy, nor "every" a ketamine topic)
                partly[target] = None
        return _collapsed(list(whole if whole_only else whole or partly))

    def _corrected(self, name: str) -> tuple[Target, ...]:
        """Step 4: a confident correction of the whole name, else of each word, then steps 1 to 3."""
        key = name_key(name)
        if len(key) >= CORRECTED_MIN:
            close = difflib.get_close_matches(key, list(self.keys), n=4, cutoff=CORRECTION)
            if close:
                top = _ratio(key, close[0])
                best = _collapsed([self.keys[k] for k in close if _ratio(key, k) == top])
                if len(best) == 1:
                    return best
        fixed = []
        for word in words_of(name):
            if word in STOP_WORDS or self.fitting(word):
                fixed.append(word)
                continue
            close = difflib.get_close_matches(word, self.vocabulary, n=2, cutoff=CORRECTION)
            if len(word) < CORRECTED_MIN or not close:
                return ()
            fixed.append(close[0])
        if fixed == words_of(name):
            return ()
        key = name_key(" ".join(fixed))
        if key in self.keys:
            return (self.keys[key],)
        # a corrected word must complete a name, not land on one word of it ("through" is not "thorough clinical exam")
        return self._by_words(fixed, whole_only=True)

    def suggestions(self, name: str) -> list[str]:
        """Names close in spelling to what was typed, to offer (never to show)."""
        key = name_key(name)
        if len(key) < SUGGESTED_MIN:
            return []
        close = difflib.get_close_matches(key, list(self.keys), n=8, cutoff=SUGGESTION)
        by_target = {self.keys[k]: self.spelled[k] for k in reversed(close)}  # each target once, at its closest name
        return list(reversed(by_target.values()))[:4]


def _collapsed(targets: list[Target]) -> tuple[Target, ...]:
    """Equally good targets, each once; a group or topic holding all the others stands for them all."""
    unique = list(dict.fromkeys(targets))
    for target in unique:
        if target.kind != "treatment" and all(set(t.members) <= set(target.members) for t in unique):
            return (target,)
    return tuple(unique)


def _fits(typed: str, word: str) -> bool:
    """A typed word fits a word of a name when it is that word (plural or not) or nearly all of its start:
    "ketamin" fits "ketamine"; never its inside, and not a short word's start ("face" is not "facet",
    "table" not "tablets": everyday words are often the start of a longer one)."""
    if _stem(typed) == _stem(word):
        return True
    return len(typed) >= PREFIX_MIN and len(typed) >= PREFIX_SHARE * len(word) and word.startswith(typed)


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _notice(name: str, reading: _Reading) -> str | None:
    targets = reading.targets
    if reading.how == "exact":
        return None
    if len(targets) == 1:
        return f'showing {targets[0].shown()} for "{name}"'
    listed = "; ".join(t.shown() for t in targets)
    return f'showing {len(targets)} entries for "{name}": {listed}'


def _spans(names: Names, typed: Sequence[str]) -> list[str]:
    """Words typed unquoted, as the names they spell: the longest known name at each point, left to
    right; the words between known names are read together as one name.

    A run of words folds to its words' folds joined, so each word is folded once, and no run is
    tried that folds to more than the longest name's key (a hundred ids in one call stay linear)."""
    folded = [name_key(word) for word in typed]
    spans: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(typed):
        end, size = i, 0
        while end < len(typed) and size + len(folded[end]) <= names.longest_key:
            size += len(folded[end])
            end += 1
        for j in range(end, i, -1):
            if "".join(folded[i:j]) in names.keys:
                if unknown:
                    spans.append(" ".join(unknown))
                    unknown = []
                spans.append(" ".join(typed[i:j]))
                i = j
                break
        else:
            unknown.append(typed[i])
            i += 1
    if unknown:
        spans.append(" ".join(unknown))
    return spans


def _names(names: Names, typed: list[str], exact: bool) -> list[str]:
    """The names several typed words spell: known names wherever they cover every word, else the words
    read together as one name (a misspelt "ketamine infusoin"), else known names and the runs between."""
    spans = _spans(names, typed)
    if len(spans) > 1 and not all(names.known(span) for span in spans) and names.read(" ".join(typed), exact):
        return [" ".join(typed)]
    return spans


def resolve_all(base: EvidenceBase, typed: Iterable[str], exact: bool = False) -> Named:
    """Every treatment the typed names mean, in the order named, each once, and how each name was read.

    `exact` (--exact, CRPS_EXACT=1) stops after step 2: only names, aliases, groups and topics.
    Exact names are read from a partial index; the whole one is built only when that is not enough."""
    typed = list(typed)
    try:
        return _resolve(Names.partial(base, typed), typed, exact)
    except _Unindexed:
        return _resolve(Names.of(base), typed, exact)


def exact_reading(base: EvidenceBase, name: str) -> _Reading | None:
    """Steps 1 and 2 alone for one name (as --exact reads it): a partial index always holds its key."""
    return Names.partial(base, [name]).read(name, exact=True)


def _resolve(names: Names, typed: list[str], exact: bool) -> Named:
    named = Named()
    seen: set[str] = set()
    for name in _names(names, typed, exact):
        readings = _read(names, name, exact)
        for part, reading in readings:
            if len(reading.targets) > MAX_SHOWN:
                raise AmbiguousName(part, reading.targets)
            if notice := _notice(part, reading):
                named.notices.append(notice)
            for target in reading.targets:
                for member in target.members:
                    if member not in seen:
                        seen.add(member)
                        named.treatments.append(names.base.treatments[member])
    return named


def _read(names: Names, name: str, exact: bool) -> list[tuple[str, _Reading]]:
    """One name's reading; a run of several unknown words that means nothing together is read word by word."""
    reading = names.read(name, exact)
    if reading is not None:
        return [(name, reading)]
    parts = name.split()
    if len(parts) > 1 and all(names.read(p, exact) for p in parts):
        return [(p, reading) for p in parts if (reading := names.read(p, exact))]
    terms = [w for w in words_of(name) if w not in STOP_WORDS] or words_of(name)
    found = names.base.search(terms) if terms else []
    mentioned = bool(found) and found[0].words == len(terms)  # one record holds every word
    suggestions = [] if exact else names.suggestions(name)
    raise UnknownName(name, len(names.base.sources), suggestions, mentioned, exact)

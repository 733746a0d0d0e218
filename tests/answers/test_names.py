"""Name resolution: one order for every command, never a treatment from inside a word, and every reading
that is not an exact name said on stderr."""

from __future__ import annotations

import json

import pytest

from crpscli.answers.names import Names, NotFound, _spans, resolve_all
from crpscli.cli import complete_name
from crpscli.evidence.files import shipped_data
from crpscli.evidence.loading import load

from ..spelling import EVERYDAY, MISSPELLINGS, SUGGESTED_ONLY, UNCOVERED

BASE = load([shipped_data()]).base


def shown(cli, *args: str) -> tuple[int, list[str], str]:
    result = cli("treat", *args, "--json")
    ids = [e["treatment"]["id"] for e in json.loads(result.stdout)["treatments"]] if result.exit_code == 0 else []
    return result.exit_code, ids, result.stderr


IN_WORDS = ["ice", "hot", "thc", "mind", "cost", "tea", "cane", "spa", "work"]


@pytest.mark.parametrize(
    ("command", "word"),
    [("treat", w) for w in IN_WORDS] + [(c, w) for c in ("compare", "brief", "conflicts") for w in ("ice", "cost")],
)
def test_a_word_inside_a_name_shows_nothing(cli, command, word):
    """The issue's examples: 'ice' was the service dog, 'cost' corticosteroids, 'work' blood tests."""
    result = cli(command, word)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("crps: ")
    assert "showing" not in result.stderr


# Everyday words that do name something the sources cover, by that very word (all else finds nothing).
EVERYDAY_NAMES = {
    "block": ["sympathetic-nerve-block", "facet-nerve-block"],
    "blood": ["blood-sugar-control", "blood-tests"],
    "cause": ["crps-cause"],
    "chart": ["chart-flag"],
    "child": ["crps-in-children", "physical-therapy", "mental-health-care"],
    "children": ["crps-in-children", "physical-therapy", "mental-health-care"],
    "doctor": ["crps-specialist", "immunology-referral"],
    "dog": ["service-dog"],
    "light": ["avoid-noise-light"],
    "noise": ["avoid-noise-light"],
    "skin": ["skin-biopsy"],
    "sugar": ["blood-sugar-control"],
    "touch": ["no-touch-sign"],
    "type": ["crps-types"],
}


def _meaning(word: str) -> list[str] | None:
    """What one word is read as (steps 1 to 4), without building the message for nothing found."""
    reading = Names.of(BASE).read(word, exact=False)
    return None if reading is None else [m for t in reading.targets for m in t.members]


def test_everyday_words_show_no_treatment():
    assert len(EVERYDAY) >= 1000
    named = {word: ids for word in EVERYDAY if (ids := _meaning(word)) is not None}
    assert named == {w: ids for w, ids in EVERYDAY_NAMES.items() if w in EVERYDAY}


@pytest.mark.parametrize(("typed", "meant"), sorted(MISSPELLINGS.items()))
def test_typical_misspellings_find_what_they_mean(typed, meant):
    if typed in SUGGESTED_ONLY:
        with pytest.raises(NotFound, match=f"did you mean: {SUGGESTED_ONLY[typed]}"):
            resolve_all(BASE, [typed])
        return
    found = resolve_all(BASE, typed.split())
    members = _members(meant)
    assert [t.id for t in found.treatments] == members, typed
    if typed not in ("ibuprofen", "immunoglobulin", "ketamine infusions"):  # exact names: nothing to say
        assert len(found.notices) == 1 and found.notices[0].endswith(f' for "{typed}"'), found.notices


def _members(meant: str) -> list[str]:
    if meant in BASE.treatments:
        return [meant]
    if meant in BASE.topics:
        return list(BASE.topics[meant].members)
    return [t.id for t in BASE.treatments.values() if t.group == meant]


@pytest.mark.parametrize("name", UNCOVERED)
def test_a_name_no_source_covers_is_said_to_be_in_none(name):
    with pytest.raises(NotFound, match=f"^none of the five sources mentions '{name}'"):
        resolve_all(BASE, name.split())


def test_an_uncovered_name_exits_1(cli):
    result = cli("treat", "stellate", "ganglion", "block")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "crps: none of the five sources mentions 'stellate ganglion block'\n"


def test_a_near_miss_is_never_the_answer(cli):
    """'neurontin' used to suggest spinal cord stimulators; 'magnesum' imaging tests and fremanezumab."""
    result = cli("treat", "neurontin")
    assert result.stderr == "crps: none of the five sources mentions 'neurontin'\n"
    assert shown(cli, "magnesum") == (0, ["magnesium"], 'crps: showing Magnesium for "magnesum"\n')


@pytest.mark.parametrize(
    ("typed", "ids", "notice"),
    [
        (
            "graded motor imagry",
            ["graded-motor-imagery"],
            'showing Graded motor imagery (GMI) for "graded motor imagry"',
        ),
        ("gabapentine", ["gabapentin"], 'showing Gabapentin for "gabapentine"'),
        ("pregablin", ["pregabalin"], 'showing Pregabalin (Lyrica) for "pregablin"'),
        ("ibuprofin", ["ibuprofen"], 'showing Ibuprofen for "ibuprofin"'),
        ("plasmapharesis", ["plasmapheresis"], 'showing Plasmapheresis (plasma exchange) for "plasmapharesis"'),
        ("lidocain", ["lidocaine-infusion", "lidocaine-topical"], 'showing the 2 entries of group "lidocaine"'),
        ("nsaid", ["ibuprofen", "naproxen"], 'showing the 2 entries of topic "NSAIDs (non-steroidal'),
        ("antioxidant", ["vitamin-c", "alpha-lipoic-acid", "n-acetylcysteine", "dmso"], "showing the 4 entries"),
        ("cgrp", ["erenumab", "fremanezumab", "galcanezumab"], 'showing the 3 entries of topic "CGRP antagonists"'),
    ],
)
def test_the_issues_refused_names_are_answered_with_a_notice(cli, typed, ids, notice):
    code, found, stderr = shown(cli, *typed.split())
    assert (code, found) == (0, ids)
    assert stderr.startswith("crps: " + notice) and stderr.count("\n") == 1


def test_ketamin_is_the_ketamine_group(cli):
    code, found, stderr = shown(cli, "ketamin")
    assert code == 0 and len(found) == 5 and found[0] == "ketamine-infusion"
    assert stderr == 'crps: showing the 5 entries of group "ketamine" for "ketamin"\n'


@pytest.mark.parametrize(
    ("words", "ids"),
    [
        (["spinal", "cord", "stimulation"], ["spinal-cord-stimulator"]),
        (["low", "dose", "naltrexone"], ["ldn"]),
        (["spinal", "cord", "stimulaton"], ["spinal-cord-stimulator"]),
        (["ketamine", "infusoin"], ["ketamine-infusion"]),
        (["gabapentin", "pregablin"], ["gabapentin", "pregabalin"]),
        (["vitamin", "c", "vitamin", "d"], ["vitamin-c", "vitamin-d"]),
    ],
)
def test_unquoted_words_read_as_the_names_they_spell(cli, words, ids):
    assert shown(cli, *words)[:2] == (0, ids)


def _spans_by_trying_every_run(names: Names, typed: list[str]) -> list[str]:
    """The reading _spans stands in for: at each point the longest run of words that is a known name."""
    spans: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(typed):
        j = next((j for j in range(len(typed), i, -1) if names.known(" ".join(typed[i:j]))), None)
        if j is None:
            unknown.append(typed[i])
            i += 1
            continue
        spans += [" ".join(unknown)] if unknown else []
        unknown = []
        spans.append(" ".join(typed[i:j]))
        i = j
    return spans + ([" ".join(unknown)] if unknown else [])


def test_unquoted_runs_are_read_as_trying_every_run_would():
    import random

    names = Names.of(BASE)
    words = [w for label, _ in names.rows for w in label.split()] + ["foo", "-", "É", "ﬁ", "Ketamine-"]
    chance = random.Random(7)
    for _ in range(300):
        typed = chance.choices(words, k=chance.randint(1, 9))
        assert _spans(names, typed) == _spans_by_trying_every_run(names, typed), typed


def test_every_id_in_one_call_is_shown_once_in_order(cli):
    ids = list(BASE.treatments)
    assert shown(cli, *ids)[:2] == (0, ids)


def test_unquoted_names_work_in_compare_and_brief(cli):
    compared = json.loads(cli("compare", "spinal", "cord", "stimulator", "--json").stdout)
    assert [t["id"] for t in compared["treatments"]] == ["spinal-cord-stimulator"]
    assert cli("brief", "graded", "motor", "imagery").stdout.startswith("# Graded motor imagery")


def test_a_part_of_a_name_shows_the_entries_named_by_it(cli):
    assert shown(cli, "spinal") == (
        0,
        ["spinal-cord-stimulator", "epidural-spinal-anesthesia"],
        'crps: showing 2 entries for "spinal": Spinal cord stimulator (SCS); Epidural or spinal anaesthesia\n',
    )


def test_more_than_five_equally_good_entries_are_listed_and_nothing_shown(cli, tmp_path):
    entries = "".join(
        f"- {{id: widget-{n}, name: Widget model {n}, category: device, summary: A widget.}}\n" for n in range(7)
    )
    (tmp_path / "treatments.yaml").write_text(entries, encoding="utf-8")
    result = cli("--no-builtin", "--data", str(tmp_path), "treat", "widget")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("crps: 'widget' matches 7 entries: widget-0 (Widget model 0), ")
    assert result.stderr.endswith("; name one of them\n")


def test_exact_takes_names_aliases_groups_and_topics_only(cli):
    result = cli("--exact", "treat", "ketamin")
    assert result.exit_code == 1
    assert result.stderr.startswith("crps: no treatment, group or topic is named 'ketamin' (--exact")
    assert json.loads(cli("--exact", "treat", "Lyrica", "--json").stdout)["treatments"][0]["treatment"]["id"] == (
        "pregabalin"
    )
    assert cli("treat", "magnesum", env={"CRPS_EXACT": "1"}).exit_code == 1
    assert cli("--exact", "treat", "surgery").exit_code == 0


def test_a_brief_of_a_topic_read_from_a_word_says_what_it_covers(cli):
    result = cli("brief", "nsaid")
    assert result.exit_code == 0
    assert (
        result.stderr
        == 'crps: showing the 2 entries of topic "NSAIDs (non-steroidal anti-inflammatory drugs)" for "nsaid"\n'
    )
    topic = 'the 2 treatments of the topic "NSAIDs (non-steroidal anti-inflammatory drugs)": Ibuprofen; Naproxen.'
    assert f"This brief covers {topic}" in result.stdout


def test_a_word_the_sources_use_but_no_entry_is_named_points_to_search(cli):
    result = cli("treat", "cream")
    assert result.exit_code == 1
    assert result.stderr == "crps: no entry is named 'cream', but the sources mention it: try crps search cream\n"


def test_completion_knows_topics_and_aliases():
    assert "surgery" in complete_name("surg")
    assert "Novocain" in complete_name("novo")
    assert "kids" in complete_name("kid")


def test_a_name_index_does_not_keep_its_evidence_base_alive():
    """The index of a base lives as long as the base, not longer (it once kept every base alive)."""
    import gc
    import weakref

    base = load([shipped_data()]).base
    assert Names.of(base).known("ldn")
    gone = weakref.ref(base)
    del base
    gc.collect()
    assert gone() is None


def test_a_four_letter_name_with_two_letters_swapped_gets_a_suggestion(cli):
    """'ivgi' got none: suggestions began at five letters. A suggestion is offered, never shown."""
    result = cli("treat", "ivgi")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "crps: none of the five sources mentions 'ivgi'; did you mean: ivig?\n"

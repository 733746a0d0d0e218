"""Topics: the situations and classes people ask about, as data, each answered in its own order."""

from __future__ import annotations

import json

import pytest

from crpscli.evidence.files import shipped_data
from crpscli.evidence.loading import load

BASE = load([shipped_data()]).base


def shown(cli, *args: str) -> tuple[list[str], str]:
    result = cli("treat", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return [e["treatment"]["id"] for e in json.loads(result.stdout)["treatments"]], result.stderr


def test_surgery_is_the_surgery_topic_in_order_before_during_after(cli):
    ids, notice = shown(cli, "surgery")
    assert ids[:3] == ["gabapentin", "pregabalin", "vitamin-c"]  # before
    assert ids.index("ketamine-during-surgery") < ids.index("no-touch-sign")  # theatre, then the ward
    assert ids[-1] == "bedside-companion" and len(ids) == 12
    assert "surgical-correction" not in ids
    assert notice == 'crps: showing the 12 entries of topic "Surgery and hospital stays" for "surgery"\n'


@pytest.mark.parametrize(
    ("typed", "topic"),
    [
        (["pregnancy"], "pregnancy"),
        (["children"], "children"),
        (["kids"], "children"),
        (["my", "child"], "children"),
        (["diagnosis"], "diagnosis"),
        (["flare", "ups"], "flare-ups"),
        (["flare-ups"], "flare-ups"),
        (["how", "do", "I", "know", "it", "is", "CRPS"], "diagnosis"),
        (["nerve", "blocks"], "nerve-blocks"),
        (["episiotomy"], "pregnancy"),
        (["hospital", "stay"], "surgery"),
        (["finding", "a", "doctor"], "finding-a-doctor"),
        (["bisphosphonates"], "bisphosphonates"),
    ],
)
def test_a_topic_name_gives_one_coherent_answer(cli, typed, topic):
    ids, notice = shown(cli, *typed)
    assert ids == list(BASE.topics[topic].members)
    assert (
        notice == f'crps: showing the {len(ids)} entries of topic "{BASE.topics[topic].name}" for "{" ".join(typed)}"\n'
    )


def test_pregnancy_covers_fertility_delivery_and_the_epidural(cli):
    ids, _ = shown(cli, "pregnancy")
    assert ids == [
        "crps-pregnancy",
        "high-risk-pregnancy-care",
        "natural-delivery",
        "c-section",
        "epidural-spinal-anesthesia",
    ]
    claims = {c.id: c for c in BASE.claims_of(["crps-pregnancy"])}
    assert {c.outcome.value for c in claims.values()} == {"general", "course"}


def test_diagnosis_starts_with_the_signs_and_ends_with_the_unhelpful_tests(cli):
    ids, _ = shown(cli, "diagnosis")
    assert ids[:3] == ["crps-signs", "clinical-examination", "crps-types"]
    assert {"imaging-tests", "blood-tests", "skin-biopsy"} <= set(ids)
    signs = BASE.claims_of(["crps-signs"])
    assert len(signs) >= 6 and all(c.aspect.value == "description" for c in signs)


def test_the_topics_command_lists_every_topic_with_its_entries(cli):
    topics = json.loads(cli("topics", "--json").stdout)
    by_id = {t["id"]: t for t in topics}
    assert {"surgery", "pregnancy", "children", "flare-ups", "diagnosis", "nsaids", "cgrp-antagonists"} <= set(by_id)
    assert by_id["nsaids"]["members"] == ["ibuprofen", "naproxen"]
    table = cli("topics").stdout
    assert "Surgery and hospital stays" in table and "gabapentin, pregabalin, vitamin-c" in table


def _data(tmp_path, topics: str) -> str:
    (tmp_path / "treatments.yaml").write_text(
        "- {id: calm, name: Calm, aliases: [quiet], category: care, summary: Being calm.}\n", encoding="utf-8"
    )
    (tmp_path / "topics.yaml").write_text(topics, encoding="utf-8")
    return str(tmp_path)


def test_a_topic_naming_an_unknown_entry_is_a_data_problem(cli, tmp_path):
    data = _data(tmp_path, "- id: rest\n  name: Rest\n  summary: Resting.\n  members: [calm, nap]\n")
    result = cli("check", data)
    assert result.exit_code == 1
    assert f"{tmp_path / 'topics.yaml'}:4: D011 rest: unknown treatment 'nap'" in result.stdout


def test_a_topic_may_not_take_a_treatments_name(cli, tmp_path):
    data = _data(tmp_path, "- id: rest\n  name: Rest\n  aliases: [Quiet]\n  summary: Resting.\n  members: [calm]\n")
    result = cli("check", data)
    assert result.exit_code == 1
    assert (
        "topics.yaml:3: D" in result.stdout
        and "'Quiet' is already a name or alias of treatment 'calm'" in result.stdout
    )


def test_statements_about_the_condition_have_a_home(cli):
    for name, entry in [
        ("signs", "crps-signs"),
        ("CRPS II", "crps-types"),
        ("glia", "crps-cause"),
        ("fertility", "crps-pregnancy"),
    ]:
        assert shown(cli, *name.split())[0] == [entry]
    assert all(BASE.treatments[t].category.value in ("about", "pregnancy") for t in ("crps-signs", "crps-pregnancy"))


def test_a_topic_screen_opens_with_what_it_shows_and_why(cli):
    """The notice is on stderr for scripts, and atop the table for people (a pager hides stderr)."""
    table = cli("treat", "surgery")
    notice = 'showing the 12 entries of topic "Surgery and hospital stays" for "surgery"'
    assert table.stderr == f"crps: {notice}\n"
    assert table.stdout.startswith(f"S{notice[1:]}.\nNo conflict or tension in any of the 12 entries.\nGabapentin")
    assert cli("treat", "ldn").stdout.startswith("Low-dose naltrexone")  # an exact name needs no notice
    assert cli("treat", "surgery", "--json").stdout.startswith("{")

"""Search: ranked word by word over every text field, questions typed as sentences find their subject first."""

from __future__ import annotations

import json

import pytest


def hits(cli, *words: str) -> list[dict]:
    result = cli("search", *words, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("question", "kind", "record"),
    [
        ("can I take magnesium", "treatment", "magnesium"),
        ("what should I do before surgery", "topic", "surgery"),
        ("my child has CRPS", "topic", "children"),
        ("pediatric", "topic", "children"),
        ("kids", "topic", "children"),
        ("signs", "treatment", "crps-signs"),
        ("naltrexone", "treatment", "ldn"),
    ],
)
def test_a_question_finds_its_subject_first(cli, question, kind, record):
    first = hits(cli, *question.split())[0]
    assert (first["kind"], first["id"]) == (kind, record)


def test_discrepancy_notes_are_searched(cli):
    first = hits(cli, "seventy", "times")[0]
    assert (first["kind"], first["id"], first["field"]) == ("study", "goebel-2010-ivig", "note")
    assert first["words"] == 2 and "seventy times" in first["text"]


def test_words_in_different_fields_of_one_record_count_together(cli):
    """Every word need not be in one field: a record holding more of the words ranks higher."""
    found = hits(cli, "ketamine", "boosters")
    assert found[0]["words"] == 2
    assert [h["words"] for h in found] == sorted((h["words"] for h in found), reverse=True)


def test_each_hit_says_where_it_matched_and_keeps_the_old_fields(cli):
    hit = hits(cli, "magnesium")[0]
    assert {"kind", "id", "treatment", "field", "text", "score"} <= set(hit)
    assert hit["field"] == "name" and hit["matched"].startswith("name") and "alias" in hit["matched"]
    table = cli("search", "magnesium").stdout.splitlines()
    assert table[0].split() == ["found", "matched", "in", "text"]
    assert table[1].split()[:4] == ["treatment", "magnesium", "name", f"+{len(hit['matched'].split(', ')) - 1}"]


def test_plurals_and_stems_match(cli):
    assert {h["id"] for h in hits(cli, "infusions")} >= {"ketamine-infusion", "lidocaine-infusion"}
    assert any(h["id"] == "n-acetylcysteine" for h in hits(cli, "scavenger"))


def test_full_text_syntax_is_taken_as_words(cli):
    result = cli("search", '"NEAR(', "OR", "*", "--json")
    assert result.exit_code == 0, result.stderr
    assert all("near" in h["text"].casefold() for h in json.loads(result.stdout))

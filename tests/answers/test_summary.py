"""The bottom line's positions: a study is shown behind the stance its claims take, never behind
one they do not."""

from __future__ import annotations

import json


def positions(cli, name: str, outcome: str) -> dict[str, dict]:
    entry = json.loads(cli("treat", name, "--json").stdout)["treatments"][0]
    (question,) = [q for q in entry["bottom_line"]["questions"] if q["outcome"] == outcome]
    return {p["label"].rsplit(" ", 1)[-1]: p for p in question["positions"]}


def test_a_study_cited_only_by_a_qualifying_claim_is_named_with_that_qualifier(cli):
    """On function the article supports ketamine (003-ketamine-infusion-17, no study) and cautions
    that function may lag (-25, citing Sigtermans 2009): Sigtermans was shown as the best study
    behind its support."""
    article = positions(cli, "ketamine-infusion", "function")["003"]
    assert article["stance"] == "supports" and article["qualified_by"] == ["caution"]
    assert article["studies"] == []
    (caution,) = article["qualifiers"]
    assert caution["stance"] == "caution" and [s["id"] for s in caution["studies"]] == ["sigtermans-2009-ketamine"]
    screen = cli("treat", "ketamine-infusion", env={"COLUMNS": "200"}).stdout
    assert "003 (also caution: Sigtermans 2009, rct, n=60)" in screen


def test_a_study_behind_the_position_itself_stays_its_best_study(cli):
    slides = positions(cli, "ketamine-infusion", "function")["002"]
    assert [s["id"] for s in slides["studies"]] == ["correll-2004-ketamine"] and slides["qualifiers"] == []


def test_a_mixed_position_names_the_study_behind_each_side(cli):
    """'mixed: 000 (also supports, opposes; Fischer 2013, rct, n=56)' put the negative trial behind
    the whole position and never named the pilot behind the support."""
    screen = cli("treat", "magnesium", env={"COLUMNS": "200"}).stdout
    assert "mixed: 000 (also supports: Collins 2009, pilot, n=10; also opposes: Fischer 2013, rct, n=56)" in screen

"""The claims of `treat` and `compare`: one line each by default, whole with --full; claim ids shown
beside their claims, each note on a study shown once and naming the study, one meaning per mark."""

from __future__ import annotations

import json
import re

NARROW = {"COLUMNS": "80"}
LEGEND = "Marks: ≠ conflict, ≈ tension, † a study the source describes differently from the study record"


def claim_ids(cli, *names: str) -> list[str]:
    data = json.loads(cli("treat", *names, "--json").stdout)
    return [
        view["claim"]["id"] for entry in data["treatments"] for group in entry["sources"] for view in group["claims"]
    ]


def test_treat_ketamine_at_80_columns_is_one_line_a_claim(cli):
    """The five ketamine entries took 1,039 lines at 80 columns, 13 a claim; compact, under 4 a claim
    with the bottom lines and headings (291 for 79 claims): a claim's head, and its text on the next
    line where the columns would leave it less than 40 cells."""
    result = cli("treat", "ketamine", env=NARROW)
    lines = result.stdout.splitlines()
    ids = claim_ids(cli, "ketamine")
    assert result.exit_code == 0 and len(ids) == 79
    assert len(lines) < 4 * len(ids)
    assert all(len(line) > 60 for line in lines if line.endswith("…"))  # a cut text had most of a line
    assert max(map(len, lines)) <= 80
    for claim_id in ids:  # every claim is there, each on its own line
        assert sum(claim_id in line.split() for line in lines) == 1, claim_id
    assert lines[0] == 'Showing the 5 entries of group "ketamine" for "ketamine".'
    assert lines[1].startswith("Intravenous ketamine infusion")
    assert lines[7].startswith("Bottom line")  # the bottom line still comes first
    assert len(cli("treat", "ketamine", "--full", env=NARROW).stdout.splitlines()) > 800


def test_a_claim_id_is_shown_on_its_claims_line(cli):
    """The conflict lines refer to 003-ketamine-infusion-19: the claim is found by that id."""
    (line,) = [line for line in cli("treat", "ketamine").stdout.splitlines() if "003-ketamine-infusion-19" in line]
    assert line.startswith("caution  ≈ efficacy: overall")
    assert "IV ketamine" in line or "article" in line  # the claim's own text follows the id
    full = cli("treat", "ketamine", "--full").stdout
    assert "003-ketamine-infusion-19 · " in full  # the id leads the claim's locator line
    assert "(003-ketamine-infusion-19; citing no study)" in full  # where the explanation refers to it


def test_each_note_on_a_study_is_shown_once_with_the_study(cli):
    """IVIG's four notes on the Goebel trial were shown under each of its eight claims, unnamed."""
    from crpscli.evidence.files import shipped_data
    from crpscli.evidence.loading import load

    goebel = next(s for s in load([shipped_data()]).base.studies.values() if s.first_author == "Goebel")
    notes = [d.note for d in goebel.discrepancies if d.source == "medscape-ivig"]
    assert len(notes) == 4
    full = cli("treat", "ivig", "--full").stdout
    for note in notes:
        assert full.count(note) == 1
    lines = full.splitlines()
    title = "† review excerpt 000 describes [138] Goebel 2010 (crossover rct, n=13) differently from the study record:"
    assert lines.count(title) == 1
    assert notes[0] in lines[lines.index(title) + 2]  # the first note, under the study it is about
    compact = cli("treat", "ivig").stdout
    assert not any(note in compact for note in notes)  # compact: the mark, and the bottom line's pointer
    assert compact.count("[138] Goebel 2010 (crossover rct, n=13) †") == 8
    assert "review excerpt 000 describes [138] Goebel 2010 (crossover rct, n=13) differently" in compact


def test_full_shows_each_claims_locator_and_quote(cli):
    data = json.loads(cli("treat", "tadalafil", "--json").stdout)
    claims = [view["claim"] for group in data["treatments"][0]["sources"] for view in group["claims"]]
    full = cli("treat", "tadalafil", "--full").stdout
    compact = cli("treat", "tadalafil").stdout
    for claim in claims:
        shown = f"{claim['id']} · {claim['locator']}: “{claim['quote']}”"
        assert shown in full and claim["quote"] not in compact
    assert claims[0]["text"] in compact  # at 250 columns a claim with no study fits whole


def test_compare_lists_context_compact_and_full_whole(cli):
    compact = cli("compare", "ivig").stdout
    full = cli("compare", "ivig", "--full").stdout
    assert "004-ivig-1  [condition: back pain]" in compact
    assert "“IVIG is not recommended for the treatment of back pain”" not in compact and "“IVIG is not" in full
    assert "† review excerpt 000 describes [138] Goebel 2010 (crossover rct, n=13) differently" in full
    assert "review excerpt 000 describes [138] Goebel 2010 (crossover rct, n=13) differently" in compact


def test_the_marks_are_explained_where_they_appear(cli):
    for args in (("treat", "ivig"), ("treat", "ivig", "--full"), ("compare", "ivig")):
        out = cli(*args).stdout
        assert "≠" in out and "†" in out
        assert LEGEND in out
        assert out.rstrip().endswith("it is not medical advice. Ask your own clinician.")
    matrix = cli("matrix").stdout
    assert "! C caution" in matrix and "†" not in matrix and "! conflict" not in matrix


def test_only_the_treatments_name_is_styled_as_a_heading(cli):
    out = cli("--color", "always", "treat", "ketamine").stdout
    headings = re.findall("\x1b\\[1;4m([^\x1b]*)", out)  # bold and underlined
    assert headings == [
        "Intravenous ketamine infusion",
        "Ketamine nasal spray or sublingual (troche)",
        "Oral ketamine",
        "Ketamine cream or ointment",
        "Intravenous ketamine as part of anaesthesia",
    ]

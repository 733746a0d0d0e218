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


CLAIM_LINE = re.compile(r"^ *(\d+) (supports|opposes|mixed|neutral|caution) ")


def shown_claim_ids(screen: str) -> list[str]:
    """The ids of the claims a compact screen shows, one a line: the dim number completes the id
    with the number of the source heading above it and the id of the treatment heading above that."""
    ids, treatment, source = [], "", ""
    for line in screen.splitlines():
        if heading := re.match(r"^\S.*  \(([a-z0-9-]+);", line):
            treatment = heading.group(1)
        elif source_title := re.match(r"^[a-z ]+ (\d{3})(, \d{4})?: ", line):
            source = source_title.group(1)
        elif claim := CLAIM_LINE.match(line):
            ids.append(f"{source}-{treatment}-{claim.group(1)}")
    return ids


def test_treat_ketamine_at_80_columns_is_under_200_lines_one_line_a_claim(cli):
    """The five ketamine entries took 1,039 lines at 80 columns, 13 a claim, then 292 with each claim
    on two; now each claim is one line (its number, stance, question, studies and the start of its
    text) and the whole screen, bottom lines included, is under 200 lines."""
    result = cli("treat", "ketamine", env=NARROW)
    lines = result.stdout.splitlines()
    ids = claim_ids(cli, "ketamine")
    assert result.exit_code == 0 and len(ids) == 79
    assert len(lines) < 200
    assert shown_claim_ids(result.stdout) == ids  # every claim, in order, on a line of its own
    assert all(len(line) > 60 for line in lines if line.endswith("…"))  # a cut text had most of a line
    assert max(map(len, lines)) <= 80
    assert lines[0] == 'Showing the 5 entries of group "ketamine" for "ketamine".'
    assert " ".join(lines[1:3]) == (  # where the disagreements are, before the first entry
        "Disagreements: ketamine-infusion ≈ 10 tensions; ketamine-nasal-sublingual ≠ 2 conflicts; none in the other 3."
    )
    assert lines[3].startswith("Intravenous ketamine infusion")
    assert lines[9].startswith("Bottom line")  # the bottom line still comes first
    assert "A claim's dim number ends its id: 1 under review excerpt 000 is 000-ketamine-infusion-1." in " ".join(lines)
    full = cli("treat", "ketamine", "--full", env=NARROW).stdout
    assert set(ids) <= set(full.split())  # --full: every claim, its id whole


def test_a_claims_studies_lose_their_design_before_they_leave_its_line(cli):
    """At 80 columns a study's design would leave a claim's text a few cells: the study is named by
    author and year on the line, and only claims citing three studies put them on a line of their own."""
    lines = cli("treat", "ketamine-infusion", env=NARROW).stdout.splitlines()
    (nine,) = [line for line in lines if line.startswith(" 9 supports   efficacy: pain")]
    assert "[2] Sigtermans 2009 †: Citing the" in nine
    (seven,) = [i for i, line in enumerate(lines) if line.startswith(" 7 supports ≈ efficacy: overall") and i > 80]
    assert lines[seven + 1].strip() == "[1] Schwartzman 2009 †; [2] Sigtermans 2009 †; [3] Kirkpatrick 2020 †"
    wide = cli("treat", "ketamine-infusion", env={"COLUMNS": "200"}).stdout
    assert "[2] Sigtermans 2009 (rct, n=60) †: Citing the double-blind" in wide  # room for the design


def test_a_claim_id_is_found_from_its_line(cli):
    """The conflict lines refer to 003-ketamine-infusion-19: its line is number 19 under clinician
    article 003 in the ketamine infusion entry, and --full shows the whole id."""
    screen = cli("treat", "ketamine").stdout
    (index,) = [i for i, claim_id in enumerate(shown_claim_ids(screen)) if claim_id == "003-ketamine-infusion-19"]
    line = [line for line in screen.splitlines() if CLAIM_LINE.match(line)][index]
    assert line.startswith("19 caution  ≈ efficacy: overall")
    assert "The article notes that some patients do not respond to ketamine." in line
    full = cli("treat", "ketamine", "--full").stdout
    assert "003-ketamine-infusion-19 · " in full  # the id leads the claim's locator line
    assert "(003-ketamine-infusion-19; citing no study)" in full  # where the explanation refers to it


def test_each_note_on_a_study_is_shown_once_with_the_study(cli):
    """IVIG's notes on the Goebel trial were each shown under all eight of its claims, unnamed."""
    from crpscli.evidence.files import shipped_data
    from crpscli.evidence.loading import load

    goebel = next(s for s in load([shipped_data()]).base.studies.values() if s.first_author == "Goebel")
    notes = [d.note for d in goebel.discrepancies if d.source == "medscape-ivig"]
    assert len(notes) == 3
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
    pointer = "000 [138] Goebel 2010: dose units, design, protocol (crps cite 000:138)"
    assert compact.splitlines().count(pointer) == 1


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
    assert " 1 opposes    efficacy: overall        [condition: back pain] [1] unnamed work: The page" in compact
    assert "“IVIG is not recommended for the treatment of back pain”" not in compact and "“IVIG is not" in full
    assert "† review excerpt 000 describes [138] Goebel 2010 (crossover rct, n=13) differently" in full
    assert "000 [138] Goebel 2010: dose units, design, protocol (crps cite 000:138)" in compact


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


def _disagreement(first: tuple[str, str], second: tuple[str, str], level: str = "tension"):
    from crpscli.answers.disagreements import Basis, Disagreement, Side
    from crpscli.evidence.vocab import Aspect, Level, Outcome, Speaker, Stance

    def side(source: str, stance: str) -> Side:
        return Side(
            source=source,
            speaker=Speaker.author,
            stance=Stance(stance),
            outcome=Outcome.overall,
            claims=[f"{source}-x-1"],
            studies=[],
        )

    return Disagreement(
        treatment="x",
        aspect=Aspect.efficacy,
        outcome=Outcome.overall,
        level=Level(level),
        basis=Basis.stance,
        first=side(*first),
        second=side(*second),
        explanation="",
    )


def test_a_bottom_line_joins_disagreements_only_where_every_pairing_is_one():
    """Three tensions with 003 caution share a line; drop one pairing of a two-by-two and the line
    would claim a tension the rule did not find, so each is said alone."""
    from crpscli.output.tables import _disagreement_lines

    labels = {s: f"a source {s}" for s in ("000", "001", "002", "003", "004")}
    full = [_disagreement((s, "supports"), ("003", "caution")) for s in ("002", "000", "001")]
    assert [(entries, said) for _, entries, said in _disagreement_lines(full, labels)] == [
        (3, "efficacy: overall: 000, 001, 002 supports vs 003 caution")  # the line says it stands for 3
    ]
    partial = [
        _disagreement(("000", "supports"), ("003", "caution")),
        _disagreement(("001", "supports"), ("003", "caution")),
        _disagreement(("001", "supports"), ("004", "caution")),
    ]
    assert [said for _, _, said in _disagreement_lines(partial, labels)] == [
        "efficacy: overall: 000 supports vs 003 caution",
        "efficacy: overall: 001 supports vs 003 caution",
        "efficacy: overall: 001 supports vs 004 caution",
    ]
    mixed_levels = [*full[:2], _disagreement(("001", "supports"), ("003", "caution"), level="conflict")]
    assert len(_disagreement_lines(mixed_levels, labels)) == 2  # a conflict never shares a tension's line


def test_full_gives_each_partner_of_a_claim_its_own_level(cli):
    """000-ivig-1 is in conflict with 000-ivig-9 and only in tension with 000-ivig-6 and -8; --full
    called all three a conflict, as `crps conflicts` does not."""
    full = cli("treat", "ivig", "--full", env={"COLUMNS": "200"}).stdout
    assert "≠ conflict with 000-ivig-9\n" in full
    assert "≈ tension with 000-ivig-6, 000-ivig-8" in full
    assert "≠ conflict with 000-ivig-9, 000-ivig-6" not in full
    entries = [e["disagreement"] for e in json.loads(cli("conflicts", "ivig", "--json").stdout)]
    pairs = {(e["level"], tuple(e["first"]["claims"]), tuple(e["second"]["claims"])) for e in entries}
    assert ("tension", ("000-ivig-1", "000-ivig-5"), ("000-ivig-6", "000-ivig-8")) in pairs


def test_a_bottom_lines_disagreement_says_what_each_side_holds_in_the_words_of_its_basis(cli):
    """'002 opposes vs 002 opposes' (scs) read as no disagreement at all, and 'evidence: under
    investigation: 001, 002 supports' gave the blog and slides a position on the evidence they never take."""
    scs = cli("treat", "scs", env={"COLUMNS": "200"}).stdout.splitlines()
    assert "≈ tension efficacy: 002 opposes overall vs 002 opposes long term benefit" in scs
    assert "≠ conflict mechanism: site of action: 001 gives an account vs 002 rejects it" in scs
    assert (
        "≠ conflict mechanism: site of action: 001 gives an account vs 002 calls it unknown (on mechanism: general)"
        in scs
    )
    nasal = cli("treat", "ketamine-nasal-sublingual", env={"COLUMNS": "200"}).stdout.splitlines()
    assert "≠ 2 conflicts efficacy: 001, 002 supports it vs 003 calls it under investigation" in nasal
    ldn = cli("treat", "ldn", env={"COLUMNS": "200"}).stdout.splitlines()
    assert "≈ tension efficacy: disease course: 002 supports in strong words vs the weak evidence it cites" in ldn


def test_a_claim_whose_flags_fill_its_line_has_its_text_below_and_no_word_is_cut(cli):
    """At 80 columns '[condition: autoimmune disease] The blo…' left three letters of a word."""
    lines = cli("treat", "ivig", env={"COLUMNS": "80"}).stdout.splitlines()
    flagged = lines.index(" 2 supports   efficacy: overall         [condition: autoimmune disease]")
    assert lines[flagged + 1].strip().startswith("The blog says IVIG helps")
    from rich.text import Text

    from crpscli.output.tables import _fit

    assert _fit(Text("The immunoglobulin trial"), 12).plain == "The…"  # was "The immunog…"
    assert _fit(Text("Immunoglobulins"), 8).plain == "Immunog…"  # one word longer than the room


def test_a_work_with_no_author_is_named_by_the_documents_label_never_by_its_id(cli):
    """'[142] medscape-142-editorial (editorial)' and 'blog001-ivig-quote' showed crps's own ids."""
    screen = cli("treat", "ivig", env={"COLUMNS": "200"}).stdout
    assert "[142] unnamed editorial: An editorial on the IVIG study" in screen
    assert "“IVIG (source) link”: A passage the blog" in screen
    assert "also caution: unnamed editorial" in screen  # the bottom line's words too
    assert "medscape-142-editorial" not in screen and "blog001-ivig-quote" not in screen


def test_several_entries_compared_open_with_where_their_disagreements_are(cli):
    lines = cli("compare", "ketamine", env={"COLUMNS": "200"}).stdout.splitlines()
    assert lines[1] == (
        "Disagreements: ketamine-infusion ≈ 10 tensions; ketamine-nasal-sublingual ≠ 2 conflicts; none in the other 3."
    )
    one_of_two = cli("treat", "tens", "ldn", env={"COLUMNS": "200"}).stdout.splitlines()
    assert one_of_two[0] == "Disagreements: tens ≠ 1 conflict; ldn ≈ 1 tension."


def test_in_colour_only_a_claims_number_is_dim(cli):
    """The number was the line's base style, so the stance, the mark and the text were dimmed too."""
    out = cli("--color", "always", "treat", "ldn", env={"COLUMNS": "100"}).stdout
    (line,) = [line for line in out.splitlines() if "The deck calls naltrexone" in line]
    number, rest = line.split("\x1b[0m", 1)
    assert number == "\x1b[2m 1 "
    assert "\x1b[2m" not in rest and ";2;" not in rest and "[2;" not in rest


def test_a_study_list_wrapped_below_its_claim_keeps_its_indent(cli):
    """At 50 columns the second line of a long study list fell to the margin, among claim rows."""
    lines = cli("treat", "ketamine-infusion", env={"COLUMNS": "50"}).stdout.splitlines()
    wrapped = [line for line in lines if "Kirkpatrick 2020 †" in line and "Schwartzman" not in line]
    assert wrapped and all(line.startswith("  [") for line in wrapped), wrapped

"""The loader: one failing data directory per problem code, and a passing set."""

from __future__ import annotations

from pathlib import Path

import pytest

from crpscli.evidence.loading import load
from crpscli.evidence.problems import Code

from ..conftest import DATA

BAD = DATA / "bad"

# The exact `file:line: CODE` each failing directory must produce (and nothing else).
EXPECTED = {
    "D001-invalid-yaml": "treatments.yaml:4: D001",
    "D002-unsafe-tag": "treatments.yaml:9: D002",
    "D003-duplicate-key": "treatments.yaml:8: D003",
    "D004-not-a-list": "treatments.yaml:1: D004",
    "D005-unknown-field": "claims.yaml:18: D005 notes-gadget-1",
    "D006-missing-field": "claims.yaml:11: D006 notes-gadget-1",
    "D007-unknown-value": "claims.yaml:7: D007 notes-widget-1",
    "D008-invalid-value": "claims.yaml:15: D008 notes-gadget-1",
    "D009-duplicate-id": "claims.yaml:11: D009 notes-widget-1",
    "D010-duplicate-alias": "treatments.yaml:8: D010 gadget",
    "D011-unknown-reference": "claims.yaml:10: D011 notes-widget-1",
    "D012-quote-not-found": "claims.yaml:1: D012 notes-widget-1",
    "D013-unreadable": "treatments.yaml:9: D013",
    "D015-outcome-aspect": "claims.yaml:9: D015 notes-widget-1: outcome 'boosters' is not a question of aspect",
    "D016-group-name-taken": "treatments.yaml:9: D016 gadget",
}


def test_every_code_has_a_failing_directory():
    covered = {name.split("-")[0] for name in EXPECTED} | {"D014"}
    assert covered == {code.value for code in Code}
    assert sorted(p.name for p in BAD.iterdir()) == sorted([*EXPECTED, "D014-no-data"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_failing_directory_reports_its_code(cli, name):
    result = cli("check", "--alone", str(BAD / name), "--sources", str(DATA))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:-1] == [line for line in lines[:-1] if line.startswith(f"{BAD / name}/")]
    assert len(lines) == 2, result.output
    assert lines[0].startswith(f"{BAD / name}/{EXPECTED[name]}")
    assert lines[-1].startswith("1 problem")


def test_no_data_files(cli):
    result = cli("check", "--alone", str(BAD / "D014-no-data"))
    assert result.exit_code == 1
    assert result.output.startswith(f"{BAD / 'D014-no-data'}:1: D014 no data files")


def test_passing_set_checks_clean(cli):
    result = cli("check", "--alone", str(DATA / "good"), "--sources", str(DATA))
    assert result.exit_code == 0, result.output
    assert result.output == "no problems: 1 sources, 2 treatments, 2 claims, 1 studies, 1 topics; 2 quotes checked\n"


def test_unknown_enum_value_names_the_allowed_ones():
    result = load([BAD / "D007-unknown-value"])
    (problem,) = result.problems
    assert "'support' is not one of 'supports', 'opposes', 'mixed', 'neutral' or 'caution'" in problem.message


def test_unsafe_tag_is_refused_not_run(tmp_path: Path):
    marker = tmp_path / "ran"
    (tmp_path / "treatments.yaml").write_text(
        f"- !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    (problem,) = load([tmp_path]).problems
    assert problem.code is Code.UNSAFE_TAG and problem.line == 1
    assert not marker.exists()


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path):
    (tmp_path / "treatments.yaml").write_text(
        "- {id: a, name: A, category: nonsense, summary: x}\n"
        "- {id: b, name: B, category: device, summary: x, colour: red}\n"
        "- {id: c, name: C, category: device}\n",
        encoding="utf-8",
    )
    problems = load([tmp_path]).problems
    assert [(p.line, p.code) for p in problems] == [
        (1, Code.UNKNOWN_VALUE),
        (2, Code.UNKNOWN_FIELD),
        (3, Code.MISSING_FIELD),
    ]


def test_duplicate_keys_are_all_reported(tmp_path: Path):
    (tmp_path / "treatments.yaml").write_text(
        "- id: a\n  id: b\n  name: A\n- id: c\n  name: C\n  name: D\n", encoding="utf-8"
    )
    problems = load([tmp_path]).problems
    assert [(p.line, p.code) for p in problems] == [(2, Code.DUPLICATE_KEY), (6, Code.DUPLICATE_KEY)]


def test_bom_is_accepted(tmp_path: Path):
    text = (DATA / "good" / "treatments.yaml").read_text(encoding="utf-8")
    (tmp_path / "treatments.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode())
    result = load([tmp_path])
    assert result.problems == []
    assert list(result.base.treatments) == ["widget", "gadget"]


def test_overlay_overrides_and_says_so(tmp_path: Path):
    (tmp_path / "treatments.yaml").write_text(
        "- {id: widget, name: Widget therapy v2, category: device, summary: Changed.}\n", encoding="utf-8"
    )
    result = load([DATA / "good", tmp_path])
    assert result.problems == []
    assert result.base.treatments["widget"].name == "Widget therapy v2"
    assert len(result.notices) == 1 and "widget overrides the entry from" in result.notices[0]

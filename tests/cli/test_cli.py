"""Every command as a user meets it: content, formats, exit codes, names and references."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from crpscli.cli import app

from ..conftest import ENV

# Every command in every format: tests/whole/test_contract.py.


def test_json_shorthand_and_env_default(cli):
    by_flag = cli("treat", "ldn", "--json").stdout
    by_env = cli("treat", "ldn", env={"CRPS_FORMAT": "json"}).stdout
    assert json.loads(by_flag) == json.loads(by_env)
    assert json.loads(by_flag)["treatments"][0]["treatment"]["id"] == "ldn"


def test_bad_crps_format_is_a_usage_error(cli):
    result = cli("sources", env={"CRPS_FORMAT": "xml"})
    assert result.exit_code == 2
    assert "CRPS_FORMAT='xml' is not one of table, json, yaml, csv, tsv, markdown" in result.stderr


def test_treat_ketamine_full_shows_every_form_and_source(cli):
    out = cli("treat", "ketamine", "--full").stdout
    for name in ("Intravenous ketamine", "Oral ketamine", "Ketamine cream or ointment"):
        assert name in out
    for source in ("review excerpt 000", "patient blog 001", "clinician article 003, 2025"):
        assert source in out
    assert "2–10 days" in out and "4–10 days" in out
    assert "≠ conflict with 003-ketamine-nasal-sublingual-1" in out  # "works" against "under investigation"
    assert "≈ tension with 003-ketamine-infusion-22" in out  # long-term safety


def test_treat_flags_a_study_the_source_describes_differently(cli):
    out = cli("treat", "ivig", "--full").stdout
    assert "† review excerpt 000 describes [138] Goebel 2010 (crossover rct, n=13) differently" in out
    assert "dose units  The excerpt gives the dose" in out.replace("dose units   ", "dose units  ")
    assert "[138] Goebel 2010 (crossover rct, n=13) †" in cli("treat", "ivig").stdout


def test_treat_json_is_built_from_the_models(cli):
    data = json.loads(cli("treat", "IVIg", "--json").stdout)
    (entry,) = data["treatments"]
    assert entry["treatment"]["id"] == "ivig"
    by_source = {group["source"]["id"]: group["claims"] for group in entry["sources"]}
    assert {"medscape-ivig", "blog-flames", "droracle-ivig-back"} <= set(by_source)
    back_pain = [c for c in by_source["droracle-ivig-back"] if c["claim"]["condition"] == "back_pain"]
    assert back_pain and all(not c["conflicts_with"] for c in back_pain)


def test_compare_magnesium_names_both_sides_and_their_sources(cli):
    result = cli("compare", "magnesium")
    out = result.stdout
    assert result.exit_code == 0
    assert "Conflicts and tensions:" in out
    assert "review excerpt 000 opposes it (000-magnesium-3; citing Fischer 2013 (rct, n=56))" in out
    assert "patient blog 001 supports it (001-magnesium-3; citing no study)" in out


def test_compare_keeps_back_pain_as_context(cli):
    data = json.loads(cli("compare", "ivig", "--json").stdout)
    context_sources = {view["claim"]["source"] for view in data["context"]}
    assert "droracle-ivig-back" in context_sources
    assert all(col["id"] != "droracle-ivig-back" for col in data["columns"])
    named = {
        claim for d in data["disagreements"] for side in (d["first"], d["second"]) if side for claim in side["claims"]
    }
    assert named and not any(claim_id.startswith("004-") for claim_id in named)


def test_compare_several_treatments_side_by_side(cli):
    data = json.loads(cli("compare", "gabapentin", "pregabalin", "--json").stdout)
    assert data["by"] == "treatment"
    assert [c["id"] for c in data["columns"]] == ["gabapentin", "pregabalin"]


def test_cite_a_number_several_documents_use_lists_each(cli):
    data = json.loads(cli("cite", "1", "--json").stdout)
    matched = {m["study"]["id"]: m["matched"] for m in data["matches"]}
    assert matched == {
        "schwartzman-2009-ketamine-outpatient": "reference 1 of chopra-ketamine",
        "droracle-004-ref1": "reference 1 of droracle-ivig-back",
    }


@pytest.mark.parametrize(
    ("ref", "study"),
    [
        ("138", "goebel-2010-ivig"),
        ("[138]", "goebel-2010-ivig"),
        ("003:2", "sigtermans-2009-ketamine"),
        ("chopra-ketamine:2", "sigtermans-2009-ketamine"),
        ("kemler", "kemler-2000-scs"),
        ("Kemler", "kemler-2000-scs"),
        ("19604642", "sigtermans-2009-ketamine"),
        ("10.7326/0003-4819-152-3-201002020-00006", "goebel-2010-ivig"),
        ("https://doi.org/10.7326/0003-4819-152-3-201002020-00006", "goebel-2010-ivig"),
        ("groeneweg-2008-tadalafil", "groeneweg-2008-tadalafil"),
    ],
)
def test_cite_accepts_every_kind_of_reference(cli, ref, study):
    result = cli("cite", ref, "--json")
    assert result.exit_code == 0, result.output
    assert study in [m["study"]["id"] for m in json.loads(result.stdout)["matches"]]


def test_cite_takes_the_leading_words_of_a_study_id_and_only_those(cli):
    """The slides cite "(Zagnon)"; the study's id starts "zagon", and a reader may type that."""
    for ref in ("zagon", "zagon-opioid", "Zagon opioid"):
        data = json.loads(cli("cite", ref, "--json").stdout)
        assert [(m["study"]["id"], m["matched"]) for m in data["matches"]] == [
            ("zagon-opioid-growth-factor", "start of its study id")
        ], ref
    assert cli("cite", "opioid").exit_code == 1  # a later word of the id is not its start


def test_cite_138_shows_record_citers_and_what_rests_on_it(cli):
    out = cli("cite", "138").stdout
    assert "Intravenous immunoglobulin treatment of the complex regional pain syndrome" in out
    assert "20124231" in out and "10.7326/0003-4819-152-3-201002020-00006" in out
    assert "medscape-ivig 138" in out
    assert "000-ivig-1" in out
    assert "described differently by medscape-ivig (dose_units)".replace("_", " ") in out


@pytest.mark.parametrize("ref", ["999", "nobody", "zz:9", "10.9999/none"])
def test_cite_unknown_reference_exits_1(cli, ref):
    result = cli("cite", ref)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"crps: no study matches '{ref}'")


def test_cite_source_n_that_the_source_lacks_says_which_references_it_has(cli):
    """'002:1' suggested SOURCE:N, but the slides cite by name, not number."""
    numbered = cli("cite", "004:9")
    assert (numbered.exit_code, numbered.stdout) == (1, "")
    assert (
        numbered.stderr
        == "crps: AI-generated answer 004 has no reference '9'; it cites 3, for example 004:1, 004:2, 004:3\n"
    )
    named = cli("cite", "002:1").stderr
    assert named.startswith(
        "crps: clinician slides 002 has no reference '1'; it cites 26, for example 002:Atkins 1993,"
    )
    example = named.split("for example ")[1].split(",")[0]
    assert cli("cite", example).exit_code == 0  # a suggestion that works as typed


@pytest.mark.parametrize("name", ["LDN", "low-dose naltrexone", "Low Dose Naltrexone", "low_dose  NALTREXONE", "ldn"])
def test_names_resolve_case_space_hyphen_insensitive(cli, name):
    data = json.loads(cli("treat", name, "--json").stdout)
    assert [e["treatment"]["id"] for e in data["treatments"]] == ["ldn"]


def test_accents_are_ignored(cli):
    data = json.loads(cli("treat", "Lidocaïne infusion", "--json").stdout)
    assert data["treatments"][0]["treatment"]["id"] == "lidocaine-infusion"


def test_a_misspelt_name_is_corrected_and_said_so(cli):
    result = cli("treat", "magnesuim", "--json")
    assert [e["treatment"]["id"] for e in json.loads(result.stdout)["treatments"]] == ["magnesium"]
    assert result.stderr == 'crps: showing Magnesium for "magnesuim"\n'


def test_an_unknown_name_exits_1_saying_no_source_mentions_it(cli):
    result = cli("treat", "cannabis")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "crps: none of the five sources mentions 'cannabis'\n"


def test_a_part_name_shows_every_entry_it_fits_and_says_so(cli):
    result = cli("treat", "vitamin", "--json")
    assert [e["treatment"]["id"] for e in json.loads(result.stdout)["treatments"]] == ["vitamin-c", "vitamin-d"]
    assert result.stderr == 'crps: showing 2 entries for "vitamin": Vitamin C; Vitamin D\n'


def test_group_name_expands_to_its_members(cli):
    data = json.loads(cli("treat", "ketamine", "--json").stdout)
    ids = [e["treatment"]["id"] for e in data["treatments"]]
    assert ids[0] == "ketamine-infusion" and "ketamine-oral" in ids and len(ids) == 5


def test_list_filters(cli):
    everything = json.loads(cli("list", "--json").stdout)
    devices = json.loads(cli("list", "--category", "device", "--json").stdout)
    conflicted = json.loads(cli("list", "--conflicted", "--json").stdout)
    blog = json.loads(cli("list", "--source", "001", "--json").stdout)
    assert len(everything) >= 70
    assert devices and all(t["category"] == "device" for t in devices)
    assert {"magnesium", "ketamine-nasal-sublingual"} <= {t["id"] for t in conflicted}
    assert all(t["conflicted"] and t["level"] == "conflict" for t in conflicted)
    # IV ketamine's nested course lengths are no conflict; its long-term safety is a tension
    (ketamine,) = [t for t in everything if t["id"] == "ketamine-infusion"]
    assert (ketamine["conflicted"], ketamine["level"]) == (False, "tension")
    assert blog and all("blog-flames" in t["sources"] for t in blog)


def test_list_unknown_source_exits_1(cli):
    result = cli("list", "--source", "nowhere")
    assert result.exit_code == 1 and "no source 'nowhere'" in result.stderr


def test_search_ranks_names_first(cli):
    hits = json.loads(cli("search", "naltrexone", "--json").stdout)
    assert hits[0]["kind"] == "treatment" and hits[0]["id"] == "ldn"
    assert any(h["kind"] == "claim" for h in hits)


def test_search_nothing_exits_1(cli):
    result = cli("search", "xyzzy")
    assert result.exit_code == 1 and result.stderr == "crps: nothing matches 'xyzzy'\n"


def test_sources_counts_claims(cli):
    rows = list(csv.DictReader(io.StringIO(cli("sources", "--format", "csv").stdout)))
    assert [r["source.number"] for r in rows] == ["000", "001", "002", "003", "004"]
    assert all(int(r["claims"]) > 0 for r in rows)
    assert rows[4]["source.conditions"].startswith("back_pain")


def test_conflicts_lists_both_sides(cli):
    rows = list(csv.DictReader(io.StringIO(cli("conflicts", "--format", "csv").stdout)))
    magnesium = [r for r in rows if r["disagreement.treatment"] == "magnesium" and r["disagreement.basis"] == "stance"]
    assert {r["disagreement.first.source"] for r in magnesium} | {
        r["disagreement.second.source"] for r in magnesium
    } == {
        "medscape-ivig",
        "blog-flames",
    }


def test_export_holds_everything(cli):
    data = json.loads(cli("export", "--json").stdout)
    assert {k: len(v) > 0 for k, v in data.items()} == {
        "sources": True,
        "studies": True,
        "treatments": True,
        "claims": True,
    }


def test_version_names_the_data_date(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("crps 0.1.0 (data of 20")


def test_usage_errors_exit_2(cli):
    assert cli("treat").exit_code == 2
    assert cli("list", "--category", "magic").exit_code == 2
    assert cli("frobnicate").exit_code == 2


def test_schema_is_generated_from_the_models(cli):
    schemas = json.loads(cli("schema").stdout)
    assert set(schemas) == {"sources", "studies", "treatments", "claims", "topics"}
    claim = json.loads(cli("schema", "claims").stdout)
    assert claim["type"] == "array"
    assert cli("schema", "nonsense").exit_code == 2


def test_overlay_data_extends_the_builtin(cli, tmp_path):
    (tmp_path / "treatments.yaml").write_text(
        "- {id: widget, name: Widget therapy, category: device, summary: A made-up device.}\n"
    )
    data = json.loads(cli("--data", str(tmp_path), "treat", "widget", "--json").stdout)
    assert data["treatments"][0]["treatment"]["name"] == "Widget therapy"
    only = cli("--no-builtin", "--data", str(tmp_path), "list", "--json")
    assert [t["id"] for t in json.loads(only.stdout)] == ["widget"]


def test_invalid_overlay_exits_3_with_file_and_line(cli, tmp_path):
    (tmp_path / "claims.yaml").write_text("- id: x\n  stance: great\n")
    result = cli("--data", str(tmp_path), "treat", "ldn")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert f"{tmp_path}/claims.yaml:1: D006 x: missing required field" in result.stderr


def test_cite_several_references_lists_each_study_once(cli):
    data = json.loads(cli("cite", "138", "kemler", "goebel-2010-ivig", "--json").stdout)
    assert [m["study"]["id"] for m in data["matches"]] == ["goebel-2010-ivig", "kemler-2000-scs"]
    result = cli("cite", "138", "nobody")
    assert result.exit_code == 1 and result.stdout == ""


def _help(application, args: list[str]) -> str:
    return CliRunner().invoke(application, args, env=ENV).output


def _shape(command) -> tuple:
    """A command as its help and parser see it: help text, every parameter, every subcommand."""
    params = [(p.name, tuple(p.opts), p.required, repr(p.default), getattr(p, "help", None)) for p in command.params]
    return command.help, params, sorted(getattr(command, "commands", {}))


def test_the_app_built_for_one_command_answers_as_the_whole_app():
    """Start-up builds only the command asked; its help, options and errors are the whole app's."""
    import typer.main

    from crpscli.cli import app_for

    names = [typer.main.get_command_name(c.name or c.callback.__name__) for c in app.registered_commands]
    assert len(names) == 13
    whole = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for name in [*names, "cache"]:
        pruned = app_for(["--color", "never", name, "--help"])
        (command,) = typer.main.get_command(pruned).commands.values()  # type: ignore[attr-defined]
        assert _shape(command) == _shape(whole[name])
    assert _help(app_for(["treat", "--help"]), ["treat", "--help"]) == _help(app, ["treat", "--help"])
    for args in (["treat", "--bogus"], ["treat", "ldn", "--format", "ndjson"]):
        assert _help(app_for(args), args) == _help(app, args)
    assert "is for list, sources, search, conflicts, topics and export only" in _help(app_for(args), args)
    for whole in (["--help"], ["--version"], ["tret", "ldn"], ["--show-completion", "bash"], []):
        assert app_for(whole) is app


def test_every_global_option_with_a_value_is_known_to_the_one_command_app():
    """app_for skips a global option's value; one added to the callback must be added there too."""
    import typer.main

    from crpscli.cli import GLOBAL_OPTIONS_WITH_VALUES

    group = typer.main.get_command(app)
    valued = {opt for p in group.params if not p.is_flag and p.expose_value for opt in p.opts}  # type: ignore[attr-defined]
    assert valued == set(GLOBAL_OPTIONS_WITH_VALUES)


def test_completion_builds_only_the_command_whose_argument_is_completed(monkeypatch):
    from crpscli.cli import app_for

    monkeypatch.setenv("_CRPS_COMPLETE", "complete_bash")
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", "crps --color never treat 'low do")
    assert [c.callback.__name__ for c in app_for([]).registered_commands] == ["treat"]
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", "crps tr")  # the command's own name: every command
    assert app_for([]) is app
    monkeypatch.delenv("_TYPER_COMPLETE_ARGS")
    monkeypatch.setenv("COMP_WORDS", "crps cite goe")  # typer's own script
    monkeypatch.setenv("COMP_CWORD", "2")
    assert [c.callback.__name__ for c in app_for([]).registered_commands] == ["cite"]


def test_a_path_too_long_for_the_file_system_is_a_clean_error(cli):
    """A name longer than the file system allows made stat() raise: an internal error, exit 4."""
    too_long = "k" * 4000
    sources = cli("check", "--sources", too_long)
    assert sources.exit_code == 2 and "File name too long" in sources.stderr
    data = cli("--data", too_long, "treat", "ldn")
    assert data.exit_code == 3 and "not a usable data directory: File name too long" in data.stderr


def test_a_word_that_is_no_format_is_refused_naming_the_formats_the_command_takes(cli):
    """typer listed all ten formats, bibtex and ndjson too, for a command that takes six."""
    treat = cli("treat", "ldn", "--format", "nope")
    assert treat.exit_code == 2 and treat.stdout == ""
    assert "'nope' is not a format; treat takes table, json, yaml, csv, tsv, markdown" in treat.stderr
    assert "bibtex" not in treat.stderr
    cite = cli("cite", "138", "-f", "nope")
    assert "cite takes table, json, yaml, csv, tsv, markdown, bibtex, ris, csl-json" in cite.stderr
    assert cli("treat", "ldn", "-f", "JSON").stdout.startswith("{")  # the case still does not matter


def test_cite_says_how_sources_describe_the_study_differently_before_what_rests_on_it(cli):
    """The notes on the Goebel trial came after the eight claims resting on it, 60 lines down."""
    lines = cli("cite", "138", env={"COLUMNS": "80"}).stdout.splitlines()
    notes = [i for i, line in enumerate(lines) if line.startswith("described differently by medscape-ivig")]
    claims = [i for i, line in enumerate(lines) if line.startswith("000-ivig-")]
    assert len(notes) == 3 and len(claims) == 8
    assert max(notes) < min(claims) < 40


COLLECTOR = """
import gc, sys
import crpscli.answers.listing as listing
answer = listing.sources
def noting(base):
    print("during", gc.isenabled(), file=sys.stderr)
    return answer(base)
listing.sources = noting
from crpscli.edge import main
sys.argv = ["crps", "sources"]
try:
    main()
except SystemExit as exc:
    print("exit", exc.code, file=sys.stderr)
print("after", gc.isenabled(), file=sys.stderr)
"""


def test_the_cyclic_collector_is_off_for_a_command_and_back_after_it(tmp_path):
    """Its passes only rescan objects that live to the end of the run (docs/performance.md)."""
    import subprocess
    import sys

    env = {**ENV, "CRPS_CACHE_DIR": str(tmp_path), "PATH": ""}
    done = subprocess.run([sys.executable, "-c", COLLECTOR], capture_output=True, text=True, env=env, timeout=60)
    assert done.stderr.splitlines() == ["during False", "exit 0", "after True"], done.stderr
    assert "clinician slides" in done.stdout

"""The commands: parse the arguments, ask the question, hand the report to the output layer.

The process around a command (streams, signals, the last-resort error line) is `edge.py`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ClassVar

import typer

from . import DATA_DATE, __version__
from .edge import EXIT_DATA, EXIT_NOTHING, EXIT_USAGE, write_file
from .evidence.vocab import Aspect, Category
from .output.formats import CITATION_FORMATS, DATA_FORMATS, DOCUMENT_FORMATS, BriefFormat, Format, FormatError, choose
from .output.text import clean, one_line

if TYPE_CHECKING:  # the modules behind the commands are imported when a command runs
    from .answers.common import Report
    from .evidence.base import EvidenceBase

app = typer.Typer(
    name="crps",
    help="What the sources say about CRPS treatments, where they disagree, and the study behind "
    "each statement. A summary of sources, not medical advice.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


class Settings:
    """Global options, set once by the callback before a command runs."""

    data: ClassVar[list[Path]] = []
    builtin: ClassVar[bool] = True
    cache: ClassVar[bool] = True


def data_dirs() -> list[Path]:
    """The data in use: the shipped data (unless --no-builtin), then CRPS_DATA, then --data."""
    from .evidence.files import shipped_data

    env = [Path(p) for p in os.environ.get("CRPS_DATA", "").split(os.pathsep) if p]
    return ([shipped_data()] if Settings.builtin else []) + env + Settings.data


def fail(message: str, code: int) -> typer.Exit:
    """Print one line on stderr and return the Exit to raise."""
    typer.echo(f"crps: {one_line(message)}", err=True)
    return typer.Exit(code)


def evidence(use_cache: bool | None = None) -> EvidenceBase:
    from .evidence.store import load_evidence

    dirs = data_dirs()
    if not dirs:
        raise fail("no data: --no-builtin needs --data DIR or CRPS_DATA", EXIT_USAGE)
    result = load_evidence(dirs, use_cache=Settings.cache if use_cache is None else use_cache)
    warn(result.notices)
    if result.problems:
        for problem in result.problems:
            typer.echo(one_line(str(problem)), err=True)
        raise fail(f"{len(result.problems)} problem(s) in the data; run 'crps check'", EXIT_DATA)
    return result.base


def warn(notices: list[str]) -> None:
    """Overlay overrides: never applied silently."""
    for notice in notices:
        typer.echo(f"crps: warning: {one_line(notice)}", err=True)


def complete_name(incomplete: str) -> list[str]:
    from .evidence.cache import cached_labels
    from .evidence.store import load_evidence

    try:
        names = cached_labels(data_dirs()) or load_evidence(data_dirs()).base.labels()
    except Exception:  # completion must never break the shell
        return []
    folded = incomplete.casefold()
    # plain text for the shell: a name cannot hold a control character, and none is passed on
    return [clean(n) for n in names if n.casefold().startswith(folded)]


# Commands whose reports list studies, and so also take the citation formats (bibtex, ris, csl-json).
CITING_COMMANDS = ("cite", "export")


def accepted_formats(command: str | None) -> tuple[Format, ...]:
    return DATA_FORMATS + CITATION_FORMATS if command in CITING_COMMANDS else DATA_FORMATS


def format_for_command(ctx: typer.Context, value: Format | None) -> Format | None:
    """A format the command does not take is a usage error, caught before any data is read."""
    if value is not None and value not in accepted_formats(ctx.info_name):
        raise fail(
            f"--format {value.value} is for {' and '.join(CITING_COMMANDS)} only; "
            f"{ctx.info_name} takes {', '.join(f.value for f in DATA_FORMATS)}",
            EXIT_USAGE,
        )
    return value


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format (default: CRPS_FORMAT or table); bibtex, ris and csl-json for cite and export only.",
        case_sensitive=False,
        show_default=False,
        callback=format_for_command,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
NamesArgument = Annotated[list[str], typer.Argument(help="Treatment names or aliases.", autocompletion=complete_name)]


def chosen_format(fmt: Format | None, as_json: bool, citations: bool = False) -> Format:
    accepted = DATA_FORMATS + CITATION_FORMATS if citations else DATA_FORMATS
    try:
        return choose(fmt, as_json=as_json, accepted=accepted)
    except FormatError as exc:
        raise fail(str(exc), EXIT_USAGE) from None


def emit(report: Report, fmt: Format | None, as_json: bool, citations: bool = False) -> None:
    from .output.formats import show

    show(report, chosen_format(fmt, as_json, citations))


def answer(query: Callable[[EvidenceBase], Report]) -> Report:
    """Ask the evidence base; a name or reference that finds nothing becomes exit 1 with one line.

    A cache that fails mid-query is dropped, rebuilt from the YAML, and the question asked again.
    """
    from .answers.common import NotFound
    from .evidence.cache import CacheUnreadable, forget

    try:
        try:
            return query(evidence())
        except CacheUnreadable as exc:  # rebuilt from the YAML, and asked again
            forget(exc.path)
            return query(evidence())
    except NotFound as exc:
        raise fail(str(exc), EXIT_NOTHING) from None


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"crps {__version__} (data of {DATA_DATE})")
        raise typer.Exit()


@app.callback()
def options(
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            help="Extra data directory (repeatable); "
            "later ones extend earlier ones. Also CRPS_DATA (paths separated by ':').",
        ),
    ] = None,
    no_builtin: Annotated[bool, typer.Option("--no-builtin", help="Use only --data / CRPS_DATA.")] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Read the YAML itself; neither read nor write the cache.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version and the data's date."
        ),
    ] = False,
) -> None:
    """crps: CRPS evidence lookup. It summarises sources; it gives no medical advice."""
    Settings.data = list(data or [])
    Settings.builtin = not no_builtin
    Settings.cache = not no_cache


@app.command()
def treat(names: NamesArgument, fmt: FormatOption = None, as_json: JsonOption = False) -> None:
    """Everything the sources say about one or more treatments, grouped by source."""
    from .answers.names import resolve_all
    from .answers.treat import treat as answer_treat

    emit(answer(lambda base: answer_treat(base, resolve_all(base, names))), fmt, as_json)


@app.command()
def compare(names: NamesArgument, fmt: FormatOption = None, as_json: JsonOption = False) -> None:
    """Sources side by side for one treatment (or treatments side by side), with disagreements."""
    from .answers.compare import compare as answer_compare
    from .answers.names import resolve_all

    emit(answer(lambda base: answer_compare(base, resolve_all(base, names))), fmt, as_json)


@app.command()
def cite(
    refs: Annotated[list[str], typer.Argument(help="Reference number, SOURCE:N, study id, surname, PMID or DOI.")],
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """A cited study: the record, who cites it under which number, and what rests on it.

    --format bibtex, ris or csl-json gives the matched studies for a reference manager.
    """
    from .answers.cite import cite as answer_cite

    emit(answer(lambda base: answer_cite(base, refs)), fmt, as_json, citations=True)


@app.command(name="list")
def list_(
    category: Annotated[Category | None, typer.Option(help="Only this category.", case_sensitive=False)] = None,
    source: Annotated[str | None, typer.Option(help="Only treatments this source speaks about (id or number).")] = None,
    conflicted: Annotated[bool, typer.Option("--conflicted", help="Only treatments the sources disagree on.")] = False,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every treatment, one row each, with category, sources and whether they disagree."""
    from .answers.listing import list_treatments

    report = answer(lambda base: list_treatments(base, category, source, conflicted))
    emit(report, fmt, as_json)
    if not report.treatments:  # type: ignore[attr-defined]
        raise typer.Exit(EXIT_NOTHING)


@app.command()
def search(
    text: Annotated[list[str], typer.Argument(help="Words to look for.")],
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search names, aliases, claims and studies; best matches first."""
    from .answers.search import search as answer_search

    emit(answer(lambda base: answer_search(base, " ".join(text))), fmt, as_json)


@app.command()
def sources(fmt: FormatOption = None, as_json: JsonOption = False) -> None:
    """The source documents: kind, year, and how many claims each contributes."""
    from .answers.listing import sources as answer_sources

    emit(answer(answer_sources), fmt, as_json)


@app.command()
def conflicts(
    names: Annotated[
        list[str] | None, typer.Argument(help="Limit to these treatments.", autocompletion=complete_name)
    ] = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every disagreement in the data: treatment, aspect, both sides and their sources."""
    from .answers.conflicts import conflicts as answer_conflicts
    from .answers.names import resolve_all

    report = answer(lambda base: answer_conflicts(base, resolve_all(base, names) if names else None))
    emit(report, fmt, as_json)
    if not report.conflicts:  # type: ignore[attr-defined]
        raise typer.Exit(EXIT_NOTHING)


@app.command()
def export(fmt: FormatOption = None, as_json: JsonOption = False) -> None:
    """The whole evidence base in one call (--format json or yaml), or every study (bibtex, ris, csl-json)."""
    from .answers.export import export as answer_export

    emit(answer(answer_export), fmt, as_json, citations=True)


@app.command()
def matrix(
    category: Annotated[Category | None, typer.Option(help="Only this category.", case_sensitive=False)] = None,
    conflicted: Annotated[bool, typer.Option("--conflicted", help="Only treatments the sources disagree on.")] = False,
    aspect: Annotated[
        Aspect | None, typer.Option(help="Only claims on this aspect (efficacy, safety, ...).", case_sensitive=False)
    ] = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """Treatments by sources at a glance: each source's overall stance, disagreements marked."""
    from .answers.matrix import matrix as answer_matrix

    emit(answer(lambda base: answer_matrix(base, category, conflicted, aspect)), fmt, as_json)


@app.command()
def brief(
    name: Annotated[str, typer.Argument(help="One treatment's name or alias.", autocompletion=complete_name)],
    fmt: Annotated[
        BriefFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="markdown or html (default: html when -o ends in .html or .htm, else markdown).",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the brief to this file instead of stdout ('-': stdout)."),
    ] = None,
) -> None:
    """A printable brief on one treatment, for a patient and their clinician (markdown or HTML).

    What it is, what each source says, where they disagree, the figures, the references.
    """
    from .answers.brief import build, one_treatment
    from .output.brief import refuse_output
    from .output.formats import choose, text_of

    if output is not None and str(output) == "-":  # the usual spelling of stdout
        output = None
    by_name = BriefFormat.html if output and output.suffix.lower() in (".html", ".htm") else BriefFormat.markdown
    chosen = choose(fmt, accepted=DOCUMENT_FORMATS, default=by_name, from_environment=False)
    if output is not None and (why := refuse_output(output, data_dirs())):
        raise fail(why, EXIT_USAGE)
    written = text_of(answer(lambda base: build(base, one_treatment(base, name))), chosen)
    if output is None:
        sys.stdout.write(written)
        return
    try:
        write_file(output, written)
    except OSError as exc:
        raise fail(f"-o {output}: {exc.strerror or exc}", EXIT_USAGE) from None


@app.command()
def check(
    directory: Annotated[Path | None, typer.Argument(help="Data directory (default: the data in use).")] = None,
    documents: Annotated[
        Path | None,
        typer.Option(
            "--sources", help="Folder of source documents: verify every claim's quote appears in its document."
        ),
    ] = None,
    alone: Annotated[
        bool, typer.Option("--alone", help="Check DIRECTORY by itself, not on top of the data it extends.")
    ] = False,
) -> None:
    """Validate the data; print every problem as file:line: CODE entry: message.

    A DIRECTORY is checked as the overlay it is: on top of the data it extends (the shipped data,
    CRPS_DATA and --data), unless --alone.
    """
    from .evidence.loading import load
    from .evidence.provenance import missing_quotes

    if documents is not None and not documents.is_dir():
        raise fail(f"--sources {documents}: not a directory", EXIT_USAGE)
    below = [d for d in data_dirs() if directory and d.resolve() != directory.resolve()] if not alone else []
    result = load([*below, directory] if directory else data_dirs())
    warn(result.notices)
    problems = list(result.problems)
    if documents is not None and not problems:
        problems += missing_quotes(result.base, result.locations, documents)
    for problem in problems:
        typer.echo(one_line(str(problem)))
    counts = result.base.counts()
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    verdict = f"{len(problems)} problem(s)" if problems else "no problems"
    quotes = f"; {len(result.base.claims)} quotes checked" if documents and not problems else ""
    on_top = f" ({directory} on top of {', '.join(map(str, below))}; --alone checks it by itself)" if below else ""
    typer.echo(f"{verdict}: {summary}{quotes}{on_top}")
    if problems:
        raise typer.Exit(EXIT_NOTHING)


@app.command()
def schema(
    file: Annotated[
        str | None, typer.Argument(help="One file's schema: sources, studies, treatments or claims.")
    ] = None,
) -> None:
    """The JSON Schema of the data files, generated from the models."""
    import json

    from .evidence.schema import data_schemas

    schemas = data_schemas()
    if file is None:
        typer.echo(json.dumps(schemas, indent=2))
        return
    key = file.removesuffix(".yaml")
    if key not in schemas:
        raise fail(f"no schema '{file}' (one of {', '.join(schemas)})", EXIT_USAGE)
    typer.echo(json.dumps(schemas[key], indent=2))


cache_app = typer.Typer(help="The cache of the validated data (see the README's 'Speed, and the cache').")
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
def cache_clear() -> None:
    """Remove every cache file: the next command reads the YAML again (always safe)."""
    from .evidence.cache import clear

    where, removed = clear()
    typer.echo(f"removed {removed} cache file(s) from {where}" if where else "no cache directory")

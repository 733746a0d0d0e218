"""The command line: parse, call a query, hand the report to a renderer. Nothing else."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ClassVar

try:
    import typer

    from . import DATA_DATE, __version__
    from .formats import BriefFormat, Format, clean
    from .vocab import Aspect, Category
except KeyboardInterrupt:  # Ctrl-C while starting up is as quiet as at any other time
    raise SystemExit(130) from None

if TYPE_CHECKING:  # the modules behind the commands are imported when a command runs
    from .evidence import EvidenceBase
    from .queries import Report

EXIT_FOUND, EXIT_NOTHING, EXIT_USAGE, EXIT_DATA, EXIT_INTERNAL = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130
MAX_ARG_CHARS = 4096  # the longest argument accepted (a path may be as long as PATH_MAX, 4096 bytes)

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


def builtin_data() -> Path:
    """The data shipped inside the package (a plain directory: crps is never run from a zip)."""
    return Path(__file__).parent / "data"


def data_dirs() -> list[Path]:
    env = [Path(p) for p in os.environ.get("CRPS_DATA", "").split(os.pathsep) if p]
    return ([builtin_data()] if Settings.builtin else []) + env + Settings.data


def line(text: str) -> str:
    """Text for one line of stderr: control characters neutralised, line breaks shown as \\n."""
    return clean(text).replace("\n", "\\n")


def fail(message: str, code: int) -> typer.Exit:
    """Print one line on stderr and return the Exit to raise."""
    typer.echo(f"crps: {line(message)}", err=True)
    return typer.Exit(code)


def evidence(use_cache: bool = True) -> EvidenceBase:
    from .cache import load_evidence

    dirs = data_dirs()
    if not dirs:
        raise fail("no data: --no-builtin needs --data DIR or CRPS_DATA", EXIT_USAGE)
    result = load_evidence(dirs, use_cache=use_cache)
    warn(result.notices)
    if result.problems:
        for problem in result.problems:
            typer.echo(line(str(problem)), err=True)
        raise fail(f"{len(result.problems)} problem(s) in the data; run 'crps check'", EXIT_DATA)
    return result.base


def warn(notices: list[str]) -> None:
    """Overlay overrides: never applied silently."""
    for notice in notices:
        typer.echo(f"crps: warning: {line(notice)}", err=True)


def complete_name(incomplete: str) -> list[str]:
    from .cache import cached_labels, load_evidence

    try:
        names = cached_labels(data_dirs()) or load_evidence(data_dirs()).base.labels()
    except Exception:  # completion must never break the shell
        return []
    folded = incomplete.casefold()
    return [n for n in names if n.casefold().startswith(folded)]


# Commands whose reports list studies, and so also take the citation formats (bibtex, ris, csl-json).
CITING_COMMANDS = ("cite", "export")


def accepted_formats(citations: bool) -> str:
    return ", ".join(f.value for f in Format if citations or not f.for_citations)


def format_for_command(ctx: typer.Context, value: Format | None) -> Format | None:
    """A citation format given to a command without studies is a usage error, caught before any data is read."""
    if value is not None and value.for_citations and ctx.info_name not in CITING_COMMANDS:
        raise fail(
            f"--format {value.value} is for {' and '.join(CITING_COMMANDS)} only; "
            f"{ctx.info_name} takes {accepted_formats(False)}",
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
    if as_json:
        return Format.json
    if fmt:
        return fmt
    env = os.environ.get("CRPS_FORMAT", "").strip().lower()
    if not env:
        return Format.table
    try:
        chosen = Format(env)
    except ValueError:
        chosen = None
    if chosen is None or (chosen.for_citations and not citations):
        raise fail(f"CRPS_FORMAT={env!r} is not one of {accepted_formats(citations)}", EXIT_USAGE)
    return chosen


def emit(report: Report, fmt: Format | None, as_json: bool, citations: bool = False) -> None:
    chosen = chosen_format(fmt, as_json, citations)
    if chosen is not Format.table:
        from .formats import dump_data

        sys.stdout.write(dump_data(report, chosen))
        return
    from .render import render

    plain = not sys.stdout.isatty() or "NO_COLOR" in os.environ
    shown = render(report, plain)
    if plain:  # no colour, no box: laid out without rich's console, which would cost a quarter of the run
        from .plaintext import plain_text

        sys.stdout.write(plain_text(shown, output_width()))
        return
    from rich.console import Console, Group

    # markup off: text from the data is shown as text, "[bold]" or "[link=...]" stays literal
    Console(markup=False, highlight=False, emoji=False, soft_wrap=False).print(Group(*shown))


def output_width() -> int:
    """The terminal's width, or COLUMNS (default 120) when output goes to a pipe or file."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    columns = os.environ.get("COLUMNS", "").strip()
    return min(max(int(columns), 20), 1000) if columns.isdigit() else 120


def answer(query: Callable[[EvidenceBase], Report]) -> Report:
    """Ask the evidence base; a name or reference that finds nothing becomes exit 1 with one line.

    A cache that fails mid-query is dropped and the question asked again of the YAML itself.
    """
    from .cache import CacheUnreadable, forget
    from .queries import NotFound

    try:
        try:
            return query(evidence())
        except CacheUnreadable:
            forget(data_dirs())
            return query(evidence(use_cache=False))
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


@app.command()
def treat(names: NamesArgument, fmt: FormatOption = None, as_json: JsonOption = False) -> None:
    """Everything the sources say about one or more treatments, grouped by source."""
    from . import queries

    emit(answer(lambda base: queries.treat(base, queries.resolve_all(base, names))), fmt, as_json)


@app.command()
def compare(names: NamesArgument, fmt: FormatOption = None, as_json: JsonOption = False) -> None:
    """Sources side by side for one treatment (or treatments side by side), with disagreements."""
    from . import queries

    emit(answer(lambda base: queries.compare(base, queries.resolve_all(base, names))), fmt, as_json)


@app.command()
def cite(
    refs: Annotated[list[str], typer.Argument(help="Reference number, SOURCE:N, study id, surname, PMID or DOI.")],
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """A cited study: the record, who cites it under which number, and what rests on it.

    --format bibtex, ris or csl-json gives the matched studies for a reference manager.
    """
    from . import queries

    emit(answer(lambda base: queries.cite(base, refs)), fmt, as_json, citations=True)


@app.command(name="list")
def list_(
    category: Annotated[Category | None, typer.Option(help="Only this category.", case_sensitive=False)] = None,
    source: Annotated[str | None, typer.Option(help="Only treatments this source speaks about (id or number).")] = None,
    conflicted: Annotated[bool, typer.Option("--conflicted", help="Only treatments the sources disagree on.")] = False,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every treatment, one row each, with category, sources and whether they disagree."""
    from . import queries

    report = answer(lambda base: queries.list_treatments(base, category, source, conflicted))
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
    from . import queries

    emit(answer(lambda base: queries.search(base, " ".join(text))), fmt, as_json)


@app.command()
def sources(fmt: FormatOption = None, as_json: JsonOption = False) -> None:
    """The source documents: kind, year, and how many claims each contributes."""
    from . import queries

    emit(answer(queries.sources), fmt, as_json)


@app.command()
def conflicts(
    names: Annotated[
        list[str] | None, typer.Argument(help="Limit to these treatments.", autocompletion=complete_name)
    ] = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every disagreement in the data: treatment, aspect, both sides and their sources."""
    from . import queries

    report = answer(lambda base: queries.conflicts(base, queries.resolve_all(base, names) if names else None))
    emit(report, fmt, as_json)
    if not report.conflicts:  # type: ignore[attr-defined]
        raise typer.Exit(EXIT_NOTHING)


@app.command()
def export(fmt: FormatOption = None, as_json: JsonOption = False) -> None:
    """The whole evidence base in one call (--format json or yaml), or every study (bibtex, ris, csl-json)."""
    from . import queries

    emit(answer(queries.export), fmt, as_json, citations=True)


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
    from . import queries

    emit(answer(lambda base: queries.matrix(base, category, conflicted, aspect)), fmt, as_json)


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
    from . import brief as briefs

    if output is not None and str(output) == "-":  # the usual spelling of stdout
        output = None
    if fmt is None:
        fmt = BriefFormat.html if output and output.suffix.lower() in (".html", ".htm") else BriefFormat.markdown
    if output is not None and (why := briefs.refuse_output(output, data_dirs())):
        raise fail(why, EXIT_USAGE)
    document = answer(lambda base: briefs.build(base, briefs.one_treatment(base, name)))  # type: ignore[arg-type, return-value]
    written = briefs.to_html(document) if fmt is BriefFormat.html else briefs.to_markdown(document)  # type: ignore[arg-type]
    if output is None:
        sys.stdout.write(written)
        return
    try:
        output.write_text(written, encoding="utf-8")
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
) -> None:
    """Validate a data directory; print every problem as file:line: CODE entry: message."""
    from .loading import load
    from .provenance import missing_quotes

    if documents is not None and not documents.is_dir():
        raise fail(f"--sources {documents}: not a directory", EXIT_USAGE)
    result = load([directory] if directory else data_dirs())
    warn(result.notices)
    problems = list(result.problems)
    if documents is not None and not problems:
        problems += missing_quotes(result.base, result.locations, documents)
    for problem in problems:
        typer.echo(line(str(problem)))
    counts = result.base.counts()
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    verdict = f"{len(problems)} problem(s)" if problems else "no problems"
    typer.echo(
        f"{verdict}: {summary}" + (f"; {len(result.base.claims)} quotes checked" if documents and not problems else "")
    )
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

    from .schema import data_schemas

    schemas = data_schemas()
    if file is None:
        typer.echo(json.dumps(schemas, indent=2))
        return
    key = file.removesuffix(".yaml")
    if key not in schemas:
        raise fail(f"no schema '{file}' (one of {', '.join(schemas)})", EXIT_USAGE)
    typer.echo(json.dumps(schemas[key], indent=2))


def bad_argument(args: list[str]) -> str | None:
    """Why an argument is refused before parsing (too long, control characters, not text), or None."""
    for number, arg in enumerate(args, 1):
        if len(arg) > MAX_ARG_CHARS:
            return f"argument {number} is {len(arg)} characters long; the limit is {MAX_ARG_CHARS}"
        if bad := next((ch for ch in arg if ch < " " or "\x7f" <= ch <= "\x9f"), None):
            return f"argument {number} contains the control character U+{ord(bad):04X}"
        if any("\ud800" <= ch <= "\udfff" for ch in arg):
            return f"argument {number} is not valid text (undecodable bytes)"
    return None


def _standard_streams() -> None:
    """With stdout or stderr closed (`>&-`), write to /dev/null instead, so the file descriptor
    cannot be reused by a file crps opens, and output has somewhere to go."""
    for fd, name in ((1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is None:
            null = os.open(os.devnull, os.O_WRONLY)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            setattr(sys, name, open(fd, "w", encoding="utf-8", closefd=False))  # noqa: SIM115


def _stdout_file() -> tuple[int, int] | None:
    try:
        info = os.fstat(1)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _silence_stdout() -> None:
    """The reader of stdout has gone: send what is still buffered to /dev/null."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.close(null)


def main() -> None:
    """Console entry point: quiet on closed pipes and Ctrl-C, one line for unexpected errors."""
    _standard_streams()
    debug = "--debug" in sys.argv[1:] or bool(os.environ.get("CRPS_DEBUG"))
    if not sys.stdout.isatty():  # off a terminal, help is plain text like every other output
        app.rich_markup_mode = None
    if "--debug" in sys.argv:
        sys.argv.remove("--debug")
    if refused := bad_argument(sys.argv[1:]):
        typer.echo(f"crps: {refused}", err=True)
        sys.exit(EXIT_USAGE)
    stdout, stdout_file = sys.stdout, _stdout_file()
    try:
        try:
            app()
        finally:
            if sys.stdout is stdout:  # flushed here, where a closed pipe can still be caught
                sys.stdout.flush()
    except SystemExit:
        # On a closed pipe typer swaps sys.stdout for a quiet wrapper and rich points fd 1 at
        # /dev/null; both then exit 1. A closed pipe is the reader's choice, not a failure: exit 0.
        if sys.stdout is not stdout or _stdout_file() != stdout_file:
            _silence_stdout()
            sys.exit(EXIT_FOUND)
        raise
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(EXIT_FOUND)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        if debug:
            raise
        typer.echo(
            f"crps: internal error ({type(exc).__name__}: {line(str(exc))[:200]}); "
            "please report it as a bug, with the output of the same command run with --debug",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)

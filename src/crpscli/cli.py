"""The commands: parse the arguments, ask the question, hand the report to the output layer.

The process around a command (streams, signals, the last-resort error line) is `edge.py`.
"""

# No `from __future__ import annotations` here: typer reads every command's annotations at
# start-up, and string annotations would be compiled and evaluated twice per parameter.
import copy
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import typer
from typer import _completion_shared
from typer._click.core import Context, Parameter
from typer._click.shell_completion import (  # typer's copy of click: pinned with typer
    CompletionItem,
    _resolve_context,
    _resolve_incomplete,
    add_completion_class,
)
from typer._completion_classes import BashComplete, FishComplete, ZshComplete, completion_init
from typer._types import TyperChoice

from . import DATA_DATE, __version__
from .edge import EXIT_DATA, EXIT_NOTHING, EXIT_USAGE, bad_argument, write_file
from .evidence.vocab import Aspect, Category, Level
from .output.formats import (
    CITATION_FORMATS,
    DATA_FORMATS,
    RECORD_FORMATS,
    BriefFormat,
    ColorMode,
    Format,
    FormatError,
    choose,
)
from .output.text import clean, counted, one_line

if TYPE_CHECKING:  # the modules behind the commands are imported when a command runs
    from .answers.common import Report
    from .evidence.base import EvidenceBase
    from .evidence.records import Treatment

app = typer.Typer(
    name="crps",
    help="What the sources say about CRPS treatments, where they disagree, and the study behind "
    "each statement. A summary of sources, not medical advice.",
    no_args_is_help=True,
    add_completion=False,  # the options are in `options`, so that --show-completion SHELL honours SHELL
    pretty_exceptions_enable=False,
)


class Settings:
    """Global options, set once by the callback before a command runs."""

    data: ClassVar[list[Path]] = []
    builtin: ClassVar[bool] = True
    colour: ClassVar[ColorMode] = ColorMode.auto
    pager: ClassVar[bool] = True
    exact: ClassVar[bool] = False
    notices: ClassVar[list[str]] = []  # how the names of the current question were read
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


def evidence(use_cache: bool | None = None) -> "EvidenceBase":
    from .evidence.store import load_evidence

    dirs = data_dirs()
    if not dirs:
        raise fail("no data: --no-builtin needs --data DIR or CRPS_DATA", EXIT_USAGE)
    result = load_evidence(dirs, use_cache=Settings.cache if use_cache is None else use_cache)
    warn(result.notices)
    if result.problems:
        for problem in result.problems:
            typer.echo(one_line(str(problem)), err=True)
        raise fail(f"{counted(len(result.problems), 'problem')} in the data; run 'crps check'", EXIT_DATA)
    return result.base


def warn(notices: list[str]) -> None:
    """Overlay overrides: never applied silently."""
    for notice in notices:
        typer.echo(f"crps: warning: {one_line(notice)}", err=True)


def named(base: "EvidenceBase", names: list[str]) -> list["Treatment"]:
    """The treatments the typed names mean (answers/names.py); `answer` says on stderr how they were read."""
    from .answers.names import resolve_all

    found = resolve_all(base, names, exact=Settings.exact)
    Settings.notices += found.notices
    return found.treatments


def completion_base() -> "EvidenceBase | None":
    """The evidence for completion, from the cache when it is noted (it usually is), else loaded;
    None when it cannot be read: completion must never break the shell."""
    from .evidence.cache import cached_base
    from .evidence.store import load_evidence

    try:
        return cached_base(data_dirs()) or load_evidence(data_dirs()).base
    except Exception:
        return None


def candidates(incomplete: str, listed: Callable[["EvidenceBase"], Iterable[str]]) -> list[str]:
    """The candidates `listed` names that match the typed text, as plain text for the shell (no
    control character is passed on)."""
    base = completion_base()
    try:
        return matching(dict.fromkeys(clean(c) for c in listed(base)), incomplete) if base else []
    except Exception:  # a cache found unreadable while read
        return []


def complete_name(incomplete: str) -> list[str]:
    """Treatment ids, names and aliases, group names, topic names and aliases."""
    return candidates(incomplete, lambda base: base.labels())


def complete_reference(incomplete: str) -> list[str]:
    """What `cite` reads as naming one study: its id, 'Surname YEAR', SOURCE:N for a numbered
    reference, PMID:N and doi:... (a bare number is left out: it names a reference of every source)."""

    def references(base: "EvidenceBase") -> Iterator[str]:
        for study in base.studies.values():
            yield study.id
            if study.first_author and study.year:
                yield f"{study.first_author} {study.year}"
            for citation in study.citations:
                number = citation.ref.strip("[]")
                if number.isdigit() and citation.source in base.sources:
                    yield f"{base.sources[citation.source].number}:{number}"
            if study.pmid:
                yield f"PMID:{study.pmid}"
            if study.doi:
                yield f"doi:{study.doi}"

    return candidates(incomplete, references)


def complete_source(incomplete: str) -> list[str]:
    """Source ids and numbers."""
    return candidates(incomplete, lambda base: [label for s in base.sources.values() for label in (s.id, s.number)])


SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def completion(ctx: typer.Context, param: typer.CallbackParam, value: bool) -> None:
    """--show-completion [SHELL] and --install-completion [SHELL]: for SHELL when one follows the
    option, else for the shell crps runs in. (typer's own options are flags, so a SHELL after them
    was taken for a command and the current shell's script shown.)"""
    from typer.completion import install_callback, show_callback

    if not value or ctx.resilient_parsing:
        return
    option = f"--{param.name.replace('_', '-')}"  # type: ignore[union-attr]
    args = sys.argv[1:]
    after = args[args.index(option) + 1 :] if option in args else []
    shell: str | bool = after[0] if after and after[0] in SHELLS else True
    (show_callback if param.name == "show_completion" else install_callback)(ctx, param, shell)


# Shell completion: how bash, zsh and fish ask for candidates, and how each candidate is written
# back so that the shell inserts one argument (a name with spaces stays one word). typer's classes,
# with these changes: every shell sends the line up to the cursor, read by one parser (split_line);
# a parameter with candidates of its own (names, references, sources) gets all of them and keeps
# those `matching` the typed text (typer keeps only those in its case); a path gets nothing, so
# that the shell offers its files; bash gets a script of its own, as it inserts a candidate as it
# stands, breaks words at ':' and '=' and strips an opening quote from the text it replaces; zsh
# gets `compadd` for our candidates; and fish a script that runs crps once per Tab, not twice.

# mapfile, not COMPREPLY=( $(...) ): a candidate is neither split at spaces nor taken for a file pattern.
BASH_SCRIPT = """
%(complete_func)s() {
    mapfile -t COMPREPLY < <(env _TYPER_COMPLETE_ARGS="${COMP_LINE:0:COMP_POINT}" \\
                             _TYPER_COMPLETE_WORD_TO_COMPLETE="$2" \\
                             %(autocomplete_var)s=complete_bash "$1")
    [[ -n ${COMPREPLY[0]} ]] || COMPREPLY=()  # none (one empty line): bash offers files
    return 0
}

complete -o default -F %(complete_func)s %(prog_name)s
"""

# One call of crps per Tab (typer's script makes two: one to ask whether to offer files instead);
# files when crps offers nothing, as bash's -o default.
FISH_SCRIPT = """
function %(complete_func)s
    set -l offered (env %(autocomplete_var)s=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args \\
                        _TYPER_COMPLETE_ARGS=(commandline -cp) %(prog_name)s)
    if test -n "$offered"  # none is one empty line
        printf '%%s\\n' $offered
    else
        __fish_complete_path (commandline -ct)
    end
end

complete --command %(prog_name)s --no-files --arguments '(%(complete_func)s)'
"""

_BASH_SPECIAL = re.compile(r"([^\w@%+=:,./-])")  # what bash reads as syntax outside quotes
_IN_DOUBLE_QUOTES = re.compile(r'([\\"$`])')


def matching(candidates: Iterable[str], typed: str) -> list[str]:
    """The candidates that start with the typed text, in its case if any does, else in any case:
    "lyr" finds "Lyrica", and "ke" keeps to "ketamine..." (bash inserts the common start of
    the candidates, and "Ketamine" and "ketamine" have none)."""
    everything = list(candidates)
    same_case = [c for c in everything if c.startswith(typed)]
    if same_case:
        return same_case
    folded = typed.casefold()
    return [c for c in everything if c.casefold().startswith(folded)]


def split_line(line: str) -> tuple[list[str], str, str]:
    """The words of a command line up to the cursor, as the shell reads them (quotes and escapes
    removed): the complete ones, the one being typed ('' after a space), and the quote left open
    in it ('' if none)."""
    lex = shlex.shlex(line + "\0", posix=True)  # "\0" marks the end: a word of its own after a space
    lex.whitespace_split = True
    lex.commenters = ""
    words: list[str] = []
    try:
        words.extend(lex)
        quote = ""
    except ValueError:  # the line ends inside quotes
        words.append(lex.token)
        quote = lex.state if lex.state in ("'", '"') else ""
    return words[:-1], words[-1].removesuffix("\0"), quote


def bash_reply(candidate: str, typed: str, word: str | None, quote: str) -> str:
    """The text bash is to put in place of `word`, the end of the typed argument it completes
    (after a ':' or '=', or after an opening quote, which bash closes itself), so that the
    argument reads `candidate`. `typed` is the argument as bash reads it."""
    if word is None:  # typer's own script, which does not say: the whole argument, escaped
        return _BASH_SPECIAL.sub(r"\\\1", candidate)
    if quote == "'":
        ending = word
    elif quote == '"':
        ending = re.sub(r'\\([\\"$`])', r"\1", word)
    else:
        ending = "".join(shlex.split(word + "\0", posix=True)).removesuffix("\0") if word else ""
    rest = candidate[max(0, len(typed) - len(ending)) :]
    if quote == "'":
        return rest.replace("'", "'\\''")
    if quote == '"':
        return _IN_DOUBLE_QUOTES.sub(r"\\\1", rest)
    return _BASH_SPECIAL.sub(r"\\\1", rest)


class _Line:
    """What the three shells share: the line parsed here, and a parameter's own candidates matched here."""

    typed = ""  # the argument being completed, as the shell reads it
    quote = ""
    before = ""  # what precedes the value in it: "--source=" in "--source=0"
    own: list[str] | None = None  # the candidates of a parameter's own, when it has them
    cli: Any
    ctx_args: Any
    prog_name: str

    def get_completion_args(self) -> tuple[list[str], str]:
        line = os.environ.get("_TYPER_COMPLETE_ARGS")
        if line is None:
            return super().get_completion_args()  # type: ignore[misc]
        words, typed, self.quote = split_line(line)
        return words[1:], typed

    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        ctx = _resolve_context(self.cli, self.ctx_args, self.prog_name, args)
        obj, value = _resolve_incomplete(ctx, args, incomplete)
        given = ctx.find_root().params  # the data the line names: --data, --no-builtin
        Settings.data, Settings.builtin = [Path(p) for p in given.get("data") or ()], not given.get("no_builtin")
        self.typed, self.before = incomplete, incomplete[: len(incomplete) - len(value)]
        if isinstance(obj, Parameter) and obj._custom_shell_complete is not None:
            offered = {item.value: item for item in obj.shell_complete(ctx, "")}
            self.own = matching(offered, value)
            return [offered[name] for name in self.own]
        # a path: nothing, so that the shell offers its files (click's "file" item is the typed text)
        return [item for item in obj.shell_complete(ctx, value) if item.type == "plain"]


class Bash(_Line, BashComplete):
    source_template = BASH_SCRIPT

    def format_completion(self, item: CompletionItem) -> str:
        word = os.environ.get("_TYPER_COMPLETE_WORD_TO_COMPLETE")
        return bash_reply(self.before + item.value, self.typed, word, self.quote)


class Zsh(_Line, ZshComplete):
    def complete(self) -> str:
        """typer's `_arguments` for commands, options and choices; `compadd` for our own
        candidates, with a matcher that lets "lyr" become "Lyrica" (zsh quotes what it inserts)."""
        written = super().complete()
        if not self.own:
            return written
        prefix = f"compset -P {shlex.quote(self.before)}; " if self.before else ""
        return f"{prefix}compadd -M 'm:{{a-zA-Z}}={{A-Za-z}}' -- {shlex.join(self.own)}"


class Fish(_Line, FishComplete):
    source_template = FISH_SCRIPT

    def format_completion(self, item: CompletionItem) -> str:
        """The whole argument: fish matches a candidate against all of it ("--source=med")."""
        return super().format_completion(CompletionItem(self.before + item.value, help=item.help))


def register_shells() -> None:
    """Our classes for bash, zsh and fish (typer's for PowerShell), and our bash and fish scripts
    for --show-completion and --install-completion, which read typer's table of scripts."""
    completion_init()
    for shell in (Bash, Zsh, Fish):
        add_completion_class(shell, shell.name)
    _completion_shared._completion_scripts.update(bash=BASH_SCRIPT, fish=FISH_SCRIPT)


register_shells()  # the shells' classes (add_completion=True would register typer's own)


RECORDS = DATA_FORMATS + RECORD_FORMATS
# The formats each command takes: ndjson for reports of records, the citation formats for reports of studies.
COMMAND_FORMATS: dict[str, tuple[Format, ...]] = {
    "treat": DATA_FORMATS,
    "compare": DATA_FORMATS,
    "matrix": DATA_FORMATS,
    "cite": DATA_FORMATS + CITATION_FORMATS,
    "list": RECORDS,
    "sources": RECORDS,
    "search": RECORDS,
    "conflicts": RECORDS,
    "topics": RECORDS,
    "export": RECORDS + CITATION_FORMATS,
}


def accepted_formats(command: str | None) -> tuple[Format, ...]:
    return COMMAND_FORMATS.get(command or "", DATA_FORMATS)


def _and(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def format_for_command(ctx: typer.Context, value: Format | None) -> Format | None:
    """A format the command does not take is a usage error, caught before any data is read."""
    if value is not None and value not in accepted_formats(ctx.info_name):
        takers = [command for command, formats in COMMAND_FORMATS.items() if value in formats]
        raise fail(
            f"--format {value.value} is for {_and(takers)} only; "
            f"{ctx.info_name} takes {', '.join(f.value for f in accepted_formats(ctx.info_name))}",
            EXIT_USAGE,
        )
    return value


class FormatChoice(TyperChoice[Format]):
    """The choice of --format. Every format parses, so that one another command takes meets
    `format_for_command`'s message; a word that is no format is refused naming the formats this
    command takes, where typer would list those of every command. Completion offers those alone."""

    def get_invalid_choice_message(self, value: Any, ctx: Context | None) -> str:
        command = ctx.info_name if ctx else None
        return f"{value!r} is not a format; {command} takes {', '.join(f.value for f in accepted_formats(command))}"

    def shell_complete(self, ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
        accepted = {f.value for f in accepted_formats(ctx.info_name)}
        return [item for item in super().shell_complete(ctx, param, incomplete) if item.value in accepted]


def format_option(formats: tuple[Format, ...]) -> Any:
    """The --format option of a command, its help listing only the formats the command takes."""
    return Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help=f"Output format: {', '.join(f.value for f in formats)} (default: CRPS_FORMAT or table).",
            metavar="[" + "|".join(f.value for f in formats) + "]",
            click_type=FormatChoice(Format, case_sensitive=False),
            show_default=False,
            callback=format_for_command,
        ),
    ]


FormatOption = format_option(DATA_FORMATS)
RecordsFormatOption = format_option(RECORDS)
CiteFormatOption = format_option(COMMAND_FORMATS["cite"])
ExportFormatOption = format_option(COMMAND_FORMATS["export"])
JsonOption = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
NamesArgument = Annotated[
    list[str],
    typer.Argument(
        help="Treatment, group or topic names or aliases (quotes optional); '-' reads them from stdin, one a line.",
        autocompletion=complete_name,
        metavar="NAMES...",
    ),
]
KeepGoingOption = Annotated[
    bool,
    typer.Option(
        "--keep-going", help="Show what was found and name on stderr what was not (exit 1 if anything was missing)."
    ),
]
FullOption = Annotated[
    bool,
    typer.Option("--full", help="Every claim whole: locator, quote, figures and notes (default: one line a claim)."),
]


MAX_STDIN_CHARS = 1_000_000  # names or references read from stdin (a million characters is thousands of lines)


def from_stdin(values: list[str]) -> list[str]:
    """'-' stands for the lines of stdin, one name or reference each (blank lines skipped); each
    line is screened as an argument is (length, control characters)."""
    if "-" not in values:
        return values
    try:
        text = sys.stdin.read(MAX_STDIN_CHARS + 1)
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"'-' could not read stdin: {exc}", EXIT_USAGE) from None
    if len(text) > MAX_STDIN_CHARS:
        raise fail(f"'-' read more than {MAX_STDIN_CHARS} characters from stdin", EXIT_USAGE)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if refused := bad_argument(lines):
        raise fail(f"stdin: {refused.replace('argument', 'line', 1)}", EXIT_USAGE)
    if not lines and values == ["-"]:
        raise fail("'-' found nothing to read: stdin has no names or references, one a line", EXIT_USAGE)
    return [item for value in values for item in (lines if value == "-" else [value])]


def chosen_format(command: str, fmt: Format | None, as_json: bool) -> Format:
    try:
        return choose(fmt, as_json=as_json, accepted=accepted_formats(command))
    except FormatError as exc:
        raise fail(str(exc), EXIT_USAGE) from None


def emit(
    report: "Report", fmt: Format | None, as_json: bool, nothing: str | None = None, *, command: str, full: bool = False
) -> None:
    """Write the report. `nothing` says what was not found: the (empty) result is still written in
    the formats for programs, a table is not, and the command ends with that line and exit 1."""
    from .output.formats import show

    chosen = chosen_format(command, fmt, as_json)
    if chosen.for_citations:
        from .output.citations import without_details

        studies = report.cited_studies()
        left_out = without_details(studies)
        for study in left_out:
            typer.echo(f"crps: left out {study.id}: the sources give no bibliographic details for it", err=True)
        if len(left_out) == len(studies):
            nothing = nothing or "nothing to export: no study here has bibliographic details"
    said = [one_line(notice) for notice in Settings.notices]
    shown = nothing is None or chosen is not Format.table
    if not (shown and chosen is Format.table and sys.stdout.isatty()):  # a screen opens with them itself
        say(said)
    if shown:
        show(report, chosen, colour=Settings.colour, paged=Settings.pager, full=full, said=said)
    if nothing is not None:
        raise fail(nothing, EXIT_NOTHING)


def no_treatment(**filters: object) -> str:
    """The line for filters that leave no treatment: "no treatment matches --category device"."""
    given = [f"--{k}" if v is True else f"--{k} {getattr(v, 'value', v)}" for k, v in filters.items() if v]
    return f"no treatment matches {' '.join(given)}" if given else "no treatment in the data"


def resolved(base: "EvidenceBase", names: list[str], missing: dict[str, str] | None) -> list["Treatment"]:
    """The treatments the names mean (`named`). With `missing` (--keep-going), names that find
    nothing are noted there instead of ending the command: the names are read together first (so
    unquoted words still make one name), and one by one only when that fails."""
    from .answers.common import NotFound

    if missing is None:
        return named(base, names)
    try:
        return named(base, names)
    except NotFound:
        pass
    found: dict[str, Treatment] = {}
    for name in names:
        try:
            found.update((t.id, t) for t in named(base, [name]) if t.id not in found)
        except NotFound as exc:
            missing[name] = str(exc)
    return list(found.values())


def answer_names(
    names: list[str], keep_going: bool, ask: Callable[["EvidenceBase", list["Treatment"]], "Report"]
) -> tuple["Report", str | None]:
    """Ask about the treatments the names mean ('-': from stdin); with --keep-going, also the line
    that ends the command for what was not found (None when everything was)."""
    missing: dict[str, str] | None = {} if keep_going else None
    names = from_stdin(names)
    report = answer(lambda base: ask(base, resolved(base, names, missing)))
    return report, missing_lines(missing or {})


def missing_lines(missing: dict[str, str]) -> str | None:
    """With --keep-going: every name or reference that found nothing but the last on stderr; the
    last is returned as the closing line (exit 1)."""
    *first, last = [*missing.values()] or [None]
    for line in first:
        typer.echo(f"crps: {one_line(line)}", err=True)
    return last


def answer(query: Callable[["EvidenceBase"], "Report"]) -> "Report":
    """Ask the evidence base; a name or reference that finds nothing becomes exit 1 with one line.

    A cache that fails mid-query is dropped, rebuilt from the YAML, and the question asked again. How
    the names were read (`named`) is kept in Settings.notices for `emit` to say.
    """
    from .answers.common import NotFound
    from .evidence.cache import CacheUnreadable, forget

    try:
        try:
            Settings.notices = []
            report = query(evidence())
        except CacheUnreadable as exc:  # rebuilt from the YAML, and asked again
            forget(exc.path)
            Settings.notices = []
            report = query(evidence())
    except NotFound as exc:
        raise fail(str(exc), EXIT_NOTHING) from None
    return report


def say(notices: list[str]) -> None:
    """How the names were read, on stderr: a script's output may not show it."""
    for notice in notices:
        typer.echo(f"crps: {notice}", err=True)


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
    color: Annotated[
        ColorMode,
        typer.Option(
            "--color",
            help="Colour and boxes: on a terminal (auto; NO_COLOR and CLICOLOR_FORCE honoured), always or never.",
            case_sensitive=False,
        ),
    ] = ColorMode.auto,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Never page long output (default: CRPS_PAGER, PAGER or less -FRX).")
    ] = False,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact",
            envvar="CRPS_EXACT",
            help="For scripts: take only exact names, aliases, groups and topics; no word matches or corrections.",
        ),
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Read the YAML itself; neither read nor write the cache.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version and the data's date."
        ),
    ] = False,
    install_completion: Annotated[
        bool,
        typer.Option(
            "--install-completion",
            metavar="[SHELL]",
            is_eager=True,
            expose_value=False,
            callback=completion,
            help="Install completion for SHELL (bash, zsh, fish, powershell; default: the current shell).",
        ),
    ] = False,
    show_completion: Annotated[
        bool,
        typer.Option(
            "--show-completion",
            metavar="[SHELL]",
            is_eager=True,
            expose_value=False,
            callback=completion,
            help="Show the completion script for SHELL (default: the current shell), to copy or customise.",
        ),
    ] = False,
) -> None:
    """crps: CRPS evidence lookup. It summarises sources; it gives no medical advice."""
    Settings.data = list(data or [])
    Settings.builtin = not no_builtin
    Settings.colour = color
    Settings.pager = not no_pager
    Settings.exact = exact
    Settings.cache = not no_cache


@app.command()
def treat(
    names: NamesArgument,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    keep_going: KeepGoingOption = False,
    full: FullOption = False,
) -> None:
    """Everything the sources say about one or more treatments: the bottom line, then the claims by source."""
    from .answers.treat import treat as answer_treat

    report, nothing = answer_names(names, keep_going, answer_treat)
    emit(report, fmt, as_json, nothing, command="treat", full=full)


@app.command()
def compare(
    names: NamesArgument,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    keep_going: KeepGoingOption = False,
    full: FullOption = False,
) -> None:
    """Sources side by side for one treatment (or treatments side by side), with disagreements."""
    from .answers.compare import compare as answer_compare

    report, nothing = answer_names(names, keep_going, answer_compare)
    emit(report, fmt, as_json, nothing, command="compare", full=full)


@app.command()
def cite(
    refs: Annotated[
        list[str],
        typer.Argument(
            help="Reference number, SOURCE:N, study id, surname, 'Surname YEAR', PMID or DOI; "
            "'-' reads them from stdin, one a line.",
            autocompletion=complete_reference,
            metavar="REFS...",
        ),
    ],
    fmt: CiteFormatOption = None,
    as_json: JsonOption = False,
    keep_going: KeepGoingOption = False,
) -> None:
    """A cited study: the record, who cites it under which number, and what rests on it.

    --format bibtex, ris or csl-json gives the matched studies for a reference manager.
    """
    from .answers.cite import cite as answer_cite

    missing: dict[str, str] | None = {} if keep_going else None
    refs = from_stdin(refs)
    report = answer(lambda base: answer_cite(base, refs, missing))
    emit(report, fmt, as_json, missing_lines(missing or {}), command="cite")


@app.command(name="list")
def list_(
    category: Annotated[Category | None, typer.Option(help="Only this category.", case_sensitive=False)] = None,
    source: Annotated[
        str | None,
        typer.Option(help="Only treatments this source speaks about (id or number).", autocompletion=complete_source),
    ] = None,
    conflicted: Annotated[
        bool, typer.Option("--conflicted", help="Only treatments the sources conflict on (not only a tension).")
    ] = False,
    fmt: RecordsFormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every treatment, one row each, with category, sources and whether they conflict or are in tension."""
    from .answers.listing import list_treatments

    report = answer(lambda base: list_treatments(base, category, source, conflicted))
    nothing = None if report.records() else no_treatment(category=category, source=source, conflicted=conflicted)
    emit(report, fmt, as_json, nothing, command="list")


@app.command()
def search(
    text: Annotated[list[str], typer.Argument(help="Words to look for.", metavar="TEXT...")],
    fmt: RecordsFormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search names, aliases, claims and studies; best matches first."""
    from .answers.search import search as answer_search

    words = " ".join(text)
    report = answer(lambda base: answer_search(base, words))
    emit(report, fmt, as_json, None if report.records() else f"nothing matches '{words}'", command="search")


@app.command()
def topics(fmt: RecordsFormatOption = None, as_json: JsonOption = False) -> None:
    """The topics: situations (surgery, pregnancy, children, flare-ups, diagnosis) and classes (NSAIDs, ...),
    each with its entries in reading order; `crps treat TOPIC` shows them."""
    from .answers.topics import topics as answer_topics

    report = answer(answer_topics)
    emit(report, fmt, as_json, None if report.records() else "no topics in the data", command="topics")


@app.command()
def sources(fmt: RecordsFormatOption = None, as_json: JsonOption = False) -> None:
    """The source documents: kind, year, and how many claims each contributes."""
    from .answers.listing import sources as answer_sources

    report = answer(answer_sources)
    emit(report, fmt, as_json, None if report.records() else "no source documents in the data", command="sources")


@app.command()
def conflicts(
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Limit to these treatments; '-' reads them from stdin.", autocompletion=complete_name),
    ] = None,
    level: Annotated[
        Level | None, typer.Option(help="Only conflicts or only tensions (default: both).", case_sensitive=False)
    ] = None,
    fmt: RecordsFormatOption = None,
    as_json: JsonOption = False,
    keep_going: KeepGoingOption = False,
) -> None:
    """Every conflict and tension in the data: treatment, question, both sides, their sources and studies."""
    from .answers.conflicts import conflicts as answer_conflicts

    missing: dict[str, str] | None = {} if keep_going else None
    names = from_stdin(names) if names else None
    report = answer(lambda base: answer_conflicts(base, resolved(base, names, missing) if names else None, level))
    nothing = missing_lines(missing or {})
    if nothing is None and not report.records():
        what = {None: "no conflict or tension", Level.conflict: "no conflict", Level.tension: "no tension"}[level]
        nothing = f"{what} on {', '.join(names)}" if names else f"{what} in the data"
    emit(report, fmt, as_json, nothing, command="conflicts")


@app.command()
def export(
    fmt: ExportFormatOption = None,
    as_json: JsonOption = False,
    table: Annotated[
        str,
        typer.Option(
            "--table",
            help="The table for csv, tsv, markdown and ndjson: claims, treatments, studies or sources.",
            show_default=False,
        ),
    ] = "claims",
) -> None:
    """The whole evidence base in one call (json, yaml), one table (csv, tsv, ndjson), or every
    study (bibtex, ris, csl-json)."""
    from .answers.export import export as answer_export
    from .answers.export import tables

    if table not in tables():
        raise fail(f"--table {table}: not one of {', '.join(tables())}", EXIT_USAGE)
    report = answer(lambda base: answer_export(base, table))
    emit(report, fmt, as_json, None if report.records() else f"the {table} table is empty", command="export")


@app.command()
def matrix(
    category: Annotated[Category | None, typer.Option(help="Only this category.", case_sensitive=False)] = None,
    conflicted: Annotated[
        bool, typer.Option("--conflicted", help="Only treatments the sources conflict on (not only a tension).")
    ] = False,
    aspect: Annotated[
        Aspect | None, typer.Option(help="Only claims on this aspect (efficacy, safety, ...).", case_sensitive=False)
    ] = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """Treatments by sources at a glance: each source's overall stance, disagreements marked."""
    from .answers.matrix import matrix as answer_matrix

    report = answer(lambda base: answer_matrix(base, category, conflicted, aspect))
    nothing = None if report.treatments else no_treatment(category=category, conflicted=conflicted, aspect=aspect)
    emit(report, fmt, as_json, nothing, command="matrix")


@app.command()
def brief(
    names: Annotated[
        list[str],
        typer.Argument(
            help="A treatment's name or alias, or a group or topic name (quotes optional).",
            autocompletion=complete_name,
            metavar="NAMES...",
        ),
    ],
    fmt: Annotated[
        BriefFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="markdown or html (default: from -o's suffix, .md or .html/.htm; else markdown).",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the brief to this file instead of stdout ('-': stdout)."),
    ] = None,
) -> None:
    """A printable brief on a treatment, group or topic, for a patient and their clinician (markdown or HTML).

    Page one: the summary of findings (each treatment's bottom line). Then the details: what it is,
    what each source says, where they disagree, the figures, the references.
    """
    from .answers.brief import build
    from .output.brief import output_format, refuse_output
    from .output.formats import text_of

    if output is not None and str(output) == "-":  # the usual spelling of stdout
        output = None
    try:
        chosen = output_format(output, fmt)
    except FormatError as exc:
        raise fail(str(exc), EXIT_USAGE) from None
    if output is not None and (why := refuse_output(output, data_dirs())):
        raise fail(why, EXIT_USAGE)
    asked = " ".join(names)
    written = text_of(answer(lambda base: build(base, named(base, names), asked, Settings.exact)), chosen)
    say([one_line(notice) for notice in Settings.notices])
    if output is None:  # on a terminal through the pager, as every long screen
        from .output.terminal import write_paged

        write_paged(written, sys.stdout, Settings.pager)
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

    try:
        documents_missing = documents is not None and not documents.is_dir()
    except OSError as exc:  # a name too long for the file system, say
        raise fail(f"--sources {documents}: {exc.strerror}", EXIT_USAGE) from None
    if documents_missing:
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
    verdict = counted(len(problems), "problem") if problems else "no problems"
    quotes = f"; {len(result.base.claims)} quotes checked" if documents and not problems else ""
    on_top = f" ({directory} on top of {', '.join(map(str, below))}; --alone checks it by itself)" if below else ""
    typer.echo(f"{verdict}: {summary}{quotes}{on_top}")
    if problems:
        raise typer.Exit(EXIT_NOTHING)


# The report class behind each command's output, for `crps schema --output COMMAND`.
REPORTS = {
    "treat": ("treat", "TreatReport"),
    "compare": ("compare", "CompareReport"),
    "cite": ("cite", "CiteReport"),
    "list": ("listing", "ListReport"),
    "sources": ("listing", "SourcesReport"),
    "search": ("search", "SearchReport"),
    "conflicts": ("conflicts", "ConflictsReport"),
    "topics": ("topics", "TopicsReport"),
    "matrix": ("matrix", "MatrixReport"),
    "export": ("export", "ExportReport"),
}


@app.command()
def schema(
    file: Annotated[
        str | None, typer.Argument(help="One file's schema: sources, studies, treatments or claims.")
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", help=f"The schema of a command's JSON output instead: {', '.join(REPORTS)}.", show_default=False
        ),
    ] = None,
) -> None:
    """The JSON Schema of the data files, generated from the models (or of a command's output)."""
    import json

    if output is not None:
        import importlib

        from .output.data import output_schema

        if output not in REPORTS:
            raise fail(f"--output {output}: no such command with JSON output (one of {', '.join(REPORTS)})", EXIT_USAGE)
        module, name = REPORTS[output]
        report_class = getattr(importlib.import_module(f".answers.{module}", __package__), name)
        typer.echo(json.dumps(output_schema(report_class, output), indent=2))
        return
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
    typer.echo(f"removed {counted(removed, 'cache file')} from {where}" if where else "no cache directory")


GLOBAL_OPTIONS_WITH_VALUES = ("--data", "--color")  # the global options that take a value
WHOLE_APP_OPTIONS = ("--help", "--version", "--show-completion", "--install-completion")


def app_for(args: list[str]) -> typer.Typer:
    """The app with only the command these arguments name. Typer builds every command's options
    before it parses the arguments (a tenth of a `crps treat`), and one command needs only its own.
    In completion the command is read from the words before the one being completed. An option of
    the whole app's own before the command (--help, --version, --show-completion), a misspelt
    command or none (completing the command's name) get the whole app."""
    if os.environ.get("_CRPS_COMPLETE"):  # completion: the words before the one being completed
        line, legacy = os.environ.get("_TYPER_COMPLETE_ARGS"), os.environ.get("COMP_WORDS")
        if line is not None:
            args = split_line(line)[0][1:]
        elif legacy is not None and os.environ.get("COMP_CWORD", "").isdigit():
            args = legacy.split()[1 : int(os.environ["COMP_CWORD"])]
        else:
            return app
    words = iter(args)
    for word in words:
        if word in GLOBAL_OPTIONS_WITH_VALUES:
            next(words, None)
        elif word.split("=")[0] in WHOLE_APP_OPTIONS:
            return app
        elif not word.startswith("-"):
            pruned = copy.copy(app)
            pruned.registered_commands = [
                c for c in app.registered_commands if typer.main.get_command_name(c.name or c.callback.__name__) == word
            ]
            pruned.registered_groups = [g for g in app.registered_groups if g.name == word]
            return pruned if pruned.registered_commands or pruned.registered_groups else app
    return app

"""The process edge: what happens before and after a command runs.

Arguments are screened, closed standard streams are replaced, the streams take any text (what
their encoding cannot hold is replaced), COLUMNS is clamped, and the outcome becomes an exit
code: a closed pipe is quiet (exit 0), Ctrl-C is quiet (130) from this module's first line, output
that cannot be written is one line (exit 5), and anything unexpected is one line (exit 4)
instead of a traceback.
"""

from __future__ import annotations

import _signal
import os
import sys

EXIT_FOUND, EXIT_NOTHING, EXIT_USAGE, EXIT_DATA, EXIT_INTERNAL, EXIT_OUTPUT = 0, 1, 2, 3, 4, 5
EXIT_INTERRUPTED = 130


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C: leave at once and quietly, wherever the program is (an import, a query, a write);
    SystemExit unwinds through every `finally`, so no temporary file is left behind."""
    raise SystemExit(EXIT_INTERRUPTED)


# Run as the program (the console script, python -m crpscli), Ctrl-C is quiet from here on,
# before any other import (os and sys are loaded with Python itself; _signal is the C module,
# where `signal` and `typing` would spend milliseconds building classes first). Imported as a
# library (tests), signals are left alone until main().
if os.path.basename(sys.argv[0]) in ("crps", "crps.exe", "__main__.py"):
    _signal.signal(_signal.SIGINT, _interrupted)

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from pathlib import Path

    from typer._click.exceptions import UsageError

MAX_ARG_CHARS = 4096  # the longest argument accepted (a path may be as long as PATH_MAX, 4096 bytes)
# (variable, least, most): a terminal size from the environment is held within these
SIZES = (("COLUMNS", 20, 1000), ("LINES", 5, 1000))


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


def _any_text() -> None:
    """Whatever the streams' encoding (cp1252, ASCII), a character it cannot hold is replaced."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def clamp_sizes(environ: dict[str, str] | os._Environ[str]) -> None:
    """COLUMNS and LINES within sane bounds for every reader of them (rich, shutil, typer's help):
    a huge COLUMNS on a terminal would have rich lay out gigabytes. Nonsense is removed."""
    for name, least, most in SIZES:
        value = environ.get(name)
        if value is None:
            continue
        digits = value.strip()
        if digits.isascii() and digits.isdigit():
            environ[name] = str(min(max(int(digits[-10:]) if len(digits) <= 10 else most, least), most))
        else:
            del environ[name]


def write_file(path: Path, text: str) -> None:
    """Write `path` whole or not at all: through a new file beside it and a rename, so a symlink
    at `path` is replaced rather than followed, and a FIFO or device there is refused unopened."""
    import secrets
    import stat

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise IsADirectoryError(0, "exists and is not a regular file (a symlink, FIFO, device or directory)")
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(temporary, flags, 0o666)  # the umask applies, as for any file the user writes
    try:
        with open(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


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
    """Console entry point: quiet on closed pipes and Ctrl-C, one line for unexpected errors.

    The cyclic collector is off for the run: a command is one short run whose objects nearly all
    live to its end (the records, the answer, the screen), so each pass would only rescan them. On
    the hundredfold data set its passes were 15-40% of a whole-base command; peak memory is the
    same, since almost nothing crps makes is garbage held in a cycle.
    """
    import gc
    import signal

    try:
        previous = signal.signal(signal.SIGINT, _interrupted)
    except ValueError:  # not the main thread (a test calling main): signals stay as they are
        previous = None
    collecting = gc.isenabled()
    gc.disable()
    try:
        _run()
    finally:
        if collecting:
            gc.enable()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _run() -> None:
    _standard_streams()
    _any_text()
    clamp_sizes(os.environ)
    from .cli import app_for

    app = app_for(sys.argv[1:])
    debug = "--debug" in sys.argv[1:] or bool(os.environ.get("CRPS_DEBUG"))
    if not sys.stdout.isatty():  # off a terminal, help is plain text like every other output
        app.rich_markup_mode = None
    if "--debug" in sys.argv:
        sys.argv.remove("--debug")
    if refused := bad_argument(sys.argv[1:]):
        print(f"crps: {refused}", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    stdout, stdout_file = sys.stdout, _stdout_file()
    from typer._click.exceptions import ClickException, UsageError  # typer's copy of click
    from typer.exceptions import Abort

    try:
        try:
            code = app(standalone_mode=False)  # click's errors come here, to be said in one line
        finally:
            if sys.stdout is stdout:  # flushed here, where a closed pipe can still be caught
                sys.stdout.flush()
        sys.exit(code if isinstance(code, int) else EXIT_FOUND)
    except UsageError as exc:
        print(f"crps: {_usage_line(exc)}", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    except ClickException as exc:
        print(f"crps: {exc.format_message()}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except Abort:
        sys.exit(EXIT_INTERRUPTED)
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
    except OSError as exc:
        if exc.filename is not None:  # a file crps opened by name: not output, a bug
            _internal(exc, debug)
        # A write to stdout failed (a full disk, an I/O error): say so, and drop what is still buffered.
        _silence_stdout()
        print(f"crps: cannot write output: {exc.strerror or exc}", file=sys.stderr)
        sys.exit(EXIT_OUTPUT)
    except Exception as exc:
        _internal(exc, debug)


def _usage_line(exc: UsageError) -> str:
    """A usage error in one line, where typer prints a box or three lines: the message, and
    where to read more ("see 'crps treat --help'"). A global option given after the command is
    told where it goes."""
    from .output.text import one_line

    message = one_line(exc.format_message())
    command = exc.ctx.command_path if exc.ctx else "crps"
    if exc.ctx and message.startswith("No such option: ") and exc.ctx.parent:
        option = message.removeprefix("No such option: ").split()[0].split("=")[0]
        for param in exc.ctx.find_root().command.params:
            if option in param.opts:
                value = "" if getattr(param, "is_flag", False) else f" {(param.name or '').upper()}"
                where = f"crps {option}{value} {exc.ctx.info_name} ..."
                return f"{option} is an option of crps itself, before the command: {where}"
    return f"{message.rstrip('.')} (see '{command} --help')"


def _internal(exc: Exception, debug: bool) -> None:
    """A bug: one line asking for a report (exit 4), or with --debug the traceback."""
    from .output.text import one_line

    if debug:
        raise exc
    print(
        f"crps: internal error ({type(exc).__name__}: {one_line(str(exc))[:200]}); "
        "please report it as a bug, with the output of the same command run with --debug",
        file=sys.stderr,
    )
    sys.exit(EXIT_INTERNAL)

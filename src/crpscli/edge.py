"""The process edge: what happens before and after a command runs.

Arguments are screened, closed standard streams are replaced, and the outcome becomes an exit
code: a closed pipe is quiet (exit 0), Ctrl-C is quiet (130), and anything unexpected is one line
(exit 4) instead of a traceback.
"""

from __future__ import annotations

import os
import sys

EXIT_FOUND, EXIT_NOTHING, EXIT_USAGE, EXIT_DATA, EXIT_INTERNAL = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130
MAX_ARG_CHARS = 4096  # the longest argument accepted (a path may be as long as PATH_MAX, 4096 bytes)


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
    try:
        from .cli import app
        from .output.text import one_line
    except KeyboardInterrupt:  # Ctrl-C while starting up is as quiet as at any other time
        sys.exit(EXIT_INTERRUPTED)
    debug = "--debug" in sys.argv[1:] or bool(os.environ.get("CRPS_DEBUG"))
    if not sys.stdout.isatty():  # off a terminal, help is plain text like every other output
        app.rich_markup_mode = None
    if "--debug" in sys.argv:
        sys.argv.remove("--debug")
    if refused := bad_argument(sys.argv[1:]):
        print(f"crps: {refused}", file=sys.stderr)
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
        print(
            f"crps: internal error ({type(exc).__name__}: {one_line(str(exc))[:200]}); "
            "please report it as a bug, with the output of the same command run with --debug",
            file=sys.stderr,
        )
        sys.exit(EXIT_INTERNAL)

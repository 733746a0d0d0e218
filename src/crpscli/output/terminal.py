"""Where a screen goes: colour or not, how wide, and through a pager when it is long.

- Colour: `--color always|never|auto`. auto means colour on a terminal, none when NO_COLOR is
  set (to anything but nothing), and colour even off a terminal when CLICOLOR_FORCE is set to
  anything but 0. `--color always` keeps colour in a pipe: `crps --color always treat ldn | less -R`.
- Width: COLUMNS when set; else the terminal's; off a terminal, the controlling terminal's (a
  pipe into less on an 80-column terminal is laid out at 80); else 100. Clamped to 20..1000.
- Pager: on a terminal only, CRPS_PAGER, else PAGER, else `less -FRX` (which quits at once when
  the text fits one screen, keeps colour, and leaves the text on the screen), as git and gh do;
  `--no-pager`, an empty value or `cat` turn it off, and a pager that cannot be found is skipped.
  A screen longer than the terminal opens with the not-advice notice as well as ending with it.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
from typing import TextIO

from .formats import ColorMode

NARROWEST, WIDEST, PIPED_WIDTH = 20, 1000, 100
CLASSIC_LINES = 24
DEFAULT_PAGER = "less -FRX"


def wants_colour(mode: ColorMode, out: TextIO) -> bool:
    if mode is not ColorMode.auto:
        return mode is ColorMode.always
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("CLICOLOR_FORCE", "0") not in ("", "0"):
        return True
    return out.isatty() and os.environ.get("TERM") != "dumb"


def colour_system() -> str:
    """The colours to draw with once colour is wanted: what the terminal says it has, and the 16
    standard colours where it says nothing or is 'dumb' (colour was asked for all the same)."""
    term, colourterm = os.environ.get("TERM", ""), os.environ.get("COLORTERM", "")
    if colourterm in ("truecolor", "24bit"):
        return "truecolor"
    return "256" if "256color" in term else "standard"


def _clamped(columns: int) -> int:
    return min(max(columns, NARROWEST), WIDEST)


def width(out: TextIO) -> int:
    """Columns to lay the screen out in (see the module's docstring)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isascii() and columns.isdigit():  # a huge number is read no further than it can matter
        return _clamped(int(columns) if len(columns) <= 5 else WIDEST)
    if out.isatty():
        with contextlib.suppress(OSError, ValueError):
            return _clamped(os.get_terminal_size(out.fileno()).columns)
    with contextlib.suppress(OSError):
        tty = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY)
        try:
            return _clamped(os.get_terminal_size(tty).columns)
        finally:
            os.close(tty)
    return PIPED_WIDTH


def height(out: TextIO) -> int:
    """Rows of the terminal `out` is on: LINES when set, else the terminal's, else the classic 24."""
    lines = os.environ.get("LINES", "").strip()
    if lines.isascii() and lines.isdigit():  # edge.clamp_sizes has bounded it
        return int(lines)
    with contextlib.suppress(OSError, ValueError):
        return os.get_terminal_size(out.fileno()).lines or CLASSIC_LINES  # 0: a terminal that does not say
    return CLASSIC_LINES


def pager_command(enabled: bool, out: TextIO) -> list[str] | None:
    """The pager to run for `out`, or None: off a terminal, turned off, or not installed."""
    if not enabled or not out.isatty():
        return None
    chosen = os.environ.get("CRPS_PAGER", os.environ.get("PAGER", DEFAULT_PAGER))
    try:
        command = shlex.split(chosen)
    except ValueError:
        return None
    if not command or command[0] == "cat" or shutil.which(command[0]) is None:
        return None
    return command


def page(text: str, command: list[str], out: TextIO) -> None:
    """Show the text through the pager; Ctrl-C belongs to the pager while it runs, as in git."""
    out.flush()
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX"), "LV": os.environ.get("LV", "-c")}
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=env, encoding="utf-8", errors="replace")
        with contextlib.suppress(BrokenPipeError):  # the reader quit before the end: that is fine
            assert pager.stdin is not None
            pager.stdin.write(text)
        with contextlib.suppress(BrokenPipeError):
            pager.stdin.close()
        pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)


def write_paged(text: str, out: TextIO, enabled: bool) -> None:
    """The text on `out`: through the pager on a terminal (unless turned off), else as it is."""
    pager = pager_command(enabled, out)
    if pager:
        page(text, pager, out)
    else:
        out.write(text)

"""Shell completion: what bash, zsh and fish put on the line, and that the line then works.

The real shells are driven on a pseudo-terminal, as a user types: the start of an argument, Tab,
then the completed line is run with `printf` in front, which prints each argument the shell read.
A shell that is missing is skipped, except under CI (the CI variable set), where it fails.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from crpscli.answers.cite import cite
from crpscli.cli import complete_name, complete_reference, complete_source, split_line
from crpscli.evidence.files import shipped_data
from crpscli.evidence.store import load_evidence

from ..conftest import crps_executable

SHELLS = {  # how each starts with no start-up file of the user's, and what it needs before a script
    "bash": (["bash", "--norc", "--noprofile", "-i"], ""),
    "zsh": (["zsh", "-f", "-i"], "autoload -U compinit && compinit -u -D && "),
    "fish": (["fish", "--no-config", "-i"], ""),
}
# What is typed before Tab, and the argument the shell must then read (in any case: the
# shells differ in whether "pmid:2012" keeps the case typed).
TYPED = {
    "crps brief low": "low dose naltrexone",  # bash inserts as it stands: the spaces escaped
    "crps brief 'low": "low dose naltrexone",  # bash replaces what follows the quote, then closes it
    "crps cite pmid:2012": "pmid:20124231",  # bash replaces what follows the ':'; "PMID:" in any case
    "crps list --source=meds": "--source=medscape-ivig",  # after the '=' of an option
    "crps check /us": "/usr/",  # a path: the shell's own file completion
}
# Each Tab runs crps, so each shell gets what our code does for it: zsh and fish quote what they
# insert themselves, and zsh's files are typer's `_files`; fish's file fallback is our script's.
ASKED = {
    "bash": list(TYPED),
    "zsh": ["crps brief low", "crps cite pmid:2012", "crps list --source=meds"],
    "fish": ["crps brief low", "crps cite pmid:2012", "crps list --source=meds", "crps check /us"],
}
TERMINAL_CODES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|[=>78M])")
WAIT = 60  # seconds for one answer: a loaded machine is slow, a hung shell is a failure


class Terminal:
    """One interactive shell on a pseudo-terminal, in an environment of its own."""

    def __init__(self, argv: list[str], home: Path) -> None:
        env = {
            "PATH": os.pathsep.join([str(Path(crps_executable()).parent), "/usr/bin", "/bin"]),
            "HOME": str(home),
            "TERM": "xterm",
            "LANG": "C.UTF-8",
            "CRPS_CACHE_DIR": os.environ["CRPS_CACHE_DIR"],  # the suite's cache, already built
        }
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes the shell
            os.execvpe(argv[0], argv, env)
        self.seen = b""

    def screen(self, start: int = 0) -> str:
        """What the terminal showed from byte `start` on, as text."""
        return TERMINAL_CODES.sub("", self.seen[start:].decode(errors="replace")).replace("\r", "")

    def run(self, keys: str, marker: str) -> str:
        """Type the keys, then wait for the line `marker` alone; what was shown after the keys."""
        start = len(self.seen)
        os.write(self.fd, keys.encode())
        deadline = time.monotonic() + WAIT
        while not re.search(rf"^{marker}$", self.screen(start), re.M):
            if time.monotonic() > deadline:
                pytest.fail(f"no {marker!r} within {WAIT} s; the terminal showed:\n{self.screen()[-1500:]}")
            if select.select([self.fd], [], [], 0.1)[0]:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:  # the shell is gone
                    pytest.fail(f"the shell ended; the terminal showed:\n{self.screen()[-1500:]}")
        return self.screen(start)

    def close(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def installed(shell: str) -> None:
    if shutil.which(shell) is None:
        message = f"{shell} is not installed (apt-get install {shell})"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI runs the completion tests in every shell")
        pytest.skip(message)


def script(cli, monkeypatch, shell: str) -> str:
    monkeypatch.setattr(sys, "argv", ["crps", "--show-completion", shell])  # where the option looks for SHELL
    shown = cli("--show-completion", shell)
    assert shown.exit_code == 0
    return shown.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize("shell", list(SHELLS))
def test_the_shell_completes_one_whole_argument(shell, tmp_path, cli, monkeypatch):
    installed(shell)
    argv, before = SHELLS[shell]
    (tmp_path / "crps.sh").write_text(script(cli, monkeypatch, shell))
    terminal = Terminal(argv, tmp_path)
    try:
        # each marker is computed, so that the text typed (which the shell echoes) cannot show it
        sum_of = "(math {} + {})" if shell == "fish" else "$(({} + {}))"
        terminal.run(f"{before}source {tmp_path / 'crps.sh'}; echo READY-{sum_of.format(2, 3)}\r", "READY-5")
        for n, typed in enumerate(ASKED[shell]):
            argument = TYPED[typed]
            # Tab; to the line's start (Ctrl-A) to put printf in front; to its end (Ctrl-E); run it.
            keys = f"{typed}\t\x01printf '<%s>\\n' \x05; echo DONE-{sum_of.format(1000, n)}\r"
            shown = terminal.run(keys, f"DONE-{1000 + n}")
            words = re.findall(r"^<(.*)>$", shown, re.M)
            # (zsh takes back the '/' it put after a directory when the next key is not a name's)
            assert [w.casefold().rstrip("/") for w in words] == [*typed.split()[:2], argument.rstrip("/")], shown
    finally:
        terminal.close()


@pytest.mark.parametrize("typed", list(TYPED)[:4])
def test_the_completed_command_works(cli, typed):
    assert cli(*typed.split()[1:2], TYPED[typed]).exit_code == 0


def bash_offers(line: str, word: str) -> list[str]:
    """What our bash script's function gets back for this line, where bash's own word (its $2) is `word`."""
    from typer.testing import CliRunner

    from crpscli.cli import app

    env = {"_CRPS_COMPLETE": "complete_bash", "_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_WORD_TO_COMPLETE": word}
    return [line for line in CliRunner().invoke(app, [], env=env).stdout.splitlines() if line]  # none: one empty line


@pytest.mark.parametrize(
    ("line", "word", "offered"),
    [  # the words as a real bash 5.2 gives them (COMP_WORDBREAKS holds ':' and '='; quotes are stripped)
        ("crps brief low\\ do", "low\\ do", ["low\\ dose\\ naltrexone"]),
        ('crps brief "low', "low", ["low dose naltrexone"]),
        ("crps brief lo'w do", "w do", ["w dose naltrexone"]),
        ("crps cite 000:13", "13", ["137", "138", "139"]),
        ("crps cite 000:", "", ["137", "138", "139", "140", "141", "142"]),
        ("crps cite Goebel\\ 2", "Goebel\\ 2", ["Goebel\\ 2010"]),
        ("crps --data=/tmp treat ldn", "ldn", ["ldn"]),
        ("crps treat ldn --format ", "", ["table", "json", "yaml", "csv", "tsv", "markdown"]),  # its formats alone
        ("crps export --format c", "c", ["csv", "csl-json"]),
    ],
)
def test_bash_gets_the_text_to_put_in_place_of_its_word(line, word, offered):
    assert bash_offers(line, word) == offered


def test_the_data_the_line_names_is_the_data_completed():
    overlay = Path(__file__).parents[1] / "data" / "good"
    assert bash_offers(f"crps --data {overlay} treat wid", "wid") == ["widget"]
    assert bash_offers(f"crps --no-builtin --data {overlay} treat ke", "ke") == []
    assert bash_offers("crps treat wid", "wid") == []  # (and the shipped data again, for the tests after)


def test_typers_bash_script_still_gets_whole_escaped_names(cli):
    """A script installed by an earlier crps (typer's) sends the words, not the line."""
    env = {"_CRPS_COMPLETE": "complete_bash", "COMP_WORDS": "crps brief low", "COMP_CWORD": "2"}
    assert cli(env=env).stdout.splitlines() == ["low\\ dose\\ naltrexone"]


def test_the_line_is_read_as_the_shell_reads_it():
    assert split_line("crps brief low\\ do") == (["crps", "brief"], "low do", "")
    assert split_line("crps brief 'low do") == (["crps", "brief"], "low do", "'")
    assert split_line("crps brief ") == (["crps", "brief"], "", "")
    assert split_line('crps cite "Goebel 2010" 000:1') == (["crps", "cite", "Goebel 2010"], "000:1", "")


def test_zsh_and_fish_get_names_whole(cli):
    zsh = cli(env={"_CRPS_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "crps brief low"})
    assert zsh.stdout.strip() == "compadd -M 'm:{a-zA-Z}={A-Za-z}' -- 'low dose naltrexone'"  # zsh quotes it
    fish = {"_CRPS_COMPLETE": "complete_fish", "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    assert cli(env={**fish, "_TYPER_COMPLETE_ARGS": "crps brief low"}).stdout.strip() == "low dose naltrexone"
    assert cli(env={**fish, "_TYPER_COMPLETE_ARGS": "crps list --source=00"}).stdout.split() == [
        f"--source=00{n}" for n in range(5)
    ]


@pytest.mark.parametrize(
    ("shell", "start"),
    [("bash", "_crps_completion() {"), ("zsh", "#compdef crps"), ("fish", "function _crps_completion")],
)
def test_show_completion_honours_the_shell_named(cli, monkeypatch, shell, start):
    assert script(cli, monkeypatch, shell).startswith(start)


def test_install_completion_writes_the_script_show_completion_prints(cli, monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "argv", ["crps", "--install-completion", "bash"])
    assert cli("--install-completion", "bash", env={"HOME": str(tmp_path)}).exit_code == 0
    monkeypatch.setattr(sys, "argv", ["crps", "--show-completion", "bash"])
    script = cli("--show-completion", "bash").stdout
    assert (tmp_path / ".bash_completions" / "crps.sh").read_text().strip() == script.strip()


def test_names_keep_to_the_case_typed_when_any_match_in_it():
    assert complete_name("ke") and all(n.startswith("ke") for n in complete_name("ke"))
    assert complete_name("lyr") == ["Lyrica"]  # none in the case typed: any case
    assert {"surgery", "kids", "ldn", "low dose naltrexone"} <= set(complete_name(""))  # topics, aliases, ids


def test_every_reference_offered_names_a_study():
    base = load_evidence([shipped_data()]).base
    offered = complete_reference("")
    for reference in offered:
        assert cite(base, [reference]).matches, reference
    assert {"goebel-2010-ivig", "Goebel 2010", "000:138", "PMID:20124231"} <= set(offered)
    assert not [r for r in offered if r.isdigit()]  # a bare number is a reference of every source
    assert [study.id for study in base.studies.values()] == [r for r in offered if r in base.studies]


def test_sources_are_offered_by_id_and_number(cli):
    offered = complete_source("")
    assert offered[:2] == ["medscape-ivig", "000"] and len(offered) == 10
    assert all(cli("list", "--source", source).exit_code == 0 for source in (offered[0], offered[-1]))

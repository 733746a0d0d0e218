"""Start-up benchmark: each crps command against the libraries' own import time.

Runs every case as a fresh process, interleaved (A, B, C, D, E, F, A, B, ...) so that drift
in the machine's load falls on all cases alike, after a warm-up round, and prints the median
of each and its ratio to the floor F, the time to import the libraries crps is built on:

    F  python -c "import typer, rich.table, pydantic, yaml"   (the same interpreter)
    A  crps treat ketamine                 (table, stdout a pipe)
    B  crps treat ketamine --format json
    C  crps cite 138 --json
    D  crps --help
    E  shell completion of `crps treat ke` (bash)
    G  crps treat <every treatment id>    (one call for all 80; target <= 1.5 x A)

The cache is warmed first, so the figures are for the usual call; `--cold` deletes the cache
before every run of A-C instead. Usage: python bench/startup.py [--runs 20] [--cold]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"A": 1.2, "B": 1.05, "C": 1.05, "D": 1.25, "E": 0.8, "G": 1.5}


def crps_command() -> list[str]:
    """The installed console script of this interpreter's environment."""
    beside = Path(sys.executable).with_name("crps")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "crpscli"]


def every_treatment(crps: list[str]) -> list[str]:
    listing = subprocess.run([*crps, "list", "--format", "tsv"], capture_output=True, text=True, check=True)
    return [line.split("\t")[0] for line in listing.stdout.splitlines()[1:]]


def cases() -> dict[str, tuple[list[str], dict[str, str]]]:
    crps = crps_command()
    # what the script of `crps --show-completion bash` sends: the line up to the cursor and bash's word
    completion = {
        "_CRPS_COMPLETE": "complete_bash",
        "_TYPER_COMPLETE_ARGS": "crps treat ke",
        "_TYPER_COMPLETE_WORD_TO_COMPLETE": "ke",
    }
    return {
        "F": ([sys.executable, "-c", "import typer, rich.table, pydantic, yaml"], {}),
        "A": ([*crps, "treat", "ketamine"], {}),
        "B": ([*crps, "treat", "ketamine", "--format", "json"], {}),
        "C": ([*crps, "cite", "138", "--json"], {}),
        "D": ([*crps, "--help"], {}),
        "E": (crps, completion),
        "G": ([*crps, "treat", *every_treatment(crps)], {}),
    }


def installed_from() -> str:
    found = subprocess.run(
        [sys.executable, "-c", "import crpscli; print(crpscli.__file__)"], capture_output=True, text=True
    )
    return found.stdout.strip() or "?"


def run_once(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env={**os.environ, **env}, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[:300]}")
    return elapsed


def peak_memory_mb(argv: list[str], env: dict[str, str] | None = None) -> float:
    """Peak resident memory of one run, from that child's own rusage (Linux reports KiB)."""
    child = subprocess.Popen(argv, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    return usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--cold", action="store_true", help="delete the cache before each run of A-C")
    args = parser.parse_args()
    cache_dir = Path(tempfile.mkdtemp(prefix="crps-bench-cache-"))
    os.environ["CRPS_CACHE_DIR"] = str(cache_dir)
    os.environ.pop("CRPS_DATA", None)
    todo = cases()
    times: dict[str, list[float]] = {name: [] for name in todo}
    for round_ in range(args.runs + 1):
        for name, (argv, env) in todo.items():
            if args.cold and name in "ABC":
                shutil.rmtree(cache_dir, ignore_errors=True)
            elapsed = run_once(argv, env)
            if round_:  # round 0 is the warm-up
                times[name].append(elapsed)
    floor = statistics.median(times["F"])
    cache = "cold" if args.cold else "warm"
    print(f"python {sys.version.split()[0]} on {sys.platform}, {args.runs} runs each, {cache} cache")
    print(f"crps from {installed_from()} (measure a regular 'pip install .': an editable install adds its import hook)")
    print(f"{'case':<46} {'median':>9} {'ratio':>6} {'target':>7}")
    labels = {
        "F": "F import typer, rich.table, pydantic, yaml",
        "A": "A treat ketamine (table, piped)",
        "B": "B treat ketamine --format json",
        "C": "C cite 138 --json",
        "D": "D --help",
        "E": "E completion of 'crps treat ke'",
        "G": "G treat <all 80 treatments> (vs A)",
    }
    for name, label in labels.items():
        median = statistics.median(times[name])
        base = statistics.median(times["A"]) if name == "G" else floor
        target = TARGETS.get(name)
        verdict = "" if target is None else f"≤{target:<4} {'ok' if median / base <= target else 'MISSED'}"
        print(f"{label:<46} {median * 1000:7.1f}ms {median / base:6.2f} {verdict}")
    print(f"peak memory of A: {peak_memory_mb(todo['A'][0]):.1f} MB")
    shutil.rmtree(cache_dir, ignore_errors=True)


if __name__ == "__main__":
    main()

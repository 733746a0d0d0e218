"""Scale benchmark: a synthetic data directory about 100 times the shipped one.

Generates (deterministically) about 5,000 treatments, 5,000 studies and 50,000 claims from 50
sources, valid against the models, then times every read command as a fresh process, on the
shipped data and on that set (`--data DIR --no-builtin`):

    lookups  treat, compare, cite (a reference number), search (a word in a handful of records)
    wholes   list, matrix, conflicts, export --json (they read every record)
    check    crps check DIR

each as the first run (empty cache) and the median of later runs, with peak memory, and prints
each target with its figure:

    later runs of a lookup on the large set   <= 1.5 x the same lookup on the shipped data
    later runs of a whole                     <= 3 s
    every first run                           <= 4 s

Usage: python bench/scale.py [--factor 100] [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from startup import crps_command

WORDS = [
    *("nerve", "pain", "infusion", "dose", "swelling", "bone", "skin", "cold", "warm", "movement", "therapy"),
    *("block", "relief", "trial", "patients", "weeks", "month", "spinal", "graded", "imagery", "mirror"),
    *("tolerance", "sleep", "flare", "limb", "immune"),
]
KINDS = ["patient_blog", "clinician_slide_deck", "clinician_article", "encyclopedic_review_excerpt"]
CATEGORIES = ["infusion", "medication", "topical", "supplement", "device", "procedure", "physical_therapy"]
STANCES = ["supports", "opposes", "mixed", "neutral", "caution"]
ASPECTS = ["efficacy", "safety", "protocol", "indication"]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def synthetic_sources(count: int, evidence_value: Callable[[], str]) -> list[dict[str, object]]:
    return [
        {
            "id": f"source-{i}",
            "number": f"{i:03d}",
            "file": f"{i:03d}.md",
            "title": f"Synthetic source {i}",
            "kind": KINDS[i % len(KINDS)],
            "conditions": ["crps"],
            "evidence_value": evidence_value(),
        }
        for i in range(count)
    ]


def generate(directory: Path, factor: int, seed: int = 7) -> dict[str, int]:
    """Write sources, treatments, studies and claims YAML; return the counts."""
    rng = random.Random(seed)
    n_sources, n_treatments, n_studies, n_claims = max(5, factor // 2), 50 * factor, 50 * factor, 500 * factor
    sources = synthetic_sources(n_sources, lambda: sentence(rng, 8))
    treatments = [
        {
            "id": f"treatment-{i}",
            "name": f"Treatment {i}",
            "aliases": [f"alias {i}"],
            "category": CATEGORIES[i % len(CATEGORIES)],
            "summary": sentence(rng, 12),
        }
        for i in range(n_treatments)
    ]
    studies = [
        {
            "id": f"study-{i}",
            "verification": "from_source_only",
            "citations": [{"source": f"source-{i % n_sources}", "ref": str(i), "locator": f"reference {i}"}],
            "authors": [f"Author{i} A", "Second B"],
            "title": sentence(rng, 10),
            "year": 1990 + i % 35,
            "design": "rct",
            "sample_size": 10 + i % 200,
            "finding": sentence(rng, 20),
        }
        for i in range(n_studies)
    ]
    claims = []
    for i in range(n_claims):
        claim = {
            "id": f"claim-{i}",
            "treatment": f"treatment-{i % n_treatments}",
            "source": f"source-{rng.randrange(n_sources)}",
            "locator": f"section {i % 40}",
            "quote": " ".join(rng.choice(WORDS) for _ in range(6)),
            "text": sentence(rng, 25),
            "stance": rng.choice(STANCES),
            "aspect": rng.choice(ASPECTS),
            "outcome": "general",
            "studies": [f"study-{rng.randrange(n_studies)}"],
        }
        if i % 5 == 0:
            claim["figures"] = [{"quantity": "dose", "min": rng.randrange(1, 100), "unit": "mg"}]
        claims.append(claim)
    directory.mkdir(parents=True, exist_ok=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for name, items in (
        ("sources", sources),
        ("treatments", treatments),
        ("studies", studies),
        ("claims", claims),
    ):
        with open(directory / f"{name}.yaml", "w", encoding="utf-8") as out:
            yaml.dump(items, out, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    return {"sources": n_sources, "treatments": n_treatments, "studies": n_studies, "claims": n_claims}


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Seconds, peak memory in MB, and exit code of one fresh process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, child.returncode


def measure(label: str, argv: list[str], runs: int, cache: Path) -> tuple[float, float]:
    """First run on an empty cache, then the median of later runs; prints one line."""
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "CRPS_CACHE_DIR": str(cache)}
    env.pop("CRPS_DATA", None)
    first, first_mb, code = timed(argv, env)
    later = [timed(argv, env) for _ in range(runs)]
    median = statistics.median(t for t, _, _ in later)
    peak = max([first_mb, *(mb for _, mb, _ in later)])
    print(f"{label:<34} first {first:6.2f}s  later {median * 1000:7.1f}ms  peak {peak:6.1f} MB  exit {code}")
    return first, median


def one_treatment_conflicts(runs: int) -> None:
    """`crps conflicts --json` on 2,000 claims about one treatment from 5 sources, as many as the shipped
    data has (target: under 1 s).

    Every stance and a course length in most claims, so nearly every pair of sources disagrees: the
    rule compares (source, stance) buckets and figure intervals per question, never claim pairs.
    """
    rng = random.Random(13)
    outcomes = {"efficacy": ["pain", "overall", "function"], "protocol": ["course_length"], "mechanism": ["target"]}
    sources = synthetic_sources(5, lambda: "synthetic")
    claims = []
    for i in range(2000):
        aspect = rng.choice(list(outcomes))
        claim = {
            "id": f"claim-{i}",
            "treatment": "widget",
            "source": f"source-{rng.randrange(5)}",
            "locator": f"section {i % 40}",
            "quote": " ".join(rng.choice(WORDS) for _ in range(6)),
            "text": sentence(rng, 25),
            "stance": rng.choice(STANCES),
            "aspect": aspect,
            "outcome": rng.choice(outcomes[aspect]),
        }
        if aspect == "protocol":
            low = rng.randrange(1, 10)
            claim["figures"] = [
                {"quantity": "infusion_length", "min": low, "max": low + rng.randrange(0, 5), "unit": "days"}
            ]
        claims.append(claim)
    treatments = [{"id": "widget", "name": "Widget", "category": "device", "summary": "synthetic"}]
    work = Path(tempfile.mkdtemp(prefix="crps-conflicts-"))
    for name, items in (("sources", sources), ("treatments", treatments), ("studies", []), ("claims", claims)):
        (work / f"{name}.yaml").write_text(yaml.safe_dump(items, sort_keys=False), encoding="utf-8")
    crps = crps_command()
    argv = [*crps, "--data", str(work), "--no-builtin", "conflicts", "--json"]
    _, later = measure("conflicts, 2,000 claims, one treatment", argv, runs, work / "cache")
    _, shipped = measure("conflicts, shipped data", [*crps, "conflicts", "--json"], runs, work / "cache")
    print(
        f"conflicts: 2,000 claims on one treatment take {later:.2f}s (target < 1 s), "
        f"{later / shipped:.2f}x the shipped data"
    )
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the data here and keep it")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        print(generate(args.keep, args.factor))
        return
    work = Path(tempfile.mkdtemp(prefix="crps-scale-"))
    data = args.keep or work / "data"
    start = time.perf_counter()
    # Generated in a child process: a forked child's peak memory would include this one's.
    command = [sys.executable, __file__, "--generate-only", "--keep", str(data), "--factor", str(args.factor)]
    counts = subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
    size = sum(f.stat().st_size for f in data.glob("*.yaml")) / 1e6
    print(f"generated {counts} ({size:.1f} MB) in {time.perf_counter() - start:.1f}s")
    crps = crps_command()
    cache = work / "cache"
    big = ["--data", str(data), "--no-builtin"]
    large = f"{args.factor}x data"
    # (command, its arguments on the shipped data, on the large set)
    lookups = [
        ("treat", ["treat", "ketamine"], ["treat", "treatment-42"]),
        ("compare", ["compare", "ivig"], ["compare", "treatment-42"]),
        ("cite", ["cite", "138"], ["cite", "4242"]),
        ("search", ["search", "naltrexone"], ["search", "author4242"]),
    ]
    wholes = [(name, [name], [name]) for name in ("list", "matrix", "conflicts")] + [
        ("export", ["export", "--json"], ["export", "--json"])
    ]
    results: dict[str, tuple[float, float]] = {}
    for name, shipped, scaled in lookups + wholes:
        results[f"{name}, shipped data"] = measure(f"{name}, shipped data", [*crps, *shipped], args.runs, cache)
        results[f"{name}, {large}"] = measure(f"{name}, {large}", [*crps, *big, *scaled], args.runs, cache)
    results[f"check, {large}"] = measure(f"check, {large}", [*crps, "check", str(data)], 1, cache)
    print()
    verdicts = []
    for name, *_ in lookups:
        ratio = results[f"{name}, {large}"][1] / results[f"{name}, shipped data"][1]
        verdicts.append((f"{name}: later runs on {large} are {ratio:.2f}x the shipped data", ratio <= 1.5, "<= 1.5x"))
    for name, *_ in wholes:
        later = results[f"{name}, {large}"][1]
        verdicts.append((f"{name}: later runs on {large} take {later:.2f}s", later <= 3.0, "<= 3 s"))
    slowest = max((first, label) for label, (first, _) in results.items())
    verdicts.append((f"slowest first run: {slowest[1]}, {slowest[0]:.2f}s", slowest[0] <= 4.0, "<= 4 s"))
    for text, met, target in verdicts:
        print(f"{'met ' if met else 'MISS'}  {text} (target {target})")
    shutil.rmtree(work, ignore_errors=True)
    one_treatment_conflicts(args.runs)


if __name__ == "__main__":
    main()

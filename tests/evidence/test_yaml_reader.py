"""The hand-written YAML reader (evidence/yamlfile.py) pinned against PyYAML's `yaml.safe_load`.

It stands in for safe_load for speed, so on a corpus (the shipped data, every test fixture, and
generated documents full of YAML 1.1's typed scalars) it must give the same values, or refuse
where safe_load refuses. Where it differs it is stricter, and each difference is named here:

- a duplicate key is a problem (D003); safe_load keeps the last value silently;
- `! 12`: the non-specific tag `!` makes a plain scalar a string, as the YAML specification says
  ("!" resolves by node kind alone: a scalar is tag:yaml.org,2002:str); PyYAML resolves it as if
  untagged and gives the integer 12. The reader takes the specification's side.
- numbers are read in decimal only: YAML 1.1's hexadecimal, octal, binary, base-60 and `_`-grouped
  forms (`0x1F`, `017`, `0b101`, `1:20`, `1_000`) stay text, so that no value means a number its
  writer did not see (issue 11); tagged `!!int 0x1F` is refused. The comparison below reads the
  corpus with safe_load's own loader under that one rule (DECIMAL_LOADER).
"""

from __future__ import annotations

import math
import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from crpscli.evidence.files import shipped_data
from crpscli.evidence.problems import Code
from crpscli.evidence.yamlfile import read_yaml

FIXTURES = Path(__file__).parents[1] / "data"
# Scalars YAML 1.1 types, and look-alikes it does not: each side of every resolver's edge.
SCALARS = [
    *("yes", "No", "on", "OFF", "y", "n", "true", "False", "~", "null", "Null", "NULL", ""),
    *("0", "-0", "+12", "012", "0x1F", "0o17", "0b101", "1_000", "1:20", "-1:30:00", "190:20:30"),
    *("1.5", "-.5", "1e3", "1.0e+3", "6.8523015e+5", ".inf", "-.Inf", ".NaN", "1_000.5", "1:20.5"),
    *("2020-01-01", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2002-12-14"),
    *("ketamine", "Ketamine 0.5 g", "10.1234/abc", "n=24", "12(3):12-18", "PMID:20124231", "é", "a: b"),
]
STYLES = ["{}", "'{}'", '"{}"', "!!str {}"]


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types (1 and True are not the same), NaN equal to NaN."""
    if type(a) is not type(b) and not (isinstance(a, dict) and isinstance(b, dict)):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def generated(count: int = 60, seed: int = 11) -> list[str]:
    """Documents of entries like the data's, every value a scalar from SCALARS in a random style."""
    rng = random.Random(seed)
    documents = []
    for _ in range(count):
        lines = []
        for entry in range(rng.randint(1, 4)):
            lines.append(f"- id: e{entry}")
            for key in rng.sample(["text", "year", "min", "max", "quote", "flag", "when"], 4):
                lines.append(f"  {key}: {rng.choice(STYLES).format(rng.choice(SCALARS))}")
            items = ", ".join(rng.choice(SCALARS) or "x" for _ in range(3))
            lines.append(f"  list: [{items.replace(':', ' ')}]")
            lines.append("  nested: {a: 1, b: [x, {c: ~}]}")
        documents.append("\n".join(lines) + "\n")
    return documents


CORPUS = {
    **{f"shipped/{p.name}": p.read_text(encoding="utf-8") for p in sorted(shipped_data().glob("*.yaml"))},
    **{
        str(p.relative_to(FIXTURES)): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(FIXTURES.rglob("*.yaml"))
    },
    **{f"generated/{n}": text for n, text in enumerate(generated())},
}
STRICTER = {Code.DUPLICATE_KEY}


class DECIMAL_LOADER(yaml.SafeLoader):
    """safe_load's loader with the reader's one number rule: an untagged number is decimal."""


DECIMAL_LOADER.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith((":int", ":float"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
DECIMAL_LOADER.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
DECIMAL_LOADER.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?|\.[0-9]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_the_reader_agrees_with_safe_load(tmp_path, name):
    path = tmp_path / "file.yaml"
    path.write_text(CORPUS[name], encoding="utf-8")
    data, problems = read_yaml(path)
    try:
        expected = yaml.load(CORPUS[name], Loader=DECIMAL_LOADER)
    except yaml.YAMLError:
        assert problems, f"{name}: safe_load refuses it, the reader gives {data!r}"
        return
    if problems:
        assert {p.code for p in problems} <= STRICTER, f"{name}: {[str(p) for p in problems]}"
        return
    assert same(data, expected), f"{name}: the reader gives {data!r}, safe_load {expected!r}"


def test_the_corpus_covers_every_kind_of_scalar():
    """The generated part holds every typed scalar, so a resolver the reader skipped would show."""
    text = "".join(CORPUS[name] for name in CORPUS if name.startswith("generated/"))
    missing = [s for s in SCALARS if s and s not in text]
    assert missing == []


def test_the_one_known_difference_takes_the_specifications_side(tmp_path):
    path = tmp_path / "file.yaml"
    path.write_text("a: ! 12\n", encoding="utf-8")
    assert read_yaml(path)[0] == {"a": "12"}
    assert yaml.safe_load("a: ! 12\n") == {"a": 12}


def test_a_duplicate_key_is_refused_where_safe_load_keeps_the_last(tmp_path):
    path = tmp_path / "file.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    data, problems = read_yaml(path)
    assert data is None and [p.code for p in problems] == [Code.DUPLICATE_KEY]
    assert yaml.safe_load("a: 1\na: 2\n") == {"a": 2}

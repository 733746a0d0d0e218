"""JSON Schema of the data files, generated from the models (for editors and `crps schema`)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from .files import DATA_FILES


def data_schemas() -> dict[str, dict[str, Any]]:
    """One schema per data file: a list of that file's entries."""
    return {
        name.removesuffix(".yaml"): {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"crps {name}",
            **TypeAdapter(list[model]).json_schema(),  # type: ignore[valid-type]
        }
        for name, model in ((f.name, f.record) for f in DATA_FILES.values())
    }

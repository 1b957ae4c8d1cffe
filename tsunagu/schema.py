"""JSON Schemas of the data files, generated from the models, for editors that validate YAML as staff type."""

from __future__ import annotations

import json
from pathlib import Path

from . import model as m

SCHEMA_DIR = "schema"
FLOW_SCHEMA = "flow"


def schemas() -> dict[str, dict]:
    """file stem -> JSON Schema (flows share one schema)."""
    out = {stem: cls.model_json_schema() for stem, cls in m.FILES.items()}
    out[FLOW_SCHEMA] = m.FlowFile.model_json_schema()
    for stem, schema in out.items():
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"tsunagu: {stem}.yml"
    return out


def render(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write(data_dir: Path) -> list[Path]:
    folder = data_dir / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, schema in schemas().items():
        path = folder / f"{stem}.json"
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


def stale(data_dir: Path) -> list[str]:
    """Schema files that differ from what the models generate now."""
    folder = data_dir / SCHEMA_DIR
    return [f"{stem}.json" for stem, schema in schemas().items()
            if not (folder / f"{stem}.json").exists()
            or (folder / f"{stem}.json").read_text(encoding="utf-8") != render(schema)]

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
        _as_loader_reads(schema)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"tsunagu: {stem}.yml"
    return out


# ----------------------------------------------------------------------------
# Editors read YAML with types; the loader reads every scalar as a string
# ----------------------------------------------------------------------------

# An editor reads `110` as a number and (YAML 1.1) `yes` as a boolean; tsunagu's loader reads both
# as the strings "110" and "yes" (tsunagu/data/yamlfile.py), and the models then convert. So wherever the
# models take a string, the schema also takes what an unquoted scalar becomes in an editor, and a
# number or a yes/no may be quoted. The loader and the models stay the judges of the content.
_SCALARS_READ_AS_TEXT = ["string", "number", "boolean"]


def _as_loader_reads(node: object) -> None:
    if isinstance(node, list):
        for item in node:
            _as_loader_reads(item)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind == "string":
        node["type"] = list(_SCALARS_READ_AS_TEXT)
        if "enum" in node:  # an editor reads an unquoted enum word as a string anyway
            node["type"] = "string"
    elif kind in ("integer", "boolean"):
        node["type"] = [kind, "string"]
    for value in node.values():
        _as_loader_reads(value)


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

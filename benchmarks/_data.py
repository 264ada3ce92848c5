"""Shared benchmark data: realistic callbacks, re-signed with a known secret."""

import json
import random
from pathlib import Path

from ecp_cli.signing.signature import embed_signature, sign

SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "samples"
SECRET = "benchmark-secret"
SHAPES = [
    "purchase_success.json",
    "decline_with_errors.json",
    "legacy_operations_list.json",
    "tokenize_general_signature.json",
    "awaiting_3ds_unknown_secret.json",
]


def _strip(node):
    if isinstance(node, dict):
        return {k: _strip(v) for k, v in node.items() if k != "signature"}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def callbacks(count: int, seed: int = 1) -> list[dict]:
    """``count`` signed callbacks cycling through the sample shapes, each with its own ids."""
    rng = random.Random(seed)
    bases = [_strip(json.loads((SAMPLES / name).read_text())) for name in SHAPES]
    result = []
    for index in range(count):
        body = json.loads(json.dumps(bases[index % len(bases)]))
        if isinstance(body.get("payment"), dict):
            body["payment"]["id"] = f"bench-{index}"
        body["project_id"] = rng.randint(1, 99999)
        result.append(embed_signature(body, sign(body, SECRET)))
    return result


def write_jsonl(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for body in callbacks(count):
            out.write(json.dumps(body, ensure_ascii=False) + "\n")
    return path

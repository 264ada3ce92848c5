"""A diagnosis (ecp_cli.signing.diagnosis) as lines of plain text for people: the strings
and signatures compared, the verdict, what to change, and the evidence behind it."""

TYPE_CHECKING = False  # `ecp decode` imports this module; the diagnosis only when needed
if TYPE_CHECKING:
    from ecp_cli.signing.diagnosis import Diagnosis


def shown_signature(received: object) -> str:
    """A received signature as a person should see it: as is when it is plain text; quoted,
    with escapes, when it holds what a terminal would hide (a trailing newline: "…==\\n");
    ``(none)`` when there is none."""
    import json

    if received is None:
        return "(none)"
    if isinstance(received, str) and received.isprintable() and received == received.strip():
        return received or '""'  # an empty signature, visibly
    try:
        return json.dumps(received, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(received)


def explain_lines(diagnosis: "Diagnosis", *, limit: int = 10) -> list[str]:
    """The diagnosis as lines of plain text (no colour, no indentation), for the CLI."""
    received = diagnosis.received
    lines = [
        f"string ecp signed:  {diagnosis.string_to_sign}",
        f"received signature: {shown_signature(received)}",
        f"expected signature: {diagnosis.expected}",
        f"diagnosis: {diagnosis.message}",
        f"what to change: {diagnosis.hint}",
    ]
    details = diagnosis.details
    if details.get("variant_string_to_sign"):
        lines.append(f"string {details['variant']} signs: {details['variant_string_to_sign']}")
        lines += [f"  - {line}" for line in details.get("differences", [])]
    if details.get("repaired_signature"):
        lines.append(f"repaired signature: {details['repaired_signature']}")
    diff = details.get("diff") or []
    if diff:
        lines.append("differences from the known-good copy:")
        for change in diff[:limit]:
            lines.append("  - " + _describe_change(change))
        if len(diff) > limit:
            lines.append(f"  ... and {len(diff) - limit} more")
    signs = details.get("signs") or []
    if signs and not diff:
        lines.append("signs of re-serialisation:")
        lines += [f"  - {s['text']}" for s in signs[:limit]]
        if len(signs) > limit:
            lines.append(f"  ... and {len(signs) - limit} more")
    return lines


def _describe_change(change: dict) -> str:
    path, kind = change["path"], change["change"]
    mark = "" if change["alters_string"] else " (does not change the string to sign)"
    if kind == "missing":
        return f"{path}: missing (known-good: {change['good']!r})"
    if kind == "added":
        return f"{path}: added ({change['received']!r})"
    return f"{path}: {change['good']!r} became {change['received']!r}{mark}"

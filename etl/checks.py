"""Comparisons of published totals: each mismatch and each check run becomes a finding."""

from __future__ import annotations

from .table import Context, Finding


def compare(ctx: Context, dataset: str, check: str, key: str, expected, actual, what: str) -> bool:
    """Record a mismatch between a published figure and what its parts add up to."""
    if expected is None or actual is None:
        ctx.findings.append(Finding(dataset, check, key, f"{what}: not checked, a figure is missing",
                                    expected, actual, "warning"))
        return False
    if expected == actual:
        return True
    diff = actual - expected
    ctx.findings.append(Finding(dataset, check, key,
                                f"{what}: published {expected}, the parts add up to {actual} "
                                f"({diff:+d})", expected, actual))
    return False


def summary(ctx: Context, dataset: str, check: str, passed: int, total: int, what: str) -> None:
    """Record that a check ran, so the data-quality view shows what was verified."""
    ctx.findings.append(Finding(dataset, check, "all", f"{what}: {passed} of {total} agree",
                                severity="info"))


def annotations(ctx: Context, dataset: str, records: list[dict], key: str) -> None:
    """Record every annotated published cell and the number counted for it."""
    explained = ctx.metas.get(dataset, {}).get("annotations") or {}
    for rec in records:
        for name, note in rec.items():
            if name.endswith("__note"):
                header, text = note.split(": ", 1)
                why = explained.get(f"{rec[key]}/{header}") or {}
                ctx.findings.append(Finding(
                    dataset, "published_annotation", f"{rec[key]}",
                    f"{rec[key]}, {header}: published as '{text}', counted as {rec[name[:-6]]}; "
                    "the published text is kept in note" + (f". {why['en']}" if why else ""),
                    severity="info"))
                ctx.annotations.append({"dataset": dataset, "key": str(rec[key]), "column": header,
                                        "published": text, "counted": rec[name[:-6]],
                                        "explanation_pl": why.get("pl"), "explanation_en": why.get("en")})


def resolve(ctx: Context) -> list[Finding]:
    """Give every finding its severity: a mismatch listed as known in its sidecar is a warning."""
    for f in ctx.findings:
        if f.severity is not None:
            continue
        known = {(k["check"], str(k["key"])): k
                 for k in (ctx.metas.get(f.dataset, {}).get("known_discrepancies") or [])}
        k = known.get((f.check_name, f.key))
        if k and k.get("expected") == f.expected and k.get("actual") == f.actual:
            f.severity = "warning"
            f.detail += f". Known: {k['explanation']}"
        elif f.unknown != "error":
            f.severity = f.unknown
        else:
            f.severity = "error"
            f.detail += (". Not a known discrepancy: check the raw file against the publication; "
                         "if the publication really says so, record it under known_discrepancies "
                         "in the sidecar")
    ctx.findings += stale_exceptions(ctx)
    return ctx.findings


def stale_exceptions(ctx: Context) -> list[Finding]:
    """Errors for sidecar exceptions that no longer occur: a stale exception would hide the next real one."""
    seen = {(f.dataset, f.check_name, f.key, f.expected, f.actual) for f in ctx.findings if f.severity == "warning"}
    # A check that could not run (a figure missing) can neither confirm nor retire an exception.
    unchecked = {(f.dataset, f.check_name, f.key) for f in ctx.findings if f.expected is None or f.actual is None}
    stale = []
    for dataset, meta in ctx.metas.items():
        for k in (meta or {}).get("known_discrepancies") or []:
            if (dataset, k["check"], str(k["key"])) in unchecked:
                continue
            if (dataset, k["check"], str(k["key"]), k.get("expected"), k.get("actual")) not in seen:
                stale.append(Finding(
                    dataset, k["check"], str(k["key"]),
                    f"the sidecar records a known discrepancy (published {k.get('expected')}, parts add up to "
                    f"{k.get('actual')}) that no longer occurs: remove it from known_discrepancies or check the "
                    "raw file", k.get("expected"), k.get("actual"), "error"))
    return stale

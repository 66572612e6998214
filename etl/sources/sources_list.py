"""The `sources` relation: one row per source_id (data/raw/sources.csv)."""

import pandas as pd

from .. import updates
from ..contract import CONTRACT
from ..errors import InputError
from ..rawio import load_meta
from ..table import Context, read_table

RAW = "sources.csv"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the source list; every later source_id must be in it."""
    table = read_table(ctx, RAW, key=("source_id",))
    ctx.source_ids = {r["source_id"] for r in table.records}
    df = pd.DataFrame(table.records).drop(columns="_line")
    for name in updates.of_dataset(ctx.raw_dir, "sources"):  # sources added (or corrected) by an update
        u = updates.read(ctx, name)
        df = updates.merge(df, updates.long_rows(ctx, "sources", u).drop(columns="_line"), ["source_id"])
    ctx.source_ids = set(df.source_id)
    df = pd.concat([df, _update_sources(ctx, table)], ignore_index=True).replace({"": None})
    return {"sources": df[CONTRACT["sources"].column_names]}


def _update_sources(ctx: Context, table) -> pd.DataFrame:
    """One source per published update (data/raw/updates/), from the provenance its sidecar records."""
    rows = []
    for name in updates.files(ctx.raw_dir)[::2]:
        meta = load_meta(ctx.raw_dir / name)
        sid = meta.get("source_id")
        if not sid or sid in ctx.source_ids:
            raise InputError(ctx.raw_dir / (name + ".meta.yml"), "a source_id of its own, not in sources.csv",
                             column="source_id", got=str(sid))
        ctx.source_ids.add(sid)
        rows.append({"source_id": sid, "title": meta.get("title"), "publisher": meta.get("publisher"),
                     "published": meta.get("date"), "url": meta.get("url"), "licence": meta.get("licence"),
                     "caveats": "\n".join(meta.get("caveats") or []) or f"added as an update of {meta.get('updates')}",
                     "figures": f"{meta.get('updates')}: {name}"})
    return pd.DataFrame(rows, columns=list(table.records[0]) if table.records else None).drop(
        columns="_line", errors="ignore")

"""What every topic's figures share: names in the reader's language, a dataset's series caveats."""

from __future__ import annotations

from app import data
from app.i18n import t


def labelled(df, lang: str):
    df["label"] = df[f"name_{lang}"]
    return df


def series_caveat(dataset: str, lang: str) -> str:
    """A dataset's series notes as one sentence for captions and slides (breaks, dropped years, changes)."""
    notes = data.series_notes(dataset)
    return "; ".join(getattr(n, f"label_{lang}") if n.kind != "definition" else
                     t("from_year", lang, year=n.first_year, what=getattr(n, f"label_{lang}"))
                     for n in notes.itertuples())

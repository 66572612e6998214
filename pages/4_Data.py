"""Data and sources: the build, data quality, the change history, the sources, each dataset's provenance, every
relation with CSV/XLSX download."""

from app import blocks as b
from app import data, downloads, live
from app.i18n import t, tn
from app.page import change_history
from app.tables import markdown, missing, plain


def dataset(row, added, lang: str) -> b.Details:
    """One published dataset's provenance, its updates listed inside: the list stays as long as the number of
    datasets however many years are added."""
    title = row.title_en if lang == "en" and not missing(row.title_en) else row.title  # our sidecars' titles
    more = f" (+ {tn('dataset_updates', 'n', lang, n=len(added))})" if len(added) else ""
    caveats = "" if missing(row.caveats) else row.caveats
    inside = [b.Text(f"**{t('publisher', lang)}:** {plain(row.publisher)}  \n**{t('unit', lang)}:** {plain(row.unit)}"
                     f"  \n**{t('licence', lang)}:** {plain(row.licence)}  \n**{t('raw_file', lang)}:** "
                     f"`data/raw/{row.raw_file}` (sha256 `{row.raw_sha256[:12]}…`)")]  # code spans show text as is
    if caveats.strip():
        inside.append(b.Text("\n".join(f"- {plain(line)}" for line in caveats.splitlines() if line.strip())))
    if len(added):
        inside += [b.Text(f"**{t('updates_of_dataset', lang)}**"), b.Table(markdown(added.assign(
            sha256=added.raw_sha256.str[:12])[["raw_file", "title", "publisher", "date", "sha256"]].rename(columns={
                "raw_file": t("col_file", lang), "title": t("col_publication", lang),
                "publisher": t("publisher", lang).lower(), "date": t("col_date", lang)}), lang))]
    return b.Details(f"{row.dataset}: {title}{more}", tuple(inside))


def body(v: b.View) -> list:
    lang = v.lang
    info = data.build_info()
    quality = data.data_quality()
    counts = quality.severity.value_counts()
    return [
        b.Heading(t("data_heading", lang)),
        b.Text(t("build_line", lang, when=f"{info['built_at']:%Y-%m-%d %H:%M:%S} UTC", version=info["etl_version"],
                 sha=info["inputs_sha256"][:12])),
        b.Heading(t("quality_heading", lang), 2),
        b.Text(t("quality_counts", lang, errors=int(counts.get("error", 0)), warnings=int(counts.get("warning", 0)),
                 infos=int(counts.get("info", 0)))),
        # Errors and warnings row by row; the information rows (thousands, one per published breakdown checked) by
        # dataset and check: each is a row of the data_quality table below, with its download.
        b.Frame(quality[quality.severity != "info"][data.QUALITY_SHOWN]),
        b.Text(t("quality_info_counted", lang), "caption"),
        b.Table(markdown(quality[quality.severity == "info"].groupby(["dataset", "check_name"]).size()
                         .reset_index(name=t("col_rows", lang)), lang)),
        b.Heading(t("changes_heading", lang), 2),
        *change_history(lang, key="data"),
        b.Heading(t("sources_heading", lang), 2),
        b.Frame(data.sources(), links=("url",)),
        *[dataset(row, added, lang) for row, added in data.datasets_grouped()],
        b.Heading(t("tables_heading", lang), 2),
        b.Relations("table"),
    ]


PAGE = b.Page("data", "nav_data", (b.Param("table", lambda: downloads.DOWNLOADABLE, lambda opts: opts[0]),), body)

if __name__ == "__main__":
    live.draw(PAGE)

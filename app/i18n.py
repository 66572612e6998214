"""Polish and English UI text, and number formatting for both languages."""

from __future__ import annotations

LANGS = ("pl", "en")
DEFAULT_LANG = "pl"

TEXT: dict[str, dict[str, str]] = {
    "app_title": {"pl": "Handel ludźmi w Polsce: statystyki", "en": "Human trafficking in Poland: statistics"},
    "home_intro": {
        "pl": "Ofiary objęte Programem wsparcia i ochrony ofiary/świadka handlu ludźmi, zgłoszenia według "
              "województw oraz szacunki GUS emigracji czasowej.",
        "en": "Victims enrolled in the Programme of support and protection of the victim/witness of "
              "trafficking, referrals by voivodeship, and GUS estimates of temporary emigration."},
    "language": {"pl": "Język", "en": "Language"},
    "enrolled": {"pl": "Objęci Programem {first}–{last}", "en": "Enrolled in the Programme {first}–{last}"},
    "women": {"pl": "Kobiety", "en": "Women"},
    "men": {"pl": "Mężczyźni", "en": "Men"},
    "minors": {"pl": "Małoletni", "en": "Minors"},
    "minors_help": {"pl": "{in_care} pod opieką, {unaccompanied} bez opieki",
                    "en": "{in_care} with a guardian, {unaccompanied} unaccompanied"},
    "share_of_total": {"pl": "{share} ogółu", "en": "{share} of the total"},
    "peak_year": {"pl": "Najwięcej w roku", "en": "Peak year"},
    "peak_help": {"pl": "{n} osób", "en": "{n} persons"},
    "voivodeships_referring": {"pl": "Województwa ze zgłoszeniami", "en": "Voivodeships with referrals"},
    "of_16": {"pl": "z 16", "en": "of 16"},
    "emigration_latest": {"pl": "Emigracja czasowa, koniec {year} r.", "en": "Temporary emigration, end of {year}"},
    "thousands_persons": {"pl": "{n} tys. osób", "en": "{n} thousand persons"},
    "data_as_of": {"pl": "Dane według stanu z {when} (ETL {version}).",
                   "en": "Data as of {when} (ETL {version})."},
    "caveats": {
        "pl": "Program obejmuje wyłącznie cudzoziemców, więc nie pokazuje wszystkich ofiar handlu ludźmi w "
              "Polsce. Szacunki GUS dotyczą osób czasowo przebywających za granicą (stan na 31 grudnia) i są "
              "przybliżone.",
        "en": "The Programme enrols foreigners only, so it does not show all trafficking victims in Poland. "
              "The GUS figures estimate people temporarily abroad (at 31 December) and are approximate."},
    "referrals_mismatch": {
        "pl": "Zgłoszenia z {year} r. sumują się do {actual}, a objętych Programem w tym roku było {expected} "
              "(tak w źródle; nie poprawiono).",
        "en": "The {year} referrals add up to {actual} against {expected} enrolments that year "
              "(as published; not corrected)."},
    "building_db": {"pl": "Pierwsze uruchomienie: buduję bazę danych z tabel źródłowych…",
                    "en": "First start: building the database from the source tables…"},
    "built_db": {"pl": "Baza danych zbudowana.", "en": "Database built."},
    "db_error": {
        "pl": "Nie można otworzyć bazy danych ({error}). Zbuduj ją ponownie poleceniem `python -m etl` "
              "(albo `make run`) i odśwież stronę.",
        "en": "The database cannot be opened ({error}). Rebuild it with `python -m etl` (or `make run`) "
              "and reload the page."},
    "etl_error": {"pl": "Budowa bazy danych nie powiodła się: {error}",
                  "en": "Building the database failed: {error}"},
}


def t(key: str, lang: str, **values) -> str:
    """The text for `key` in `lang` (Polish if the language is unknown), with values filled in."""
    entry = TEXT[key]
    return entry.get(lang, entry[DEFAULT_LANG]).format(**values)


def fmt_int(n: int | float | None, lang: str) -> str:
    """A whole number with the language's thousands separator (Polish: a non-breaking space)."""
    if n is None:
        return "—"
    s = f"{round(n):,}"
    return s.replace(",", "\u00a0") if lang == "pl" else s


def fmt_pct(x: float | None, lang: str, digits: int = 0) -> str:
    """A share (0-1) as a percentage; Polish uses a decimal comma and a space before %."""
    if x is None:
        return "—"
    s = f"{100 * x:.{digits}f}"
    return (s.replace(".", ",") + "\u00a0%") if lang == "pl" else s + "%"

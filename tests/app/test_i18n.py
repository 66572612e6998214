"""UI text and number formats: CLDR plural forms (Babel) for every counted text, formatters on missing values."""

from __future__ import annotations

import re
import string
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from babel import Locale

from app.i18n import CATEGORIES, LANGS, LOCALES, catalog, fmt_int, fmt_num, fmt_pct, plural_category, t, texts

COUNTS = (1, 2, 4, 5, 12, 22, 25)

# For each counted text, the words around the count for 1, 2, 4, 5, 12, 22 and 25 (COUNTS), in both languages.
# Polish: 1 osoba, 2-4 osoby, 5-21 osób, 22-24 osoby, 25 osób, and the case the sentence asks for.
PERSONS = ["{} osoba", "{} osoby", "{} osoby", "{} osób", "{} osób", "{} osoby", "{} osób"]
PERSONS_ENROLLED = ["{} osoba objęta", "{} osoby objęte", "{} osoby objęte", "{} osób objętych", "{} osób objętych",
                    "{} osoby objęte", "{} osób objętych"]
PERSONS_ACC = ["{} osobę", "{} osoby", "{} osoby", "{} osób", "{} osób", "{} osoby", "{} osób"]  # accusative
OF_PERSONS = ["z {} osoby objętej"] + ["z {} osób objętych"] * 6  # "z" + genitive
EVENTS = ["{} wydarzenie", "{} wydarzenia", "{} wydarzenia", "{} wydarzeń", "{} wydarzeń", "{} wydarzenia",
          "{} wydarzeń"]
REFERRALS = ["{} zgłoszenie", "{} zgłoszenia", "{} zgłoszenia", "{} zgłoszeń", "{} zgłoszeń", "{} zgłoszenia",
             "{} zgłoszeń"]


def en(singular: str, plural: str) -> list[str]:
    return [singular] + [plural] * (len(COUNTS) - 1)


EXPECTED = {
    "rows": (["{} wiersz", "{} wiersze", "{} wiersze", "{} wierszy", "{} wierszy", "{} wiersze", "{} wierszy"],
             en("{} row", "{} rows")),
    "peak_help": (PERSONS, en("{} person", "{} persons")),
    "n_persons": (PERSONS, en("{} person", "{} persons")),
    "n_referrals": (REFERRALS, en("{} referral", "{} referrals")),
    "events_n": (EVENTS, en("{} event", "{} events")),
    "share_help": (OF_PERSONS, en("of {} person enrolled", "of {} persons enrolled")),
    "alt_victims": ([p + " Programem" for p in PERSONS_ENROLLED],
                    en("{} person enrolled in", "{} persons enrolled in")),
    "limit_foreigners": ([p + " Programem" for p in PERSONS_ENROLLED],
                         en("The {} person enrolled", "The {} persons enrolled")),
    "note_enrolments": (["Program objął " + p for p in PERSONS_ACC],
                        en("the Programme enrolled {} person;", "the Programme enrolled {} persons;")),
    "referrals_mismatch": (["objęto w tym roku " + p for p in PERSONS_ACC],
                           en("against {} enrolment that", "against {} enrolments that")),
    "limit_mismatch": (["Programem objęto " + p for p in PERSONS_ACC], en("against {} enrolment;", "against {} enrolments;")),
    "alt_teams": (["w {} województwie"] + ["w {} województwach"] * 6,  # locative
                  en("in {} voivodeship.", "in {} voivodeships.")),
    "alt_timeline": (["z {} wydarzeniem"] + ["z {} wydarzeniami"] * 6,  # instrumental
                     en("with {} event.", "with {} events.")),
    "small_count_note": (["z mniej niż {} zgłoszenia"] + ["z mniej niż {} zgłoszeń"] * 6,  # "z" + genitive
                         en("fewer than {} referral:", "fewer than {} referrals:")),
    "fs_small_counts": (["z mniej niż {} zgłoszenia w roku"] + ["z mniej niż {} zgłoszeń w roku"] * 6,
                        en("fewer than {} referral a year", "fewer than {} referrals a year")),
    "note_where": (["z {} województwa."] + ["z {} województw."] * 6,
                   en("of {} voivodeship referred", "of {} voivodeships referred")),
    "note_rate": (["(" + r + " w latach" for r in REFERRALS], en("({} referral ", "({} referrals ")),
    "note_years": ([r + ", czyli" for r in REFERRALS], en("{} referral,", "{} referrals,")),
    "latest_years_shown": (["ostatni {} rok", "ostatnie {} lata", "ostatnie {} lata", "ostatnie {} lat", "ostatnie {} lat",
                            "ostatnie {} lata", "ostatnie {} lat"], en("latest {} year is shown", "latest {} years")),
    "alt_small_multiples": (["{} mapa województw", "{} mapy województw", "{} mapy województw", "{} map województw",
                             "{} map województw", "{} mapy województw", "{} map województw"],
                            en("{} map of the", "{} maps of the")),
    "changes_latest": (["z {} wpisu"] + ["z {} wpisów"] * 6, en("of {} entry;", "of {} entries;")),  # "z" + genitive
    "dataset_updates": (["{} aktualizacja", "{} aktualizacje", "{} aktualizacje", "{} aktualizacji", "{} aktualizacji",
                         "{} aktualizacje", "{} aktualizacji"], en("{} update", "{} updates")),
    "subtitle_survey": (["{} wynik przytoczony", "{} wyniki przytoczone", "{} wyniki przytoczone",
                         "{} wyników przytoczonych", "{} wyników przytoczonych", "{} wyniki przytoczone",
                         "{} wyników przytoczonych"], en("{} result quoted", "{} results quoted")),
}

PLURAL_KEYS = sorted(k for k, v in catalog("pl").items() if isinstance(v, tuple))


def fill(key: str, lang: str, count) -> str:
    """t() with the count and a placeholder value for every other field of the text."""
    name, forms = catalog(lang)[key]
    names = {n for form in forms for _, n, _, _ in string.Formatter().parse(form) if n}
    values = {n: f"<{n}>" for n in names}
    values[name] = count
    return t(key, lang, **values)


def test_every_counted_text_is_tested():
    assert PLURAL_KEYS == sorted(EXPECTED)


@pytest.mark.parametrize("key", PLURAL_KEYS)
def test_plural_texts_have_every_cldr_form_in_both_languages(key):
    for lang in LANGS:
        text = catalog(lang)[key]
        assert isinstance(text, tuple), f"{key}: {lang} is plain text, the other language is plural"
        count, forms = text
        categories = set(Locale.parse(LOCALES[lang]).plural_form.tags) | {"other"}
        # the catalogue's forms are CLDR's categories of the language, in order
        assert set(CATEGORIES[lang]) == categories and len(forms) == len(categories), (key, lang, forms)
        for form in forms:
            assert "{" + count + "}" in form, f"{key} ({lang}): a form without the count: {form!r}"


@pytest.mark.parametrize("key", sorted(EXPECTED))
@pytest.mark.parametrize("lang", LANGS)
def test_counted_texts_agree_with_the_count(key, lang):
    expected = EXPECTED[key][LANGS.index(lang)]
    for n, words in zip(COUNTS, expected, strict=True):
        assert words.format(n) in fill(key, lang, n), f"{key} ({lang}), {n}"


# A count glued to a noun that inflects, in a plain text, is the "4 wierszy" bug: such a text must be a Plural.
COUNTED_NOUN = re.compile(r"\{\w+\} (osob|osób|osoby|wiersz|zgłosze|wydarze|województw|person|people|row|event|"
                          r"referral|enrolment)", re.IGNORECASE)


def test_no_plain_text_glues_a_count_to_a_noun():
    glued = [(k, lang) for lang in LANGS for k, text in catalog(lang).items()
             if isinstance(text, str) and COUNTED_NOUN.search(text)]
    assert glued == []


@pytest.mark.parametrize(("lang", "n", "category"), [
    ("pl", 1, "one"), ("pl", 2, "few"), ("pl", 4, "few"), ("pl", 5, "many"), ("pl", 12, "many"), ("pl", 22, "few"),
    ("pl", 25, "many"), ("pl", 0, "many"), ("pl", 1.5, "other"), ("pl", 2.0, "few"), ("pl", np.int64(22), "few"),
    ("en", 1, "one"), ("en", 2, "other"), ("en", 4, "other"), ("en", 5, "other"), ("en", 12, "other"),
    ("en", 22, "other"), ("en", 25, "other"), ("en", 1.5, "other"), ("en", 1.0, "one")])
def test_plural_category_is_cldr(lang, n, category):
    assert plural_category(n, lang) == category


def test_counts_are_shown_in_the_language_and_fractions_take_other():
    assert t("rows", "pl", n=1234) == "1\u00a0234 wiersze"  # ...4, not ...14: few
    assert t("rows", "en", n=1234) == "1,234 rows"
    assert t("rows", "pl", n=1.5) == "1,5 wiersza" and t("rows", "en", n=1.5) == "1.5 rows"
    assert t("rows", "pl", n=np.int64(22)) == "22 wiersze" and t("rows", "pl", n=np.float64(5.0)) == "5 wierszy"


def test_a_count_may_come_formatted_or_as_stored_text():
    assert t("n_persons", "pl", n=fmt_int(1_234_562, "pl")) == "1\u00a0234\u00a0562 osoby"
    assert t("n_persons", "en", n=fmt_int(1_234_561, "en")) == "1,234,561 persons"
    assert "objęto w tym roku 56 osób" in fill("referrals_mismatch", "pl", "56")  # data_quality stores text


def test_a_missing_count_says_no_data_and_a_wrong_one_fails_loudly():
    for missing in (None, float("nan"), pd.NA, t("no_data", "pl")):
        assert t("peak_help", "pl", n=missing).startswith("brak danych")
    assert t("peak_help", "en", n=None).startswith("no data")
    with pytest.raises(ValueError, match="peak_help"):
        t("peak_help", "pl", n="many")
    with pytest.raises(TypeError, match="peak_help"):
        t("peak_help", "pl", n=[1])


def test_unknown_language_falls_back_to_polish_rules():
    assert t("rows", "de", n=22) == "22 wiersze"


# --- number formats ---------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "lang", "text"), [
    (2239, "pl", "2\u00a0239"),  # four digits grouped (CLDR pl would not group them; the axes do)
    (1234, "pl", "1\u00a0234"), (12345, "pl", "12\u00a0345"), (241, "pl", "241"), (0, "pl", "0"),
    (2239, "en", "2,239"), (1_234_567, "en", "1,234,567"),
    (2.5, "pl", "3"), (-2.5, "pl", "-3"), (0.5, "en", "1"),  # half away from zero, as app.numbers
    (np.int64(2239), "pl", "2\u00a0239"), (np.int32(7), "en", "7"), (np.float64(2238.6), "pl", "2\u00a0239"),
    (Decimal("2239"), "en", "2,239"),
])
def test_fmt_int(value, lang, text):
    assert fmt_int(value, lang) == text


@pytest.mark.parametrize(("value", "decimals", "lang", "text"), [
    (2141.65, 1, "pl", "2\u00a0141,7"), (2141.65, 1, "en", "2,141.7"), (2.675, 2, "en", "2.68"),
    (0.04, 1, "pl", "0,0"), (-0.04, 1, "pl", "0,0"),  # never "-0,0"
    (np.float32(0.5), 0, "en", "1"), (3, 2, "pl", "3,00"),
])
def test_fmt_num(value, decimals, lang, text):
    assert fmt_num(value, lang, decimals) == text


@pytest.mark.parametrize(("value", "digits", "lang", "text"), [
    (0.64, 0, "pl", "64\u00a0%"), (0.64, 0, "en", "64%"), (0.645, 1, "pl", "64,5\u00a0%"), (0.7, 1, "en", "70.0%"),
    (0.0065, 0, "en", "1%"), (np.float64(0.26), 0, "pl", "26\u00a0%"),
])
def test_fmt_pct(value, digits, lang, text):
    assert fmt_pct(value, lang, digits) == text


MISSING = [None, float("nan"), np.nan, np.float64("nan"), pd.NA, pd.NaT, Decimal("NaN")]


@pytest.mark.parametrize("value", MISSING, ids=repr)
@pytest.mark.parametrize("fmt", [fmt_int, fmt_num, fmt_pct], ids=lambda f: f.__name__)
def test_formatters_say_no_data_for_a_missing_value(fmt, value):
    assert fmt(value, "pl") == "brak danych"
    assert fmt(value, "en") == "no data"
    assert fmt(value, "en", missing="–") == "–"  # a label with no room for words (the legend says it)


def test_formatters_survive_infinity():
    assert fmt_int(float("inf"), "pl") == "∞" and fmt_num(float("-inf"), "en", 1) == "-∞"


# --- the catalogues (app/locale): what a translator edits --------------------------------------------------

import ast  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from babel.messages.pofile import read_po  # noqa: E402

from app.i18n import LOCALE_DIR, catalog_path  # noqa: E402
from tests.helpers import ROOT  # noqa: E402

TEMPLATE = LOCALE_DIR / "messages.pot"
PYBABEL = Path(sys.executable).with_name("pybabel")
KEYWORDS = ["-k", "t", "-k", "tn:1,2", "-k", "N_", "-k", "Nn_:1,2"]  # docs/development.md, "Translations"
CODE = [*sorted((ROOT / "app").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "dashboard.py"]


def messages(path: Path) -> dict[str, object]:
    """msgid (the key) -> the message, header left out."""
    with open(path, "rb") as fh:
        po = read_po(fh)
    return {m.id[0] if m.pluralizable else m.id: m for m in po if m.id}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    template, po = messages(TEMPLATE), messages(catalog_path(lang))
    assert sorted(po) == sorted(template)  # nothing missing, nothing left over
    for key, m in po.items():
        assert not m.fuzzy, f"{key} ({lang}) is fuzzy: check it and remove the flag"
        assert m.pluralizable == template[key].pluralizable, key
        forms = m.string if m.pluralizable else [m.string]
        assert all(f.strip() for f in forms), f"{key} ({lang}) is not translated"
        if m.pluralizable:
            assert m.id[1] == template[key].id[1] and len(forms) == len(CATEGORIES[lang]), key


# Texts whose languages fill in different values by design: Polish says "after 2013", English "since 2014"; the
# English fact sheet also gives the Polish name.
DIFFERENT_VALUES = {"nav_since", "since_heading", "latest_heading", "more_since", "fs_subtitle"}


def test_both_languages_fill_in_the_same_values():
    """A value only one language fills in is a translator's typo ("{yaer}") unless listed above."""
    differ = []
    for key in catalog("pl"):
        names = []
        for lang in LANGS:
            entry = catalog(lang)[key]
            names.append(set().union(*map(fields, entry[1] if isinstance(entry, tuple) else [entry])))
        if names[0] != names[1]:
            differ.append(key)
    assert sorted(differ) == sorted(DIFFERENT_VALUES)


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogues_compile_complete(lang, tmp_path):
    proc = subprocess.run([str(PYBABEL), "compile", "--statistics", "-l", lang, "-i", str(catalog_path(lang)),
                           "-o", str(tmp_path / "messages.mo")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "(100%) translated" in proc.stderr + proc.stdout, proc.stderr


def test_pybabel_extract_finds_no_key_missing_from_the_template(tmp_path):
    """Every key the code names literally (t, tn, N_, Nn_) is in the template, plural where the code says so."""
    out = tmp_path / "extracted.pot"
    proc = subprocess.run([str(PYBABEL), "extract", "-F", str(LOCALE_DIR / "babel.cfg"), "--no-default-keywords",
                           *KEYWORDS, "--no-location", "-o", str(out), "app", "pages", "dashboard.py"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    extracted, template = messages(out), messages(TEMPLATE)
    assert len(extracted) > 100
    assert sorted(set(extracted) - set(template)) == []
    assert [k for k, m in extracted.items() if m.pluralizable != template[k].pluralizable] == []


def test_every_key_of_the_template_is_used_by_the_code():
    """A key no code names (as a string anywhere, or as the prefix of an f-string key such as f"scope_{s}") is dead."""
    used, prefixes = set(), set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                used.add(node.value)
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant) \
                    and len(node.values) > 1 and re.fullmatch(r"[a-z_]+_", str(node.values[0].value)):
                prefixes.add(node.values[0].value)
    dead = [k for k in messages(TEMPLATE) if k not in used and not k.startswith(tuple(prefixes))]
    assert dead == []

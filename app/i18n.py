"""Polish and English UI text from gettext catalogues (app/locale), with plural forms and number formats from CLDR.

The texts are in `app/locale/<lang>/LC_MESSAGES/messages.po`, edited in any PO editor; the code names a text by its
key (the msgid): `t("title_victims", lang)`. A plural text is an entry with forms: its msgid_plural names the
placeholder that holds the count, the code calls `tn(key, count_name, lang, ...)` so that `pybabel extract` sees it
as a plural, and the form is chosen by the language's CLDR rules (Polish: one, few, many, other; English: one,
other), which the catalogue's Plural-Forms header also states for PO editors. A key the code builds at run time is
marked where it is listed with `N_("key")`, so `pybabel extract` finds it too (docs/development.md, "Translations").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from numbers import Integral, Real
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po
from babel.numbers import NumberFormatError, format_decimal, format_percent, parse_decimal

from etl.cells import missing as is_missing  # the one "no data" rule (None, NaN, NA, NaT, Decimal NaN)

LANGS = ("pl", "en")
DEFAULT_LANG = "pl"
# The CLDR locale of each UI language: Polish as in Poland, British English (the English UI writes "licence").
LOCALES = {"pl": "pl_PL", "en": "en_GB"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
# The order of a plural entry's forms in each catalogue: CLDR's categories of the language.
CATEGORIES = {"pl": ("one", "few", "many", "other"), "en": ("one", "other")}


def N_(key: str) -> str:
    """Mark a key that the code uses through a variable, so that `pybabel extract` finds it; returns it unchanged."""
    return key


def Nn_(key: str, count: str) -> str:
    """Mark a plural key (with the placeholder of its count) that the code uses through a variable."""
    return key


def catalog_path(lang: str) -> Path:
    """The PO file of a language."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalog(lang: str) -> dict[str, str | tuple[str, tuple[str, ...]]]:
    """key -> text, or -> (the count's placeholder, the forms in CLDR's order) for a plural: read once per process."""
    with open(catalog_path(lang), "rb") as fh:
        po = read_po(fh, locale=lang)
    out = {}
    for message in po:
        if not message.id:
            continue  # the header
        if message.pluralizable:
            key, count = message.id
            out[key] = (count, tuple(message.string))
        else:
            out[message.id] = message.string
    return out


def texts(lang: str) -> list[tuple[str, str]]:
    """(key, text) of every text of a language, each form of a plural text on its own (for checks)."""
    return [(k, f) for k, v in catalog(lang).items() for f in (v[1] if isinstance(v, tuple) else [v])]


def has(key: str) -> bool:
    """True if the catalogues have a text for `key` (a category of the data may have none: its own words)."""
    return key in catalog(DEFAULT_LANG)


def t(key: str, lang: str, **values) -> str:
    """The text for `key` in `lang` (Polish if the language is unknown), with values filled in.

    A plural text takes its count as a number (or as text in the language's number format, e.g. what
    `fmt_int` returns, or "56" from a text column): the form is chosen by the language's CLDR rules and a
    number is shown in the language's format.
    """
    if lang not in LANGS:
        lang = DEFAULT_LANG
    text = catalog(lang)[key]
    if isinstance(text, tuple):
        count, forms = text
        shown, category = _count(values[count], lang, key)
        values = {**values, count: shown}
        text = forms[CATEGORIES[lang].index(category)]
    return text.format(**values)


def tn(key: str, count: str, lang: str, **values) -> str:
    """A plural text (`count` names the placeholder that holds the number; `pybabel extract` reads it as the
    msgid_plural): the same as `t`."""
    return t(key, lang, **values)


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

"""A page's choices in the URL query string: read once per session, written back on every run."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

GLOBAL_PARAMS = {"lang", "present"}  # owned by app.page, valid on every page


class PageState:
    """Declares a page's parameters; each returns the session-state key its widget should use."""

    def __init__(self, page: str):
        self.page = page
        self.invalid: list[str] = []
        self._params: dict[str, tuple[object, Callable[[object], str]]] = {}

    def _declare(self, name: str, default, parse: Callable[[str], object],
                 dump: Callable[[object], str] = str, preset: bool = True,
                 valid: Callable[[object], bool] = lambda v: True) -> str:
        """Parse the URL value once per visit; preset=False leaves the widget's own state alone and
        keeps the parsed value for the widget's `value=` argument (see year_range).

        A value the session chose earlier that the data no longer has (a year a roll-back removed) goes back to
        the default, with the same notice as an invalid URL value, rather than failing the widget.
        """
        key = f"{self.page}.{name}"  # per page: another page's 'year' must not leak in
        self._params[name] = (default, dump)
        for k in (key, f"{key}.init"):
            held = st.session_state.get(k)
            if held is not None and not valid(tuple(held) if isinstance(held, list) else held):
                st.session_state[k] = default
                if name not in self.invalid:
                    self.invalid.append(name)
        if f"{key}.init" not in st.session_state:
            value = default
            raw = st.query_params.get_all(name)
            if raw:
                try:
                    value = parse(raw[-1])  # a repeated key: the last one wins
                except (ValueError, TypeError, KeyError):
                    self.invalid.append(name)
            st.session_state[f"{key}.init"] = value
        if preset and key not in st.session_state:  # first visit, or back from another page
            st.session_state[key] = st.session_state[f"{key}.init"]
        return key

    def choice(self, name: str, options: Sequence[str], default: str) -> str:
        """One of fixed options."""
        def parse(raw: str) -> str:
            if raw not in options:
                raise ValueError(raw)
            return raw
        return self._declare(name, default, parse, valid=lambda v: v in options)

    def year(self, name: str, years: Sequence[int], default: int) -> str:
        """One year out of `years`."""
        def parse(raw: str) -> int:
            if not raw.isdigit() or int(raw) not in years:
                raise ValueError(raw)
            return int(raw)
        return self._declare(name, default, parse, valid=lambda v: v in years)

    def year_range(self, name: str, years: Sequence[int], default: tuple[int, int]) -> str:
        """A range 'first-last' of years out of `years`.

        A select_slider is a range slider only if its `value=` is a pair: pass `initial(name)` as value
        (a pair preset in session state alone gives a single slider in the browser).
        """
        def parse(raw: str) -> tuple[int, int]:
            a, b = raw.split("-")
            if not (a.isdigit() and b.isdigit()) or int(a) not in years or int(b) not in years or int(a) > int(b):
                raise ValueError(raw)
            return int(a), int(b)
        return self._declare(name, tuple(default), parse, lambda v: f"{v[0]}-{v[1]}", preset=False,
                             valid=lambda v: len(v) == 2 and v[0] in years and v[1] in years)

    def declare(self, param) -> str:
        """A page declaration's parameter (app/blocks.Param): its session-state key, parsed from the URL once a visit."""
        options = list(param.options())
        default = param.default(options)
        if param.kind == "year":
            return self.year(param.name, options, default)
        if param.kind == "range":
            return self.year_range(param.name, options, default)
        return self.choice(param.name, options, default)

    def initial(self, name: str):
        """The value parsed from the URL on this visit (or the default)."""
        return st.session_state[f"{self.page}.{name}.init"]

    def value(self, name: str):
        """The current value of a declared parameter."""
        key = f"{self.page}.{name}"
        value = st.session_state.get(key, st.session_state[f"{key}.init"])
        return tuple(value) if isinstance(value, list) else value

    def sync(self) -> list[str]:
        """Write the current choices to the URL (defaults omitted); return the names that were
        invalid, plus a marker for unknown parameters, for the page to show a notice."""
        for name, (default, dump) in self._params.items():
            value = self.value(name)
            if value == default or value is None:
                if name in st.query_params:
                    del st.query_params[name]
            else:
                st.query_params[name] = dump(value)
        unknown = [k for k in st.query_params.keys() if k not in self._params and k not in GLOBAL_PARAMS]
        for k in unknown:
            del st.query_params[k]
        return self.invalid + (["?"] if unknown else [])

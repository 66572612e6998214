"""Keyboard (issue 23, item 3): every page walked with Tab in headless Chromium reaches every control and download in
document order, shows where the focus is, and never gets stuck (no keyboard trap, in a chart or elsewhere)."""

from __future__ import annotations

import pytest

from app.i18n import t
from tests.e2e.a11y import View, views
from tests.e2e.harness import load
from tests.e2e.test_pages import clean

pytestmark = pytest.mark.browser
# The default view of every page, and the views with controls of their own below the fold.
WALKED = [v for v in views() if not v.query] + [View("/Referrals", "v=02"), View("/National_counts", "topic=exploitation")]

# Every element the Tab key should reach: visible, enabled, not taken out of the order.
_CONTROLS_JS = """() => {
  const sel = 'a[href], button, input, select, textarea, summary, [tabindex], [role=radiogroup]';
  const shown = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  let n = 0;
  return [...document.querySelectorAll(sel)].filter(el => shown(el) && !el.closest('[aria-hidden="true"], [inert]')
      // a data grid is one stop (it has its own keys inside): checked apart
      && !el.closest('[data-testid="stDataFrame"]')
      // a radio group (a segmented control) is one stop of the Tab order; the arrow keys move inside it
      && (el.getAttribute('role') === 'radiogroup' || !el.closest('[role=radiogroup]'))
      && (el.getAttribute('role') === 'radiogroup'
          ? [...el.querySelectorAll('[role=radio]')].some(r => !r.disabled)
          : !el.disabled && el.tabIndex >= 0))
    .map(el => { const kw = el.dataset.kw || String(n++);
      el.dataset.kw = kw;
      el.querySelectorAll('[role=radio]').forEach(r => { if (el.getAttribute('role') === 'radiogroup') r.dataset.kw = kw; });
      return {kw, tag: el.tagName, tabindex: el.getAttribute('tabindex'),
              name: (el.getAttribute('aria-label') || el.innerText || '').slice(0, 60)}; });
}"""

# The focused element: its mark, position in the document, name, and whether a focus indicator is drawn.
_FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
  const inner = el.querySelector('*') ? [...el.querySelectorAll('*')].some(c => {
    const cs = getComputedStyle(c); return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0)
      || (cs.boxShadow && cs.boxShadow !== 'none'); }) : false;
  const label = el.closest('label');
  const parentRing = label ? (() => { const ls = getComputedStyle(label);
    return (ls.outlineStyle !== 'none' && parseFloat(ls.outlineWidth) > 0) || (ls.boxShadow && ls.boxShadow !== 'none'); })() : false;
  const group = el.closest('[role=radiogroup]');
  return {kw: el.dataset.kw || (group && group.dataset.kw) || null, tag: el.tagName,
          grid: !!el.closest('[data-testid="stDataFrame"]'), name: (el.getAttribute('aria-label') || el.innerText || '').slice(0, 60),
          visible: ring || inner || parentRing, focusVisible: el.matches(':focus-visible'),
          inChart: !!el.closest('.js-plotly-plot')};
}"""


def walk(page, limit: int) -> list[dict | None]:
    """Press Tab up to `limit` times from the top of the page; the focused element after each press."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.locator("body").focus()
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(_FOCUS_JS))
        if len(seen) > 2 and seen[-1] and seen[0] and seen[-1]["kw"] == seen[0]["kw"]:
            break  # back at the start: the whole cycle was walked
    return seen


@pytest.mark.parametrize("view", WALKED, ids=[v.name for v in WALKED])
def test_tab_reaches_every_control_in_order_with_visible_focus(page, recorded, base_url, view):
    load(page, view.url(base_url, "pl"))
    controls = page.evaluate(_CONTROLS_JS)
    assert [c for c in controls if c["tabindex"] and int(c["tabindex"]) > 0] == []  # no order of its own: the DOM's
    grids = page.locator('[data-testid="stDataFrame"]').count()
    seen = walk(page, limit=len(controls) + 20 + 30 * grids)  # a grid takes a dozen stops (toolbar, canvases)
    focused = [s for s in seen if s]
    # no trap: every press moves the focus somewhere else
    stuck = [(a["name"], a["tag"]) for a, b in zip(focused, focused[1:]) if a["kw"] == b["kw"] and a["kw"]]
    assert stuck == []
    # every control is reached, in the order of the document
    order = [s["kw"] for s in focused if s["kw"] is not None]
    expected = [c["kw"] for c in controls]
    missed = [(c["tag"], c["name"]) for c in controls if c["kw"] not in order]
    assert missed == []
    firsts = list(dict.fromkeys(order))
    assert [k for k in firsts if k in expected] == [k for k in expected if k in firsts]
    # where the focus is can be seen
    hidden = [(s["tag"], s["name"]) for s in focused if not s["visible"] and not s["grid"]]
    assert hidden == []
    # every data grid is entered (and left again: the walk went on past it)
    entered = sum(1 for a, b in zip([None, *focused], focused) if b["grid"] and not (a and a["grid"]))
    assert entered == grids
    clean(page, recorded)


def test_the_map_has_a_keyboard_equivalent_that_says_so(page, recorded, base_url):
    """The Referrals map is chosen from by click; the select below it does the same and its name says so."""
    load(page, base_url + "/Referrals")
    select = page.get_by_role("combobox", name=t("voivodeship_pick", "pl"))
    select.focus()
    page.keyboard.type(t("choose_voivodeship", "pl")[:0] + "mazowieckie")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "v=14" in url)
    clean(page, recorded)


def test_a_download_and_a_segmented_control_work_from_the_keyboard(page, recorded, base_url):
    """Enter on a download button downloads; in a segmented control the arrow keys move and Space chooses."""
    load(page, base_url + "/Victims")
    page.get_by_role("button", name=t("download_svg", "pl")).first.focus()
    with page.expect_download(timeout=120_000) as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.endswith(".svg")
    group = page.get_by_role("radiogroup", name=t("measure", "pl"))
    group.get_by_role("radio", name=t("mode_count", "pl")).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    page.wait_for_url(lambda url: "mode=share" in url)
    clean(page, recorded)

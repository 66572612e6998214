"""Hostile URL parameters on every page in a real browser: the page falls back to its default view with a notice,
draws its charts, runs no injected script, echoes nothing and logs no error."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.e2e.harness import load, page_name, page_urls
from tests.e2e.test_pages import clean

pytestmark = pytest.mark.browser
SCRIPT = "<img src=x onerror=alert(1)><script>alert(2)</script>"
# Every parameter any page reads (app.state.PageState declarations), each given something it must refuse.
PARAMS = {"lang": SCRIPT, "year": "2013' OR 1=1 --", "years": "1" * 3000, "mode": SCRIPT, "metric": "../../etc/passwd",
          "period": "%00", "v": "02'; DROP TABLE voivodeships; --", "below": SCRIPT, "measure": "{{7*7}}",
          "view": "javascript:alert(3)", "scale": "-1", "un_year": "NaN", "cmp": "1e309", "topic": SCRIPT,
          "section": "__proto__", "slide": "0", "table": "sources; DROP TABLE sources", "present": SCRIPT}


@pytest.mark.parametrize("path", page_urls(), ids=[page_name(p) for p in page_urls()])
def test_hostile_parameters_fall_back_safely(page, recorded, base_url, path):
    charts = load(page, f"{base_url}{path}?{urlencode(PARAMS)}")
    clean(page, recorded)  # no exception, no error box, no page error, no dialog (an alert() would be one)
    assert [c for c in charts if not c["drawn"]] == [], charts
    notices = page.locator('[data-testid="stAlertContentInfo"]').all_inner_texts()
    assert any("lang" in n for n in notices), notices  # at least the language is named as ignored
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert [e for e in ("onerror", "alert(", "DROP TABLE", "etc/passwd", "{{7*7}}", "__proto__") if e in text] == []
    assert page.evaluate("() => document.documentElement.lang") == "pl"

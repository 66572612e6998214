"""bench.profile: a page's script runs in AppTest's own thread, and its profile must still see the page's code."""

from __future__ import annotations

from bench import profile


def test_the_profile_of_a_page_run_lists_the_page_and_its_blocks(built):
    median, best, text = profile.profile("6_Context.py", n=1, top=60)
    assert median >= best > 0
    assert "pages/6_Context.py" in text and "app/live.py" in text  # the script thread's calls, not the waiting

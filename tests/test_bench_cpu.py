"""bench.cpu's reading of a Chromium CPU profile: self time per script file, by hand on a profile of three samples."""

from __future__ import annotations

from bench import cpu

PROFILE = {"nodes": [{"id": 1, "callFrame": {"url": "", "functionName": "(program)"}},
                     {"id": 2, "callFrame": {"url": "http://127.0.0.1:1/static/js/StreamlitMarkdown.ab.js",
                                             "functionName": "parse"}},
                     {"id": 3, "callFrame": {"url": "http://127.0.0.1:1/static/js/StreamlitMarkdown.ab.js",
                                             "functionName": "render"}}],
           # sample i runs from its delta until the next sample's: 1.5 ms of (program), then 2 + 0.5 ms of Markdown
           "samples": [1, 2, 3, 1], "timeDeltas": [0, 1500, 2000, 500]}


def test_self_time_is_summed_by_script_file_until_the_next_sample():
    assert cpu.self_time(PROFILE) == {"((program))": 1.5, "StreamlitMarkdown.ab.js": 2.5}


def test_the_report_lists_the_largest_difference_first():
    page = cpu.self_time(PROFILE)
    floor = cpu.collections.Counter({"((program))": 1.0})
    lines = cpu.report("/X", page, floor).splitlines()
    assert lines[0] == "/X: page 4 ms, floor 1 ms (self time per load)"
    assert lines[1].split()[0] == "StreamlitMarkdown.ab.js" and lines[1].endswith("+2.5")

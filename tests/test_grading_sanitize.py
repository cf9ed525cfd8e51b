"""Student content never runs in a browser: the sanitiser on each payload, then `course grade` on a hostile
submission whose feedback page and formgrader view are opened in headless Chromium.

Every payload, if it ran, would set ``window.__pwned``, change ``document.title``, log ``PWNED`` on
the console, or request a URL of a listener the test owns; the browser tests check none of that
happened and that only the page itself was loaded, while the student's PNG figure, table and
Markdown still show.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_raw_cell

import toy_course as toy
from course_pipeline.grading import demo
from course_pipeline.grading.feedback import CONTENT_SECURITY_POLICY
from course_pipeline.grading.sandbox import bwrap_path
from course_pipeline.grading.sanitize import (SVG_NOTE, Trusted, active_content, clean_html, is_inert, render_markdown,
                                           sanitize_notebook)
from course_pipeline.release import tool_env

from conftest import CHROMIUM, free_port

A = toy.TOY_ASSIGNMENT
NB = f"{A}.ipynb"
COURSE = str(Path(sys.executable).parent / "course")
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
PNG64 = base64.b64encode(PNG).decode()

# Each payload, if it ran, would mark the page. {beacon} is a URL of a listener the test owns.
HTML_PAYLOADS = {
    "img onerror": '<img src=x onerror="window.__pwned=\'img\';document.title=\'PWNED\'">',
    "script": "<script>window.__pwned='script';console.log('PWNED script')</script>",
    "iframe srcdoc": '<iframe srcdoc="<script>parent.__pwned=\'iframe\'</script>"></iframe>',
    "svg onload": '<svg onload="window.__pwned=\'svg\'"><circle r="5"/></svg>',
    "javascript link": '<a id="jslink" href="javascript:window.__pwned=\'link\'">click me</a>',
    "style": "<style>body { display: none !important }</style>",
    "style attribute": '<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:url({beacon}/css)">cover</div>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url={beacon}/refresh">',
    "object": '<object data="data:text/html,<script>parent.__pwned=\'object\'</script>"></object>',
    "embed": '<embed src="{beacon}/embed">',
    "data url link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "remote image": '<img src="{beacon}/img.png">',
    "form": '<form action="{beacon}/form"><input name="q" autofocus onfocus="window.__pwned=\'form\'"></form>',
    "base": '<base href="{beacon}/">',
    "link": '<link rel="stylesheet" href="{beacon}/style.css">',
}
LEGIT_TABLE = ('<table border="1" class="dataframe"><thead><tr><th>step</th><th>loss</th></tr></thead>'
               "<tbody><tr><td>0</td><td>1.5</td></tr></tbody></table>")


# --- the sanitiser on each payload ---------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(HTML_PAYLOADS))
def test_each_html_payload_is_found_and_made_inert(name):
    raw = HTML_PAYLOADS[name].replace("{beacon}", "http://127.0.0.1:9")
    clean = clean_html(raw)
    assert not is_inert(raw), name
    assert is_inert(clean), clean
    assert active_content(raw), name
    low = clean.lower()
    for needle in ("<script", "onerror", "onload", "onfocus", "javascript:", "<iframe", "<object", "<embed", "<svg",
                   "<style", "style=", "<meta", "<form", "<input", "<base", "<link", "127.0.0.1", "data:text"):
        assert needle not in low, (name, clean)


def test_legitimate_html_passes_unchanged():
    for raw in (LEGIT_TABLE, f'<img src="data:image/png;base64,{PNG64}" width="40">', "<b>bold</b> and <em>it</em>",
                '<a href="https://docs.python.org/3/">docs</a>', "<sub>1</sub><sup>2</sup><code>x</code>"):
        assert is_inert(raw), raw
        assert active_content(raw) == set()
    assert clean_html(LEGIT_TABLE) == LEGIT_TABLE


def test_an_image_data_url_must_hold_that_image():
    fake = base64.b64encode(b"<svg onload=alert(1)>").decode()
    assert "src" not in clean_html(f'<img src="data:image/png;base64,{fake}">')
    assert "src" not in clean_html(f'<img src="data:image/svg+xml;base64,{fake}">')
    assert "src=" in clean_html(f'<img src="data:image/png;base64,{PNG64}">')


def test_honest_markdown_renders_as_before_and_hostile_markdown_does_not():
    honest = "## Step sizes\nWith *small* $\\alpha$ the loss **falls**: $f(\\theta) < f(\\theta_0)$.\n\n" \
             "| α | loss |\n|---|---|\n| 0.1 | 2 |\n\n```python\nx = 1\n```\n[docs](https://numpy.org) <sub>1</sub>"
    assert is_inert(render_markdown(honest))
    hostile = "Look: <img src=x onerror=\"window.__pwned=1\"> [x](javascript:alert(1)) ![t](http://127.0.0.1:9/t.png)"
    assert not is_inert(render_markdown(hostile))


def _hostile_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2,
                                                                           "version_minor": 0}}
    out = nbformat.v4.new_output
    outputs = [
        out("display_data", data={"text/html": HTML_PAYLOADS["script"], "text/plain": "<HTML>"}),
        out("display_data", data={"application/javascript": "window.__pwned='js'"}),
        out("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2,
                                                                              "version_minor": 0},
                                  "text/plain": "IntSlider()"}),
        out("display_data", data={"image/svg+xml": "<svg onload='alert(1)'></svg>", "text/plain": "<Figure>"}),
        out("display_data", data={"text/markdown": "<img src=x onerror=alert(1)> *hi*"}),
        out("display_data", data={"image/png": PNG64, "text/plain": "<Figure>"},
            metadata={"image/png": {"width": "1 onload=alert(1)", "height": 30}, "filenames": {"image/png": "http://x/y"}}),
        out("display_data", data={"text/html": "<b>fine</b>"}, metadata={"text/html": {"isolated": True}}),
        out("execute_result", data={"text/html": LEGIT_TABLE, "text/plain": "table"}, execution_count=3),
        out("stream", name="stdout", text="<script>stays text</script>\n"),
    ]
    nb.cells = [new_markdown_cell("# Mine <script>window.__pwned=1</script> $x^2$"),
                new_markdown_cell("An *honest* cell with $\\alpha < 1$."),
                new_raw_cell("<script>window.__pwned='raw'</script>", metadata={"raw_mimetype": "text/html"}),
                new_code_cell("display(...)", outputs=outputs)]
    return nb


def test_sanitize_notebook_removes_every_kind_and_reports_it():
    nb = _hostile_notebook()
    report = sanitize_notebook(nb)
    assert "widgets" not in nb.metadata and report["widget state"] == ["notebook metadata"]
    for kind in ("<script>", "JavaScript output", "widget", "SVG image", "event handler"):
        assert kind in report, (kind, report)
    assert report["<script>"] == ["cell 1", "cell 3", "cell 4"]
    assert "cell 2" not in json.dumps(report)  # the honest markdown cell is left exactly as written
    assert nb.cells[1].source == "An *honest* cell with $\\alpha < 1$."
    assert "<script" not in nb.cells[0].source and "$x^2$" in nb.cells[0].source
    assert is_inert(render_markdown(nb.cells[0].source)) and "<script" not in nb.cells[2].source
    outs = nb.cells[3].outputs
    mimes = [m for o in outs for m in o.get("data", {})]
    assert "application/javascript" not in mimes and not any("widget" in m for m in mimes)
    assert "image/svg+xml" not in mimes and "text/markdown" not in mimes
    assert any(SVG_NOTE in o.get("data", {}).get("text/plain", "") for o in outs)
    png = next(o for o in outs if "image/png" in o.get("data", {}))
    assert png.data["image/png"] == PNG64 and png.metadata == {"image/png": {"height": 30}}
    assert all(not o.get("metadata", {}).get("text/html") for o in outs)
    table = next(o for o in outs if o.output_type == "execute_result")
    assert table.data["text/html"] == LEGIT_TABLE and table.execution_count == 3
    assert outs[-1].text == "<script>stays text</script>\n"  # text is escaped by the template, never parsed
    nbformat.validate(nb)
    again = sanitize_notebook(nb)
    assert again == {}  # a sanitised notebook is inert: nothing left to remove


def test_instructor_cells_stay_exactly_as_written():
    source = "<details><summary>Hint</summary><span style='color:red'>$\\nabla f$</span></details>"
    nb = nbformat.v4.new_notebook(cells=[new_markdown_cell(source), new_markdown_cell(source + " edited")])
    report = sanitize_notebook(nb, Trusted(sources={source}))
    assert nb.cells[0].source == source
    assert "style" not in nb.cells[1].source and "Hint" in nb.cells[1].source
    assert report == {"style attribute": ["cell 2"]}


def test_forged_grading_metadata_is_dropped():
    cell = new_code_cell("x = 1", metadata={"nbgrader": {"grade_id": '"><script>alert(1)</script>', "grade": True}})
    kept = new_code_cell("y = 2", metadata={"nbgrader": {"grade_id": "square", "solution": True}})
    nb = nbformat.v4.new_notebook(cells=[cell, kept])
    sanitize_notebook(nb, Trusted(grade_ids={"square"}))
    assert "nbgrader" not in nb.cells[0].metadata and nb.cells[1].metadata.nbgrader.grade_id == "square"


# --- course grade on a hostile submission, then Chromium -----------------------------------------

needs_bwrap = pytest.mark.skipif(bwrap_path() is None, reason="bubblewrap is not installed (make test installs it)")
needs_chromium = pytest.mark.skipif(not CHROMIUM.is_file(), reason="/usr/bin/chromium is not installed "
                                                                  "(.ci/run installs it: apt-get install chromium)")

FIGURE_CODE = """import io, matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
from IPython.display import HTML, Image, Javascript, Markdown, SVG, display
fig, ax = plt.subplots(figsize=(2, 1.5))
ax.plot([0, 1, 2], [2, 1, 0.5], label="loss")
ax.set_title("my loss curve")
buf = io.BytesIO()
fig.savefig(buf, format="png")
display(Image(data=buf.getvalue()))
display(HTML({table!r}))
display(Markdown("**Converged** after $k=3$ steps."))
print("honest printed output")
"""


def _hostile_code(beacon: str) -> str:
    payloads = {k: v.replace("{beacon}", beacon) for k, v in HTML_PAYLOADS.items()}
    widget = {"application/vnd.jupyter.widget-view+json": {"model_id": "feed", "version_major": 2, "version_minor": 0},
              "text/plain": "IntSlider(value=3)"}
    lines = [f"display(HTML({html!r}))" for html in payloads.values()]
    lines += [
        "display(Javascript(\"window.__pwned='js'; document.title='PWNED'\"))",
        "display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"window.__pwned=1\"><script>window.__pwned=2"
        "</script><rect width=\"5\" height=\"5\"/></svg>'))",
        f"display(Markdown('<img src=x onerror=\"window.__pwned=7\"> [go](javascript:window.__pwned=8) "
        f"![remote]({beacon}/md.png)'))",
        f"display({widget!r}, raw=True)",
        "display({'text/html': '<b>isolated</b>', 'text/plain': 'iso'}, raw=True, metadata={'text/html': {'isolated': True}})",
        f"display({{'image/png': {PNG64!r}, 'text/plain': 'fig'}}, raw=True, "
        "metadata={'image/png': {'width': '10 onload=\"window.__pwned=9\"'}})",
    ]
    return "\n".join(lines)


STUDENT_MARKDOWN = ("My notes <img src=x onerror=\"window.__pwned='md'\"> <script>window.__pwned='md2'</script> "
                    "with *emphasis* and $\\theta^2$. [link](javascript:window.__pwned='mdlink')")


def _hostile_submission(release: nbformat.NotebookNode, beacon: str) -> nbformat.NotebookNode:
    full = demo.with_solutions(release, toy.TOY_SOLUTIONS)
    nb = demo.insert_after(full, "square", FIGURE_CODE.format(table=LEGIT_TABLE))
    nb = demo.insert_after(nb, "test_square", _hostile_code(beacon))
    idx = next(i for i, c in enumerate(nb.cells) if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "shout")
    nb.cells.insert(idx, new_markdown_cell(STUDENT_MARKDOWN))
    nb.cells.insert(idx, new_raw_cell(f'<script>window.__pwned="raw"</script><img src="{beacon}/raw.png">',
                                      metadata={"raw_mimetype": "text/html"}))
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"feed": {"model_module": "https://127.0.0.1:9/evil.js", "model_name": "X", "state": {}}},
        "version_major": 2, "version_minor": 0}}
    return nb


@pytest.fixture(scope="module")
def graded_hostile(tmp_path_factory):
    """The toy course graded with `course grade`: one honest student and one hostile one."""
    if bwrap_path() is None:
        pytest.skip("bubblewrap is not installed (make test installs it)")
    base = tmp_path_factory.mktemp("sanitize")
    root = toy.write_toy_course(base / "course")
    beacon = f"http://127.0.0.1:{free_port()}"
    release = demo.release_notebooks(root, A)[NB]
    honest = demo.insert_after(demo.with_solutions(release, toy.TOY_SOLUTIONS), "square",
                               FIGURE_CODE.format(table=LEGIT_TABLE))
    subs = base / "submitted"
    demo.write_class(subs, A, {"honest": {NB: honest}, "hostile": {NB: _hostile_submission(release, beacon)}})
    proc = subprocess.run([COURSE, "grade", A, str(subs), "--timeout", "30", "--workers", "2"], cwd=root,
                          capture_output=True, text=True, timeout=600, env=tool_env())
    assert proc.returncode == 0, proc.stderr[-2000:]
    with open(root / "grading" / A / "grades.csv", newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    return {"root": root, "subs": subs, "proc": proc, "rows": rows, "beacon": beacon,
            "feedback": {s: root / "grading" / A / "feedback" / s / A / f"{A}.html" for s in rows}}


@pytest.mark.slow
@pytest.mark.xdist_group("grading_class")
@needs_bwrap
def test_course_grade_reports_who_tried_and_nothing_for_honest_students(graded_hostile):
    rows, out = graded_hostile["rows"], graded_hostile["proc"].stdout
    assert rows["honest"]["status"] == "ok" and rows["honest"]["detail"] == "" and rows["honest"]["score"] == "6"
    assert rows["hostile"]["score"] == "6"  # grades are not the sanitiser's business
    detail = rows["hostile"]["detail"]
    for kind in ("<script>", "event handler", "JavaScript output", "widget", "widget state", "<iframe>", "SVG image",
                 "javascript: URL", "<meta>", "<object>", "<embed>", "<style>", "data: URL", "remote resource"):
        assert kind in detail, (kind, detail)
    assert "active content removed from 1 submission(s)" in out and "  hostile: removed active content" in out
    assert "honest:" not in out


@pytest.mark.slow
@pytest.mark.xdist_group("grading_class")
@needs_bwrap
def test_stored_autograded_notebooks_are_inert(graded_hostile):
    nb = nbformat.read(str(graded_hostile["root"] / "autograded" / "hostile" / A / NB), as_version=4)
    assert "widgets" not in nb.metadata
    assert sanitize_notebook(nb, Trusted(sources={c.source for c in nb.cells if c.cell_type != "code"})) == {}
    # code is shown highlighted (escaped), so only what a browser would parse as HTML is searched
    text = json.dumps([nb.metadata] + [c.get("outputs", []) if c.cell_type == "code" else c for c in nb.cells]).lower()
    for needle in ("<script", "onerror", "javascript:", "widget-view", "application/javascript", "svg+xml", "\"isolated\""):
        assert needle not in text, needle
    honest = nbformat.read(str(graded_hostile["root"] / "autograded" / "honest" / A / NB), as_version=4)
    assert sanitize_notebook(honest) == {}


# --- in the browser -------------------------------------------------------------------------------


class _Watch:
    """What a page did: requests, console messages, dialogs."""

    def __init__(self, page, allowed) -> None:
        self.requests: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.allowed = allowed
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.console.append(m.text))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def foreign(self) -> list[str]:
        return [u for u in self.requests if not self.allowed(u)]



def _check_page(page, watch: _Watch, beacon: str) -> None:
    """Nothing ran, nothing foreign was fetched, the student's legitimate content shows."""
    page.wait_for_timeout(500)  # let any timer, refresh or lazy load fire
    assert page.evaluate("window.__pwned === undefined"), page.evaluate("String(window.__pwned)")
    assert "PWNED" not in page.title()
    assert not [m for m in watch.console if "PWNED" in m], watch.console
    assert watch.dialogs == []
    assert not [u for u in watch.requests if u.startswith(beacon)], watch.requests
    assert watch.foreign() == [], watch.foreign()
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))], hrefs
    for selector in ("script:not([src])", "iframe", "object", "embed", "form", "svg", "meta[http-equiv=refresh]"):
        inline = page.eval_on_selector_all(selector, "els => els.map(e => e.outerHTML)")
        student = [s for s in inline if "pwned" in s.lower() or "127.0.0.1" in s]
        assert student == [], (selector, student)
    # the legitimate figure, table, printed text and markdown show
    widths = page.eval_on_selector_all("img[src^='data:image/png']", "els => els.map(e => e.naturalWidth)")
    assert any(w > 50 for w in widths), widths  # the matplotlib figure (the 1x1 test PNG is there too)
    assert page.locator("table.dataframe td", has_text="1.5").count() >= 1
    assert page.locator("text=honest printed output").count() >= 1
    assert page.locator("strong", has_text="Converged").count() >= 1
    assert page.evaluate("getComputedStyle(document.body).display") != "none"


@pytest.mark.slow
@pytest.mark.xdist_group("grading_class")
@needs_bwrap
@needs_chromium
def test_feedback_page_runs_nothing_and_fetches_nothing(graded_hostile, browser):
    beacon = graded_hostile["beacon"]
    for student in ("hostile", "honest"):
        path = graded_hostile["feedback"][student]
        html = path.read_text()
        assert f'content="{CONTENT_SECURITY_POLICY}"' in html and "cdnjs" not in html
        page = browser.new_page()
        url = path.as_uri()
        watch = _Watch(page, lambda u: u == url or u.startswith("data:"))
        page.goto(url)
        _check_page(page, watch, beacon)
        # math is MathML, typeset by the browser itself: "$k=3$" of the honest Markdown output
        assert page.locator("math mi", has_text="k").count() >= 1
        if student == "hostile":
            assert page.locator("em", has_text="emphasis").count() >= 1  # the student's own markdown, cleaned
            page.click("text=click me")  # the neutralised javascript: link does nothing
            page.wait_for_timeout(100)
            assert page.evaluate("window.__pwned === undefined")
        page.close()


_OTHER_EXTENSIONS = ("jupyterlab", "notebook", "notebook_shim", "jupyter_lsp", "jupyter_server_terminals",
                     "nbgrader.server_extensions.validate_assignment", "nbgrader.server_extensions.assignment_list",
                     "nbgrader.server_extensions.course_list")


def _start_formgrader(root: Path) -> tuple[subprocess.Popen, str, str]:
    port, token = free_port(), "sanitize-test-token"
    args = [str(Path(sys.executable).parent / "jupyter"), "server", f"--ServerApp.root_dir={root}", "--no-browser",
            f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
            "--ServerApp.port_retries=0", "--allow-root",
            # formgrader alone: the other server extensions only slow the start down
            *(f"--ServerApp.jpserver_extensions={name}=False" for name in _OTHER_EXTENSIONS)]
    log = open(root / "jupyter-server.log", "w")
    proc = subprocess.Popen(args, cwd=root, stdout=log, stderr=subprocess.STDOUT, env=tool_env())
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).read()
            return proc, base, token
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.3)
    proc.kill()
    raise AssertionError("jupyter server did not start: " + (root / "jupyter-server.log").read_text()[-2000:])


@pytest.mark.slow
@pytest.mark.xdist_group("grading_class")
@needs_bwrap
@needs_chromium
def test_formgrader_submission_view_runs_nothing(graded_hostile, browser):
    from nbgrader.api import Gradebook

    root, beacon = graded_hostile["root"], graded_hostile["beacon"]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        ids = {s: gb.find_submission_notebook(NB[:-6], A, s).id for s in ("hostile", "honest")}
    proc, base, token = _start_formgrader(root)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}/formgrader?token={token}")  # logs in: the _xsrf cookie a payload would steal is now set
        assert any(c["name"] == "_xsrf" for c in context.cookies()), context.cookies()
        # nbgrader's own page loads its scripts from the server and MathJax from its CDN: that is nbgrader's
        # template, not student content (routed to nowhere here); anything else is foreign.
        context.route("**/*", lambda route: route.abort() if not route.request.url.startswith(base)
                      else route.continue_())
        for student in ("hostile", "honest"):
            watch = _Watch(page, lambda u: u.startswith(base) or u.startswith("data:") or
                           u.startswith("https://cdnjs.cloudflare.com/ajax/libs/mathjax/"))
            page.goto(f"{base}/formgrader/submissions/{ids[student]}/")
            assert "Submission" in page.content()
            _check_page(page, watch, beacon)
        context.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.slow
@pytest.mark.xdist_group("grading_class")
def test_a_compromised_dask_worker_cannot_skip_the_sanitiser(tmp_path):
    """What a Dask worker sends back (notebook and page) goes through the coordinator's sanitiser; its page is never kept."""
    from course_pipeline.grading import cluster
    from course_pipeline.grading.gradebook import course_settings, prepare_assignment
    from course_pipeline.grading.report import Progress
    from course_pipeline.grading.runner import _Publisher, _Recorder
    from course_pipeline.grading.status import Status
    from course_pipeline.grading.worker import SubmissionResult

    root = toy.write_toy_course(tmp_path / "course")
    settings = course_settings(root)
    prepare_assignment(settings, A, settings.db_url)
    nb = demo.insert_after(demo.with_solutions(demo.release_notebooks(root, A)[NB], toy.TOY_SOLUTIONS), "square", "1")
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source == "1")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": HTML_PAYLOADS["script"] + "<b>kept</b>"}),
                    nbformat.v4.new_output("display_data", data={"application/javascript": "window.__pwned=1"})]
    evil_page = b"<html><script>window.__pwned='worker'</script></html>"
    returned = cluster.Returned(SubmissionResult("mallory", Status.OK, ""), autograded={NB: nbformat.writes(nb).encode()},
                                feedback={f"{A}.html": evil_page})
    feedback_root = tmp_path / "out" / "feedback"
    result = cluster._store(returned, A, settings.autograded, feedback_root)
    publisher = _Publisher(root / "source" / A, A, (A,), settings.autograded, feedback_root, settings.db_url, staged=None)
    broken = cluster._store(cluster.Returned(SubmissionResult("broken", Status.OK, ""), autograded={NB: b'{"cells": 7}'},
                                             feedback={f"{A}.html": evil_page}), A, settings.autograded, feedback_root)
    with _Recorder(settings.db_url, A, Progress(2, stream=io.StringIO(), tty=False), publisher) as recorder:
        recorder.record(result)
        recorder.record(broken)
    # what cannot be sanitised is not stored, and gets no page
    assert not (settings.autograded / "broken" / A / NB).exists() and not (feedback_root / "broken" / A).exists()
    assert "not stored: it could not be sanitised" in recorder.rows["broken"].detail
    stored = nbformat.read(str(settings.autograded / "mallory" / A / NB), as_version=4)
    outputs = next(c for c in stored.cells if c.cell_type == "code" and c.source == "1").outputs
    assert [o.data for o in outputs] == [{"text/html": "<b>kept</b>"},
                                         {"text/plain": "[output removed by the grader: JavaScript]"}]
    page = (feedback_root / "mallory" / A / f"{A}.html").read_text()
    assert "__pwned" not in page and CONTENT_SECURITY_POLICY in page and "<b>kept</b>" in page
    assert result.feedback == [str(feedback_root / "mallory" / A / f"{A}.html")]
    detail = recorder.rows["mallory"].detail
    assert "removed active content" in detail and "<script>" in detail and "JavaScript output" in detail


def test_honest_pandas_and_markdown_tables_are_not_reported():
    frame = ('<div><style scoped>\n    .dataframe tbody tr th:only-of-type { vertical-align: middle; }\n</style>\n'
             + LEGIT_TABLE + "</div>")
    assert active_content(frame) == set() and "<style" not in clean_html(frame) and "1.5" in clean_html(frame)
    aligned = render_markdown("| α | loss |\n|:--|--:|\n| 0.1 | 2 |")
    assert is_inert(aligned) and 'style="text-align:right"' in clean_html(aligned)
    assert "color" not in clean_html('<td style="text-align:left;color:red">x</td>')


@pytest.mark.slow
@pytest.mark.xdist_group("grading_class")
@needs_bwrap
def test_formgraders_own_autograde_stores_inert_notebooks_too(graded_hostile, tmp_path):
    """Stock `nbgrader autograde` with the course's nbgrader_config.py (what formgrader's button runs) sanitises last."""
    import shutil

    root = graded_hostile["root"]
    course = tmp_path / "stock"
    shutil.copytree(root / "source", course / "source")
    shutil.copy(Path(__file__).resolve().parents[1] / "nbgrader_config.py", course)
    shutil.copytree(graded_hostile["subs"] / "hostile", course / "submitted" / "hostile")
    common = [f"--CourseDirectory.root={course}", "--log-level=WARN", "--ExecutePreprocessor.timeout=60"]
    for args in (["generate_assignment", A, "--force"], ["autograde", A, "--force"]):
        proc = subprocess.run([sys.executable, "-m", "nbgrader", *args, *common], cwd=course, capture_output=True,
                              text=True, timeout=600, env=tool_env())
        assert proc.returncode == 0, proc.stderr[-2000:]
    nb = nbformat.read(str(course / "autograded" / "hostile" / A / NB), as_version=4)
    assert "widgets" not in nb.metadata
    text = json.dumps([c.get("outputs", []) if c.cell_type == "code" else c for c in nb.cells]).lower()
    for needle in ("<script", "onerror", "javascript:", "widget-view", "application/javascript", "svg+xml"):
        assert needle not in text, needle
    assert any("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    assert "removed active content from hostile's" in proc.stderr


@pytest.mark.parametrize("assignment", sorted(p.parent.name for p in (Path(__file__).resolve().parents[1] / "solutions")
                                               .glob("*/*.ipynb")))
def test_the_courses_own_executed_notebooks_pass_unchanged(assignment):
    """The answer key, executed (figures, LaTeX, Markdown), is honest content: nothing reported, nothing changed,
    even with every Markdown cell treated as the student's."""
    import copy

    path = next((Path(__file__).resolve().parents[1] / "solutions" / assignment).glob("*.ipynb"))
    nb = nbformat.read(str(path), as_version=4)
    before = copy.deepcopy(nb)
    assert sanitize_notebook(nb) == {}
    assert [c.get("source") for c in nb.cells] == [c.get("source") for c in before.cells]
    assert [c.get("outputs") for c in nb.cells] == [c.get("outputs") for c in before.cells]

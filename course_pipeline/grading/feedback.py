"""Feedback HTML: nbgrader's feedback template, scores from the gradebook, hidden tests never shown.

The page runs no script and loads nothing (a Content-Security-Policy says so, and the CDN MathJax of
nbgrader's template is left out: math is rendered to MathML as the page is written).
"""

from __future__ import annotations

import html as html_lib
import os
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from ..nbtools import has_hidden_tests, split_hidden_tests, strip_hidden_tests

__all__ = ["HIDDEN_PLACEHOLDER", "CONTENT_SECURITY_POLICY", "hidden_lines", "hide_hidden_tests", "mark_verdicts", "warm_up",
           "write_feedback"]

HIDDEN_PLACEHOLDER = "[hidden test code removed]"
MIN_SECRET_LINE = 6  # shorter lines (")", "pass") reveal nothing

# The page is a file the course writes: nothing in it may run or fetch anything. Images are data: URLs,
# styles are the template's own inline <style> blocks (student content carries none: see sanitize.py).
CONTENT_SECURITY_POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
                           "base-uri 'none'; form-action 'none'")
_CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}" />'
_HEAD_START = '<meta charset="utf-8" />'
# nbgrader's feedback template loads MathJax from a CDN; the course's pages load nothing: math is
# rendered to MathML when the page is written (math_to_mathml), which browsers show without a script.
_NO_MATHJAX = "{%- macro mathjax(url='') -%}{%- endmacro %}"
# The verdict first: a failing test cell opens with what the judge decided (what was checked, expected, got, the
# likely mistake, the section to reread), above the test's code; its outputs still follow the code as before.
_VERDICT_FIRST = """{%- extends 'index.html.j2' -%}
{% block input %}
{%- if cell.metadata.get('course_verdict') -%}
<div class="course-verdict-cell" style="flex: 1 1 auto; min-width: 0">
<a name="{{ cell.metadata.nbgrader.grade_id | e }}"></a>
<div class="alert alert-danger course-verdict" role="alert" style="margin: 0.4em 0"><pre style="white-space: pre-wrap; \
margin: 0; background: none; border: none; padding: 0">{{ cell.metadata.course_verdict | e }}</pre></div>
{{ super() }}
</div>
{%- else -%}
{{ super() }}
{%- endif -%}
{% endblock input %}
"""
VERDICT_KEY = "course_verdict"

_EXPORTERS: dict = {}  # course root (None: no course) -> its feedback exporter
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_IMG_WITHOUT_ALT = re.compile(r"<img (?![^>]*\balt=)")
# Bootstrap's icon font points at ../fonts/ next to a CSS file the page does not have (and never uses an icon).
_ICON_FONT = re.compile(r"@font-face\{font-family:'Glyphicons Halflings';[^}]*\}")


def hidden_lines(nb: NotebookNode) -> list[str]:
    """The stripped source lines inside hidden-test blocks, longest first (only the informative ones)."""
    found = {line.strip() for cell in nb.cells for line in split_hidden_tests(cell.get("source", ""))[1]
             if len(line.strip()) >= MIN_SECRET_LINE}
    return sorted(found, key=len, reverse=True)


def _redact(text: str, secrets: list[str]) -> str:
    if not secrets or not text:
        return text
    plain = _ANSI.sub("", text)  # tracebacks colour code: match on the bare text
    hits = [s for s in secrets if s in plain]
    if not hits:
        return text
    return "\n".join(HIDDEN_PLACEHOLDER if any(s in _ANSI.sub("", line) for s in hits) else line
                     for line in text.split("\n"))


def _redact_value(value, secrets: list[str]):
    if isinstance(value, str):
        return _redact(value, secrets)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        joined = "".join(value)
        redacted = _redact(joined, secrets)
        return value if redacted == joined else [redacted]
    return value


def hide_hidden_tests(nb: NotebookNode) -> NotebookNode:
    """Remove hidden-test blocks from sources, tracebacks of hidden test cells, and any output echoing them.

    A failing hidden test keeps its error name and message (what the student needs), never its
    code: its traceback frames are dropped, and every output line of any cell containing a line of
    hidden test source (a student's code could have captured and printed it) is replaced.
    """
    secrets = hidden_lines(nb)
    for cell in nb.cells:
        had_hidden = has_hidden_tests(cell)
        if had_hidden:
            cell.source = strip_hidden_tests(cell.source)
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "stream":
                out["text"] = _redact_value(out.get("text", ""), secrets)
            elif kind == "error":
                out["evalue"] = _redact(str(out.get("evalue", "")), secrets)
                if had_hidden:
                    out["traceback"] = [f"{out.get('ename', 'Error')}: {out['evalue']}"]
                else:
                    out["traceback"] = [_redact(line, secrets) for line in out.get("traceback", [])]
            elif kind in ("execute_result", "display_data"):
                data = out.get("data", {})
                for mime in list(data):
                    if mime.startswith("text/") or mime.endswith("json") or mime.endswith("javascript"):
                        data[mime] = _redact_value(data[mime], secrets)
    return nb


def mark_verdicts(nb: NotebookNode) -> NotebookNode:
    """Give each failing graded test cell its verdict (the judge's error message) to show above its code."""
    from ..nbtools import is_test_cell

    for cell in nb.cells:
        cell.metadata.pop(VERDICT_KEY, None)  # never one a submission brought along
        if not is_test_cell(cell):
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            cell.metadata[VERDICT_KEY] = "\n".join(_ANSI.sub("", str(o.get("evalue", ""))) for o in errors).strip() \
                or str(errors[0].get("ename", "The test failed."))
    return nb


class _CachedHighlight:
    """Pygments highlighting memoised per process: most cells are the same in every submission."""

    cache: dict[tuple, str] = {}

    def __init__(self, highlight) -> None:
        self.highlight = highlight

    def __call__(self, source, language=None, metadata=None):
        magics = (metadata or {}).get("magics_language")
        key = (source, language, magics, self.highlight.pygments_lexer)
        if key not in self.cache:
            if len(self.cache) > 4096:
                self.cache.clear()
            self.cache[key] = self.highlight(source, language=language, metadata=metadata)
        return self.cache[key]


# The course's page, where nbgrader_config.py's HTMLExporter settings do not say otherwise (as nbgrader's own
# generate_feedback: the instructor's template_name and extra folders win; every other option of theirs applies too).
COURSE_TEMPLATE = "feedback"
# Always the course's: the verdict-first wrapper (it extends the chosen template) and no default preprocessors.
TEMPLATE_FILE = "course_feedback.html.j2"
_EXPORTER_SECTIONS = ("HTMLExporter", "TemplateExporter", "Exporter")  # most specific first


def _instructor_setting(cfg, key: str):
    """What nbgrader_config.py set for key on the HTML exporter (its most specific section), None if nothing."""
    for section in _EXPORTER_SECTIONS:
        if section in cfg and key in cfg[section]:
            return cfg[section][key]
    return None


def feedback_config(course: Path | None):
    """The feedback exporter's configuration: the course's nbgrader_config.py, then the course's template settings."""
    from ..nbgrader_adapter import course_config, feedback_template_dirs

    templates, css = feedback_template_dirs()
    cfg = course_config(course)
    if _instructor_setting(cfg, "template_name") is None:
        cfg.HTMLExporter.template_name = COURSE_TEMPLATE
    cfg.HTMLExporter.template_file = TEMPLATE_FILE
    cfg.HTMLExporter.extra_template_basedirs = [*(_instructor_setting(cfg, "extra_template_basedirs") or []),
                                                str(templates)]
    cfg.HTMLExporter.extra_template_paths = [*(_instructor_setting(cfg, "extra_template_paths") or []), str(css)]
    cfg.Exporter.default_preprocessors = []
    return cfg


def _exporter(course: Path | None = None):
    """One HTMLExporter per process and course with nbgrader's feedback template (as `nbgrader generate_feedback`).

    It starts from the course's nbgrader_config.py (course None: nbgrader's defaults), see feedback_config.
    It skips HTMLExporter's BeautifulSoup pass (accessibility attributes, about a second per
    notebook with embedded figures); images get their alt text from a cheap substitution instead.
    """
    key = None if course is None else Path(course).resolve()
    if key not in _EXPORTERS:
        from nbconvert.exporters import HTMLExporter, TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        class FeedbackExporter(HTMLExporter):
            def from_notebook_node(self, nb, resources=None, **kw):
                langinfo = nb.metadata.get("language_info", {})
                lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
                resources = self._init_resources(resources)
                self.register_filter("highlight_code", _CachedHighlight(Highlight2HTML(pygments_lexer=lexer, parent=self)))
                self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources))
                html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
                html = _IMG_WITHOUT_ALT.sub('<img alt="figure output" ', html)
                return _with_csp(math_to_mathml(html)), resources

        from jinja2 import DictLoader
        from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor

        cfg = feedback_config(key)
        exporter = FeedbackExporter(config=cfg, extra_loaders=[DictLoader({"mathjax.html.j2": _NO_MATHJAX,
                                                                           TEMPLATE_FILE: _VERDICT_FIRST})])
        exporter.register_preprocessor(CSSHTMLHeaderPreprocessor(config=cfg), enabled=True)
        _EXPORTERS[key] = exporter
    return _EXPORTERS[key]


# What MathJax would typeset in nbconvert's configuration: $$...$$, \\[...\\], \\(...\\), $...$ and a few environments.
_MATH = re.compile(r"\$\$(?P<dd>.+?)\$\$|\\\[(?P<db>.+?)\\\]|\\\((?P<ib>.+?)\\\)"
                   r"|(?<![\\$])\$(?P<i>(?:\\\$|[^$])+?)\$"
                   r"|(?P<env>\\begin\{(?P<name>equation\*?|align\*?|gather\*?|matrix|pmatrix|bmatrix)\}.+?\\end\{(?P=name)\})",
                   re.DOTALL)
_NO_MATH_INSIDE = {"pre", "code", "kbd", "samp", "script", "style", "title", "textarea", "math", "svg"}


@lru_cache(maxsize=8192)
def _typeset(text: str) -> str:
    """Plain text with its LaTeX replaced by MathML, HTML-escaped elsewhere (math that cannot be converted stays)."""
    from .sanitize import mathml

    out, last = [], 0
    for match in _MATH.finditer(text):
        latex = next(g for g in (match.group("dd"), match.group("db"), match.group("ib"), match.group("i"),
                                 match.group("env")) if g is not None)
        display = match.group("i") is None and match.group("ib") is None
        converted = mathml(latex.strip(), display) if latex.strip() else None
        if converted is None:
            continue
        out.append(html_lib.escape(text[last:match.start()], quote=False))
        out.append(converted)
        last = match.end()
    out.append(html_lib.escape(text[last:], quote=False))
    return "".join(out)


class _MathPass(HTMLParser):
    """Re-emit a page the course rendered itself, with the math in its text turned into MathML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.text: list[str] = []  # raw (escaped) text pieces not yet emitted
        self.skip: list[str] = []

    def flush(self) -> None:
        if not self.text:
            return
        raw = "".join(self.text)
        self.text = []
        if self.skip or "$" not in raw and "\\" not in raw:
            self.out.append(raw)
        else:
            self.out.append(_typeset(html_lib.unescape(raw)))

    def handle_starttag(self, tag, attrs):
        self.flush()
        self.out.append(self.get_starttag_text())
        if tag in _NO_MATH_INSIDE:
            self.skip.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.flush()
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.flush()
        self.out.append(f"</{tag}>")
        if tag in self.skip:
            del self.skip[len(self.skip) - 1 - self.skip[::-1].index(tag):]

    def handle_data(self, data):
        self.text.append(data)

    def handle_entityref(self, name):
        self.text.append(f"&{name};")

    def handle_charref(self, name):
        self.text.append(f"&#{name};")

    def handle_comment(self, data):
        self.flush()
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.flush()
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.flush()
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.flush()
        self.out.append(f"<![{data}]>")


def math_to_mathml(page: str) -> str:
    """The page with the LaTeX of its text (not code, not preformatted output) as MathML: math without MathJax.

    A page's head (the template's: title, styles, metadata) holds no text to typeset and is kept as it is.
    """
    body = page.find("<body")
    head, page = (page[:body], page[body:]) if body > 0 else ("", page)
    parser = _MathPass()
    parser.feed(page)
    parser.close()
    parser.flush()
    return head + "".join(parser.out) + parser.rawdata  # anything the parser held back (an unclosed <style>) as it was


def _with_csp(html: str) -> str:
    """The page with its Content-Security-Policy as the first thing in <head> (before any style or image)."""
    if _HEAD_START not in html:
        raise RuntimeError("the feedback template changed: no <meta charset> to put the Content-Security-Policy after")
    html = _ICON_FONT.sub("", html, count=1)
    return html.replace(_HEAD_START, _HEAD_START + "\n" + _CSP_META, 1)


def warm_up(course: Path | None = None) -> None:
    """Build the course's exporter and compile its templates once (before the coordinator forks its workers)."""
    from nbformat.v4 import new_notebook

    resources = {"nbgrader": {"notebook": "warm-up", "score": 0, "max_score": 0, "late_penalty": 0}}
    _exporter(course).from_notebook_node(new_notebook(), resources=resources)


def write_feedback(autograded: Path, db_url: str, assignment: str, student: str, out_html: Path,
                   course: Path | None = None) -> Path:
    """Render one autograded notebook's feedback (scores via nbgrader's GetGrades) without hidden tests.

    course is the course root whose nbgrader_config.py shapes the page (its HTMLExporter settings).
    """
    from ..nbgrader_adapter import GetGrades

    nb = nbformat.read(str(autograded), as_version=4)
    notebook_id = autograded.stem
    resources = {
        "unique_key": notebook_id,
        "metadata": {"name": notebook_id, "path": str(autograded.parent)},
        "nbgrader": {"student": student, "assignment": assignment, "notebook": notebook_id, "db_url": db_url},
    }
    nb, resources = GetGrades().preprocess(nb, resources)
    nb = mark_verdicts(hide_hidden_tests(nb))
    html, _ = _exporter(course).from_notebook_node(nb, resources=resources)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_html.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, out_html)
    return out_html

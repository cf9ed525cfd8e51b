"""Make a graded notebook inert before any browser sees it: student HTML, Markdown and outputs through an allow-list.

A submission is untrusted data. Its outputs (``display(HTML(...))``, Markdown, JavaScript, widgets,
SVG) and its own Markdown cells reach the instructor's browser in formgrader, on the Jupyter
origin that holds the ``_xsrf`` cookie, and the student's browser in the feedback page. Before the
autograded notebook is stored and its feedback rendered, `sanitize_notebook`:

- keeps text, error tracebacks, LaTeX (escaped by nbconvert) and PNG/JPEG images that really are
  PNG/JPEG (SVG is dropped with a note: the course's figures are PNG);
- passes HTML, and Markdown rendered exactly as nbconvert renders it, through `nh3` (the Rust
  ammonia sanitiser) with a small allow-list: no scripts, event handlers, ``javascript:`` or
  non-image ``data:`` URLs, frames, objects, forms, ``<meta>``/``<link>``/``<base>``, remote
  images, ``<style>`` or ``style=``;
- drops JavaScript and widget outputs and the notebook's widget state, and output metadata other
  than numeric image sizes;
- leaves a Markdown or raw cell exactly as it is when its source is one of the instructor's
  (source notebook) or when its rendering is already inert; otherwise replaces it with the
  sanitised rendering.

It returns what it removed, per cell, so the instructor learns who tried.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import nh3
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import Bool

__all__ = ["Trusted", "clean_html", "active_content", "is_inert", "render_markdown", "sanitize_notebook",
           "trusted_cells", "IMAGE_TYPES", "SVG_NOTE"]

IMAGE_TYPES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
SVG_NOTE = "[SVG image removed by the grader: only PNG and JPEG images are shown]"
REMOVED_NOTE = "[output removed by the grader: {}]"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MAX_IMAGE_SIDE = 10_000

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
}
_ATTRIBUTES = {
    "*": {"class", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
    "ol": {"start", "type"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "table": {"border"},
}
_SAFE_ID = re.compile(r"^[^\x00-\x1f]{1,300}$")
_SAFE_HREF = re.compile(r"^(?:https?://|mailto:|#)", re.IGNORECASE)
_IMAGE_DATA_URL = re.compile(r"^data:(image/(?:png|jpeg));base64,([A-Za-z0-9+/=\s]+)$", re.IGNORECASE)
_NUMBER = re.compile(r"^\d{1,5}%?$")
_ALIGNMENT = re.compile(r"^\s*text-align:\s*(?:left|right|center)\s*;?\s*$")  # Markdown tables' columns, nothing else


@lru_cache(maxsize=1)
def _allowed_classes() -> frozenset[str]:
    """Classes nbconvert's own rendering uses (Pygments tokens, tables, heading anchors); any other class is dropped."""
    from pygments.token import STANDARD_TYPES

    return frozenset({c for c in STANDARD_TYPES.values() if c} | {"highlight", "dataframe", "anchor-link", "math", "sanitised"})


def _class_ok(value: str) -> str | None:
    allowed = _allowed_classes()
    kept = [c for c in value.split() if c in allowed or c.startswith(("hl-", "language-"))]
    return " ".join(kept) or None


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    """Called by nh3 for every allowed attribute: URLs, sizes, classes and ids are checked by value."""
    if attr == "class":
        return _class_ok(value)
    if attr == "style":
        return value if _ALIGNMENT.match(value) else None
    if attr == "id":
        return value if _SAFE_ID.match(value) else None
    if attr == "href":
        return value if _SAFE_HREF.match(value.strip()) else None
    if attr == "src":
        match = _IMAGE_DATA_URL.match(value.strip())
        return value if match and _is_image(match.group(1).lower(), match.group(2)) else None
    if attr in ("width", "height", "colspan", "rowspan", "start", "border"):
        return value if _NUMBER.match(value.strip()) else None
    return value


def clean_html(text: str) -> str:
    """HTML through the allow-list (nh3): formatting, tables, links, data-URL PNG/JPEG images; nothing active."""
    return nh3.clean(text, tags=_TAGS, clean_content_tags={"script", "style", "template", "noscript", "xmp", "title"},
                     attributes=_ATTRIBUTES, attribute_filter=_attribute_filter, strip_comments=True,
                     link_rel="noopener noreferrer nofollow", url_schemes={"http", "https", "mailto", "data"})


def _is_image(mime: str, data: object) -> bool:
    """True when data is base64 of a real image of that type (what nbconvert would put in an <img src=data:...>)."""
    if isinstance(data, list):
        data = "".join(data)
    if not isinstance(data, str) or mime not in IMAGE_TYPES:
        return False
    try:
        raw = base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return raw.startswith(IMAGE_TYPES[mime])


class _Events(HTMLParser):
    """Start tags with their attributes and the text, as a browser-like parser sees them (for comparisons)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(sorted((k, v or "") for k, v in attrs if k != "rel"))))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.tags.append(("!--", ()))

    def handle_decl(self, decl):
        self.tags.append(("!decl", ()))

    def handle_pi(self, data):
        self.tags.append(("?pi", ()))

    def unknown_decl(self, data):
        self.tags.append(("!unknown", ()))


def _signature(text: str) -> tuple:
    parser = _Events()
    parser.feed(text)
    parser.close()
    return tuple(parser.tags), " ".join("".join(parser.text).split())


def is_inert(text: str) -> bool:
    """True when the sanitiser would remove nothing from this HTML (same tags, attributes and text)."""
    return _signature(text) == _signature(clean_html(text))


class _Kinds(HTMLParser):
    """Names the active content of an HTML fragment, for the instructor's report (never for the decision)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: set[str] = set()

    def handle_starttag(self, tag, attrs):
        named = {"script": "<script>", "iframe": "<iframe>", "frame": "<iframe>", "object": "<object>",
                 "embed": "<embed>", "form": "<form>", "meta": "<meta>", "link": "<link>", "base": "<base>",
                 "style": "<style>", "svg": "<svg>", "math": "<math>", "applet": "<object>", "portal": "<iframe>"}
        if tag in named and not (tag == "style" and any(k == "scoped" for k, _ in attrs)):
            self.found.add(named[tag])  # <style scoped> is pandas' DataFrame HTML: removed, not worth a report
        for key, value in attrs:
            value = (value or "").strip()
            low = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if key.startswith("on"):
                self.found.add("event handler")
            elif key == "style":
                if not _ALIGNMENT.match(value):
                    self.found.add("style attribute")
            elif key in ("href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcdoc",
                         "srcset"):
                if low.startswith(("javascript:", "vbscript:")):
                    self.found.add("javascript: URL")
                elif low.startswith("data:") and not low.startswith(("data:image/png", "data:image/jpeg")):
                    self.found.add("data: URL")
                elif key != "href" and (low.startswith(("http:", "https:", "//")) or key in ("srcdoc", "srcset")):
                    self.found.add("remote resource")
            if "url(" in low:
                self.found.add("CSS url()")

    handle_startendtag = handle_starttag


def active_content(text: str) -> set[str]:
    """What kinds of active content an HTML fragment carries ('<script>', 'event handler', ...)."""
    parser = _Kinds()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # noqa: BLE001 - the report is best effort; the sanitiser decides
        return {"unparsable HTML"}
    return parser.found  # empty for formatting the allow-list merely drops (unknown tags or classes)


_EXPORTER = None


def render_markdown(source: str, attachments: dict | None = None) -> str:
    """Markdown to HTML exactly as nbconvert's HTML exporter renders a cell (math left for MathJax, attachments inlined)."""
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert.exporters import HTMLExporter

        _EXPORTER = HTMLExporter()
    return _EXPORTER.markdown2html({"cell": {"attachments": attachments or {}}}, source)


def _as_html_block(clean: str) -> str:
    """A cleaned fragment as Markdown that renders to exactly that fragment: one HTML block, no blank line."""
    return '<div class="sanitised">' + clean.replace("\r", "").replace("\n", "&#10;") + "</div>"


def _inert_markdown(source: str, attachments: dict | None) -> tuple[str | None, set[str]]:
    """(None, {}) when the Markdown renders inert; else (replacement source, kinds removed)."""
    try:
        rendered = render_markdown(source, attachments)
    except Exception:  # noqa: BLE001 - e.g. a missing attachment: show the source as text
        return _as_html_block("<pre>" + html.escape(source) + "</pre>"), {"unrenderable markdown"}
    if is_inert(rendered):
        return None, set()
    kinds = active_content(rendered)
    replacement = _as_html_block(clean_html(rendered))
    try:
        ok = is_inert(render_markdown(replacement))
    except Exception:  # noqa: BLE001
        ok = False
    if not ok:
        replacement = _as_html_block("<pre>" + html.escape(source) + "</pre>")
    return replacement, kinds


@dataclass
class Trusted:
    """The instructor's own Markdown/raw sources and grade ids of one notebook (from source/)."""

    sources: set[str] = field(default_factory=set)
    grade_ids: set[str] = field(default_factory=set)


def trusted_cells(path: Path) -> Trusted:
    """Read the source notebook: its Markdown and raw cell sources, and its nbgrader grade ids."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    trusted = Trusted()
    for cell in nb.cells:
        if cell.cell_type in ("markdown", "raw"):
            trusted.sources.add(cell.source)
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id:
            trusted.grade_ids.add(grade_id)
    return trusted


def _text(value: object) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return value if isinstance(value, str) else str(value)


def _image_metadata(meta: dict, mime: str) -> dict:
    """Only what nbconvert's image block reads as a size: positive integers (unquoted in the template)."""
    out: dict = {}
    for source in (meta, meta.get(mime) if isinstance(meta.get(mime), dict) else {}):
        for key in ("width", "height"):
            value = source.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_IMAGE_SIDE:
                out[key] = value
        if source.get("unconfined") is True:
            out["unconfined"] = True
    return {mime: out} if out else {}


def _clean_output(out: NotebookNode, kinds: set[str]) -> NotebookNode | None:
    """A rebuilt output holding only inert content (None: drop it)."""
    kind = out.get("output_type")
    if kind == "stream":
        name = out.get("name") if out.get("name") in ("stdout", "stderr") else "stdout"
        return NotebookNode(output_type="stream", name=name, text=_text(out.get("text", "")))
    if kind == "error":
        return NotebookNode(output_type="error", ename=_text(out.get("ename", "")), evalue=_text(out.get("evalue", "")),
                            traceback=[_text(t) for t in out.get("traceback", []) if isinstance(t, str)])
    if kind not in ("execute_result", "display_data"):
        kinds.add(f"{kind} output")
        return None
    data, meta = out.get("data", {}) or {}, out.get("metadata", {}) or {}
    kept: dict = {}
    new_meta: dict = {}
    removed: list[str] = []
    for mime, value in data.items():
        if mime == "text/plain":
            kept[mime] = _text(value)
        elif mime == "text/latex":
            kept[mime] = _text(value)  # nbconvert escapes it; MathJax's Safe mode, if any, typesets it
        elif mime in IMAGE_TYPES:
            if _is_image(mime, value):
                kept[mime] = "".join(_text(value).split())
                new_meta.update(_image_metadata(meta, mime))
            else:
                removed.append(f"{mime} that is not one")
        elif mime == "text/html":
            raw = _text(value)
            clean = clean_html(raw)
            if not is_inert(raw):
                kinds.update(active_content(raw))
            kept[mime] = clean
        elif mime == "text/markdown":
            replacement, found = _inert_markdown(_text(value), None)
            if replacement is None:
                kept[mime] = _text(value)
            else:
                kinds.update(found)
                kept["text/html"] = clean_html(render_markdown(_text(value))) if "unrenderable markdown" not in found \
                    else html.escape(_text(value))
        elif mime == "image/svg+xml":
            removed.append("SVG image")
            kinds.add("SVG image")
        elif mime in ("application/javascript", "text/javascript", "application/x-javascript"):
            removed.append("JavaScript")
            kinds.add("JavaScript output")
        elif mime.startswith("application/vnd.jupyter.widget"):
            removed.append("widget")
            kinds.add("widget")
        elif mime.startswith("application/") and ("json" in mime or "javascript" in mime):
            continue  # structured data for other front-ends: nbconvert's HTML never shows it
        else:
            removed.append(mime)
            kinds.add(f"{mime} output")
    if "SVG image" in removed and "text/plain" in kept:
        kept["text/plain"] = SVG_NOTE + "\n" + kept["text/plain"]
    elif removed and not set(kept) - {"text/plain"}:
        note = REMOVED_NOTE.format(", ".join(removed))
        kept["text/plain"] = note + ("\n" + kept["text/plain"] if "text/plain" in kept else "")
    if not kept:
        return None
    clean = NotebookNode(output_type=kind, data=kept, metadata=new_meta)
    if kind == "execute_result":
        count = out.get("execution_count")
        clean["execution_count"] = count if isinstance(count, int) and not isinstance(count, bool) else None
    return clean


def _cell_label(index: int) -> str:
    return f"cell {index + 1}"


def sanitize_notebook(nb: NotebookNode, trusted: Trusted | None = None) -> dict[str, list[str]]:
    """Make nb inert in place; return {kind of active content removed: [cells]} (empty for an honest notebook)."""
    trusted = trusted or Trusted()
    report: dict[str, list[str]] = {}

    def note(kinds: Iterable[str], where: str) -> None:
        for kind in kinds:
            report.setdefault(kind, [])
            if where not in report[kind]:
                report[kind].append(where)

    widgets = nb.metadata.pop("widgets", None)
    if widgets:
        note({"widget state"}, "notebook metadata")
    for i, cell in enumerate(nb.cells):
        where = _cell_label(i)
        meta = cell.get("metadata", {})
        grading = meta.get("nbgrader")
        if isinstance(grading, dict) and grading.get("grade_id") not in trusted.grade_ids:
            meta.pop("nbgrader")  # only the instructor's cells carry grading metadata (formgrader puts ids in the page)
        if cell.cell_type in ("markdown", "raw"):
            if cell.source in trusted.sources:
                continue
            if cell.cell_type == "markdown":
                replacement, kinds = _inert_markdown(cell.source, cell.get("attachments"))
            else:
                replacement, kinds = (None, set()) if is_inert(cell.source) else \
                    (clean_html(cell.source), active_content(cell.source))
            if replacement is not None:
                cell.source = replacement
                cell.pop("attachments", None)
                note(kinds, where)
        elif cell.cell_type == "code":
            kinds: set[str] = set()
            outputs = [_clean_output(out, kinds) for out in cell.get("outputs", [])]
            cell.outputs = [out for out in outputs if out is not None]
            note(kinds, where)
    return report


def describe(report: dict[str, list[str]]) -> str:
    """One line for grades.csv: 'removed active content: <script> (cells 3, 5); event handler (cell 3)'."""
    if not report:
        return ""
    parts = []
    for kind, where in sorted(report.items()):
        cells = [w.removeprefix("cell ") for w in where if w.startswith("cell ")]
        others = [w for w in where if not w.startswith("cell ")]
        places = ([f"cell{'s' if len(cells) > 1 else ''} {', '.join(cells)}"] if cells else []) + others
        parts.append(f"{kind} ({'; '.join(places)})")
    return "removed active content: " + "; ".join(parts)


__all__.append("describe")


# --- math for pages that load no script: LaTeX to MathML, through the same kind of allow-list ------------

_MATHML_TAGS = {
    "math", "mrow", "mi", "mo", "mn", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac", "msqrt", "mroot",
    "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mlabeledtr", "mstyle", "mpadded", "mphantom",
    "menclose", "merror", "mmultiscripts", "mprescripts", "none", "semantics", "annotation",
}
_MATHML_ATTRIBUTES = {tag: {"display", "displaystyle", "scriptlevel", "mathvariant", "stretchy", "fence", "form",
                            "separator", "lspace", "rspace", "minsize", "maxsize", "largeop", "movablelimits",
                            "accent", "accentunder", "linethickness", "columnalign", "rowalign", "columnspacing",
                            "rowspacing", "columnlines", "rowlines", "frame", "width", "height", "depth", "notation",
                            "symmetric", "columnspan", "rowspan"} for tag in _MATHML_TAGS}
_MATHML_VALUE = re.compile(r"^[\w.\-+% ]{0,60}$")


def _mathml_attribute(tag: str, attr: str, value: str) -> str | None:
    return value if _MATHML_VALUE.match(value) else None


def mathml(latex: str, display: bool = False) -> str | None:
    """LaTeX as sanitised MathML (the browser renders it natively, no script); None when it cannot be converted.

    latex2mathml copies \\text{...}, \\href and \\style into its output unescaped, so the result goes
    through nh3 with a MathML-only allow-list (no href, no style, values checked).
    """
    from latex2mathml.converter import convert

    try:
        raw = convert(latex, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - unknown commands, unbalanced braces: the LaTeX stays as text
        return None
    clean = nh3.clean(raw, tags=_MATHML_TAGS, clean_content_tags={"script", "style"}, attributes=_MATHML_ATTRIBUTES,
                      attribute_filter=_mathml_attribute, strip_comments=True, link_rel=None, url_schemes=set())
    return clean if clean.startswith("<math") else None


__all__.append("mathml")


# --- the same step for nbgrader's own autograde (formgrader's button, `nbgrader autograde`) --------------


def _gradebook_trusted(resources: dict) -> Trusted:
    """The instructor's cells as the gradebook knows them (locked and graded cells' sources, grade ids)."""
    from ..nbgrader_adapter import Gradebook, MissingEntry

    info = resources.get("nbgrader", {})
    trusted = Trusted()
    try:
        with Gradebook(info["db_url"]) as gb:
            notebook = gb.find_notebook(info["notebook"], info["assignment"])
            for cell in notebook.source_cells:
                trusted.grade_ids.add(cell.name)
                if cell.cell_type in ("markdown", "raw"):
                    trusted.sources.add(cell.source)
    except (KeyError, MissingEntry):
        pass
    return trusted


class SanitizeNotebook(Preprocessor):
    """Last autograde step of stock nbgrader: the stored autograded notebook is inert (see sanitize_notebook)."""

    enabled = Bool(True, help="Always on: nbconvert preprocessors are off unless enabled").tag(config=True)

    def preprocess(self, nb, resources):
        """Sanitise nb against the gradebook's source cells; log what was removed."""
        report = sanitize_notebook(nb, _gradebook_trusted(resources))
        if report:
            info = resources.get("nbgrader", {})
            self.log.warning("removed active content from %s's %s: %s", info.get("student", "?"),
                             info.get("notebook", "?"), describe(report))
        return nb, resources


__all__.append("SanitizeNotebook")

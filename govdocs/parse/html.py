"""HTML pages of single documents (as saved from www.gov.cn) to plain text and site metadata.

Guarantees of `extract_html`:
1. Only the document body is read: the element with id `UCAP-CONTENT` when present and not
   empty, otherwise the element whose child `<p>` elements hold the most text. The site's
   metadata table, scripts, styles, comments, form controls, `<nav>` and `<aside>` are never text.
2. Lines: `<p>`, `<div>`, `<h1>`–`<h6>`, `<li>` (and other block elements) each make a
   paragraph, `<br>` breaks a line inside one. Paragraphs are separated by one blank line, the
   lines of a paragraph by none, as in the site's plain-text conversions; the text ends in `\\n`.
3. A table row is one line, its cells separated by TAB (empty cells kept as empty fields, a
   cell's own lines joined by a space); a table is one paragraph; rows without text are dropped.
4. Within a line, runs of HTML white space collapse to one space, non-breaking spaces become
   spaces, and space entities left as literal text (`&nbsp;`, `&sp;`, `&ensp;` …, e.g. from a
   double-escaped `&amp;nbsp;`) become a space; spaces, full-width spaces (U+3000) and non-breaking spaces are then stripped
   at both edges. Inner full-width spaces are kept (`总理　　李克强`). Empty lines and empty
   paragraphs are dropped.
5. `metadata` is the site's table (label cells such as `索 引 号：`, each followed by its value
   cell; at least two of `METADATA_LABELS`): keys are the labels without white space and colon,
   values cleaned as lines, empty values omitted; `{}` when the page has no such table.
6. Bytes are decoded by the page's `<meta charset>` (GB2312/GBK read as GB18030), else UTF-8,
   else GB18030. Empty or unparsable input gives an empty page, never an exception.

`strip_metadata_table` removes that table (and enclosing tables holding nothing else) from the
HTML; `is_html` sniffs whether a text starts with HTML markup.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from govdocs.parse import patterns as P

INDEX_NUMBER, CATEGORY, ISSUER, WRITTEN_DATE = "索引号", "主题分类", "发文机关", "成文日期"
TITLE, DOC_NUMBER, PUBLISH_DATE, KEYWORDS = "标题", "发文字号", "发布日期", "主题词"
METADATA_LABELS = frozenset({INDEX_NUMBER, CATEGORY, ISSUER, WRITTEN_DATE, TITLE, DOC_NUMBER, PUBLISH_DATE, KEYWORDS})
CONTENT_ID = "UCAP-CONTENT"

_BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre address center section article header "
                    "footer main figure figcaption caption hr fieldset details summary tr td th".split())
_SKIPPED = frozenset("script style noscript template iframe object embed canvas svg select button input textarea nav "
                     "aside head title".split())
_CELLS = ("td", "th")
_EDGE = " \u3000\u00a0"
_HTML_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CHARSET_ALIASES = dict.fromkeys(("gb2312", "gbk", "x-gbk", "cp936", "csgb2312", "gb_2312-80"), "gb18030")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|div|table|p|body|head|meta)(?![\w-])", re.I | re.S)


@dataclass(frozen=True, slots=True)
class HtmlPage:
    text: str
    metadata: dict[str, str] = field(default_factory=dict)


def is_html(text_start: str) -> bool:
    """True when the first non-space characters look like HTML markup (`<html`, `<div`, `<p` …)."""
    return _HTML_START.match(text_start.lstrip("\ufeff")) is not None


def extract_html(data: str | bytes) -> HtmlPage:
    """The document text and site metadata of one HTML page (see the module's guarantees)."""
    root = _parse(_decode(data) if isinstance(data, bytes) else data)
    if root is None:
        return HtmlPage("", {})
    metadata: dict[str, str] = {}
    for label, _, value in _metadata_cells(root):
        if value is not None and label not in metadata and (text := _clean(_HTML_SPACE.sub(" ", value.text_content()))):
            metadata[label] = text
    for table in _metadata_tables(root):
        table.drop_tree()
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, *_SKIPPED, with_tail=False)
    found = root.xpath(f'//*[@id="{CONTENT_ID}"]')
    body = found[0] if found and _squash(found[0].text_content()) else _largest_p_block(root)
    out = _Lines()
    _walk(body, out)
    text = "\n\n".join("\n".join(lines) for lines in out.paragraphs())
    return HtmlPage(text + "\n" if text else "", metadata)


def strip_metadata_table(html: str) -> str:
    """The page's HTML without the site's metadata table(s); everything else is kept."""
    root = _parse(html)
    if root is None:
        return html
    for table in _metadata_tables(root):
        table.drop_tree()
    if re.search(r"<html[\s>]", html[:4096], re.IGNORECASE):  # a whole document: keep its doctype
        tree = root.getroottree()
        return lxml_html.tostring(tree, encoding="unicode", doctype=tree.docinfo.doctype or None)
    body = root.find("body")  # a fragment: return the fragment only
    container = body if body is not None else root
    return (container.text or "") + "".join(lxml_html.tostring(c, encoding="unicode") for c in container)


class _Lines:
    """Paragraphs of lines being built; text is appended to the current line."""

    def __init__(self) -> None:
        self._paras: list[list[str]] = [[""]]

    def add(self, text: str | None) -> None:
        if text:
            self._paras[-1][-1] += _HTML_SPACE.sub(" ", text)

    def line(self, finished: str = "") -> None:
        """End the current line (`<br>`), after appending `finished` (a table row) to it."""
        self._paras[-1][-1] += finished
        self._paras[-1].append("")

    def paragraph(self) -> None:
        if self._paras[-1] != [""]:
            self._paras.append([""])

    def paragraphs(self) -> list[list[str]]:
        cleaned = ([line for line in map(_clean, para) if line.strip()] for para in self._paras)
        return [lines for lines in cleaned if lines]


def _walk(element: HtmlElement, out: _Lines) -> None:
    out.add(element.text)
    for child in element:
        if not isinstance(child.tag, str):  # entities …: their tail only
            pass
        elif child.tag == "br":
            out.line()
        elif child.tag == "table":
            out.paragraph()
            _table(child, out)
            out.paragraph()
        elif child.tag in _BLOCKS:
            out.paragraph()
            _walk(child, out)
            out.paragraph()
        else:
            _walk(child, out)
        out.add(child.tail)


def _table(table: HtmlElement, out: _Lines) -> None:
    for caption in table.findall("caption"):
        _walk(caption, out)
        out.line()
    for row in table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
        cells = []
        for cell in row.xpath("./td | ./th"):
            inner = _Lines()
            _walk(cell, inner)
            cells.append(" ".join(line for lines in inner.paragraphs() for line in lines))
        if any(cells):
            out.line("\t".join(cells))


def _clean(line: str) -> str:
    return P.ENTITY_DEBRIS.sub(" ", re.sub(" {2,}", " ", line)).replace("\u00a0", " ").strip(_EDGE)


def _squash(text: str) -> str:
    return "".join(text.split())


def _metadata_cells(root: HtmlElement) -> list[tuple[str, HtmlElement, HtmlElement | None]]:
    """(label, label cell, value cell) of the site's table, outside the body; [] unless 2+ labels."""
    found = []
    for cell in root.iter(*_CELLS):
        text = cell.text_content()
        if len(text) < 40 and (label := _squash(text).rstrip("：:")) in METADATA_LABELS:
            if not cell.xpath(f'ancestor::*[@id="{CONTENT_ID}"]'):
                value = cell.getnext()
                found.append((label, cell, value if value is not None and value.tag in _CELLS else None))
    return found if len({label for label, _, _ in found}) >= 2 else []


def _metadata_tables(root: HtmlElement) -> list[HtmlElement]:
    """Tables at least half made of label and value cells, widened to enclosing tables holding nothing else."""
    held: dict[HtmlElement, int] = {}
    for _, *cells in _metadata_cells(root):
        table = next(cells[0].iterancestors("table"), None)
        if table is not None:
            held[table] = held.get(table, 0) + sum(len(_squash(c.text_content())) for c in cells if c is not None)
    size = {t: len(_squash(t.text_content())) for t in held}
    inner = [t for t, n in held.items() if 2 * n >= size[t]]
    tables: list[HtmlElement] = []
    for table in inner:
        top = table
        for outer in table.iterancestors("table"):
            if len(_squash(outer.text_content())) != sum(size[t] for t in inner if outer in t.iterancestors("table")):
                break
            top = outer
        if top not in tables:
            tables.append(top)
    return [t for t in tables if not any(o in t.iterancestors("table") for o in tables)]


def _largest_p_block(root: HtmlElement) -> HtmlElement:
    """The element whose child `<p>` elements hold the most text (the page's body if none)."""
    scores: dict[HtmlElement, int] = {}
    for p in root.iter("p"):
        if (parent := p.getparent()) is not None:
            scores[parent] = scores.get(parent, 0) + len(_squash(p.text_content()))
    if scores and max(scores.values()) > 0:
        return max(scores, key=scores.__getitem__)
    body = root.find("body")
    return body if body is not None else root


def _parse(text: str) -> HtmlElement | None:
    text = _XML_DECLARATION.sub("", text.lstrip("\ufeff"))
    try:
        return lxml_html.document_fromstring(text) if text.strip() else None
    except (etree.ParserError, ValueError):
        return None


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    declared = _META_CHARSET.search(data[:4096])
    name = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    for encoding in (_CHARSET_ALIASES.get(name, name), "utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")

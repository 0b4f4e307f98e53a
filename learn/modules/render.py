"""Markdown to safe HTML, once at load: Python-Markdown, Parcours's own marks, then nh3.

Conventions of the HTML produced (all of it has passed `sanitize_html`):

- Glossary mark `[[words|term]]` becomes
  `<a aria-describedby="gloss-<slug>" class="gloss" href="#gloss-<slug>" rel="noopener noreferrer">`
  `words</a>`: a real link,
  so it is focusable and works without script (it jumps to the definition); the reading-mode
  script turns it into a tooltip shown on hover and focus. The definitions are the module's
  `glossary_html`:
  `<dl class="glossary"><dt>term</dt><dd id="gloss-<slug>">definition</dd>...</dl>`.
- Images `![alt](photo.jpg)` get `src="<asset_url_prefix>/<module id>/photo.jpg"`; a link to a file
  of the module's folder likewise. The file names are in `ModuleVariant.assets`.
- `[text](module:ecoute-2)` links get `href="<module_url_prefix>/ecoute-2"` (`#part` kept).
- A pictogram mark `:pic: broom` becomes
  `<img class="pic" src="/static/pictos/broom.svg" alt="balai" width="48" height="48">` (the
  alternative text in the file's language, empty with `decorative`; see pictograms.py).
- Raw HTML written in Markdown is escaped (shown as text), never interpreted.
"""

from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as etree
from urllib.parse import quote

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .pictograms import MARK, PIC_PATTERN, PictogramSet, load_pictograms
from .sanitize import sanitize_html

GLOSS_PATTERN = r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]|\n]+?))?\]\]"
ASSET_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._ -]*$")
PLAIN_CHARS_RE = re.compile(r"^[^\\`*_{}\[\]<>#|&]*$")
BLOCK_START_RE = re.compile(r"^(?: {4}|\t|\s*(?:[-+*>=#]|\d+[.)]\s|!!!)|.*  $)", re.MULTILINE)
TAG_RE = re.compile(r"<[^>]*>")
TOKEN_RE = re.compile(r"\S+")
NO_WORD_TOKEN_RE = re.compile(r"(?<!\S)(?:[^\w\s]|_)+(?!\S)")
# French typography: a space that must not break before : ; ! ? and », after «. Before the colon
# a no-break space (U+00A0), elsewhere a narrow one (U+202F), as the Imprimerie nationale does.
NBSP, NNBSP = "\u00a0", "\u202f"
HTML_SPLIT_RE = re.compile(r"(<[^>]*>)")
UNBREAKABLE_PARTS = ("code", "pre")
SPACE_BEFORE_COLON_RE = re.compile(r"[ \u00a0\u202f]+(?=:)")
SPACE_BEFORE_MARK_RE = re.compile(r"[ \u00a0\u202f]+(?=[;!?»])")
SPACE_AFTER_GUILLEMET_RE = re.compile(r"(?<=«)[ \u00a0\u202f]+")


def slugify(text: str) -> str:
    """ASCII slug of a text: lower-case letters, digits and dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def term_key(term: str) -> str:
    """How glossary terms are matched: case-insensitive, spaces collapsed."""
    return " ".join(term.casefold().split())


def count_words(html_text: str) -> int:
    """Words of the visible text of an HTML fragment."""
    return count_text_words(html.unescape(TAG_RE.sub(" ", html_text)))


def count_text_words(text: str) -> int:
    """Runs of non-spaces that hold a letter or a digit."""
    return len(TOKEN_RE.findall(text)) - len(NO_WORD_TOKEN_RE.findall(text))


def french_spacing(html_text: str) -> str:
    """Keep French punctuation with its word: the spaces before : ; ! ? » and after « become
    no-break spaces, in the text of an HTML fragment only (never in a tag, its attributes, or
    inside <code> and <pre>)."""
    pieces = HTML_SPLIT_RE.split(html_text)
    depth = 0  # how many <code>/<pre> are open around the text
    for index, piece in enumerate(pieces):
        if index % 2:  # a tag
            name = piece[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if piece else ""
            if name in UNBREAKABLE_PARTS:
                depth += -1 if piece.startswith("</") else 1
            continue
        if depth or not piece:
            continue
        piece = SPACE_BEFORE_COLON_RE.sub(NBSP, piece)
        piece = SPACE_BEFORE_MARK_RE.sub(NNBSP, piece)
        pieces[index] = SPACE_AFTER_GUILLEMET_RE.sub(NNBSP, piece)
    return "".join(pieces)


def is_plain(text: str) -> bool:
    """Text in which Markdown would change nothing (no markup character, no block start)."""
    return bool(PLAIN_CHARS_RE.match(text)) and not BLOCK_START_RE.search(text) and MARK not in text


def is_asset_name(name: str) -> bool:
    """A plain file name of the module's folder (no folder, no scheme, not hidden)."""
    return bool(ASSET_NAME_RE.match(name)) and ".." not in name


# A data table keeps its words whole: on a phone it scrolls sideways inside its own box (WCAG 1.4.10
# exempts tables from reflow), a region reached with the keyboard and named in the file's language.
TABLE_LABELS = {"fr": "Tableau", "en": "Table", "de": "Tabelle", "it": "Tabella"}


def scrolling_tables(safe_html: str, lang: str) -> str:
    """Each <table> of sanitised HTML inside a focusable, named region that scrolls."""
    label = TABLE_LABELS.get(lang, TABLE_LABELS["en"])
    opening = f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
    return safe_html.replace("<table>", opening + "<table>").replace("</table>", "</table></div>")


class _GlossaryMark(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        shown = m.group(1).strip()
        term = (m.group(2) or m.group(1)).strip()
        target = "gloss-" + slugify(term_key(term))
        el = etree.Element("a", {"class": "gloss", "href": "#" + target})
        el.set("aria-describedby", target)
        el.text = shown
        return el, m.start(0), m.end(0)


class _PictogramMark(InlineProcessor):
    def __init__(self, pattern, md, renderer: Renderer):
        super().__init__(pattern, md)
        self.renderer = renderer

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        name, decorative = m.group(1), m.group(2)
        alt = self.renderer.pictures.alt(name, self.renderer.lang)
        if alt is None:  # unknown: left as written (the checker reports it)
            return None, None, None
        el = etree.Element("img", {"class": "pic", "src": self.renderer.picture_url(name)})
        el.set("alt", "" if decorative else alt)
        el.set("width", "48")
        el.set("height", "48")
        return el, m.start(0), m.end(0)


class _RewriteUrls(Treeprocessor):
    def __init__(self, md, renderer: Renderer):
        super().__init__(md)
        self.renderer = renderer

    def run(self, root):
        for el in root.iter():
            if el.tag == "img" and self.renderer.is_picture(el):
                continue
            if el.tag == "img":
                for attribute in ("class", "width", "height"):  # e.g. from {: .pic}: not allowed
                    el.attrib.pop(attribute, None)
                el.set("src", self.renderer.url(el.get("src", "")))
            elif el.tag == "a" and el.get("class") != "gloss":
                el.set("href", self.renderer.url(el.get("href", "")))


class _ParcoursExtension(Extension):
    def __init__(self, renderer: Renderer):
        super().__init__()
        self.renderer = renderer

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_GlossaryMark(GLOSS_PATTERN, md), "parcours_gloss", 175)
        md.inlinePatterns.register(
            _PictogramMark(PIC_PATTERN, md, self.renderer), "parcours_pic", 174
        )
        md.treeprocessors.register(_RewriteUrls(md, self.renderer), "parcours_urls", 4)


class Renderer:
    """Reusable Markdown instances: with heading anchors (toc) for the body of a file, without
    them for questions, options and blocks (so these add no ids to the page); and the same two
    with `nl2br` for easy-read files, written one sentence a line (a FALC rule), whose line breaks
    are kept as `<br>`. `module_id`, `easy` and `lang` are set before rendering a file; French
    text gets its no-break spaces before : ; ! ? (`french_spacing`)."""

    def __init__(
        self,
        asset_url_prefix: str = "/content-assets",
        module_url_prefix: str = "/modules",
        picture_url_prefix: str = "/static/pictos",
        pictures: PictogramSet | None = None,
    ):
        self.asset_url_prefix = asset_url_prefix.rstrip("/")
        self.module_url_prefix = module_url_prefix.rstrip("/")
        self.picture_url_prefix = picture_url_prefix.rstrip("/")
        self.pictures = pictures if pictures is not None else load_pictograms()
        self.module_id = ""
        self.easy = False
        self.lang = ""
        self._instances = {
            (anchors, easy): self._markdown_instance(anchors, easy)
            for anchors in (True, False)
            for easy in (False, True)
        }

    def _markdown_instance(self, with_anchors: bool, easy: bool) -> markdown.Markdown:
        extensions = ["tables", "attr_list", "admonition", "sane_lists", _ParcoursExtension(self)]
        if with_anchors:
            extensions.insert(2, "toc")
        if easy:
            extensions.append("nl2br")
        md = markdown.Markdown(extensions=extensions, output_format="html")
        md.treeprocessors.deregister("prettify")  # only adds newlines; a measurable cost
        return md

    def picture_url(self, name: str) -> str:
        """The address of a pictogram of the set."""
        return f"{self.picture_url_prefix}/{name}.svg"

    def is_picture(self, el) -> bool:
        """An <img> made by the pictogram mark (not an author's image dressed up as one)."""
        src = el.get("src", "")
        name = src.removeprefix(self.picture_url_prefix + "/").removesuffix(".svg")
        return (
            el.get("class") == "pic"
            and src == self.picture_url(name)
            and self.pictures.alt(name, self.lang) is not None
        )

    def url(self, url: str) -> str:
        """Rewrite `module:` links and file names of the module's folder; leave other URLs alone."""
        if url.startswith("module:"):
            target, _, anchor = url[len("module:") :].partition("#")
            return f"{self.module_url_prefix}/{quote(target)}" + (
                f"#{quote(anchor)}" if anchor else ""
            )
        if is_asset_name(url) and ":" not in url:
            return f"{self.asset_url_prefix}/{quote(self.module_id)}/{quote(url)}"
        return url

    def markdown(self, text: str, small: bool = False) -> str:
        """Markdown to HTML, not yet sanitised."""
        md = self._instances[(not small, self.easy)]
        md.reset()
        try:
            out = md.convert(text)
        except RecursionError:  # absurdly deep nesting: show the text as it is
            return f"<p>{html.escape(text)}</p>"
        # keep a line break in the text after <br>, so the text read aloud keeps its spaces
        return out.replace("<br>", "<br>\n") if self.easy else out

    def sanitize(self, html_text: str) -> str:
        """The content sanitiser (see sanitize.py), then the language's typography."""
        return self.typeset(sanitize_html(html_text))

    def typeset(self, safe_html: str) -> str:
        """Sanitised HTML with the typography of the file's language (French spacing), each
        table in its own scrolling region."""
        if "<table>" in safe_html:
            safe_html = scrolling_tables(safe_html, self.lang)
        return french_spacing(safe_html) if self.lang == "fr" else safe_html

    def block(self, text: str) -> str:
        """Markdown (paragraphs, lists...) to sanitised HTML."""
        text = text.strip("\n")
        if not text.strip():
            return ""
        if is_plain(text):  # plain paragraphs: no need for Markdown
            paragraphs = (p.strip() for p in re.split(r"\n\s*\n", text) if p.strip())
            newline = "<br>\n" if self.easy else "\n"
            return self.typeset(
                "".join(
                    f"<p>{html.escape(p, quote=False).replace(chr(10), newline)}</p>"
                    for p in paragraphs
                )
            )
        return self.sanitize(self.markdown(text, small=True))

    def inline(self, text: str) -> str:
        """A short Markdown text (an option, a feedback) to sanitised HTML with no outer <p>."""
        text = text.strip()
        if not text:
            return ""
        if is_plain(text):  # nothing for Markdown to do: skip it (most options and feedback)
            return self.typeset(html.escape(text, quote=False))
        out = self.markdown(text, small=True)
        if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            out = out[3:-4]
        return self.sanitize(out)

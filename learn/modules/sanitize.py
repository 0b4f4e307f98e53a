"""The one HTML sanitiser of Parcours (nh3, a strict allowlist). Every piece of content HTML passes
through `sanitize_html` before it reaches a template."""

from __future__ import annotations

import re

import nh3

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TAGS = HEADINGS | {
    "p", "br", "hr", "strong", "b", "em", "code", "pre", "blockquote", "sub", "sup",
    "a", "img", "ul", "ol", "li", "dl", "dt", "dd", "div", "section",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
CLEAN_CONTENT_TAGS = {
    "script", "style", "template", "textarea", "title", "noscript", "iframe", "noembed",
    "noframes", "xmp", "plaintext", "object", "embed", "svg", "math", "select", "option",
}  # fmt: skip
ATTRIBUTES = {
    **{h: {"id"} for h in HEADINGS},
    "a": {"href", "title", "aria-describedby"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "dd": {"id"},
    "section": {"aria-labelledby"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
CLASSES = {
    "div": {"admonition", "note", "tip", "warning"},
    "p": {"admonition-title"},
    "a": {"gloss"},
    "img": {"pic"},
    "dl": {"glossary"},
    "section": {"part"},
}
URL_SCHEMES = {"http", "https", "mailto"}
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
GLOSS_RE = re.compile(r"^gloss-[a-z0-9][a-z0-9_-]*$")
CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")
# The one form of a pictogram (pictograms.py); any other <img> loses class, width and height.
IMG_RE = re.compile(r"<img\b[^>]*>")
IMG_ATTR_RE = re.compile(r'([a-z-]+)="([^"]*)"')
PICTOGRAM_SRC_RE = re.compile(r"^/static/pictos/[a-z0-9][a-z0-9-]*\.svg$")
PICTOGRAM_ATTRS = {"alt", "class", "height", "src", "width"}
PIC_ONLY_RE = re.compile(r'\s(?:class|width|height)="[^"]*"')


def _filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "id":
        pattern = GLOSS_RE if tag == "dd" else SLUG_RE
        return value if pattern.match(value) else None
    if attr == "aria-describedby":
        return value if GLOSS_RE.match(value) else None
    if attr == "aria-labelledby":
        return value if SLUG_RE.match(value) else None
    if attr in ("width", "height"):
        return value if value == "48" else None
    if attr in ("href", "src"):
        squeezed = CONTROL_RE.sub("", value).lower()
        if squeezed.startswith(("//", "\\", "/\\")):
            return None  # protocol-relative: another origin
        if ":" in squeezed.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
            scheme = squeezed.split(":", 1)[0]
            if scheme not in URL_SCHEMES:
                return None
    return value


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=CLEAN_CONTENT_TAGS,
    attributes=ATTRIBUTES,
    attribute_filter=_filter,
    strip_comments=True,
    link_rel="noopener noreferrer",
    url_schemes=URL_SCHEMES,
    allowed_classes=CLASSES,
)


def sanitize_html(html: str) -> str:
    """Sanitise an HTML fragment with the strict content allowlist (nh3)."""
    clean = _CLEANER.clean(html)
    return IMG_RE.sub(_one_img_form, clean) if "<img" in clean else clean


def _one_img_form(m: re.Match) -> str:
    tag = m.group(0)
    attrs = dict(IMG_ATTR_RE.findall(tag))
    pictogram = (
        set(attrs) == PICTOGRAM_ATTRS
        and attrs["class"] == "pic"
        and attrs["width"] == attrs["height"] == "48"
        and PICTOGRAM_SRC_RE.match(attrs["src"])
    )
    return tag if pictogram else PIC_ONLY_RE.sub("", tag)

"""Attack payloads for the content renderer, shared with the browser tests (`PAYLOADS`).

Each payload is one line, so it can go anywhere a content line goes (body, question, option,
feedback, glossary definition, workshop prompt...). `BODY_PAYLOADS` are multi-line and only make
sense in the body of a module. `unsafe_html(html)` lists what a sanitised fragment must not hold.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    '<img """><script>alert(1)</script>">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<body onload=alert(1)>",
    '<p onclick="alert(1)">x</p>',
    '<a href="x" onmouseover="alert(1)">x</a>',
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#14;javascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<form action="https://evil.example"><input name=x><button formaction="javascript:alert(1)">'
    "go</button></form>",
    "<isindex action=javascript:alert(1) type=image>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<textarea><script>alert(1)</script></textarea>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--<script>alert(1)//--></script>",
    '<a href="https://ok.example" target="_blank" style="color:red">x</a>',
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[clic](&#x6A;avascript:alert(1))",
    "[clic](java&#x09;script:alert(1))",
    "[clic](java&Tab;script:alert(1))",
    "[clic](<javascript:alert(1)>)",
    "[clic](vbscript:msgbox(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[clic](//evil.example/x)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    '![x](photo.png "a\\" onerror=\\"alert(1))',
    "<javascript:alert(1)>",
    '[lien](https://ok.example){: onclick="alert(1)" }',
    '[lien](https://ok.example){: style="position:fixed" }',
    '![image](photo.png){: onerror="alert(1)" }',
    '[lien](https://ok.example){: href="javascript:alert(1)" }',
    "[lien](https://ok.example){: #location .gloss-evil }",
    '[[x" onmouseover="alert(1)]]',
    '[[a|b" onclick="alert(1)]]',
    '[x](module:foo" onclick="alert(1))',
    "\\<script>alert(1)\\</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "**<img src=x onerror=alert(1)>**",
]

BODY_PAYLOADS = [
    'Paragraphe piégé.\n{: onclick="alert(1)" style="color:red" }',
    '## Titre {#x onclick="alert(1)"}',
    '## Titre {: #ok style="color:red" }',
    "[clic][x]\n\n[x]: javascript:alert(1)",
    '!!! note onclick="alert(1)"\n    Texte.',
    '!!! danger "<script>alert(1)</script>"\n    Texte.',
    "<div>\n<script>alert(1)</script>\n</div>",
    "    <script>alert(1)</script>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |",
]

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "input", "button",
    "textarea", "select", "meta", "base", "link", "body", "html", "video", "audio", "source",
    "isindex", "frame", "frameset", "noscript", "template",
}  # fmt: skip
BAD_SCHEME_RE = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("style", "formaction", "background", "xlink:href", "target"):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action") and value is not None:
                squeezed = CONTROL_RE.sub("", value)
                if BAD_SCHEME_RE.match(squeezed) or squeezed.startswith("//"):
                    self.found.append(f"{tag} {name}={value!r}")
            if name == "id" and tag not in {"h1", "h2", "h3", "h4", "h5", "h6", "dd"}:
                self.found.append(f"{tag} id=")

    handle_startendtag = handle_starttag


def unsafe_html(html: str) -> list[str]:
    """What is unsafe in an HTML fragment (empty when it is safe)."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    found = collector.found
    if re.search(r"<\s*script", html, re.IGNORECASE):
        found.append("<script")
    return found

"""At least 100 XSS payloads for free-text fields: the content renderer's corpus plus payloads
aimed at the contexts a template puts user text in (attributes, textarea, title, JSON, URLs)."""

from tests.modules.xss_corpus import BODY_PAYLOADS, PAYLOADS

CONTEXT_PAYLOADS = [
    '" autofocus onfocus="alert(1)" x="',
    "' autofocus onfocus='alert(1)' x='",
    '" onmouseover=alert(1) "',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "]]><script>alert(1)</script>",
    "{{7*7}}<script>alert(1)</script>",
    "{% raw %}<script>alert(1)</script>",
    "${alert(1)}",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "<a href=javascript&colon;alert(1)>x</a>",
    "<iframe srcdoc='<script>parent.alert(1)</script>'></iframe>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<keygen autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<base href=javascript:alert(1)//>",
    "<link rel=import href=data:text/html,<script>alert(1)</script>>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    '<div style="background:url(javascript:alert(1))">',
    "<table background=javascript:alert(1)>",
    "<img src=1 onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "<img src=1 onerror=\\u0061lert(1)>",
    '"><img src=1 onerror=alert(1)>',
    "'\"><svg/onload=alert(1)>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<x onclick=alert(1)>click",
    "\u2028<script>alert(1)</script>",
]

ALL_PAYLOADS = list(dict.fromkeys([*PAYLOADS, *BODY_PAYLOADS, *CONTEXT_PAYLOADS]))
assert len(ALL_PAYLOADS) >= 100, len(ALL_PAYLOADS)

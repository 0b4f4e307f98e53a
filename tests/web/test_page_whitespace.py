"""HTML pages are sent uncompressed (docs/operating.md): the whitespace the templates leave
between tags is squeezed (learn/web/templating.py), with what the page shows unchanged."""

from __future__ import annotations

import re

from learn.web.templating import squeeze_html


def test_whitespace_between_tags_becomes_one_line_break():
    page = "<ul>\n    \n  <li>a</li>\n\n      <li>b  c</li>  <li>d</li>\n</ul>"
    assert squeeze_html(page) == "<ul>\n<li>a</li>\n<li>b  c</li>  <li>d</li>\n</ul>"


def test_text_pre_and_textarea_are_kept():
    page = (
        "<p>one\n   two</p>\n   <pre>x\n\n   <b>y</b>\n   </pre>\n  "
        '<textarea name=t>\n\n   </textarea>\n  <p a="b\n  c">d</p>'
    )
    assert squeeze_html(page) == (
        "<p>one\n   two</p>\n<pre>x\n\n   <b>y</b>\n   </pre>\n"
        '<textarea name=t>\n\n   </textarea>\n<p a="b\n  c">d</p>'
    )


def test_pages_are_sent_squeezed(client):
    response = client.get("/sign-in")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<form" in page
    assert not re.search(r">[ \t\r\n]*\n[ \t\r\n]*\n", page)
    assert not re.search(r">\n[ \t]+<", page)
    assert int(response.headers["Content-Length"]) == len(response.get_data())

"""PDF files made on the server from an HTML page (WeasyPrint, which needs Pango: see .ci/run).
The page is rendered without its stylesheet links; the print stylesheet is given as a file on the
disk, and WeasyPrint may fetch nothing else (no network, no file outside)."""

from __future__ import annotations


def _refuse(url: str, *args, **kwargs):
    raise ValueError("no fetching while making a PDF")


def strict_image_decoding() -> None:
    """Pillow refuses a truncated image again. WeasyPrint, when imported, tells Pillow to accept
    them (ImageFile.LOAD_TRUNCATED_IMAGES, a process-wide setting); the evidence a learner sends
    must be refused when damaged (learn/services/evidence_files.py), and Parcours's PDFs embed no
    damaged image of their own."""
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False


def layout(html: str, stylesheet_path: str):
    """The HTML document laid out in pages (a weasyprint Document) with the stylesheet at
    `stylesheet_path`: what html_to_pdf writes, and what tests read the words of."""
    from weasyprint import CSS, HTML  # imported here: loading Pango takes a moment

    strict_image_decoding()

    return HTML(string=html, url_fetcher=_refuse).render(
        stylesheets=[CSS(filename=stylesheet_path, url_fetcher=_refuse)]
    )


def html_to_pdf(html: str, stylesheet_path: str) -> bytes:
    """The PDF of an HTML document laid out with the stylesheet at `stylesheet_path`."""
    return layout(html, stylesheet_path).write_pdf()

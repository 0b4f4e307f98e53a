"""The JSON-LD contexts Parcours ships, and a document loader that serves only them.

A verifier that fetched contexts over the network could be told a different meaning for the same
signed bytes (and would leak who checks which credential): the loader refuses every URL that is not
in `CONTEXTS`, with `ContextRefused`, and never opens a connection."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

CONTEXT_FOLDER = Path(__file__).parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CID_V1 = "https://www.w3.org/ns/cid/v1"

# URL -> the file of contexts/ that holds it (their origins: contexts/README.md).
CONTEXTS = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3P0: "ob-context-3.0.3.json",
    CID_V1: "cid-v1.jsonld",
}


class ContextRefused(Exception):
    """A document named a context that Parcours does not ship."""

    def __init__(self, url: str):
        super().__init__(f"unknown context: {url}")
        self.url = url


@cache
def _context_text(url: str) -> str:
    return (CONTEXT_FOLDER / CONTEXTS[url]).read_text(encoding="utf-8")


def shipped_context(url: str) -> dict:
    """The parsed context document for `url` (a fresh copy), or `ContextRefused`."""
    if not isinstance(url, str) or url not in CONTEXTS:
        raise ContextRefused(str(url))
    return json.loads(_context_text(url))


def document_loader(url: str, options: dict | None = None) -> dict:
    """PyLD's document loader: a shipped context as a remote document, anything else refused."""
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": shipped_context(url),
    }

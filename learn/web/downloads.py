"""Every file Parcours sends to download goes through `attachment`: one Content-Disposition that
keeps the name's accents for the browsers that read RFC 6266/5987 (`filename*=UTF-8''...`) and
gives the others a plain ASCII `filename=`."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Response

UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\\"<>:|?*]+")  # path parts, quotes, control characters
NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 100


def ascii_part(text: str) -> str:
    """The text in plain ASCII letters, digits and - . _ (accents dropped: é gives e)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return NOT_ASCII_SAFE.sub("-", folded).strip("-.")


def content_disposition(filename: str) -> str:
    """`attachment; filename="Fiche-eleve.csv"; filename*=UTF-8''Fiche-%C3%A9l%C3%A8ve.csv`
    (only `filename=` when the name is plain ASCII already)."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    suffix = "." + ascii_part(extension) if ascii_part(extension) else ""
    readable = UNSAFE.sub("-", unicodedata.normalize("NFC", stem)).strip(" .-")[:MAX_NAME]
    readable = (readable.strip(" .-") or "export") + suffix
    fallback = (ascii_part(readable[: len(readable) - len(suffix)]) or "export") + suffix
    header = f'attachment; filename="{fallback}"'
    if readable != fallback:
        header += f"; filename*=UTF-8''{quote(readable, safe='')}"
    return header


def attachment(data: bytes, filename: str, mimetype: str) -> Response:
    """A response that downloads `data` as `filename` (accents kept, see the module)."""
    content_type = mimetype + ("; charset=utf-8" if mimetype.startswith("text/") else "")
    return Response(
        data,
        headers={
            "Content-Disposition": content_disposition(filename),
            "Content-Type": content_type,
        },
    )

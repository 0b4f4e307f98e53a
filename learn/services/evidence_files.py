"""What a learner's phone sends as evidence, checked by its content, never by its name.

A photo is opened and fully decoded by Pillow (JPEG, PNG or WebP only), then drawn again into a
new JPEG of at most 1600 px on its long side: nothing of the file that came in is kept — no
EXIF (GPS, camera, date), no XMP, no ICC profile, no text chunk, and nothing appended after the
image (a ZIP or HTML glued to a JPEG is dropped with the rest). A voice note cannot be decoded
here (no codec library), so its container is recognised by its first bytes, from the small
table below of what phones record; it is served as a download, never as a page.

The `filetype` package does this sniffing too, but it has had no release since 2022 and does
not tell Ogg Opus from any Ogg, nor WebM from Matroska: the table is 40 lines we can test.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from learn.i18n import _
from learn.services.errors import Invalid
from learn.services.pdf import strict_image_decoding

PHOTO_MAX_BYTES = 8 * 1024 * 1024
AUDIO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_SIDE = 1600
# A phone's camera makes 12 to 50 megapixels; past this a small file is a decompression bomb.
# A JPEG is decoded at a reduced scale (draft), a PNG or a WebP whole: 25 MP of RGBA is 100 MB
# in memory, before the copies that flatten and turn it.
PHOTO_MAX_PIXELS = {"JPEG": 50_000_000, "PNG": 25_000_000, "WEBP": 25_000_000}
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 85


@dataclass(frozen=True)
class CheckedFile:
    """A file fit to store: its bytes (re-encoded for a photo), type and file extension."""

    data: bytes
    content_type: str
    extension: str
    width: int | None = None
    height: int | None = None


def megabytes(size: int) -> int:
    """A byte count in whole megabytes, as the page says the limits."""
    return size // (1024 * 1024)


# --- photos -------------------------------------------------------------------------------------


def _photo_refused() -> str:
    return _(
        "This file is not a photo we can read. Send a photo in JPEG, PNG or WebP (the usual "
        "formats of a phone's camera)."
    )


def _too_many_pixels() -> str:
    return _("This image has too many pixels to be a photo. Send another.")


def check_photo(data: bytes) -> CheckedFile:
    """The photo re-encoded as a JPEG without any metadata, or Invalid saying why not."""
    if len(data) > PHOTO_MAX_BYTES:
        raise Invalid(
            _(
                "This photo is too large (more than %(n)d MB). Take it again in a lower "
                "resolution, or send a smaller copy.",
                n=megabytes(PHOTO_MAX_BYTES),
            )
        )
    if not data:
        raise Invalid(_("The file is empty."))
    strict_image_decoding()  # in case a PDF library relaxed it in this process
    try:
        with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as image:
            width, height = image.size
            most = PHOTO_MAX_PIXELS.get(image.format, 0)
            if width * height > min(most, Image.MAX_IMAGE_PIXELS or most):
                raise Invalid(_too_many_pixels())
            # A JPEG decodes straight at half, quarter... size when that is still over 1600 px
            # (about 3 times faster for a 12 MP photo); every byte is still read.
            ratio = PHOTO_MAX_SIDE / max(width, height, 1)
            image.draft("RGB", (round(width * ratio), round(height * ratio)))
            image.load()  # decodes every byte: a truncated or damaged file fails here
            # The phone's orientation is in the EXIF that is about to go: apply it first.
            upright = ImageOps.exif_transpose(image)
            clean = _flatten(upright)
    except Invalid:
        raise
    except Image.DecompressionBombError:
        raise Invalid(_too_many_pixels()) from None
    except Exception:  # noqa: BLE001  (whatever a damaged file makes a decoder raise: refused)
        raise Invalid(_photo_refused()) from None
    clean.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
    # A new image from the pixels alone: no `info` (ICC, XMP, comments) rides along.
    bare = Image.frombytes("RGB", clean.size, clean.tobytes())
    out = io.BytesIO()
    bare.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return CheckedFile(out.getvalue(), "image/jpeg", "jpg", bare.width, bare.height)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels; a transparent PNG or WebP is laid on white (a JPEG has no transparency)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


# --- voice notes --------------------------------------------------------------------------------

# ISO base media (MP4/M4A/3GP) major brands that phones' recorders and browsers write.
MP4_BRANDS = frozenset(
    {b"M4A ", b"M4B ", b"mp42", b"mp41", b"isom", b"iso2", b"iso5", b"iso6", b"dash"}
    | {b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"MSNV", b"qt  "}
)
MP3_BITRATES_INVALID = (0x0, 0xF)


def _ogg_codec(data: bytes) -> bool:
    """An Ogg page whose first packet is an Opus or a Vorbis header."""
    if not data.startswith(b"OggS") or len(data) < 28:
        return False
    first_packet = 27 + data[26]
    return data[first_packet:].startswith((b"OpusHead", b"\x01vorbis"))


def _ebml_doctype(data: bytes) -> bool:
    """An EBML header (WebM or Matroska) naming its document type near the start."""
    head = data[:64]
    return data.startswith(b"\x1a\x45\xdf\xa3") and (b"webm" in head or b"matroska" in head)


def _mp4(data: bytes) -> bool:
    size = int.from_bytes(data[0:4], "big")
    return data[4:8] == b"ftyp" and 8 <= size <= 4096 and data[8:12] in MP4_BRANDS


def _mp3(data: bytes) -> bool:
    if data.startswith(b"ID3") and len(data) > 10 and data[3] in (2, 3, 4):
        return True
    if len(data) < 4 or data[0] != 0xFF or (data[1] & 0xE0) != 0xE0:
        return False
    layer = (data[1] >> 1) & 0b11
    version = (data[1] >> 3) & 0b11
    bitrate = data[2] >> 4
    rate = (data[2] >> 2) & 0b11
    return layer == 0b01 and version != 0b01 and bitrate not in MP3_BITRATES_INVALID and rate != 3


# (test, content type, extension), tried in order.
AUDIO_CONTAINERS = (
    (_mp4, "audio/mp4", "m4a"),
    (_ogg_codec, "audio/ogg", "ogg"),
    (_ebml_doctype, "audio/webm", "webm"),
    (_mp3, "audio/mpeg", "mp3"),
)


def sniff_audio(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a voice note by its first bytes, or None."""
    for test, content_type, extension in AUDIO_CONTAINERS:
        if test(data):
            return content_type, extension
    return None


def check_audio(data: bytes) -> CheckedFile:
    """The voice note as sent, if its container is one phones record; else Invalid."""
    if len(data) > AUDIO_MAX_BYTES:
        raise Invalid(
            _(
                "This voice note is too long (more than %(n)d MB). Record a shorter one, "
                "about 3 minutes at most.",
                n=megabytes(AUDIO_MAX_BYTES),
            )
        )
    if not data:
        raise Invalid(_("The file is empty."))
    found = sniff_audio(data)
    if found is None:
        raise Invalid(
            _(
                "This file is not a voice note we can play. Record it with your phone's "
                "recorder (M4A, AAC, Ogg, Opus, WebM or MP3)."
            )
        )
    return CheckedFile(data, *found)

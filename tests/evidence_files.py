"""Small files for the evidence tests, made in code: photos by Pillow, voice-note headers by
hand (the first bytes each container starts with), and the bad files the checks refuse."""

from __future__ import annotations

import io

from PIL import Image


def photo(fmt: str = "JPEG", size=(64, 48), mode: str = "RGB", **save) -> bytes:
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None)
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def photo_with_gps(size=(2400, 1800)) -> bytes:
    """A JPEG whose EXIF holds a GPS position, a camera and a comment, as a phone writes it."""
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel 12"  # Model
    exif[0x0132] = "2026:12:07 10:00:00"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (48.0, 51.0, 24.0)
    gps[3] = "E"
    gps[4] = (2.0, 21.0, 7.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"secret comment", icc_profile=b"\0" * 128)
    return out.getvalue()


def ogg_opus() -> bytes:
    """The first Ogg page of an Opus stream: page header, one segment, the OpusHead packet."""
    packet = (
        b"OpusHead"
        + bytes([1, 1])
        + (312).to_bytes(2, "little")
        + (48000).to_bytes(4, "little")
        + b"\0\0\0"
    )
    header = (
        b"OggS\x00\x02"
        + b"\0" * 8
        + b"\x01\0\0\0"
        + b"\0\0\0\0"
        + b"\0\0\0\0"
        + bytes([1, len(packet)])
    )
    return header + packet + b"\0" * 200


def ogg_vorbis() -> bytes:
    packet = b"\x01vorbis" + b"\0" * 22
    header = (
        b"OggS\x00\x02"
        + b"\0" * 8
        + b"\x01\0\0\0"
        + b"\0\0\0\0"
        + b"\0\0\0\0"
        + bytes([1, len(packet)])
    )
    return header + packet + b"\0" * 200


def m4a() -> bytes:
    """An ISO base media file: an ftyp box of brand M4A, then the start of its moov box."""
    ftyp = (28).to_bytes(4, "big") + b"ftypM4A " + b"\0\0\0\0" + b"M4A mp42isom"
    return ftyp + (16).to_bytes(4, "big") + b"moov" + b"\0" * 200


def webm() -> bytes:
    """An EBML header naming the webm document type (as Chrome's MediaRecorder writes)."""
    return (
        bytes.fromhex("1a45dfa3")
        + b"\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm"
        + b"\0" * 200
    )


def mp3() -> bytes:
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\0" * 200


def renamed_executable() -> bytes:
    return (
        b"MZ\x90\x00\x03\x00\x00\x00"
        + b"\0" * 56
        + b"This program cannot be run in DOS mode."
        + b"\0" * 200
    )


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\0" * 300


def html() -> bytes:
    return b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def truncated_jpeg() -> bytes:
    data = photo("JPEG", size=(400, 300), quality=95)
    return data[: len(data) // 2]


def jpeg_with_zip() -> bytes:
    """A polyglot: a valid JPEG with a ZIP archive (holding an HTML page) glued after it."""
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("index.html", html())
    return photo("JPEG") + archive.getvalue()


def png_bomb() -> bytes:
    """A small PNG that would decode to 81 million pixels."""
    image = Image.new("1", (9000, 9000))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()

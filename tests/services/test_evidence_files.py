"""Evidence files are checked by their content: photos decoded and re-encoded without any
metadata, voice notes recognised by their container's first bytes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from learn.services import evidence_files as checks
from learn.services.errors import Invalid
from tests import evidence_files as make


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_each_photo_format_is_accepted_and_stored_as_a_jpeg(fmt):
    checked = checks.check_photo(make.photo(fmt))
    assert checked.content_type == "image/jpeg"
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert stored.format == "JPEG" and stored.size == (64, 48)


def test_a_transparent_png_is_laid_on_white():
    checked = checks.check_photo(make.photo("PNG", mode="RGBA"))
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert stored.mode == "RGB"
        assert min(stored.getpixel((10, 10))) > 240


def test_gps_exif_and_every_other_metadata_are_removed_and_the_photo_shrunk():
    sent = make.photo_with_gps()
    with Image.open(io.BytesIO(sent)) as original:
        assert original.getexif().get_ifd(0x8825)  # the test photo does carry a position
    checked = checks.check_photo(sent)
    assert (checked.width, checked.height) == (1600, 1200)
    for marker in (
        b"Exif",
        b"PhoneMaker",
        b"GPS",
        b"secret comment",
        b"ICC_PROFILE",
        b"http://ns.adobe",
    ):
        assert marker not in checked.data, marker
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert not stored.getexif()
        assert "icc_profile" not in stored.info and "exif" not in stored.info
        assert "comment" not in stored.info


def test_the_phones_orientation_is_applied_before_the_exif_goes():
    image = Image.new("RGB", (80, 40), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: the stored pixels are landscape, the photo portrait
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    checked = checks.check_photo(out.getvalue())
    assert (checked.width, checked.height) == (40, 80)


@pytest.mark.parametrize(
    "bad",
    [
        make.truncated_jpeg,
        make.html,
        make.renamed_executable,
        make.elf,
        make.png_bomb,
        make.ogg_opus,
    ],
)
def test_what_is_not_a_whole_photo_is_refused(bad):
    with pytest.raises(Invalid):
        checks.check_photo(bad())


def test_a_gif_is_not_one_of_the_formats():
    with pytest.raises(Invalid):
        checks.check_photo(make.photo("GIF"))


def test_a_photo_over_the_limit_is_refused_before_it_is_opened():
    with pytest.raises(Invalid, match="8 MB"):
        checks.check_photo(b"\xff\xd8" + b"\0" * checks.PHOTO_MAX_BYTES)


def test_a_polyglot_loses_what_was_glued_after_the_image():
    sent = make.jpeg_with_zip()
    assert b"PK\x05\x06" in sent and b"index.html" in sent
    stored = checks.check_photo(sent).data
    assert b"PK\x05\x06" not in stored and b"index.html" not in stored and b"<script" not in stored


@pytest.mark.parametrize(
    ("make_audio", "content_type"),
    [
        (make.m4a, "audio/mp4"),
        (make.ogg_opus, "audio/ogg"),
        (make.ogg_vorbis, "audio/ogg"),
        (make.webm, "audio/webm"),
        (make.mp3, "audio/mpeg"),
    ],
)
def test_each_voice_note_container_is_recognised_and_kept_as_sent(make_audio, content_type):
    sent = make_audio()
    checked = checks.check_audio(sent)
    assert checked.content_type == content_type and checked.data == sent


@pytest.mark.parametrize(
    "bad",
    [
        make.renamed_executable,
        make.elf,
        make.html,
        lambda: make.photo("JPEG"),
        lambda: b"OggS" + b"\0" * 100,  # an Ogg page carrying neither Opus nor Vorbis
        lambda: bytes.fromhex("1a45dfa3") + b"\0" * 100,  # EBML, but no webm document
        lambda: b"\0\0\0\x18ftypheic" + b"\0" * 100,  # an ISO file of an unknown brand
        lambda: b"",
    ],
)
def test_what_is_not_a_voice_note_is_refused(bad):
    with pytest.raises(Invalid):
        checks.check_audio(bad())


def test_a_voice_note_over_the_limit_is_refused():
    with pytest.raises(Invalid, match="5 MB"):
        checks.check_audio(make.m4a() + b"\0" * checks.AUDIO_MAX_BYTES)


def test_a_png_is_held_to_fewer_pixels_than_a_jpeg():
    """A PNG is decoded whole (no reduced scale as for a JPEG): 30 MP of it is refused."""
    image = Image.new("1", (6000, 5000))
    out = io.BytesIO()
    image.save(out, "PNG")
    with pytest.raises(Invalid, match="pixels"):
        checks.check_photo(out.getvalue())


def test_whatever_a_damaged_file_makes_the_decoder_raise_is_a_refusal(monkeypatch):
    def broken(image):
        raise KeyError("a malformed EXIF orientation")

    monkeypatch.setattr(checks.ImageOps, "exif_transpose", broken)
    with pytest.raises(Invalid, match="not a photo"):
        checks.check_photo(make.photo())


def test_a_truncated_photo_is_refused_even_after_a_pdf_was_made():
    """WeasyPrint tells Pillow, process-wide, to accept truncated images when it is imported; a
    PDF made before (a certificate, an attestation) must not let a damaged photo in."""
    from PIL import ImageFile

    from learn.services import pdf

    stylesheet = Path(__file__).resolve().parents[2] / "static" / "css" / "document.css"
    pdf.layout("<p>Attestation</p>", str(stylesheet))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as another library could leave it
    with pytest.raises(Invalid):
        checks.check_photo(make.truncated_jpeg())
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False

"""W3C Bitstring Status List v1.0: a revocation list as a compressed string of bits.

Bit i of the list (counting from the left-most bit of the first byte) is 1 when the credential that
holds index i is revoked. The list is GZIP-compressed, then base64url without padding, prefixed by
the multibase 'u'. 131,072 bits (16 KiB) is the specification's minimum size, so that one index
says little about who holds it."""

from __future__ import annotations

import base64
import gzip
import zlib
from collections.abc import Iterable

from learn.credentials.loader import VC_V2

LIST_BITS = 131_072
PURPOSE = "revocation"


class BadStatusList(ValueError):
    """A status list or entry that cannot be read."""


def encode_list(set_bits: Iterable[int], size: int = LIST_BITS) -> str:
    """The encodedList of a list of `size` bits with `set_bits` set."""
    bits = bytearray(size // 8)
    for index in set_bits:
        if not 0 <= index < size:
            raise BadStatusList(f"index {index} outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def bit_is_set(encoded_list: str, index: int) -> bool:
    """Whether bit `index` of an encodedList is 1 (`BadStatusList` if it cannot be read)."""
    if not isinstance(encoded_list, str) or not encoded_list.startswith("u"):
        raise BadStatusList("the list is not multibase base64url")
    body = encoded_list[1:]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        # Bounded: a hostile list must not inflate without limit (16 MiB is 128 times the minimum).
        inflater = zlib.decompressobj(wbits=31)
        bits = inflater.decompress(packed, 16 * 1024 * 1024)
    except (ValueError, zlib.error) as exc:
        raise BadStatusList("the list cannot be decompressed") from exc
    if not 0 <= index < len(bits) * 8:
        raise BadStatusList("the index is outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_entry(list_url: str, index: int) -> dict:
    """The credentialStatus a credential carries for bit `index` of the list at `list_url`."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def read_entry(credential: dict) -> tuple[str, int] | None:
    """(list URL, index) of a credential's revocation entry; None if it has none."""
    status = credential.get("credentialStatus")
    entries = status if isinstance(status, list) else [status] if status else []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            continue
        if entry.get("statusPurpose") != PURPOSE:
            continue
        url, index = entry.get("statusListCredential"), entry.get("statusListIndex")
        if not isinstance(url, str) or not isinstance(index, str) or not index.isdigit():
            raise BadStatusList("the status entry is malformed")
        return url, int(index)
    return None


def list_credential(list_url: str, issuer: dict | str, encoded_list: str, valid_from: str) -> dict:
    """The unsigned BitstringStatusListCredential for a list."""
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encoded_list,
        },
    }

"""Ed25519 public keys as Multikeys: multibase base58-btc ('z') of the multicodec 0xed01 + key."""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519_PUB_PREFIX = b"\xed\x01"


class BadMultibase(ValueError):
    """A string that is not a base58-btc multibase value of the expected kind."""


def encode_base58btc(data: bytes) -> str:
    """Multibase base58-btc: 'z' then the Bitcoin base58 alphabet."""
    return "z" + base58.b58encode(data).decode("ascii")


def decode_base58btc(value: str) -> bytes:
    """The bytes of a 'z...' multibase value, or `BadMultibase`."""
    if not isinstance(value, str) or not value.startswith("z") or len(value) < 2:
        raise BadMultibase("not a base58-btc multibase value")
    try:
        return base58.b58decode(value[1:].encode("ascii"))
    except ValueError as exc:
        raise BadMultibase("not a base58-btc multibase value") from exc


def public_key_multibase(key: Ed25519PublicKey) -> str:
    """`key` as a Multikey's publicKeyMultibase (z6Mk...)."""
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return encode_base58btc(ED25519_PUB_PREFIX + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """The Ed25519 key of a publicKeyMultibase, or `BadMultibase`."""
    data = decode_base58btc(value)
    if len(data) != 34 or not data.startswith(ED25519_PUB_PREFIX):
        raise BadMultibase("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(data[2:])

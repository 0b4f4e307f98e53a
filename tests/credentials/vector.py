"""The 1EdTech Open Badges 3.0 signed example (tests/fixtures/ob3/README.md)."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from learn.config import PROJECT_ROOT

FOLDER = PROJECT_ROOT / "tests" / "fixtures" / "ob3"
VECTOR = FOLDER / "teamwork-vector.json"
TAMPERED = FOLDER / "teamwork-vector-tampered.json"
PUBLIC_HEX = "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"
SEED_HEX = "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4"
MULTIKEY = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
METHOD = f"https://example.edu/issuers/565049#{MULTIKEY}"
CREATED = "2010-01-01T19:23:24Z"


def load(path=VECTOR) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def public_key() -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(PUBLIC_HEX))


def private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(SEED_HEX))


def vector_key(method: str) -> Ed25519PublicKey | None:
    return public_key() if method == METHOD else None

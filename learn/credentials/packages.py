"""Signed export files: a learner's record (or passport) carried from one Parcours to another.

The file is a JSON object: its `format`, the issuing organisation's public `issuer` profile
(with its Multikeys), the `package` (the credentials as issued, the grid, a progress summary,
the status lists that say which credentials are revoked) and a detached Ed25519 `signature` by
the organisation's current key, over the canonical JSON (sorted keys, no spaces, UTF-8) of the
whole object without the signature's value. Verification is offline: the key is the one the
embedded profile publishes for the method the signature names; the person importing confirms
whose profile it is. Every credential inside is then checked as any verifier would."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from learn.credentials import integrity, multikey, statuslist, verification

FILE_FORMAT = "parcours-export/1"
SIGNATURE_TYPE = "Ed25519Signature2026"
KINDS = ("record", "passport")


class PackageError(Exception):
    """Why a file is refused: `code` for programs (unsigned, malformed, unknown-key,
    bad-signature, wrong-issuer)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


def canonical_bytes(document: dict) -> bytes:
    """The bytes signed: `document` without the signature's value, keys sorted, no spaces."""
    unsigned = copy.deepcopy(document)
    if isinstance(unsigned.get("signature"), dict):
        unsigned["signature"].pop("signatureValue", None)
    try:
        text = json.dumps(
            unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError):
        raise PackageError("malformed", "not plain JSON") from None
    return text.encode("utf-8")


def sign_file(
    kind: str,
    profile: dict,
    package: dict,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
) -> dict:
    """The export file of `package`, signed by `private_key` (named by `verification_method`,
    one of `profile`'s)."""
    if kind not in KINDS:
        raise PackageError("malformed", "an unknown kind of file")
    document = {
        "format": FILE_FORMAT,
        "kind": kind,
        "created": created,
        "issuer": profile,
        "package": package,
        "signature": {"type": SIGNATURE_TYPE, "verificationMethod": verification_method},
    }
    value = private_key.sign(canonical_bytes(document))
    document["signature"]["signatureValue"] = multikey.encode_base58btc(value)
    return document


def profile_keys(profile: dict) -> Callable[[str], Ed25519PublicKey | None]:
    """The keys an issuer profile publishes for assertions, by verification method id."""
    issuer_id = profile.get("id") if isinstance(profile, dict) else None
    methods = profile.get("verificationMethod") if isinstance(profile, dict) else None
    assertion = profile.get("assertionMethod") if isinstance(profile, dict) else None
    keys: dict[str, Ed25519PublicKey] = {}
    if isinstance(issuer_id, str) and isinstance(methods, list) and isinstance(assertion, list):
        for method in methods:
            if not isinstance(method, dict):
                continue
            method_id = method.get("id")
            if (
                method.get("type") != "Multikey"
                or method.get("controller") != issuer_id
                or not isinstance(method_id, str)
                or method_id.partition("#")[0] != issuer_id
                or method_id not in assertion
            ):
                continue
            try:
                keys[method_id] = multikey.public_key_from_multibase(
                    method.get("publicKeyMultibase")
                )
            except multikey.BadMultibase:
                continue
    return keys.get


def verify_file(document) -> dict:
    """Check a file's shape and signature; return its issuer profile, else `PackageError`."""
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise PackageError("malformed", "not a Parcours export file")
    if document.get("kind") not in KINDS or not isinstance(document.get("package"), dict):
        raise PackageError("malformed", "not a Parcours export file")
    profile = document.get("issuer")
    if not isinstance(profile, dict) or not isinstance(profile.get("id"), str):
        raise PackageError("malformed", "the file names no issuer")
    signature = document.get("signature")
    if not isinstance(signature, dict) or not signature.get("signatureValue"):
        raise PackageError("unsigned", "the file is not signed")
    if signature.get("type") != SIGNATURE_TYPE:
        raise PackageError("malformed", "an unknown kind of signature")
    method = signature.get("verificationMethod")
    key = profile_keys(profile)(method) if isinstance(method, str) else None
    if key is None:
        raise PackageError("unknown-key", "the key is not on the issuer's profile in the file")
    try:
        value = multikey.decode_base58btc(signature["signatureValue"])
        key.verify(value, canonical_bytes(document))
    except (multikey.BadMultibase, InvalidSignature):
        raise PackageError("bad-signature", "the file was changed after signing") from None
    return profile


def status_from_file(
    package: dict, key_for: Callable[[str], Ed25519PublicKey | None]
) -> Callable[[str, int], bool | None]:
    """Revocation read from the status lists carried in the file (None when the list is not
    there: the status is then said to be unchecked, not guessed)."""
    lists = {
        item.get("id"): item
        for item in package.get("statusLists") or []
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }

    def status_for(url: str, index: int) -> bool | None:
        found = lists.get(url)
        if found is None:
            return None
        try:
            return verification.status_from_list(found, url, index, key_for)
        except (integrity.ProofError, statuslist.BadStatusList):
            return None

    return status_for


def check_credentials(document: dict) -> list[tuple[dict, verification.Verdict]]:
    """Each credential in a verified file, with its verdict: signed by a key of the file's
    issuer, its revocation read from the lists the file carries."""
    profile = document["issuer"]
    key_for = profile_keys(profile)
    package = document["package"]
    status_for = status_from_file(package, key_for)
    found = []
    for credential in package.get("credentials") or []:
        verdict = verification.check(credential, key_for, status_for)
        if verdict.valid and verification.issuer_id(credential) != profile["id"]:
            verdict = verification.Verdict("wrong-issuer", str(verification.issuer_id(credential)))
        found.append((credential, verdict))
    return found

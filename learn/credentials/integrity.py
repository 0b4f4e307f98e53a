"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C vc-di-eddsa, section 3.3).

Signing: the proof configuration (the proof without its value, under the document's @context) and
the document without its proof are each canonicalised with RDFC-1.0 (URDNA2015) into N-Quads; the
data signed with Ed25519 is SHA-256(canonical proof configuration) followed by SHA-256(canonical
document); the proofValue is the signature in multibase base58-btc. Verifying repeats the same
steps and checks the signature. Canonicalisation runs in "safe mode": a property that no context
defines would be dropped from the signed graph, so it is refused instead, and contexts come only
from the shipped ones (`loader`)."""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime

from cachetools import LRUCache
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyld.context_resolver import ContextResolver
from pyld.jsonld import JsonLdError, JsonLdProcessor

from learn.credentials.loader import ContextRefused, document_loader
from learn.credentials.multikey import BadMultibase, decode_base58btc, encode_base58btc

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
ASSERTION = "assertionMethod"
# XML Schema dateTime as the VC data model writes it (a time zone is required here).
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")

# Resolved contexts, shared by every canonicalisation: only the shipped contexts ever enter it.
_resolved_contexts = LRUCache(maxsize=16)


class ProofError(Exception):
    """Why a proof cannot be made or does not verify: `code` for programs, the text for people.

    Codes: malformed, unknown-context, undefined-term, unsupported-proof, unknown-key,
    bad-signature."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


class _DroppedTerm(Exception):
    pass


def _refuse_dropped(expanded_property) -> None:
    raise _DroppedTerm(str(expanded_property))


def _cause_of(error: BaseException, kind: type[BaseException]) -> BaseException | None:
    seen = error
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def canonicalize(document: dict) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document, contexts loaded locally only."""
    processor = JsonLdProcessor(on_property_dropped=_refuse_dropped)
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": document_loader,
        "contextResolver": ContextResolver(_resolved_contexts, document_loader),
        "base": None,
    }
    try:
        return processor.normalize(document, options)
    except (JsonLdError, _DroppedTerm, ContextRefused, TypeError, ValueError) as exc:
        refused = _cause_of(exc, ContextRefused)
        if refused is not None:
            raise ProofError("unknown-context", str(refused)) from None
        if _cause_of(exc, _DroppedTerm) is not None:
            raise ProofError("undefined-term", "a property that no context defines") from None
        raise ProofError("malformed", "not a JSON-LD document Parcours can read") from None


def _hash_data(unsecured: dict, proof_config: dict) -> bytes:
    config_hash = hashlib.sha256(canonicalize(proof_config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured).encode("utf-8")).digest()
    return config_hash + document_hash


def _check_proof_options(options: dict) -> None:
    if options.get("type") != PROOF_TYPE or options.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("unsupported-proof", f"only {PROOF_TYPE} with {CRYPTOSUITE}")
    created = options.get("created")
    if created is not None and not (isinstance(created, str) and DATETIME.match(created)):
        raise ProofError("malformed", "the proof's created date is not a date and time")
    if not isinstance(options.get("verificationMethod"), str):
        raise ProofError("malformed", "the proof names no verification method")
    if not isinstance(options.get("proofPurpose"), str):
        raise ProofError("malformed", "the proof names no purpose")


def utc_timestamp(moment: datetime) -> str:
    """`moment` as the XML Schema dateTime the proofs and credentials carry (seconds, Z)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(
    document: dict,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime | str | None = None,
) -> dict:
    """A copy of `document` with an eddsa-rdfc-2022 proof for the assertion purpose."""
    if not isinstance(document, dict) or "proof" in document:
        raise ProofError("malformed", "sign a JSON object that has no proof yet")
    if created is None:
        created = datetime.now(UTC)
    if isinstance(created, datetime):
        created = utc_timestamp(created)
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": ASSERTION,
    }
    _check_proof_options(options)
    unsecured = copy.deepcopy(document)
    proof_config = dict(options)
    if "@context" in unsecured:
        proof_config["@context"] = unsecured["@context"]
    signature = private_key.sign(_hash_data(unsecured, proof_config))
    unsecured["proof"] = {**options, "proofValue": encode_base58btc(signature)}
    return unsecured


def the_proof(document: dict) -> dict:
    """The one proof of a secured document, or `ProofError` (none, several, not an object)."""
    if not isinstance(document, dict):
        raise ProofError("malformed", "a credential is a JSON object")
    proof = document.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if proof is None:
        raise ProofError("malformed", "the credential has no proof")
    if not isinstance(proof, dict):
        raise ProofError("malformed", "Parcours checks credentials with exactly one proof")
    return proof


def verify(
    document: dict,
    key_for: Callable[[str], Ed25519PublicKey | None],
) -> dict:
    """Check `document`'s proof; return the proof (without error) or raise `ProofError`.

    `key_for(verification_method)` gives the public key the verifier trusts for that method, or
    None when it knows none (the proof is then refused as signed by an unknown key)."""
    proof = the_proof(document)
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    _check_proof_options(options)
    if options["proofPurpose"] != ASSERTION:
        raise ProofError("unsupported-proof", "the proof is not for the assertion purpose")
    try:
        signature = decode_base58btc(proof.get("proofValue"))
    except BadMultibase:
        raise ProofError("malformed", "the proof value is not base58-btc") from None
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    if "@context" in options:
        # vc-data-integrity 4.5: the document's contexts must begin with the proof's.
        wanted = (
            options["@context"] if isinstance(options["@context"], list) else [options["@context"]]
        )
        have = unsecured.get("@context")
        have = have if isinstance(have, list) else [have]
        if have[: len(wanted)] != wanted:
            raise ProofError("malformed", "the proof's contexts do not begin the document's")
        unsecured["@context"] = options["@context"]
    elif "@context" in unsecured:
        options["@context"] = unsecured["@context"]
    key = key_for(options["verificationMethod"])
    if key is None:
        raise ProofError("unknown-key", options["verificationMethod"])
    try:
        key.verify(signature, _hash_data(unsecured, options))
    except InvalidSignature:
        raise ProofError("bad-signature") from None
    return proof

"""Whether a credential holds: its proof, its dates, its revocation status, in one verdict.

Where the keys and the status lists come from is the caller's: `key_for` gives the public key it
trusts for a verification method, `status_for` says whether a status entry is revoked (True),
active (False) or cannot be checked here (None: said plainly, not counted as a failure)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from learn.credentials import integrity, statuslist
from learn.credentials.loader import VC_V2
from learn.i18n import _l

# The failures, in the order they are checked; "valid" is success.
FAILURES = (
    "malformed",
    "unknown-context",
    "undefined-term",
    "unsupported-proof",
    "unknown-key",
    "wrong-issuer",
    "bad-signature",
    "not-yet-valid",
    "expired",
    "revoked",
)


# What each verdict means, for a person (the CLI, the public page).
REASONS = {
    "valid": _l("The signature is valid."),
    "malformed": _l("This is not a credential that can be checked"),
    "unknown-context": _l("The credential names a JSON-LD context that is not known here"),
    "undefined-term": _l("The credential contains a property that no context defines"),
    "unsupported-proof": _l("The proof is not an eddsa-rdfc-2022 Data Integrity proof"),
    "unknown-key": _l("The issuer's key is not known here"),
    "wrong-issuer": _l("The credential is not signed with a key of the issuer it names"),
    "bad-signature": _l("The signature does not match: the credential was changed after signing"),
    "not-yet-valid": _l("The credential is not valid yet"),
    "expired": _l("The credential has expired"),
    "revoked": _l("The issuer has revoked this credential"),
}
STATUSES = {
    "none": _l("The credential has no revocation status."),
    "active": _l("It has not been revoked."),
    "unchecked": _l("Its revocation status could not be checked offline (the list is at %(url)s)."),
    "revoked": _l("The issuer has revoked it."),
}


@dataclass(frozen=True)
class Verdict:
    """`code` is "valid" or one of FAILURES; `status` is "active", "revoked", "unchecked" or
    "none" (the credential has no status entry)."""

    code: str
    detail: str = ""
    status: str = "none"
    status_detail: str = ""

    @property
    def valid(self) -> bool:
        return self.code == "valid"

    def reason(self) -> str:
        """What the verdict means, in the current language, with its detail."""
        text = str(REASONS[self.code])
        return f"{text}: {self.detail}" if self.detail and not self.valid else text

    def status_text(self) -> str:
        """What is known of the revocation status, in the current language."""
        return str(STATUSES[self.status]).replace("%(url)s", self.status_detail)


def parse_datetime(value) -> datetime | None:
    """An XML Schema dateTime with its time zone, as an aware datetime; None if it is not one."""
    if not isinstance(value, str) or not integrity.DATETIME.match(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def load_json(text: str | bytes) -> dict | None:
    """A JSON object from text, or None when the text is not one."""
    try:
        found = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return found if isinstance(found, dict) else None


def _shape_error(credential: dict) -> str | None:
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or not contexts or contexts[0] != VC_V2:
        return "the first context is not the W3C credentials v2 context"
    types = credential.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        return "not a VerifiableCredential"
    if not credential.get("issuer") or not isinstance(credential.get("credentialSubject"), dict):
        return "an issuer and a credential subject are required"
    for field in ("validFrom", "validUntil"):
        if field in credential and parse_datetime(credential[field]) is None:
            return f"{field} is not a date and time"
    return None


def issuer_id(document: dict) -> str | None:
    """The id of a credential's issuer (a URL, or an object with an id)."""
    issuer = document.get("issuer")
    found = issuer.get("id") if isinstance(issuer, dict) else issuer
    return found if isinstance(found, str) else None


def _check_controller(document: dict) -> None:
    """The key that signed must be the issuer's: its verification method is the issuer's id
    with a fragment (as the issuer's profile publishes it), else anyone with a key could sign
    in another issuer's name."""
    method = integrity.the_proof(document).get("verificationMethod")
    if not isinstance(method, str) or method.partition("#")[0] != issuer_id(document):
        raise integrity.ProofError("wrong-issuer", str(method))


def status_from_list(
    list_credential: dict,
    list_url: str,
    index: int,
    key_for: Callable[[str], Ed25519PublicKey | None],
) -> bool:
    """Whether bit `index` is set in a signed status list credential, after checking that the
    list is the one named (`list_url`) and that its proof verifies (else `ProofError` or
    `BadStatusList`)."""
    if not isinstance(list_credential, dict) or list_credential.get("id") != list_url:
        raise statuslist.BadStatusList("this is not the status list the credential names")
    _check_controller(list_credential)
    integrity.verify(list_credential, key_for)
    subject = list_credential.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("statusPurpose") != statuslist.PURPOSE:
        raise statuslist.BadStatusList("the status list is not a revocation list")
    return statuslist.bit_is_set(subject.get("encodedList"), index)


def check(
    credential: dict,
    key_for: Callable[[str], Ed25519PublicKey | None],
    status_for: Callable[[str, int], bool | None] | None = None,
    now: datetime | None = None,
) -> Verdict:
    """The verdict on `credential` (a parsed JSON object)."""
    if not isinstance(credential, dict):
        return Verdict("malformed", "a credential is a JSON object")
    problem = _shape_error(credential)
    if problem:
        return Verdict("malformed", problem)
    try:
        _check_controller(credential)
        integrity.verify(credential, key_for)
    except integrity.ProofError as error:
        return Verdict(error.code, error.detail)
    now = now or datetime.now(UTC)
    valid_from = parse_datetime(credential.get("validFrom"))
    if valid_from and now < valid_from:
        return Verdict("not-yet-valid", credential["validFrom"])
    valid_until = parse_datetime(credential.get("validUntil"))
    if valid_until and now > valid_until:
        return Verdict("expired", credential["validUntil"])
    try:
        entry = statuslist.read_entry(credential)
    except statuslist.BadStatusList as error:
        return Verdict("malformed", str(error))
    if entry is None:
        return Verdict("valid")
    revoked = status_for(*entry) if status_for else None
    if revoked is None:
        return Verdict("valid", status="unchecked", status_detail=entry[0])
    if revoked:
        return Verdict("revoked", entry[0], status="revoked")
    return Verdict("valid", status="active")

"""Checking a credential file offline (`learn credentials verify`): which key, which status list.

The key is the one given (`--public-key-multibase`) or, when none is, one of this instance's
issuers' published keys; the revocation status is read from a saved status list file or from this
instance's own lists; when neither can be had, the status is said to be unchecked, plainly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from learn.credentials import integrity, multikey, statuslist, verification
from learn.i18n import _


@dataclass
class LocalIssuers:
    """What this instance can answer without the network: its issuers' keys and status lists."""

    key_for: Callable[[str], Ed25519PublicKey | None] = lambda method: None
    status_for: Callable[[str, int], bool | None] = lambda url, index: None


@dataclass
class Outcome:
    valid: bool
    lines: list[str] = field(default_factory=list)


def _read(path: str) -> dict | None:
    try:
        return verification.load_json(Path(path).read_bytes())
    except OSError:
        return None


def _given_key(public_key: str) -> Callable[[str], Ed25519PublicKey | None]:
    key = multikey.public_key_from_multibase(public_key)
    return lambda method: key


def verify_file(
    path: str,
    public_key: str | None,
    status_list_path: str | None,
    local: LocalIssuers | None = None,
) -> Outcome:
    """The verdict on the credential in `path`, as lines for a person, and whether it holds."""
    local = local or LocalIssuers()
    credential = _read(path)
    if credential is None:
        return Outcome(False, [_("Not valid: the file cannot be read as a JSON object.")])
    if public_key:
        try:
            key_for = _given_key(public_key)
        except multikey.BadMultibase:
            return Outcome(False, [_("Not valid: the key given is not an Ed25519 Multikey.")])
    else:
        key_for = local.key_for
    status_for = local.status_for
    if status_list_path:
        status_list = _read(status_list_path)
        if status_list is None:
            return Outcome(False, [_("Not valid: the status list file cannot be read.")])

        def status_for(url: str, index: int) -> bool | None:
            return verification.status_from_list(status_list, url, index, key_for)

    try:
        verdict = verification.check(credential, key_for, status_for)
    except (integrity.ProofError, statuslist.BadStatusList) as error:
        return Outcome(
            False, [_("Not valid: the status list does not verify (%(why)s).", why=error)]
        )
    if verdict.valid:
        return Outcome(True, [_("valid"), verdict.reason(), verdict.status_text()])
    lines = [_("Not valid: %(reason)s.", reason=verdict.reason())]
    if verdict.code == "unknown-key" and not public_key:
        lines.append(_("Give the issuer's key with --public-key-multibase (see its profile page)."))
    return Outcome(False, lines)

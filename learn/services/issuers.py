"""Issuers: one profile per organisation, its Ed25519 signing keys, and which key verifies what.

A private key lives in the instance folder (`instance/credential-keys/<org>/<key id>.pem`, the
folders 0700 and the file 0600: out of every web request's reach), or comes from an environment
secret (`LEARN_CREDENTIAL_SEED_<ORG>`: the 32-byte seed in hex; rotate by changing it). The
database keeps only the public keys. Rotation retires the current key and makes a new one; the
retired keys stay on the profile so that credentials signed with them still verify."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.credentials import multikey
from learn.credentials.loader import CID_V1, OB_V3P0, VC_V2
from learn.i18n import _
from learn.models import IssuerKey, Organisation, User
from learn.models.people import utcnow
from learn.services import audit
from learn.services.errors import Invalid, NotFound

SEED_ENV_PREFIX = "LEARN_CREDENTIAL_SEED_"
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


class KeyMissing(RuntimeError):
    """The database names a key whose private half is not in the key store."""


@dataclass(frozen=True)
class KeyStore:
    """Where the private keys are: a folder, and the environment's seeds."""

    folder: Path
    env: Mapping[str, str] = field(default_factory=dict)

    def _org_folder(self, slug: str) -> Path:
        if not SAFE_NAME.match(slug):
            raise ValueError("an organisation slug that cannot name a folder")
        for folder in (self.folder, self.folder / slug):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            folder.chmod(0o700)
        return self.folder / slug

    def env_key(self, slug: str) -> Ed25519PrivateKey | None:
        """The key the environment gives this organisation, if any."""
        seed = self.env.get(SEED_ENV_PREFIX + slug.upper().replace("-", "_"), "").strip()
        if not seed:
            return None
        try:
            return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed))
        except ValueError:
            raise KeyMissing(f"{SEED_ENV_PREFIX}... is not a 64-digit hex seed") from None

    def save(self, slug: str, key_id: str, key: Ed25519PrivateKey) -> None:
        """Write a new private key, readable by its owner only (never overwrites one)."""
        if not SAFE_NAME.match(key_id):
            raise ValueError("a key id that cannot name a file")
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        path = self._org_folder(slug) / f"{key_id}.pem"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)

    def load(self, slug: str, key_id: str, public_multibase: str) -> Ed25519PrivateKey:
        """The private key of a key row (from the environment or the folder)."""
        from_env = self.env_key(slug)
        if from_env and multikey.public_key_multibase(from_env.public_key()) == public_multibase:
            return from_env
        if not (SAFE_NAME.match(slug) and SAFE_NAME.match(key_id)):
            raise KeyMissing(key_id)
        try:
            pem = (self.folder / slug / f"{key_id}.pem").read_bytes()
        except OSError:
            raise KeyMissing(key_id) from None
        key = load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey) or (
            multikey.public_key_multibase(key.public_key()) != public_multibase
        ):
            raise KeyMissing(key_id)
        return key


def key_store(instance: Path, env: Mapping[str, str] | None = None) -> KeyStore:
    """The key store of an instance folder."""
    return KeyStore(instance / "credential-keys", dict(os.environ if env is None else env))


def _new_key_id(now: datetime) -> str:
    return f"key-{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}"


def current_key(db: Session, org: Organisation) -> IssuerKey | None:
    """The key the organisation signs with now, if it has one."""
    return db.scalar(
        select(IssuerKey).where(IssuerKey.organisation_id == org.id, IssuerKey.retired_at.is_(None))
    )


def _add_key(db: Session, org: Organisation, store: KeyStore, now: datetime) -> IssuerKey:
    key = store.env_key(org.slug)
    key_id = _new_key_id(now)
    if key is None:
        key = Ed25519PrivateKey.generate()
        store.save(org.slug, key_id, key)
    row = IssuerKey(
        organisation_id=org.id,
        key_id=key_id,
        public_multibase=multikey.public_key_multibase(key.public_key()),
        created_at=now,
    )
    db.add(row)
    db.flush()
    return row


def signing_key(
    db: Session, org: Organisation, store: KeyStore, now: datetime | None = None
) -> tuple[IssuerKey, Ed25519PrivateKey]:
    """The organisation's current key and its private half, made on first use (and replaced by
    the environment's when that one changed)."""
    now = now or utcnow()
    row = current_key(db, org)
    from_env = store.env_key(org.slug)
    env_multibase = multikey.public_key_multibase(from_env.public_key()) if from_env else None
    if row is not None and env_multibase and env_multibase != row.public_multibase:
        row.retired_at = now
        db.flush()
        row = None
    if row is None:
        row = _add_key(db, org, store, now)
    return row, store.load(org.slug, row.key_id, row.public_multibase)


def rotate_key(
    db: Session, actor: User | None, org: Organisation, store: KeyStore, now: datetime | None = None
) -> IssuerKey:
    """Retire the current key (it stays published) and make a new one. Audited."""
    now = now or utcnow()
    if store.env_key(org.slug) is not None:
        raise Invalid(
            _("This organisation's key comes from the environment: change %(name)s instead.")
            % {"name": SEED_ENV_PREFIX + org.slug.upper().replace("-", "_")}
        )
    old = current_key(db, org)
    if old is not None:
        old.retired_at = now
        db.flush()
    new = _add_key(db, org, store, now)
    audit.record(
        db,
        actor,
        "credentials.rotate_key",
        organisation=org.slug,
        retired=old.key_id if old else None,
        created=new.key_id,
    )
    return new


def published_keys(db: Session, org: Organisation) -> list[IssuerKey]:
    """Every key the organisation has signed with, oldest first."""
    return list(
        db.scalars(
            select(IssuerKey)
            .where(IssuerKey.organisation_id == org.id)
            .order_by(IssuerKey.created_at, IssuerKey.id)
        )
    )


def organisation_by_slug(db: Session, slug: str) -> Organisation:
    """The organisation with this slug, or NotFound."""
    org = db.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise NotFound()
    return org


def issuer_url(base_url: str, org: Organisation) -> str:
    """The issuer's id: its profile's stable URL."""
    return f"{base_url.rstrip('/')}/issuers/{org.slug}"


def method_id(issuer_id: str, public_multibase: str) -> str:
    """A key's verification method id: the profile URL with the Multikey as its fragment."""
    return f"{issuer_id}#{public_multibase}"


def issuer_summary(base_url: str, org: Organisation) -> dict:
    """The issuer as a credential names it."""
    return {"id": issuer_url(base_url, org), "type": ["Profile"], "name": org.name}


def profile_document(db: Session, org: Organisation, base_url: str) -> dict:
    """The issuer's public profile (JSON-LD) with every key it signed with, as Multikeys."""
    issuer_id = issuer_url(base_url, org)
    methods = [
        {
            "id": method_id(issuer_id, key.public_multibase),
            "type": "Multikey",
            "controller": issuer_id,
            "publicKeyMultibase": key.public_multibase,
        }
        for key in published_keys(db, org)
    ]
    return {
        "@context": [VC_V2, OB_V3P0, CID_V1],
        "id": issuer_id,
        "type": "Profile",
        "name": org.name,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def key_resolver(db: Session) -> Callable[[str], Ed25519PublicKey | None]:
    """For a verification method of one of this instance's issuers, its public key (retired
    keys included: a credential signed before a rotation still verifies)."""

    def key_for(method: str) -> Ed25519PublicKey | None:
        issuer, _hash, fragment = (method or "").partition("#")
        slug = issuer.rstrip("/").rpartition("/issuers/")[2]
        if not fragment or not slug:
            return None
        row = db.scalar(
            select(IssuerKey)
            .join(Organisation, Organisation.id == IssuerKey.organisation_id)
            .where(IssuerKey.public_multibase == fragment, Organisation.slug == slug)
        )
        if row is None:
            return None
        return multikey.public_key_from_multibase(row.public_multibase)

    return key_for

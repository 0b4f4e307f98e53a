"""Moving between two Parcours: a signed export file made by A, imported by B.

A's trainer asks to export a learner's record (the learner consents on their own screen, as for
a partner on the same instance) and downloads the file; a learner downloads their own passport
file. Both are signed by the organisation's current key (`learn.credentials.packages`) and carry
its issuer profile and the status lists of the credentials, so B checks everything offline. B's
trainer sees whose profile signed, then imports into a new account or one of their learners;
a refused file writes nothing. Every step is audit-logged in the organisation it concerns."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.credentials import integrity, packages, statuslist, verification
from learn.i18n import _, _l
from learn.models import ImportedRecord, IssuedCredential, Role, TransferRequest, User
from learn.models.people import utcnow
from learn.services import accounts, audit, credentials, issuers, transfers
from learn.services.errors import Forbidden, Invalid, NotFound
from learn.services.groups import require_staff

MAX_FILE_BYTES = 400 * 1024
# The confirmation step carries the file again as ASCII JSON (é as \u00e9): up to 6 times longer.
MAX_ESCAPED_BYTES = 6 * MAX_FILE_BYTES
DESTINATION_MAX = 200


def request_export(
    db: Session, actor: User, learner_id: int, destination: str, now: datetime | None = None
) -> TransferRequest:
    """A trainer asks to export the record for a partner on another Parcours (named freely).
    The learner is asked first, as for a transfer. Audited."""
    require_staff(actor)
    learner = accounts.get_learner(db, actor, learner_id)
    destination = " ".join((destination or "").split())
    if not destination or len(destination) > DESTINATION_MAX:
        raise Invalid(_("Name the partner who will receive the file."))
    row = TransferRequest(
        learner_id=learner.id,
        from_organisation_id=learner.organisation_id,
        to_organisation_id=None,
        destination=destination,
        requested_by=actor.id,
        requested_at=now or utcnow(),
        status="awaiting_consent",
    )
    db.add(row)
    db.flush()
    audit.record(
        db, actor, "transfer.request", target=learner, transfer=str(row.id),
        export=True,
    )  # fmt: skip
    return row


def _status_lists(db: Session, store: issuers.KeyStore, documents: list[dict]) -> list[dict]:
    """The signed status lists of this instance that the credentials point to."""
    found: dict[str, dict] = {}
    for document in documents:
        try:
            entry = statuslist.read_entry(document)
        except statuslist.BadStatusList:
            continue
        if entry is None or entry[0] in found:
            continue
        base, _sep, rest = entry[0].partition("/credentials/status/")
        slug, _sep, number = rest.partition("/")
        if not (base and number.isdigit()):
            continue
        try:
            found[entry[0]] = credentials.status_list_credential(db, store, slug, int(number), base)
        except NotFound:
            continue
    return list(found.values())


def _signed(
    db: Session, learner: User, store: issuers.KeyStore, base_url: str, kind: str, package: dict,
    now: datetime,
) -> dict:  # fmt: skip
    org = learner.organisation
    key_row, private_key = issuers.signing_key(db, org, store, now)
    issuer_id = issuers.issuer_url(base_url, org)
    package = {**package, "statusLists": _status_lists(db, store, package.get("credentials", []))}
    return packages.sign_file(
        kind,
        issuers.profile_document(db, org, base_url),
        package,
        private_key,
        issuers.method_id(issuer_id, key_row.public_multibase),
        integrity.utc_timestamp(now),
    )


def export_file(
    db: Session, actor: User, transfer_id, store: issuers.KeyStore, base_url: str,
    now: datetime | None = None,
) -> dict:  # fmt: skip
    """The signed file of an export the learner consented to, for a trainer of the learner's
    organisation who may see them. Refused (Invalid) before consent or after a refusal. Audited."""
    require_staff(actor)
    row = db.get(TransferRequest, transfers._uuid(transfer_id))
    if row is None or not row.is_export or row.from_organisation_id != actor.organisation_id:
        raise NotFound()
    learner = accounts.get_learner(db, actor, row.learner_id)
    if row.status == "refused":
        raise Invalid(_("The learner said no: nothing can be exported."))
    if row.status != "awaiting_partner" or not row.package:
        raise Invalid(_("The learner has not answered yet: nothing can be exported."))
    document = _signed(db, learner, store, base_url, "record", row.package, now or utcnow())
    audit.record(
        db, actor, "transfer.export", target=learner, transfer=str(row.id),
        credentials=len(row.package.get("credentials", [])),
    )  # fmt: skip
    return document


def passport_file(
    db: Session, learner: User, catalog, store: issuers.KeyStore, base_url: str,
    now: datetime | None = None,
) -> dict:  # fmt: skip
    """The learner's own passport as a signed file: every credential they hold (revoked ones
    too: the status lists say so), their grid and progress summary. Audited."""
    if learner.role != Role.LEARNER:
        raise Forbidden()
    package = transfers.record_package(db, learner, catalog, include_workshops=False)
    package["credentials"] = [
        doc
        for doc in db.scalars(
            select(IssuedCredential.document)
            .where(IssuedCredential.learner_id == learner.id)
            .order_by(IssuedCredential.issued_at)
        )
        if doc
    ]
    document = _signed(db, learner, store, base_url, "passport", package, now or utcnow())
    audit.record(db, learner, "passport.export", target=learner,
                 credentials=len(package["credentials"]))  # fmt: skip
    return document


# --- import -------------------------------------------------------------------------------------


@dataclass
class CheckedFile:
    """A file whose signature and credentials verified: what B's trainer is shown."""

    document: dict
    profile: dict
    key: str
    checked: list[tuple[dict, verification.Verdict]]

    @property
    def package(self) -> dict:
        return self.document["package"]

    @property
    def source_name(self) -> str:
        name = self.profile.get("name")
        return name if isinstance(name, str) and name else self.profile["id"]

    @property
    def learner_name(self) -> str:
        learner = self.package.get("learner")
        name = learner.get("name") if isinstance(learner, dict) else None
        return name.strip()[:200] if isinstance(name, str) else ""


REFUSALS = {
    "malformed": _l("This is not a Parcours export file. Nothing was imported."),
    "unsigned": _l("This file is not signed. Nothing was imported."),
    "unknown-key": _l(
        "The file is not signed with a key of the organisation it names. Nothing was imported."
    ),
    "bad-signature": _l(
        "The file's signature does not match: it was changed after it was signed. "
        "Nothing was imported."
    ),
}


def read_file(raw: bytes | str, limit: int = MAX_FILE_BYTES) -> CheckedFile:
    """Verify a file offline (its signature, then every credential in it); Invalid with a clear
    message when it does not hold. Writes nothing."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if not raw or len(raw) > limit:
        raise Invalid(_("Choose the export file (a .json file of at most 400 KB)."))
    document = verification.load_json(raw)
    try:
        profile = packages.verify_file(document)
    except packages.PackageError as error:
        raise Invalid(str(REFUSALS.get(error.code, REFUSALS["malformed"]))) from None
    checked = packages.check_credentials(document)
    for credential, verdict in checked:
        if verdict.code not in ("valid", "revoked"):
            name = credential.get("name") if isinstance(credential, dict) else ""
            raise Invalid(
                _(
                    "A badge in the file does not verify (%(name)s: %(reason)s). "
                    "Nothing was imported.",
                    name=name if isinstance(name, str) else "",
                    reason=verdict.reason(),
                )
            )
    key = document["signature"]["verificationMethod"].partition("#")[2]
    return CheckedFile(document, profile, key, checked)


def import_file(
    db: Session,
    actor: User,
    raw: bytes | str,
    learner_id: int | None = None,
    username: str = "",
    now: datetime | None = None,
):
    """Import a verified file into a new learner account of the actor's organisation (with a
    one-time code) or into one of its learners the actor may see. Returns (record, new account
    or None). Audited."""
    require_staff(actor)
    if not accounts.can_manage_role(actor, Role.LEARNER):
        raise Forbidden()
    found = read_file(raw, MAX_ESCAPED_BYTES)
    new = None
    if learner_id is not None:
        learner = accounts.get_learner(db, actor, learner_id)
    else:
        new = accounts.create_account(
            db,
            organisation=actor.organisation,
            username=username,
            display_name=found.learner_name,
            role=Role.LEARNER,
            with_code=True,
            created_by=actor,
        )
        learner = new.user
    record = ImportedRecord(
        organisation_id=learner.organisation_id,
        learner_id=learner.id,
        kind=found.document["kind"],
        source_name=found.source_name[:200],
        source_profile=found.profile["id"][:500],
        source_key=found.key[:600],
        imported_by=actor.id,
        imported_at=now or utcnow(),
        document=found.document,
        verdicts=[
            {
                "id": credential.get("id"),
                "name": credential.get("name"),
                "code": verdict.code,
                "status": verdict.status,
            }
            for credential, verdict in found.checked
        ],
    )
    db.add(record)
    db.flush()
    audit.record(
        db, actor, "transfer.import", target=learner, record=str(record.id),
        source=_loggable(record.source_profile), key=_loggable(record.source_key), kind=record.kind,
        credentials=len(found.checked),
    )  # fmt: skip
    return record, new


def _loggable(value: str) -> str | None:
    """A value from the file, kept in the log only when it is a plain identifier."""
    return value if audit.SAFE_STRING_RE.match(value) else None


def imported_for(db: Session, learner: User) -> list[ImportedRecord]:
    """The files imported for the learner (their passport lists them as received)."""
    if learner.role != Role.LEARNER:
        return []
    return list(
        db.scalars(
            select(ImportedRecord)
            .where(ImportedRecord.learner_id == learner.id)
            .order_by(ImportedRecord.imported_at)
        )
    )


def imported_of(db: Session, actor: User, learner_id: int) -> list[ImportedRecord]:
    """The files imported for a learner the staff member may see."""
    require_staff(actor)
    learner = accounts.get_learner(db, actor, learner_id)
    return imported_for(db, learner)


def imported_record(db: Session, actor: User, record_id) -> ImportedRecord:
    """One imported file, for staff of its organisation who may see its learner, or NotFound."""
    require_staff(actor)
    try:
        key = record_id if isinstance(record_id, uuid.UUID) else uuid.UUID(str(record_id))
    except ValueError:
        raise NotFound() from None
    row = db.get(ImportedRecord, key)
    if row is None or row.organisation_id != actor.organisation_id:
        raise NotFound()
    accounts.get_learner(db, actor, row.learner_id)
    return row

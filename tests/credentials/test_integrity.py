"""eddsa-rdfc-2022 Data Integrity proofs, held to the 1EdTech Open Badges 3.0 example."""

from __future__ import annotations

import copy

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from learn.credentials import integrity, multikey
from tests.credentials import vector


def test_the_specifications_example_verifies_with_its_published_key():
    proof = integrity.verify(vector.load(), vector.vector_key)
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"


def test_the_tampered_example_is_refused():
    with pytest.raises(integrity.ProofError) as refused:
        integrity.verify(vector.load(vector.TAMPERED), vector.vector_key)
    assert refused.value.code == "bad-signature"


def test_signing_the_unsigned_example_with_its_seed_reproduces_its_proof_byte_for_byte():
    signed = vector.load()
    unsigned = {key: value for key, value in signed.items() if key != "proof"}
    again = integrity.sign(unsigned, vector.private_key(), vector.METHOD, vector.CREATED)
    assert again["proof"] == signed["proof"]
    assert "proof" not in unsigned  # the caller's document is left as it was


def test_the_published_key_is_the_multikey_of_the_verification_method():
    assert multikey.public_key_multibase(vector.public_key()) == vector.MULTIKEY
    assert multikey.public_key_from_multibase(vector.MULTIKEY).public_bytes_raw() == bytes.fromhex(
        vector.PUBLIC_HEX
    )


@pytest.mark.parametrize("bad", ["", "z", "6MkjZRZv", "z0OIl", "z" + "1" * 40])
def test_a_bad_multikey_is_refused(bad):
    with pytest.raises(multikey.BadMultibase):
        multikey.public_key_from_multibase(bad)


def test_another_key_does_not_verify_the_example():
    other = Ed25519PrivateKey.generate().public_key()
    with pytest.raises(integrity.ProofError) as refused:
        integrity.verify(vector.load(), lambda method: other)
    assert refused.value.code == "bad-signature"


def test_an_unknown_verification_method_is_refused():
    with pytest.raises(integrity.ProofError) as refused:
        integrity.verify(vector.load(), lambda method: None)
    assert refused.value.code == "unknown-key"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda doc: doc["proof"].update(cryptosuite="ecdsa-rdfc-2019"), "unsupported-proof"),
        (lambda doc: doc["proof"].update(type="Ed25519Signature2020"), "unsupported-proof"),
        (lambda doc: doc["proof"].update(proofPurpose="authentication"), "unsupported-proof"),
        (lambda doc: doc["proof"].update(proofValue="not-multibase"), "malformed"),
        (lambda doc: doc["proof"].update(created="yesterday"), "malformed"),
        (lambda doc: doc.pop("proof"), "malformed"),
        (lambda doc: doc.update(proof=[1, 2]), "malformed"),
        # A property no context defines would be left out of the signed graph: refused.
        (lambda doc: doc["credentialSubject"].update(undefinedTerm="anything"), "undefined-term"),
        (lambda doc: doc["proof"].update(created="2010-01-01T19:23:25Z"), "bad-signature"),
    ],
)
def test_a_changed_proof_or_document_is_refused_with_its_reason(change, code):
    document = copy.deepcopy(vector.load())
    change(document)
    with pytest.raises(integrity.ProofError) as refused:
        integrity.verify(document, vector.vector_key)
    assert refused.value.code == code


def test_a_credential_signed_here_verifies_and_any_change_breaks_it():
    key = Ed25519PrivateKey.generate()
    unsigned = {key: value for key, value in vector.load().items() if key != "proof"}
    method = "https://parcours.example/issuers/demo#" + multikey.public_key_multibase(
        key.public_key()
    )
    signed = integrity.sign(unsigned, key, method)
    integrity.verify(signed, lambda m: key.public_key() if m == method else None)
    signed["credentialSubject"]["achievement"]["criteria"]["narrative"] += "."
    with pytest.raises(integrity.ProofError):
        integrity.verify(signed, lambda m: key.public_key())

"""The JSON-LD contexts are shipped and loaded locally: anything else is refused, never fetched."""

from __future__ import annotations

import copy
import socket

import pytest

from learn.credentials import integrity, loader
from tests.credentials import vector


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize("url", sorted(loader.CONTEXTS))
def test_each_shipped_context_loads_as_a_json_ld_context(url):
    loaded = loader.document_loader(url)
    assert loaded["documentUrl"] == url
    assert "@context" in loaded["document"]


@pytest.mark.parametrize(
    "url",
    [
        "https://www.w3.org/2018/credentials/v1",
        "https://w3id.org/security/data-integrity/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        "http://www.w3.org/ns/credentials/v2",  # not the same URL
        "file:///etc/passwd",
        "../contexts/credentials-v2.jsonld",
        "",
    ],
)
def test_any_other_url_is_refused(url, no_network):
    with pytest.raises(loader.ContextRefused):
        loader.document_loader(url)


def test_a_credential_naming_an_unknown_context_is_refused_without_a_connection(no_network):
    document = copy.deepcopy(vector.load())
    document["@context"].append("https://attacker.example/context.json")
    with pytest.raises(integrity.ProofError) as refused:
        integrity.verify(document, vector.vector_key)
    assert refused.value.code == "unknown-context"
    assert "attacker.example" in refused.value.detail


def test_verifying_the_example_opens_no_connection(no_network):
    integrity.verify(vector.load(), vector.vector_key)


def test_a_shipped_context_cannot_be_changed_by_its_user():
    loader.shipped_context(loader.VC_V2)["@context"]["name"] = "https://attacker.example/name"
    assert loader.shipped_context(loader.VC_V2)["@context"]["name"] == "https://schema.org/name"

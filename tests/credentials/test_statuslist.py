"""Bitstring Status List: set bits read back, the minimum size, unreadable lists refused."""

from __future__ import annotations

import base64
import gzip

import pytest

from learn.credentials import statuslist


def test_set_bits_read_back_and_others_do_not():
    encoded = statuslist.encode_list({0, 7, 8, 94567, statuslist.LIST_BITS - 1})
    for index in (0, 7, 8, 94567, statuslist.LIST_BITS - 1):
        assert statuslist.bit_is_set(encoded, index)
    for index in (1, 6, 9, 94566, 94568):
        assert not statuslist.bit_is_set(encoded, index)


def test_the_list_is_gzip_then_base64url_with_the_left_most_bit_first():
    encoded = statuslist.encode_list({0})
    assert encoded.startswith("u") and "=" not in encoded
    body = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert len(bits) * 8 == statuslist.LIST_BITS == 131_072
    assert bits[0] == 0x80


def test_the_same_list_encodes_the_same_way():
    assert statuslist.encode_list({3, 5}) == statuslist.encode_list([5, 3])


@pytest.mark.parametrize("bad", ["", "zabc", "u!!!", "u" + "A" * 40, 42])
def test_an_unreadable_list_is_refused(bad):
    with pytest.raises(statuslist.BadStatusList):
        statuslist.bit_is_set(bad, 0)


def test_an_index_outside_the_list_is_refused():
    with pytest.raises(statuslist.BadStatusList):
        statuslist.bit_is_set(statuslist.encode_list(()), statuslist.LIST_BITS)
    with pytest.raises(statuslist.BadStatusList):
        statuslist.encode_list({-1})


def test_an_entry_is_read_back():
    entry = statuslist.status_entry("https://p.example/credentials/status/org/1", 42)
    assert statuslist.read_entry({"credentialStatus": entry}) == (entry["statusListCredential"], 42)
    assert statuslist.read_entry({}) is None
    with pytest.raises(statuslist.BadStatusList):
        statuslist.read_entry({"credentialStatus": {**entry, "statusListIndex": "-1"}})

"""Signed credentials: Open Badges 3.0 / Verifiable Credentials 2.0 with Data Integrity proofs.

The core of issuing and checking a credential, with no Flask and no database: the JSON-LD contexts
shipped in `contexts/` and a document loader that serves only them (`loader`), Ed25519 keys as
Multikeys (`multikey`), and the `eddsa-rdfc-2022` cryptosuite (`integrity`). The services build on
it (who may issue, what is stored); a verifier needs nothing else, and never the network."""

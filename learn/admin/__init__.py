"""The organisation admin's pages: learners' data (export, erasure) and the audit log."""

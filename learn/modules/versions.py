"""Content versions: a hash per file and per question, to tell what changed since an attempt."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from .model import ModuleVariant, Question


def file_version(data: bytes) -> str:
    """The version of a file: the first 16 hex digits of the SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def question_fingerprint(question: Question) -> str:
    """A hash of what the learner answers: type, text, options and right answers (not feedback)."""
    payload = {
        "id": question.id,
        "type": question.type,
        "text": question.text,
        "level": question.level,
        "options": [[o.id, o.text, o.correct, o.position, o.right] for o in question.options],
        "accept": list(question.accept),
    }
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


def changed_questions(
    old: ModuleVariant | Mapping[str, str], new: ModuleVariant | Mapping[str, str]
) -> set[str]:
    """Ids of questions added, removed or changed between two variants (or fingerprint maps)."""
    before = old.question_versions if isinstance(old, ModuleVariant) else old
    after = new.question_versions if isinstance(new, ModuleVariant) else new
    return {qid for qid in set(before) | set(after) if before.get(qid) != after.get(qid)}

"""The course-module engine of Parcours: parse, check, render, sanitise, version and grade the
content under content/ (format: content/README.md). Plain Python: it imports nothing of Flask or of
the rest of the app.

Entry points: `load_catalog(path)` -> Catalog, `check(path)` -> problems, `CatalogHolder` (hot
reload), `grade` / `grade_quiz` / `recommend_level`, the shuffles, `sanitize_html`, and
`main(argv)` for `python -m learn.modules check [PATH]`. HTML conventions are in render.py and
body.py; the question types, their answer shapes and how to add one in qtypes/.
"""

from .catalog import Catalog, find_files, load_catalog
from .cli import check, find_root, main
from .grading import grade, grade_quiz, recommend_level
from .holder import CatalogHolder
from .model import (
    RUBRIC_RATINGS,
    Course,
    Criterion,
    GradeResult,
    Localized,
    Module,
    ModuleVariant,
    Objective,
    Option,
    Problem,
    Prompt,
    Question,
    QuizResult,
    QuizRules,
    Section,
    SelfcheckItem,
    Skill,
    SkillLevel,
    Workshop,
)
from .qtypes import MAX_TEXT_ANSWER, QUESTION_TYPES, QuestionType, normalize_text, question_type
from .render import slugify
from .sanitize import sanitize_html
from .shuffle import (
    apply_order,
    attempt_order,
    display_options,
    shuffled_options,
    shuffled_questions,
    shuffled_right_sides,
)
from .versions import changed_questions, file_version, question_fingerprint

__all__ = [
    "MAX_TEXT_ANSWER",
    "QUESTION_TYPES",
    "QuestionType",
    "Catalog",
    "CatalogHolder",
    "Course",
    "GradeResult",
    "Localized",
    "Module",
    "ModuleVariant",
    "Objective",
    "Option",
    "Problem",
    "Prompt",
    "Question",
    "QuizResult",
    "QuizRules",
    "Section",
    "SelfcheckItem",
    "Skill",
    "SkillLevel",
    "Workshop",
    "Criterion",
    "RUBRIC_RATINGS",
    "changed_questions",
    "check",
    "apply_order",
    "attempt_order",
    "display_options",
    "file_version",
    "find_files",
    "find_root",
    "grade",
    "grade_quiz",
    "load_catalog",
    "main",
    "normalize_text",
    "question_type",
    "question_fingerprint",
    "recommend_level",
    "sanitize_html",
    "shuffled_options",
    "shuffled_questions",
    "shuffled_right_sides",
    "slugify",
]

"""Immutable data model of the content engine: what a parsed content tree holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

LANGS = ("fr", "en", "de", "it")
# The review status of a translated file, from least to most trusted; learners are served
# `reviewed` or better (content/README.md, "Translations").
TRANSLATION_STATUSES = ("machine", "reviewed", "validated")
DEFAULT_LANG = "fr"
VARIANTS = ("standard", "easy")
KINDS = ("module", "placement", "guide")
QUIZ_MODES = ("practice", "assessed")


class FrozenMap(dict):
    """A read-only dict: it serialises (json, pickle) like a dict, but refuses changes."""

    __slots__ = ()

    def _read_only(self, *args, **kwargs):
        raise TypeError("this mapping is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only
    __ior__ = _read_only

    def __reduce__(self):
        return (FrozenMap, (dict(self),))

    def __repr__(self) -> str:
        return f"FrozenMap({dict.__repr__(self)})"


EMPTY_MAP: Mapping = FrozenMap()


def frozen_map(items) -> Mapping:
    """A read-only mapping built from a dict or pairs."""
    return FrozenMap(items)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a content file, at a 1-based line."""

    path: str
    line: int
    severity: str  # "error" | "warning"
    message: str

    @property
    def is_error(self) -> bool:
        """True for an error (the module is not served), False for a warning."""
        return self.severity == "error"

    def format(self) -> str:
        """The problem as `path:line: severity: message`."""
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True, slots=True)
class Localized:
    """A text in several languages; `.get(lang)` falls back to French, then any language."""

    items: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, value) -> Localized:
        """Build from a {lang: text} mapping, a plain (French) string, or None."""
        if value is None:
            return cls()
        if isinstance(value, str):
            return cls(((DEFAULT_LANG, value),))
        return cls(tuple((str(k), str(v)) for k, v in dict(value).items()))

    def get(self, lang: str | None = None, default: str = "") -> str:
        """The text in `lang`, else in French, else in the first language given."""
        found = dict(self.items)
        if lang in found:
            return found[lang]
        if DEFAULT_LANG in found:
            return found[DEFAULT_LANG]
        return self.items[0][1] if self.items else default

    def __getitem__(self, lang: str) -> str:
        return dict(self.items)[lang]

    def __contains__(self, lang: object) -> bool:
        return any(k == lang for k, _ in self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __str__(self) -> str:
        return self.get()

    @property
    def langs(self) -> tuple[str, ...]:
        """The languages this text is given in."""
        return tuple(k for k, _ in self.items)

    def as_dict(self) -> dict[str, str]:
        """A plain dict copy."""
        return dict(self.items)


@dataclass(frozen=True, slots=True)
class SkillLevel:
    """One of the 4 levels of a soft skill."""

    level: int
    descriptor: Localized
    behaviours: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: EMPTY_MAP
    )  # lang -> behaviours a tutor observes

    def behaviours_for(self, lang: str) -> tuple[str, ...]:
        """The behaviours in `lang`, falling back to French."""
        return self.behaviours.get(lang) or self.behaviours.get(DEFAULT_LANG, ())


@dataclass(frozen=True, slots=True)
class Skill:
    """A soft skill as described in softskills/skills.yaml."""

    id: str
    title: Localized
    esco: str | None
    definition: Localized
    why: Localized
    levels: tuple[SkillLevel, ...]
    lifecomp: tuple[str, ...] = ()  # LifeComp competences, e.g. ("S2", "S1")
    clea: tuple[int, ...] = ()  # CléA domains, 1 to 7
    line: int = 1

    def level(self, number: int) -> SkillLevel | None:
        """The level `number` (1-4), or None."""
        return next((lvl for lvl in self.levels if lvl.level == number), None)


@dataclass(frozen=True, slots=True)
class Course:
    """A course: soft skills (from skills.yaml) or entrepreneurship (from course.yaml)."""

    id: str
    title: Localized
    description: Localized
    module_ids: tuple[str, ...] = ()
    path: str = ""


@dataclass(frozen=True, slots=True)
class Objective:
    """A learning objective (`o1`...)."""

    id: str
    text: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a module: a `## Title {#id}` heading and what follows it."""

    id: str
    title: str
    html: str
    words: int
    line: int = 0


@dataclass(frozen=True, slots=True)
class Option:
    """An option of a question. For matching, `text` is the left side and `right` the right side;
    for ordering, `position` is the right place (1-based). `correct` and `feedback*` must never be
    rendered before the question is answered."""

    id: str
    text: str
    text_html: str
    correct: bool = False
    feedback: str = ""
    feedback_html: str = ""
    position: int | None = None
    right: str | None = None
    right_html: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Question:
    """A question of a quiz or placement questionnaire (see qtypes for the types)."""

    id: str
    type: str
    text: str
    text_html: str
    options: tuple[Option, ...] = ()
    explanation: str = ""
    explanation_html: str = ""
    correct_feedback_html: str = ""
    incorrect_feedback_html: str = ""
    accept: tuple[str, ...] = ()
    level: int | None = None
    line: int = 0
    fixed: bool = False  # single/multiple: options shown in the authored order, not shuffled

    def option(self, option_id: str) -> Option | None:
        """The option with this id, or None."""
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True, slots=True)
class Translation:
    """The `translation` key of a translated file: its review status, the language it was made
    from, and the version (the first 12 hex digits of the SHA-256) of the source file it follows."""

    status: str
    source: str
    source_version: str

    @property
    def for_learners(self) -> bool:
        """Whether learners are served it (`reviewed` or better)."""
        return self.status != "machine"


@dataclass(frozen=True, slots=True)
class QuizRules:
    """The `quiz` key: mode, pass rule (a percentage or m correct of n), attempts, shuffle."""

    mode: str = "practice"
    pass_percent: float | None = None
    pass_correct: int | None = None
    pass_total: int | None = None
    attempts: int | None = None
    shuffle: bool = False

    def passes(self, score: float, correct_count: int) -> bool:
        """Whether a score (0..1) and a number of correct answers pass."""
        if self.pass_correct is not None:
            return correct_count >= self.pass_correct
        if self.pass_percent is not None:
            return score * 100 + 1e-9 >= self.pass_percent
        return True

    @property
    def pass_label(self) -> str:
        """The pass rule as the author wrote it: `80%` or `4/5`."""
        if self.pass_correct is not None:
            return f"{self.pass_correct}/{self.pass_total}"
        if self.pass_percent is not None:
            return f"{self.pass_percent:g}%"
        return ""


@dataclass(frozen=True, slots=True)
class Prompt:
    """A free-text question of a workshop, with an optional hint."""

    id: str
    text: str
    text_html: str
    hint: str = ""
    hint_html: str = ""
    line: int = 0


RUBRIC_RATINGS = ("not-yet", "partly", "yes")


@dataclass(frozen=True, slots=True)
class Criterion:
    """A rubric criterion of a workshop: what the trainer looks for, and what each rating means
    (`descriptors` in the order of RUBRIC_RATINGS)."""

    id: str
    text: str
    text_html: str
    descriptors: tuple[str, ...]
    descriptors_html: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class Workshop:
    """A worksheet with free-text prompts that a trainer reviews, and (standard variant) the rubric
    the trainer reviews it against."""

    id: str
    intro_html: str
    prompts: tuple[Prompt, ...]
    line: int = 0
    rubric: tuple[Criterion, ...] = ()


@dataclass(frozen=True, slots=True)
class SelfcheckItem:
    """An "I can" statement; `id` is an objective id (modules) or level-N (placement)."""

    id: str
    text: str
    text_html: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class ModuleVariant:
    """One file: a module (or placement, or guide) in one language and one variant."""

    id: str
    kind: str
    title: str
    lang: str
    variant: str
    course: str
    skill: str | None = None
    level: int | None = None
    minutes: int | None = None
    objectives: tuple[Objective, ...] = ()
    prerequisites: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    quiz: QuizRules | None = None
    intro_html: str = ""
    intro_words: int = 0
    sections: tuple[Section, ...] = ()
    questions: tuple[Question, ...] = ()
    glossary: Mapping[str, str] = field(
        default_factory=lambda: EMPTY_MAP
    )  # term -> definition (source text)
    glossary_html: str = ""
    activity_html: str = ""
    workshop: Workshop | None = None
    selfcheck: tuple[SelfcheckItem, ...] = ()
    html: str = ""
    assets: frozenset[str] = frozenset()
    path: str = ""
    version: str = ""
    question_versions: Mapping[str, str] = field(default_factory=lambda: EMPTY_MAP)
    translation: Translation | None = None  # None: an original, not a translation

    @property
    def for_learners(self) -> bool:
        """Whether learners may be served this file: an original, or a translation `reviewed` or
        better (a `machine` translation is a preview for the staff only)."""
        return self.translation is None or self.translation.for_learners

    @property
    def key(self) -> tuple[str, str]:
        """(lang, variant)."""
        return (self.lang, self.variant)

    @property
    def words(self) -> int:
        """Words of reading text (intro and parts), for the estimated time left."""
        return self.intro_words + sum(s.words for s in self.sections)

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)

    def section(self, section_id: str) -> Section | None:
        """The part with this id, or None."""
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass(frozen=True, slots=True)
class Module:
    """All the files of one module id, keyed by (lang, variant)."""

    id: str
    kind: str
    course: str
    skill: str | None
    level: int | None
    variants: Mapping[tuple[str, str], ModuleVariant]
    problems: tuple[Problem, ...] = ()
    servable_langs: frozenset[str] = frozenset()

    @property
    def langs(self) -> tuple[str, ...]:
        """Languages that have at least one variant (servable or not)."""
        return tuple(dict.fromkeys(lang for lang, _ in self.variants))

    @property
    def valid(self) -> bool:
        """True when at least one language can be served."""
        return bool(self.servable_langs)

    @property
    def prerequisites(self) -> tuple[str, ...]:
        """Prerequisite module ids (the same in every variant)."""
        first = next(iter(self.variants.values()), None)
        return first.prerequisites if first else ()

    def title(self, lang: str = DEFAULT_LANG) -> str:
        """The standard title in `lang`, falling back to French, then any variant; a `machine`
        translation's title is never given (learners are not served it)."""
        for key in ((lang, "standard"), (lang, "easy"), (DEFAULT_LANG, "standard")):
            if key in self.variants and self.variants[key].for_learners:
                return self.variants[key].title
        served = [v for v in self.variants.values() if v.for_learners]
        first = next(iter(served or self.variants.values()), None)
        return first.title if first else self.id


@dataclass(frozen=True, slots=True)
class GradeResult:
    """The grade of one answer. `feedback` holds (option_id, sanitised HTML) pairs: the feedback of
    the options the learner chose, or one pair with option id "" (ordering, matching, text).
    `error` is set when the answer was malformed (then correct is False and score 0)."""

    correct: bool
    score: float
    feedback: tuple[tuple[str, str], ...] = ()
    explanation: str = ""
    error: str | None = None


@dataclass(frozen=True, slots=True)
class QuizResult:
    """The grade of a whole quiz."""

    score: float
    correct_count: int
    total: int
    passed: bool
    results: Mapping[str, GradeResult] = field(default_factory=lambda: EMPTY_MAP)
    errors: Mapping[str, str] = field(default_factory=lambda: EMPTY_MAP)

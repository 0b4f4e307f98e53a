"""A learner's competency grid: every skill × level, combining quiz mastery, self-assessment and
trainers' observations at work, each cell saying where its state comes from.

Levels 1 and 2 are validated by mastering the level's module (its quiz). Levels 3 and 4 cannot be
shown by choosing options: they also need the learner's evidence — the module's worksheet, accepted
by a trainer against its rubric — and a trainer's validated observation in a real work situation.
The trainer's page, the learner's dashboard and the attestation all read this one computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.models import (
    ModuleProgress,
    Observation,
    SelfAssessment,
    User,
    Validation,
    WorkshopAnswer,
)

LEVELS = (1, 2, 3, 4)
# Levels that need the accepted worksheet (when the module has one) and a validated observation
# on top of the quiz.
OBSERVED_LEVELS = (3, 4)
STATES = ("validated", "awaiting_evidence", "awaiting_observation", "in_progress", "not_started")


@dataclass(frozen=True)
class CompetencyCell:
    skill_id: str
    level: int
    state: str  # one of STATES
    module_id: str | None  # the level's module, if the content has one
    quiz_status: str  # the module's status (not_started ... mastered)
    quiz_mastered_on: date | None
    self_rating: float | None  # average of the latest self-assessment, 1..4
    self_rated_on: date | None
    observation: Observation | None  # the validated one if any, else the latest
    validated_on: date | None
    validated_by: str | None  # the observer's name (levels 3-4)
    needs_evidence: bool = False  # the level's module has a worksheet that must be accepted
    evidence: WorkshopAnswer | None = None  # the learner's worksheet of that module, if started
    evidence_on: date | None = None  # the day the worksheet was accepted
    # A trainer's explicit validation in force (learn/services/validation.py): it validates the
    # cell whatever the other rules say, and the cell shows who decided, when, on what.
    validation: Validation | None = None

    @property
    def needs_observation(self) -> bool:
        return self.level in OBSERVED_LEVELS

    @property
    def evidence_accepted(self) -> bool:
        return self.evidence is not None and self.evidence.status == "accepted"


@dataclass(frozen=True)
class SkillRow:
    skill: object  # learn.modules.Skill
    cells: tuple[CompetencyCell, ...]


@dataclass(frozen=True)
class Grid:
    rows: tuple[SkillRow, ...]

    def validated(self) -> list[CompetencyCell]:
        """The validated cells, by skill order then level."""
        return [c for row in self.rows for c in row.cells if c.state == "validated"]

    def cell(self, skill_id: str, level: int) -> CompetencyCell | None:
        for row in self.rows:
            if row.skill.id == skill_id:
                return next((c for c in row.cells if c.level == level), None)
        return None


def level_modules(catalog) -> dict[tuple[str, int], str]:
    """(skill, level) -> the id of the servable module teaching it."""
    found = {}
    for module in catalog.modules.values():
        if module.kind == "module" and module.valid and module.skill and module.level:
            found.setdefault((module.skill, module.level), module.id)
    return found


def _local_date(moment: datetime | None, tz: ZoneInfo) -> date | None:
    return moment.astimezone(tz).date() if moment else None


def _has_worksheet(catalog, module_id: str | None) -> bool:
    variant = catalog.variant(module_id) if module_id else None
    return variant is not None and variant.workshop is not None


def _observed_level_state(status, observed, evidence_ok, started) -> str:
    if status == "mastered" and evidence_ok and observed:
        return "validated"
    if status == "mastered" and not evidence_ok:
        return "awaiting_evidence"
    if status == "mastered":
        return "awaiting_observation"
    return "in_progress" if started else "not_started"


def build_grid(
    catalog,
    progress: dict[str, ModuleProgress],
    self_assessments: dict[str, SelfAssessment],
    observations: list[Observation],
    timezone: str = "Europe/Paris",
    worksheets: dict[str, WorkshopAnswer] | None = None,
    validations: dict[tuple[str, int], Validation] | None = None,
) -> Grid:
    """The grid from a learner's records (pure: no database); `worksheets` by module id,
    `validations` (trainers' decisions in force) by (skill, level)."""
    tz = ZoneInfo(timezone or "Europe/Paris")
    modules = level_modules(catalog)
    worksheets = worksheets or {}
    validations = validations or {}
    chosen: dict[tuple[str, int], Observation] = {}
    for obs in sorted(observations, key=lambda o: (o.observed_on, o.created_at, o.id or 0)):
        key = (obs.skill_id, obs.level)
        known = chosen.get(key)
        # A validated observation stays the reference; a later "not yet" does not undo it.
        if known is None or obs.validated or not known.validated:
            chosen[key] = obs
    rows = []
    for skill in catalog.skills:
        cells = []
        for level in LEVELS:
            module_id = modules.get((skill.id, level))
            row = progress.get(module_id) if module_id else None
            status = row.status if row else "not_started"
            mastered_on = _local_date(row.mastered_at, tz) if status == "mastered" else None
            assessment = self_assessments.get(module_id) if module_id else None
            ratings = (
                [v for v in (assessment.ratings or {}).values() if isinstance(v, int)]
                if (assessment)
                else []
            )
            rating = round(sum(ratings) / len(ratings), 1) if ratings else None
            obs = chosen.get((skill.id, level))
            observed = obs is not None and obs.validated
            evidence = worksheets.get(module_id) if module_id else None
            needs_evidence = level in OBSERVED_LEVELS and _has_worksheet(catalog, module_id)
            accepted = evidence is not None and evidence.status == "accepted"
            evidence_on = _local_date(evidence.reviewed_at, tz) if accepted else None
            evidence_ok = not needs_evidence or accepted
            started = status != "not_started" or any(
                x is not None for x in (obs, assessment, evidence)
            )
            validated_on = validated_by = None
            if level in OBSERVED_LEVELS:
                state = _observed_level_state(status, observed, evidence_ok, started)
                if state == "validated":
                    dates = [mastered_on, obs.observed_on, evidence_on if needs_evidence else None]
                    validated_on = max(d for d in dates if d is not None)
                    validated_by = obs.credit
            elif status == "mastered":
                state, validated_on = "validated", mastered_on
            else:
                state = "in_progress" if started else "not_started"
            decision = validations.get((skill.id, level))
            if decision is not None:
                state = "validated"
                validated_on, validated_by = decision.decided_on, decision.decided_by_name
            cells.append(
                CompetencyCell(
                    skill_id=skill.id,
                    level=level,
                    state=state,
                    module_id=module_id,
                    quiz_status=status,
                    quiz_mastered_on=mastered_on,
                    self_rating=rating,
                    self_rated_on=_local_date(assessment.created_at, tz) if assessment else None,
                    observation=obs,
                    validated_on=validated_on,
                    validated_by=validated_by,
                    needs_evidence=needs_evidence,
                    evidence=evidence,
                    evidence_on=evidence_on,
                    validation=decision,
                )
            )
        rows.append(SkillRow(skill, tuple(cells)))
    return Grid(tuple(rows))


def worksheets_by_module(rows) -> dict[str, WorkshopAnswer]:
    """The learner's worksheets by module id (a module has at most one workshop)."""
    return {row.module_id: row for row in rows}


def grid_for(db: Session, learner: User, catalog) -> Grid:
    """The learner's grid from their records (5 queries). The caller checked access."""
    progress = {
        row.module_id: row
        for row in db.scalars(select(ModuleProgress).where(ModuleProgress.user_id == learner.id))
    }
    assessments = {
        row.module_id: row
        for row in db.scalars(
            select(SelfAssessment)
            .where(SelfAssessment.user_id == learner.id)
            .order_by(SelfAssessment.created_at, SelfAssessment.id)
        )
    }
    observations = list(db.scalars(select(Observation).where(Observation.user_id == learner.id)))
    worksheets = db.scalars(select(WorkshopAnswer).where(WorkshopAnswer.user_id == learner.id))
    tz = learner.organisation.timezone if learner.organisation else "Europe/Paris"
    return build_grid(
        catalog,
        progress,
        assessments,
        observations,
        tz,
        worksheets_by_module(worksheets),
        skill_validations(db, learner),
    )


def skill_validations(db: Session, learner: User) -> dict[tuple[str, int], Validation]:
    """The trainers' validations of soft-skill levels in force, by (skill, level) (1 query)."""
    found = {}
    for row in db.scalars(
        select(Validation).where(
            Validation.learner_id == learner.id,
            Validation.target_kind == "skill_level",
            Validation.withdrawn_at.is_(None),
        )
    ):
        skill_id, _sep, level = row.target_ref.partition("/")
        if level.isdigit():
            found[(skill_id, int(level))] = row
    return found

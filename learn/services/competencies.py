"""A learner's competency grid: every skill × level, combining quiz mastery, self-assessment and
trainers' observations at work, each cell saying where its state comes from.

Levels 1 and 2 are validated by mastering the level's module (its quiz). Levels 3 and 4 also
need a trainer's validated observation in a real work situation. The trainer's page, the learner's
dashboard and the attestation all read this one computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.models import ModuleProgress, Observation, SelfAssessment, User

LEVELS = (1, 2, 3, 4)
OBSERVED_LEVELS = (3, 4)  # levels that need a validated observation on top of the quiz
STATES = ("validated", "awaiting_observation", "in_progress", "not_started")


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

    @property
    def needs_observation(self) -> bool:
        return self.level in OBSERVED_LEVELS


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


def build_grid(
    catalog,
    progress: dict[str, ModuleProgress],
    self_assessments: dict[str, SelfAssessment],
    observations: list[Observation],
    timezone: str = "Europe/Paris",
) -> Grid:
    """The grid from a learner's records (pure: no database)."""
    tz = ZoneInfo(timezone or "Europe/Paris")
    modules = level_modules(catalog)
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
            validated_on = validated_by = None
            if level in OBSERVED_LEVELS:
                if status == "mastered" and observed:
                    state = "validated"
                    validated_on = max(mastered_on or obs.observed_on, obs.observed_on)
                    validated_by = obs.observer_name
                elif status == "mastered":
                    state = "awaiting_observation"
                elif status != "not_started" or obs is not None or assessment is not None:
                    state = "in_progress"
                else:
                    state = "not_started"
            elif status == "mastered":
                state, validated_on = "validated", mastered_on
            elif status != "not_started" or obs is not None or assessment is not None:
                state = "in_progress"
            else:
                state = "not_started"
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
                )
            )
        rows.append(SkillRow(skill, tuple(cells)))
    return Grid(tuple(rows))


def grid_for(db: Session, learner: User, catalog) -> Grid:
    """The learner's grid from their records (3 queries). The caller checked access."""
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
    tz = learner.organisation.timezone if learner.organisation else "Europe/Paris"
    return build_grid(catalog, progress, assessments, observations, tz)

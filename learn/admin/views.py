"""Organisation admin: a learner's data (export, erasure) and the organisation's audit log."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from learn.admin.forms import EraseForm
from learn.auth.forms import EmptyForm
from learn.i18n import format_when
from learn.models import Role
from learn.models.people import utcnow
from learn.services import audit, certificate, privacy, retention
from learn.services.errors import Forbidden, Invalid
from learn.web.access import staff_required
from learn.web.downloads import attachment
from learn.web.params import int_arg
from learn.web.transactions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 50

ROLE_LABELS = {
    Role.LEARNER: _l("as a learner"),
    Role.TRAINER: _l("as a trainer"),
    Role.ORG_ADMIN: _l("as an organisation admin"),
    Role.PLATFORM_ADMIN: _l("as a platform admin"),
}
TABLE_LABELS = {
    "progress_event": _l("Activity log (events)"),
    "module_progress": _l("Progress by module"),
    "quiz_attempt": _l("Quiz attempts and answers"),
    "workshop_answer": _l("Workshop answers and reviews"),
    "self_assessment": _l("Self-assessments"),
    "placement_result": _l("Placement results"),
    "help_request": _l("Help requests"),
    "satisfaction_response": _l("Satisfaction questionnaires"),
    "observation": _l("Observations at work"),
    "assignment": _l("Individual assignments"),
    "group_membership": _l("Group memberships"),
    "sign_in_code": _l("Sign-in codes (dates only)"),
    "audit_event": _l("Audit log entries about the learner"),
}
REASON_LABELS = {"request": _l("on request"), "retention": _l("retention period over")}


def org_admin_required(view):
    """Signed in as an organisation admin or a platform admin, else 403."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if current_user.role not in (Role.ORG_ADMIN, Role.PLATFORM_ADMIN):
            raise Forbidden()
        return view(*args, **kwargs)

    return wrapper


def audit_helpers() -> dict:
    """The audit log's templates' helpers (a context processor, see learn/web/templating.py)."""

    def describe(entry: audit.Entry) -> dict:
        event = entry.event
        details = audit.details_left(event)
        reason = details.pop("reason", None)
        return {
            "action": audit.describe(entry),  # a sentence: who did what to whom
            "reason": REASON_LABELS.get(reason, reason) if reason else None,
            "details": details,
            "role": ROLE_LABELS.get(event.actor_role, event.actor_role or ""),
        }

    def table_label(name: str) -> str:
        return TABLE_LABELS.get(name, name)

    return {"describe_audit": describe, "is_erased": privacy.is_erased, "table_label": table_label}


@bp.route("/")
@org_admin_required
def index():
    return redirect(url_for("admin.learners"))


@bp.route("/learners")
@org_admin_required
def learners():
    search = request.args.get("q", "")[:80]
    return render_template(
        "admin/learners.html",
        found=privacy.list_learners(db(), current_user, search, int_arg("page") or 1),
        search=search,
        erased=privacy.count_erased(db(), current_user),
    )


@bp.route("/learners/<int:learner_id>")
@staff_required
def learner(learner_id: int):
    person = privacy.get_learner(db(), current_user, learner_id)
    return render_template(
        "admin/learner.html",
        learner=person,
        holdings=privacy.holdings(db(), person),
        form=EmptyForm(),
    )


@bp.route("/learners/<int:learner_id>/export", methods=["POST"])
@staff_required
def export(learner_id: int):
    person = privacy.get_learner(db(), current_user, learner_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("admin.learner", learner_id=person.id))
    filename, data = privacy.export(db(), current_user, person)
    return attachment(data, filename, "application/zip")


@bp.route("/learners/<int:learner_id>/erase", methods=["GET", "POST"])
@staff_required
def erase(learner_id: int):
    person = privacy.get_learner(db(), current_user, learner_id)
    if privacy.is_erased(person):
        flash(_("This account is already erased."), "error")
        return redirect(url_for("admin.learners"))
    form = EraseForm()
    periods, now = retention.Periods.from_config(current_app.config), utcnow()
    plan = retention.plan_for(db(), person, periods)
    if form.validate_on_submit():
        if form.confirm.data.strip().lower() != person.username:
            form.confirm.errors.append(_("This is not the learner's username."))
        else:
            try:
                step, plan = retention.settle(db(), current_user, person, periods, now, "request")
            except Invalid as exc:
                form.form_errors.extend(exc.messages)
            else:
                flash(
                    _("The learner's data is erased. Their statistics stay, anonymous.")
                    if step == retention.ERASE
                    else _(
                        "The account is closed and what the funder requires is kept until "
                        "%(day)s; retention erases it then.",
                        day=format_when(plan.evidence_until),
                    ),
                    "success",
                )
                return redirect(url_for("admin.learners"))
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template(
        "admin/erase.html",
        learner=person,
        holdings=privacy.holdings(db(), person),
        form=form,
        plan=plan,
        step=plan.step(now.date(), False),
        funders=", ".join(certificate.funding_label(f) for f in plan.fundings),
    ), status


@bp.route("/audit")
@org_admin_required
def audit_log():
    learner_id = int_arg("learner")
    found = audit.list_entries(
        db(), current_user, target_id=learner_id, page=int_arg("page") or 1, per_page=PER_PAGE
    )
    return render_template(
        "admin/audit.html",
        entries=found.entries,
        total=found.total,
        page=found.page,
        pages=found.pages,
        learner_id=learner_id,
    )

"""The trainer's workspace: learners and their accounts (the other pages beside this file)."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learn import content
from learn.auth.forms import EmptyForm
from learn.models import Role
from learn.services import (
    accounts,
    assigning,
    audit,
    closing,
    enrolment,
    groups,
    learner_record,
    needs_help,
    tutoring,
)
from learn.services.errors import Invalid, NotFound
from learn.trainer import report_tables
from learn.trainer.blueprint import bp, group_choices, org_timezone
from learn.trainer.forms import NewLearnerForm
from learn.web.access import staff_required
from learn.web.i18n import select_locale
from learn.web.params import int_arg, parse_id
from learn.web.transactions import db, records_audit


@bp.route("/learners")
@staff_required
def learners():
    search = request.args.get("q", "")[:80]
    found = accounts.list_learners(db(), current_user, search, int_arg("page") or 1)
    return render_template("trainer/learners.html", found=found, search=search)


@bp.route("/learners/new", methods=["GET", "POST"])
@staff_required
def new_learner():
    form = NewLearnerForm()
    form.group.choices = group_choices(_("No group"))
    proposed = None
    if request.method == "POST" and not (form.username.data or "").strip():
        # Without JavaScript, the first sending proposes the username; the second creates.
        form.validate_on_submit()
        proposed = enrolment.propose_username(db(), form.display_name.data or "")
        form.username.data = proposed or ""
        status = 400 if (form.errors or not proposed) else 200
        return render_template(
            "trainer/new_learner.html",
            form=form,
            proposed=proposed,
            password_dropped=bool(form.password.data),
        ), status
    if form.validate_on_submit():
        try:
            group = None
            if form.group.data:
                group_id = parse_id(form.group.data)
                if group_id is None:
                    raise NotFound()
                group = groups.get_group(db(), current_user, group_id)
            groups.check_group_for_new_learner(current_user, group)
            created = accounts.create_account(
                db(),
                organisation=current_user.organisation,
                username=form.username.data,
                display_name=form.display_name.data,
                role=Role.LEARNER,
                password=form.password.data or None,
                with_code=form.with_code.data,
                created_by=current_user,
                code_days=current_app.config["LEARN_CODE_DAYS"],
            )
            groups.place_new_learner(db(), current_user, group, created.user)
            audit.record(db(), current_user, "learner.create", target=created.user)
        except Invalid as exc:
            form.form_errors.extend(exc.messages)
        else:
            return render_template(
                "trainer/sign_in_card.html", learner=created.user, code=created.code
            )
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template("trainer/new_learner.html", form=form), status


@bp.route("/learners/username-proposal")
@staff_required
def username_proposal():
    """The username proposed for a name, for the new-learner form's script (the same as the
    form proposes without script)."""
    name = request.args.get("name", "")[: enrolment.MAX_NAME]
    return jsonify(username=enrolment.propose_username(db(), name))


@bp.route("/learners/<int:learner_id>")
@staff_required
@records_audit
def learner(learner_id: int):
    catalog = content.catalog()
    record = learner_record.learner_record(db(), current_user, learner_id, catalog)
    audit.record(db(), current_user, "learner.view", target=record.learner)
    lang, tz = select_locale(), org_timezone()
    tables = {
        name: build(record, catalog, lang, tz)
        for name, build in report_tables.LEARNER_TABLES.items()
    }
    return render_template(
        "trainer/learner.html",
        learner=record.learner,
        referentiels=getattr(catalog, "referentiels", ()),
        record=record,
        tables=tables,
        catalog=catalog,
        lang=lang,
        tz=tz,
        describe=needs_help.describe,
        label=assigning.target_label,
        visits=learner_record.visits(record.events),
        event_words=report_tables.event_words,
        form=EmptyForm(),
        tutors=tutoring.tutors_of(db(), record.learner),
        tutor_assessments=tutoring.for_learner(db(), record.learner),
        # The print view is the page with every attempt's answers unfolded; the print stylesheet
        # leaves out the navigation, the buttons and the forms.
        printing=request.args.get("view") == "print",
    )


@bp.route("/learners/<int:learner_id>/code", methods=["POST"])
@staff_required
def new_code(learner_id: int):
    person = accounts.get_learner(db(), current_user, learner_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for("trainer.learner", learner_id=person.id))
    if closing.is_closed(person):
        flash(_("This account is closed: reopen it first."), "error")
        return redirect(url_for("trainer.learner", learner_id=person.id))
    # A new code also signs the learner out everywhere (the card may have been lost).
    code = accounts.issue_code(
        db(), person, current_user, days=current_app.config["LEARN_CODE_DAYS"]
    )
    audit.record(db(), current_user, "learner.new_code", target=person)
    return render_template("trainer/sign_in_card.html", learner=person, code=code)


@bp.route("/learners/<int:learner_id>/sign-out", methods=["POST"])
@staff_required
def sign_out_everywhere(learner_id: int):
    person = accounts.get_learner(db(), current_user, learner_id)
    form = EmptyForm()
    if form.validate_on_submit():
        accounts.end_all_sessions(db(), person)
        audit.record(db(), current_user, "learner.sign_out_everywhere", target=person)
        flash(_("%(name)s is signed out on every device.", name=person.display_name), "success")
    return redirect(url_for("trainer.learner", learner_id=person.id))

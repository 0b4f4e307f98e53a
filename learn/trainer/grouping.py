"""Groups and assignments: create, rename, archive, members; assign, edit, remove."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from learn import content
from learn.auth.forms import EmptyForm
from learn.services import accounts, assigning, group_overview, groups
from learn.services.errors import Invalid
from learn.trainer import report_tables
from learn.trainer.blueprint import bp, int_values, org_timezone
from learn.trainer.forms import AssignmentEditForm, AssignmentForm, GroupForm
from learn.web.access import staff_required
from learn.web.i18n import select_locale
from learn.web.params import parse_id
from learn.web.transactions import db


@bp.route("/groups", methods=["GET", "POST"])
@staff_required
def groups_page():
    form = GroupForm()
    status = 200
    if form.validate_on_submit():
        try:
            group = groups.create_group(db(), current_user, form.name.data)
        except Invalid as exc:
            form.name.errors = [*form.name.errors, *exc.messages]
        else:
            flash(_("The group “%(name)s” is created.", name=group.name), "success")
            return redirect(url_for("trainer.group", group_id=group.id))
    if form.errors:
        status = 400
    return render_template(
        "trainer/groups.html",
        form=form,
        active=groups.list_groups(db(), current_user),
        archived=groups.list_groups(db(), current_user, archived=True),
        restricted=accounts.restricted_to_groups(current_user),
    ), status


def _group_page(group, rename_form=None, status=200, errors=()):
    search = request.args.get("q", "")[:60]
    overview = group_overview.group_overview(db(), current_user, group, content.catalog())
    return render_template(
        "trainer/group.html",
        group=group,
        overview=overview,
        members=[line.learner for line in overview],
        reason_label=report_tables.reason_label,
        tz=org_timezone(),
        trainers=groups.trainers(db(), group),
        addable=groups.addable_people(db(), current_user, group, search),
        search=search,
        assignments=assigning.for_group(db(), current_user, group),
        catalog=content.catalog(),
        lang=select_locale(),
        label=assigning.target_label,
        rename_form=rename_form or GroupForm(formdata=None, name=group.name),
        form=EmptyForm(),
        errors=errors,
    ), status


@bp.route("/groups/<int:group_id>")
@staff_required
def group(group_id: int):
    return _group_page(groups.get_group(db(), current_user, group_id))


@bp.route("/groups/<int:group_id>/rename", methods=["POST"])
@staff_required
def rename_group(group_id: int):
    group = groups.get_group(db(), current_user, group_id)
    form = GroupForm()
    if form.validate_on_submit():
        try:
            groups.rename_group(db(), current_user, group, form.name.data)
        except Invalid as exc:
            form.name.errors = [*form.name.errors, *exc.messages]
        else:
            flash(_("The group is renamed."), "success")
            return redirect(url_for("trainer.group", group_id=group.id))
    return _group_page(group, rename_form=form, status=400)


@bp.route("/groups/<int:group_id>/archive", methods=["POST"])
@staff_required
def archive_group(group_id: int):
    group = groups.get_group(db(), current_user, group_id)
    if EmptyForm().validate_on_submit():
        archived = request.form.get("archived") != "0"
        groups.set_archived(db(), current_user, group, archived)
        flash(
            _("The group is archived: its assignments no longer apply, nothing is deleted.")
            if archived
            else _("The group is active again."),
            "success",
        )
    return redirect(url_for("trainer.group", group_id=group.id))


@bp.route("/groups/<int:group_id>/members", methods=["POST"])
@staff_required
def add_members(group_id: int):
    group = groups.get_group(db(), current_user, group_id)
    if EmptyForm().validate_on_submit():
        try:
            added = groups.add_people(
                db(), current_user, group, int_values(request.form.getlist("user_id"))
            )
        except Invalid as exc:
            return _group_page(group, status=400, errors=exc.messages)
        flash(
            ngettext(
                "%(num)d person added to the group.", "%(num)d people added to the group.", added
            ),
            "success",
        )
    return redirect(url_for("trainer.group", group_id=group.id))


@bp.route("/groups/<int:group_id>/members/<int:user_id>/remove", methods=["POST"])
@staff_required
def remove_member(group_id: int, user_id: int):
    group = groups.get_group(db(), current_user, group_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("trainer.group", group_id=group.id))
    person = groups.remove_person(db(), current_user, group, user_id)
    flash(
        _("%(name)s is no longer in the group; their progress is kept.", name=person.display_name),
        "success",
    )
    return redirect(url_for("trainer.group", group_id=group.id))


# --- assignments ------------------------------------------------------------------------------


def _assignment_form(group=None, learner=None):
    catalog, lang = content.catalog(), select_locale()
    form = AssignmentForm()
    members = groups.members(db(), current_user, group) if group is not None else []
    status = 200
    if form.validate_on_submit() and _target_chosen(form, catalog):
        chosen = int_values(request.form.getlist("learner_id"))
        try:
            if learner is not None:
                created = assigning.create(
                    db(),
                    current_user,
                    catalog,
                    target=form.target.data,
                    learner_ids=[learner.id],
                    due_on=form.due_on.data,
                    easy_read=form.easy_read.data,
                )
            elif form.audience.data == "learners":
                if not set(chosen) <= {m.id for m in members}:
                    raise Invalid(_("Choose learners of this group."))
                created = assigning.create(
                    db(),
                    current_user,
                    catalog,
                    target=form.target.data,
                    learner_ids=chosen or [],
                    due_on=form.due_on.data,
                    easy_read=form.easy_read.data,
                )
            else:
                created = assigning.create(
                    db(),
                    current_user,
                    catalog,
                    target=form.target.data,
                    group=group,
                    due_on=form.due_on.data,
                    easy_read=form.easy_read.data,
                )
        except Invalid as exc:
            form.form_errors.extend(exc.messages)
        else:
            flash(_("Assigned (%(n)d).", n=len(created)), "success")
            if learner is not None:
                return redirect(url_for("trainer.learner", learner_id=learner.id))
            return redirect(url_for("trainer.group", group_id=group.id))
    if form.errors or form.form_errors:
        status = 400
    search = request.args.get("q", "")[:60]
    chosen_target = form.target.data or ""
    return render_template(
        "trainer/assign.html",
        form=form,
        tree=assigning.target_tree(catalog, lang, search),
        search=search,
        chosen_target=chosen_target,
        confirming=chosen_target.startswith("course:") and bool(form.confirm_course.errors),
        group=group,
        learner=learner,
        members=members,
        chosen={parse_id(v) for v in request.form.getlist("learner_id")} - {None},
    ), status


def _target_chosen(form, catalog) -> bool:
    """The picker's choice is one it offers; a whole course needs its confirmation box ticked
    (it can be dozens of modules: it must never be assigned by a slip)."""
    if form.target.data not in assigning.target_values(catalog):
        form.target.errors = [_("Choose what to assign.")]
        return False
    if form.target.data.startswith("course:") and not form.confirm_course.data:
        form.confirm_course.errors = [
            _("You chose a whole course: tick the box to confirm, or choose a skill or a module.")
        ]
        return False
    return True


@bp.route("/groups/<int:group_id>/assign", methods=["GET", "POST"])
@staff_required
def assign_group(group_id: int):
    return _assignment_form(group=groups.get_group(db(), current_user, group_id))


@bp.route("/learners/<int:learner_id>/assign", methods=["GET", "POST"])
@staff_required
def assign_learner(learner_id: int):
    return _assignment_form(learner=accounts.get_learner(db(), current_user, learner_id))


def _back_from(assignment):
    if assignment.group_id is not None:
        return url_for("trainer.group", group_id=assignment.group_id)
    return url_for("trainer.learner", learner_id=assignment.user_id)


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_assignment(assignment_id: int):
    assignment = assigning.get(db(), current_user, assignment_id)
    form = AssignmentEditForm(obj=assignment)
    if form.validate_on_submit():
        try:
            assigning.update(
                db(),
                current_user,
                assignment,
                due_on=form.due_on.data,
                easy_read=form.easy_read.data,
            )
        except Invalid as exc:
            form.form_errors.extend(exc.messages)
        else:
            flash(_("The assignment is changed."), "success")
            return redirect(_back_from(assignment))
    catalog = content.catalog()
    return render_template(
        "trainer/assignment_edit.html",
        form=form,
        assignment=assignment,
        label=assigning.target_label(
            catalog, assignment.target_kind, assignment.target_ref, select_locale()
        ),
        back=_back_from(assignment),
        delete_form=EmptyForm(),
    ), (400 if form.errors or form.form_errors else 200)


@bp.route("/assignments/<int:assignment_id>/delete", methods=["POST"])
@staff_required
def delete_assignment(assignment_id: int):
    assignment = assigning.get(db(), current_user, assignment_id)
    back = _back_from(assignment)
    if EmptyForm().validate_on_submit():
        assigning.remove(db(), current_user, assignment)
        flash(_("The assignment is removed. The learners keep their progress."), "success")
    return redirect(back)

"""Forms of the trainer's side. Lengths are checked here (a message, never a cut) and again by
the services, which own the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from learn.forms import Form
from learn.i18n import LANGUAGE_NAMES
from learn.services.groups import MAX_GROUP_NAME
from learn.services.observations import (
    MAX_EVIDENCE,
    MAX_OBSERVER_NAME,
    MAX_OBSERVER_ROLE,
    MAX_SITUATION,
)
from learn.services.review import MAX_COMMENT
from learn.services.tutoring import MAX_COMPANY

# WTForms' own messages, marked here so that they are translated with ours.
_WTFORMS_MESSAGES = (_l("Not a valid date value."), _l("Not a valid choice."))


def too_long(n: int):
    return Length(max=n, message=_l("At most %(max)d characters: shorten it.", max=n))


def name_field(missing) -> StringField:
    """The name shown of a new account (a learner, a tutor): required, 120 characters at most."""
    return StringField(
        _l("Name shown"),
        validators=[DataRequired(message=missing), too_long(120)],
        render_kw={"autocomplete": "off"},
    )


def username_field(description) -> StringField:
    """The username of a new account: left empty, the page proposes one made from the name (as
    the CSV import does)."""
    return StringField(
        _l("Username"),
        validators=[Optional(), too_long(64)],
        description=description,
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )


class NewLearnerForm(Form):
    display_name = name_field(_l("Enter the learner's name."))
    username = username_field(
        _l(
            "Lower-case letters, digits, dots or dashes, for example: amina.diallo. Leave it "
            "empty to get one made from the name."
        )
    )
    password = PasswordField(
        _l("Password (optional)"),
        validators=[Optional(), too_long(256)],
        description=_l("At least 8 characters. Leave empty to print a one-time sign-in code."),
        render_kw={"autocomplete": "new-password"},
    )
    with_code = BooleanField(_l("Make a one-time sign-in code to print"), default=True)
    group = SelectField(_l("Group (optional)"), choices=[], validate_choice=False)


class GroupForm(Form):
    name = StringField(
        _l("Group name"),
        validators=[DataRequired(message=_l("Enter the group's name.")), too_long(MAX_GROUP_NAME)],
        render_kw={"autocomplete": "off"},
    )


class ImportForm(Form):
    file = FileField(
        _l("CSV file"),
        description=_l(
            "One learner per line. Columns: nom (or prénom and nom), identifiant (optional: "
            "made from the name when empty), groupe (optional; several groups separated by |)."
        ),
        render_kw={"accept": ".csv,text/csv"},
    )
    group = SelectField(_l("Put every learner of the file in this group"), choices=[])


class AssignmentForm(Form):
    # Radio buttons in a tree (templates/trainer/assign.html); nothing is chosen at first.
    target = StringField(
        _l("What to assign"), validators=[InputRequired(message=_l("Choose what to assign."))]
    )
    confirm_course = BooleanField(_l("Yes, assign every module of this course"))
    audience = RadioField(
        _l("For whom"),
        choices=[
            SelectChoice("group", _l("The whole group")),
            SelectChoice("learners", _l("Chosen learners")),
        ],
        default="group",
    )
    due_on = DateField(
        _l("Due date (optional)"),
        validators=[Optional()],
        description=_l("Leave empty for no due date."),
    )
    easy_read = BooleanField(_l("Show the easy-read version"))


class AssignmentEditForm(Form):
    due_on = DateField(
        _l("Due date (optional)"),
        validators=[Optional()],
        description=_l("Leave empty for no due date."),
    )
    easy_read = BooleanField(_l("Show the easy-read version"))


class ReviewForm(Form):
    decision = RadioField(
        _l("Your decision"),
        choices=[
            SelectChoice("accepted", _l("Accept the worksheet")),
            SelectChoice("needs_revision", _l("Ask for a new version")),
        ],
        validators=[DataRequired(message=_l("Choose: accept, or ask for a new version."))],
    )
    comment = TextAreaField(
        _l("Comment for the learner"),
        validators=[too_long(MAX_COMMENT)],
        description=_l("Required when you ask for a new version: say what to improve."),
    )
    version = HiddenField()


RATING_LABELS = {
    "not-yet": _l("Not yet"),
    "partly": _l("Partly"),
    "yes": _l("Yes"),
}


def rating_field_name(criterion_id: str) -> str:
    return f"rating-{criterion_id}"


def review_form(rubric: tuple = (), **kwargs) -> ReviewForm:
    """The review form, with one required rating (not yet / partly / yes) per rubric criterion;
    each choice is labelled by its rating and described by the criterion's descriptor."""
    if not rubric:
        return ReviewForm(**kwargs)
    fields = {
        rating_field_name(c.id): RadioField(
            c.text,
            choices=[SelectChoice(r, RATING_LABELS[r]) for r in RATING_LABELS],
            validators=[
                DataRequired(message=_l("Rate the criterion “%(criterion)s”.", criterion=c.text))
            ],
        )
        for c in rubric
    }
    form_class = type("RubricReviewForm", (ReviewForm,), fields)
    return form_class(**kwargs)


class ObservationForm(Form):
    observed_on = DateField(
        _l("Date of the observation"),
        validators=[DataRequired(message=_l("Give the date of the observation."))],
    )
    situation = StringField(
        _l("Work situation"),
        validators=[
            DataRequired(message=_l("Describe the work situation.")),
            too_long(MAX_SITUATION),
        ],
        description=_l("For example: morning briefing on the building site."),
    )
    evidence = TextAreaField(
        _l("What you saw"),
        validators=[DataRequired(message=_l("Say what you saw.")), too_long(MAX_EVIDENCE)],
        description=_l("The facts: what the learner did or said."),
    )
    validated = RadioField(
        _l("Is the level shown?"),
        choices=[
            SelectChoice("yes", _l("Yes: the level is validated")),
            SelectChoice("no", _l("Not yet")),
        ],
        validators=[DataRequired(message=_l("Say whether the level is shown."))],
    )
    observer_name = StringField(
        _l("Name of the observer"),
        validators=[too_long(MAX_OBSERVER_NAME)],
        description=_l("For example a workplace tutor who has no account. Empty: you observed."),
        render_kw={"autocomplete": "off"},
    )
    observer_role = StringField(
        _l("Role of the observer"),
        validators=[too_long(MAX_OBSERVER_ROLE)],
        description=_l("Choose a suggestion or type another role."),
        render_kw={"autocomplete": "off", "list": "observer-roles"},
    )


class RestrictionForm(Form):
    restrict = BooleanField(_l("Trainers see only the learners of their own groups"))


class DefaultLanguageForm(Form):
    """The organisation's interface language, for its members who chose none."""

    default_locale = SelectField(
        _l("Interface language"),
        choices=[SelectChoice("", _l("The language of each person's browser"))]
        + [
            SelectChoice(code, name, render_kw={"lang": code})
            for code, name in LANGUAGE_NAMES.items()
        ],
        description=_l(
            "For the learners and the staff who have not chosen a language with the switch at"
            " the top of the page. Their own choice always wins."
        ),
    )


class RenameLearnerForm(Form):
    """A learner's name and username, changed under the rules of a new account."""

    display_name = StringField(
        _l("Name shown"),
        validators=[DataRequired(message=_l("Enter the learner's name.")), too_long(120)],
        render_kw={"autocomplete": "off"},
    )
    username = StringField(
        _l("Username"),
        validators=[DataRequired(message=_l("Enter a username.")), too_long(64)],
        description=_l(
            "Lower-case letters, digits, dots or dashes, for example: amina.k. The learner "
            "signs in with the new username from now on; the password stays the same."
        ),
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )


class CloseLearnerForm(Form):
    """A learner's exit ("sortie"): the day the contract ended and why."""

    closed_on = DateField(
        _l("Exit date"),
        validators=[DataRequired(message=_l("Give the date the contract ended."))],
        description=_l("The last day of the contract. Not in the future."),
    )
    reason = SelectField(
        _l("Reason for leaving"),
        choices=[],
        validators=[DataRequired(message=_l("Choose the reason the learner left."))],
    )


class NewTutorForm(Form):
    display_name = name_field(_l("Enter the tutor's name."))
    username = username_field(_l("Leave it empty to get one made from the name."))
    company = StringField(
        _l("Host company (optional)"),
        validators=[too_long(MAX_COMPANY)],
        description=_l("Where the tutor supervises learners, for example: Supermarché du Port."),
        render_kw={"autocomplete": "off"},
    )


class TutorLinkForm(Form):
    learner = SelectField(_l("Learner"), choices=[], validate_choice=False)

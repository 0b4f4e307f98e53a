"""Forms of the organisation admin's pages."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from learn.forms import Form


class EraseForm(Form):
    """Erasure cannot be undone: the admin types the learner's username to confirm."""

    confirm = StringField(
        _l("Type the learner's username to confirm"),
        validators=[DataRequired(message=_l("Type the username to confirm.")), Length(max=64)],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )


class NewStaffForm(Form):
    """A trainer or an organisation admin, created with a one-time code to print."""

    display_name = StringField(
        _l("Name shown"),
        validators=[DataRequired(message=_l("Enter the person's name.")), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
    username = StringField(
        _l("Username"),
        validators=[DataRequired(message=_l("Enter a username.")), Length(max=64)],
        description=_l("Lower-case letters, digits, dots or dashes, for example: claire.m"),
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("trainer", _l("Trainer")),
            SelectChoice("org_admin", _l("Organisation admin (manages staff and learners' data)")),
        ],
        default="trainer",
    )
    organisation = SelectField(_l("Organisation"), choices=[], validate_choice=False)

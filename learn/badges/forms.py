"""Forms of the credentials' pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from learn.forms import Form
from learn.models.credentials import CREDENTIAL_KINDS
from learn.services.credentials import REVOCATION_REASONS


class IssueForm(Form):
    kind = HiddenField(validators=[DataRequired()])
    ref = HiddenField(validators=[DataRequired(), Length(max=120)])

    def validate_kind(self, field):
        if field.data not in CREDENTIAL_KINDS:
            raise ValidationError(_l("Not a valid choice."))


class RevokeForm(Form):
    reason = SelectField(
        _l("Reason"),
        choices=[SelectChoice("", _l("Choose a reason"))]
        + [SelectChoice(value, label) for value, label in REVOCATION_REASONS.items()],
        validators=[DataRequired(message=_l("Choose a reason."))],
    )


class ShowNameForm(Form):
    show_name = BooleanField(_l("Show my name on the credentials issued to me from now on"))


class NameCheckForm(Form):
    name = StringField(
        _l("Name of the person who showed you this credential"),
        validators=[
            DataRequired(message=_l("Enter a name.")),
            Length(max=200, message=_l("At most %(max)d characters: shorten it.", max=200)),
        ],
        render_kw={"autocomplete": "off"},
    )


class TransferForm(Form):
    partner = StringField(
        _l("Identifier of the partner organisation"),
        validators=[
            DataRequired(message=_l("Enter the partner's identifier.")),
            Length(max=80, message=_l("At most %(max)d characters: shorten it.", max=80)),
        ],
        description=_l("The short name it has in Parcours, for example « mission-locale-nord »."),
    )


class ConsentForm(Form):
    workshops = BooleanField(_l("Also send the texts I wrote in the workshops"))


class DecideForm(Form):
    username = StringField(
        _l("Username of the new account"),
        validators=[Length(max=64, message=_l("At most %(max)d characters: shorten it.", max=64))],
        render_kw={"autocomplete": "off"},
    )


class ExportForm(Form):
    destination = StringField(
        _l("Partner who will receive the file"),
        validators=[
            DataRequired(message=_l("Name the partner who will receive the file.")),
            Length(max=200, message=_l("At most %(max)d characters: shorten it.", max=200)),
        ],
        description=_l("Its name, for the learner: « Mission locale de Lyon », for example."),
    )


class ImportFileForm(Form):
    file = FileField(
        _l("Export file (.json)"),
        description=_l(
            "The signed file the other Parcours gave: a learner's record or their passport."
        ),
        render_kw={"accept": ".json,application/json,application/ld+json"},
    )


class ImportConfirmForm(Form):
    document = HiddenField(validators=[DataRequired()])
    learner = SelectField(_l("Whose record it becomes"), choices=[], validate_choice=False)
    username = StringField(
        _l("Username of the new account"),
        validators=[Length(max=64, message=_l("At most %(max)d characters: shorten it.", max=64))],
        description=_l("Only when you create a new account."),
        render_kw={"autocomplete": "off"},
    )
    confirm = BooleanField(
        _l("I checked that this profile address is the partner's"),
        validators=[DataRequired(message=_l("Check the partner's address first."))],
    )

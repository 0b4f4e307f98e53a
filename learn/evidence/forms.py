"""The form a learner sends evidence with. The files are read by the view from request.files
and checked by their content in learn/services/evidence_files.py."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from learn.forms import Form
from learn.services.evidence import MAX_NOTE


class EvidenceForm(Form):
    target = SelectField(
        _l("What does it show?"),
        validators=[DataRequired(message=_l("Choose what this evidence shows from the list."))],
        validate_choice=False,  # the service checks the target against the catalogue
    )
    note = TextAreaField(
        _l("In a few words (or instead of a file)"),
        validators=[Length(max=MAX_NOTE, message=_l("At most %(max)d characters: shorten it."))],
        description=_l("Say what you did, where and when. A text alone is evidence too."),
    )

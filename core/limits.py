"""How much a person types in one field. The whole source document of the observatory (the
2016 restitution of Savoie–Bignona, every chapter) is 13 600 characters: 20 000 for a summary,
a cross view or an introduction leaves room for the longest account someone writes, and keeps
one field from weighing on every page and PDF that shows it (2.5 MB were accepted before, each
100 KB adding seconds to a render). Longer material goes in an attached document."""

from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: Characters in one long text typed in a form: summaries, follow-ups, cross views, a
#: restitution's introduction and conclusion, in each language.
LONG_TEXT_MAX = 20_000


@deconstructible(path="core.limits.LongTextValidator")
class LongTextValidator(MaxLengthValidator):
    """MaxLengthValidator with a message that says how long the text is and what to do; the
    form keeps what was typed, so nothing is lost while it is shortened."""

    message = _(
        "This text has %(show_value)s characters: at most %(limit_value)s fit here (about "
        "seven pages). Shorten it."
    )

    def __init__(self, limit_value: int = LONG_TEXT_MAX, message: str | None = None) -> None:
        super().__init__(limit_value, message)


def long_text_validators() -> list[LongTextValidator]:
    return [LongTextValidator(LONG_TEXT_MAX)]

"""What the site writes to its log (LOGGING in config/settings.py)."""

import logging

from django.core.exceptions import PermissionDenied


class PermissionDeniedOneLine(logging.Filter):
    """A refusal (PermissionDenied, answered with a 403 page that says why) is an ordinary
    event, not a fault: one warning line with the address and the user's id instead of
    Django's full traceback, which buried the log under a screen of frames per refusal."""

    def filter(self, record: logging.LogRecord) -> bool:
        exception = record.exc_info[1] if record.exc_info else None
        if isinstance(exception, PermissionDenied):
            request = getattr(record, "request", None)
            user = getattr(request, "user", None)
            who = user.pk if user is not None and user.is_authenticated else "anonymous"
            record.msg = f"{record.msg} (user %s)"
            record.args = (*(record.args or ()), who)
            record.exc_info = None
            record.exc_text = None
        return True

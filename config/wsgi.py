import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from core.database import limit_statements

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# No query of a request outlives it: each stops at DATABASE_STATEMENT_TIMEOUT_MS.
limit_statements(settings.DATABASE_STATEMENT_TIMEOUT_MS)

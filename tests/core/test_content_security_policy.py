"""Every page is served with a strict Content-Security-Policy, and nothing in the templates
needs 'unsafe-inline' (the browser journeys in e2e/ run under that policy)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

TEMPLATE_FILES = sorted(
    path
    for folder in [settings.BASE_DIR / "templates", *settings.BASE_DIR.glob("*/templates")]
    for path in Path(folder).rglob("*.html")
)
INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)


def test_pages_are_served_with_a_strict_policy(client, partnership):
    policy = client.get("/fr/questionings/")["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    "template", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(settings.BASE_DIR))
)
def test_no_template_holds_inline_scripts_styles_or_handlers(template):
    assert not INLINE_CODE.search(template.read_text(encoding="utf-8"))

"""Who may do what: every page and action of the site, for every role, in one table.

Rows are a URL name, a method and the object it acts on; columns are the roles; a cell is
the expected outcome. `tests/test_role_matrix.py` walks every cell through the test client
(logged in as the named cast of `tests/conftest.py`) and fails when one is wrong, when a URL
name of the site has no row, or when a role has no column. README.md's section "Who may do
what" is this table as Markdown: `python -m tests.core.access` prints it.
"""

from dataclasses import dataclass

# --- Outcomes ----------------------------------------------------------------------------------

OK = "200"  # the page shows
DONE = "302"  # the action is done, then a redirect (not to a login page)
REFUSED = "200 form"  # the form comes back with an error saying why; nothing is saved
LOGIN = "login"  # a redirect to the login page (the admin's own for admin pages)
DENIED = "403"  # a page that says why not
MISSING = "404"

LEGEND = {
    OK: "the page shows",
    DONE: "the action is done, then a redirect",
    REFUSED: "the form comes back with a message saying why; nothing is saved",
    LOGIN: "sent to the login page (the admin's for admin pages); nothing is saved",
    DENIED: "a page that says why not; nothing is saved",
    MISSING: "not found (also for an object one may not reach by guessing its id)",
}


# --- Columns: every role, and anonymous visitors -------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the fixture of tests/conftest.py that logs in as this role ("anonymous": nobody)
    label: str
    role: str | None  # partners.Profile.Role value; None for anonymous visitors


COLUMNS = (
    Column("anonymous", "anonymous", None),
    Column("officer_savoie", "officer Savoie", "officer"),
    Column("officer_bignona", "officer Bignona", "officer"),
    Column("elected_official", "elected official", "elected_official"),
    Column("administrator", "administrator", "administrator"),
)


# --- Rows: every page and action -----------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str  # URL name
    method: str
    target: str  # which object (tests/test_role_matrix.py builds each one)
    cells: tuple[str, ...]  # one outcome per column, in COLUMNS' order

    def outcome(self, column: Column) -> str:
        return self.cells[COLUMNS.index(column)]


def _row(name: str, method: str, target: str, *cells: str) -> Row:
    assert len(cells) == len(COLUMNS), f"{name} {method} {target}: one cell per column"
    return Row(name, method, target, cells)


NOTHING = "—"
SAVOIE_EXCHANGE = "exchange hosted by Savoie, Bignona's delegation visiting"
BIGNONA_EXCHANGE = "exchange hosted by Bignona, Savoie's delegation visiting"
DELETED_EXCHANGE = "deleted exchange"
UNKNOWN_EXCHANGE = "unknown exchange id"
SAVOIE_SIDE = "Savoie's side of a Savoie-hosted exchange"
BIGNONA_SIDE = "Bignona's side of a Savoie-hosted exchange"
UNKNOWN_SIDE = "side of a territory outside the partnership"
DELETED_SIDE = "Savoie's side of a deleted exchange"
NEW_SAVOIE_EXCHANGE = "new exchange hosted by Savoie, Bignona's delegation visiting"
NEW_SAVOIE_LOCAL_EXCHANGE = "new local exchange of Savoie (nobody travelled)"
SAVOIE_LOCAL_EXCHANGE = "local exchange of Savoie (nobody travelled)"
NEW_SAVOIE_ESTABLISHMENT = "new establishment in Savoie"
SAVOIE_ATTACHMENT = "file added by Savoie's officer to a Savoie-hosted exchange"
BIGNONA_ATTACHMENT = "file added by Bignona's officer to a Savoie-hosted exchange"
SAVOIE_LOCAL_ATTACHMENT = "file added by Savoie's officer to a local exchange of Savoie"
DELETED_ATTACHMENT = "file of a deleted exchange"
UNKNOWN_ATTACHMENT = "unknown file id"
UNKNOWN_UPLOAD = "document being sent by someone else, or unknown"
PUBLISHED = "published restitution (2016)"
PUBLISHED_AS_DRAFT = "published restitution, its live draft (?draft=1)"
DRAFT = "draft restitution (2017)"
NO_RESTITUTION = "year without a restitution"
NEW_RESTITUTION = "year with exchanges and no restitution"
PUBLISHED_FILE = "file of published version 1"
FAILED_FILE = "file of version 2, whose rendering failed"
DRAFT_FILE = "file of the draft restitution (never published)"
UNKNOWN_EDITION = "file in an edition that does not exist"
PUBLISHED_STYLESHEET = "stylesheet of published version 1"
FAILED_STYLESHEET = "stylesheet of version 2, whose rendering failed"
DRAFT_PDF = "PDF of the draft restitution (2017), rendered"
DRAFT_PDF_OTHER_YEAR = "PDF of the 2017 draft, asked under 2016's address"
OTHER_EXCHANGE = "exchange of another partnership (Isère – Kolda)"
OTHER_SIDE = "Isère's side of another partnership's exchange"
OTHER_ATTACHMENT = "file of another partnership's exchange"
OTHER_RESTITUTION = "year only another partnership has a restitution for (2015)"
SAVOIE_CHANGE = "change recorded by Savoie, with its evidence file"
NEW_SAVOIE_CHANGE = "new change on Savoie"
OTHER_CHANGE = "change of another partnership (Isère – Kolda)"
WRONG_PASSWORD = "wrong password"
KNOWN_ADDRESS = "the address of an account"
INVALID_RESET_LINK = "a link that is wrong or already used"
VALID_RESET_LINK = "officer Savoie's valid link"

# Columns: anonymous, officer Savoie, officer Bignona, elected official, administrator.
ROWS = (
    # Public pages
    _row("home", "GET", NOTHING, OK, OK, OK, OK, OK),
    # The installable app: its manifest and its service worker (core/webapp.py).
    _row("webmanifest", "GET", NOTHING, OK, OK, OK, OK, OK),
    _row("service_worker", "GET", NOTHING, OK, OK, OK, OK, OK),
    # The site's icon where browsers and crawlers look for it (core/webapp.py).
    _row("favicon", "GET", NOTHING, OK, OK, OK, OK, OK),
    _row("questionings", "GET", NOTHING, OK, OK, OK, OK, OK),
    _row("login", "GET", NOTHING, OK, OK, OK, OK, OK),
    _row("login", "POST", WRONG_PASSWORD, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED),
    _row("logout", "POST", NOTHING, DONE, DONE, DONE, DONE, DONE),
    # A forgotten password (or an invitation): Django's own views, the email sent by the worker
    _row("password_reset", "GET", NOTHING, OK, OK, OK, OK, OK),
    _row("password_reset", "POST", KNOWN_ADDRESS, DONE, DONE, DONE, DONE, DONE),
    _row("password_reset_done", "GET", NOTHING, OK, OK, OK, OK, OK),
    _row("password_reset_confirm", "GET", VALID_RESET_LINK, DONE, DONE, DONE, DONE, DONE),
    _row("password_reset_confirm", "GET", INVALID_RESET_LINK, OK, OK, OK, OK, OK),
    _row("password_reset_complete", "GET", NOTHING, OK, OK, OK, OK, OK),
    # Exchanges: members read them all; either side that took part (host or delegation)
    # logs and changes one; each side writes its own cross view
    _row("exchange_list", "GET", NOTHING, LOGIN, OK, OK, OK, OK),
    # What this device keeps for sending (the app's page without a connection).
    _row("exchange_outbox", "GET", NOTHING, LOGIN, OK, OK, OK, OK),
    # Whose session this is (the outbox asks before sending): {"user": null} when anonymous.
    _row("exchange_outbox_account", "GET", NOTHING, OK, OK, OK, OK, OK),
    _row("exchange_export", "GET", NOTHING, LOGIN, OK, OK, OK, OK),
    _row("exchange_to_write", "GET", NOTHING, LOGIN, OK, OK, DENIED, OK),
    _row("exchange_create", "GET", NOTHING, LOGIN, OK, OK, DENIED, OK),
    _row("exchange_create", "POST", NEW_SAVOIE_EXCHANGE, LOGIN, DONE, DONE, DENIED, DONE),
    _row("exchange_create", "POST", NEW_SAVOIE_LOCAL_EXCHANGE, LOGIN, DONE, REFUSED, DENIED, DONE),
    _row("exchange_detail", "GET", SAVOIE_EXCHANGE, LOGIN, OK, OK, OK, OK),
    _row("exchange_detail", "GET", DELETED_EXCHANGE, LOGIN, MISSING, MISSING, MISSING, MISSING),
    _row("exchange_detail", "GET", UNKNOWN_EXCHANGE, LOGIN, MISSING, MISSING, MISSING, MISSING),
    _row("exchange_edit", "GET", SAVOIE_EXCHANGE, LOGIN, OK, OK, DENIED, OK),
    _row("exchange_edit", "GET", SAVOIE_LOCAL_EXCHANGE, LOGIN, OK, DENIED, DENIED, OK),
    _row("exchange_edit", "POST", SAVOIE_EXCHANGE, LOGIN, DONE, DONE, DENIED, DONE),
    _row("exchange_edit", "POST", BIGNONA_EXCHANGE, LOGIN, DONE, DONE, DENIED, DONE),
    _row("exchange_edit", "POST", SAVOIE_LOCAL_EXCHANGE, LOGIN, DONE, DENIED, DENIED, DONE),
    _row("exchange_edit", "POST", DELETED_EXCHANGE, LOGIN, MISSING, MISSING, MISSING, MISSING),
    _row("exchange_delete", "GET", SAVOIE_EXCHANGE, LOGIN, OK, OK, DENIED, OK),
    _row("exchange_delete", "POST", SAVOIE_EXCHANGE, LOGIN, DONE, DONE, DENIED, DONE),
    _row("exchange_delete", "POST", BIGNONA_EXCHANGE, LOGIN, DONE, DONE, DENIED, DONE),
    _row("exchange_delete", "POST", SAVOIE_LOCAL_EXCHANGE, LOGIN, DONE, DENIED, DENIED, DONE),
    _row("exchange_delete", "POST", DELETED_EXCHANGE, LOGIN, MISSING, MISSING, MISSING, MISSING),
    _row("exchange_cross_view", "GET", SAVOIE_SIDE, LOGIN, OK, DENIED, DENIED, OK),
    _row("exchange_cross_view", "GET", BIGNONA_SIDE, LOGIN, DENIED, OK, DENIED, OK),
    _row("exchange_cross_view", "POST", SAVOIE_SIDE, LOGIN, DONE, DENIED, DENIED, DONE),
    _row("exchange_cross_view", "POST", BIGNONA_SIDE, LOGIN, DENIED, DONE, DENIED, DONE),
    _row("exchange_cross_view", "POST", UNKNOWN_SIDE, LOGIN, MISSING, MISSING, MISSING, MISSING),
    _row("exchange_cross_view", "POST", DELETED_SIDE, LOGIN, MISSING, MISSING, MISSING, MISSING),
    _row("exchange_attachment_create", "GET", SAVOIE_EXCHANGE, LOGIN, OK, OK, DENIED, OK),
    _row("exchange_attachment_create", "POST", SAVOIE_EXCHANGE, LOGIN, DONE, DONE, DENIED, DONE),
    _row(
        "exchange_attachment_create",
        "POST",
        DELETED_EXCHANGE,
        *(LOGIN, MISSING, MISSING, MISSING, MISSING),
    ),
    # A document sent in pieces (exchanges/uploads.py): only its sender sees or extends it.
    _row("exchange_upload_create", "POST", DELETED_EXCHANGE, LOGIN, *[MISSING] * 4),
    _row("exchange_upload", "GET", UNKNOWN_UPLOAD, LOGIN, *[MISSING] * 4),
    _row("exchange_upload_finish", "POST", UNKNOWN_UPLOAD, LOGIN, *[MISSING] * 4),
    _row("exchange_attachment", "GET", SAVOIE_ATTACHMENT, LOGIN, OK, OK, OK, OK),
    _row("exchange_attachment_thumbnail", "GET", SAVOIE_ATTACHMENT, LOGIN, OK, OK, OK, OK),
    _row(
        "exchange_attachment_thumbnail",
        "GET",
        DELETED_ATTACHMENT,
        *(LOGIN, MISSING, MISSING, MISSING, MISSING),
    ),
    _row(
        "exchange_attachment", "GET", DELETED_ATTACHMENT, LOGIN, MISSING, MISSING, MISSING, MISSING
    ),
    _row(
        "exchange_attachment", "GET", UNKNOWN_ATTACHMENT, LOGIN, MISSING, MISSING, MISSING, MISSING
    ),
    _row("exchange_attachment_delete", "POST", SAVOIE_ATTACHMENT, LOGIN, DONE, DONE, DENIED, DONE),
    _row(
        "exchange_attachment_delete",
        "POST",
        SAVOIE_LOCAL_ATTACHMENT,
        *(LOGIN, DONE, DENIED, DENIED, DONE),
    ),
    _row("exchange_attachment_delete", "POST", BIGNONA_ATTACHMENT, LOGIN, DONE, DONE, DENIED, DONE),
    _row(
        "exchange_attachment_delete",
        "POST",
        DELETED_ATTACHMENT,
        *(LOGIN, MISSING, MISSING, MISSING, MISSING),
    ),
    _row("establishment_create", "GET", NOTHING, LOGIN, OK, OK, DENIED, OK),
    _row(
        "establishment_create", "POST", NEW_SAVOIE_ESTABLISHMENT, LOGIN, DONE, REFUSED, DENIED, DONE
    ),
    # Annual restitutions: members read the published ones; drafts for officers and admins
    _row("restitution_list", "GET", NOTHING, LOGIN, OK, OK, OK, OK),
    _row("restitution_start", "POST", NEW_RESTITUTION, LOGIN, DONE, DONE, DENIED, DONE),
    _row("restitution_detail", "GET", PUBLISHED, LOGIN, OK, OK, OK, OK),
    _row("restitution_detail", "GET", PUBLISHED_AS_DRAFT, LOGIN, OK, OK, DENIED, OK),
    _row("restitution_detail", "GET", DRAFT, LOGIN, OK, OK, DENIED, OK),
    _row("restitution_detail", "GET", NO_RESTITUTION, LOGIN, MISSING, MISSING, MISSING, MISSING),
    _row("restitution_pdf", "GET", PUBLISHED, LOGIN, OK, OK, OK, OK),
    _row("restitution_pdf", "GET", DRAFT, LOGIN, DONE, DONE, DENIED, DONE),
    _row("restitution_draft_pdf", "GET", DRAFT_PDF, LOGIN, OK, OK, DENIED, OK),
    _row(
        "restitution_draft_pdf", "GET", DRAFT_PDF_OTHER_YEAR, LOGIN, *[MISSING] * 2, DENIED, MISSING
    ),
    _row("restitution_draft_pdf_file", "GET", DRAFT_PDF, LOGIN, OK, OK, DENIED, OK),
    _row("restitution_edit", "GET", DRAFT, LOGIN, OK, OK, DENIED, OK),
    _row("restitution_edit", "POST", DRAFT, LOGIN, DONE, DONE, DENIED, DONE),
    _row("restitution_edit", "POST", PUBLISHED, LOGIN, DONE, DONE, DENIED, DONE),
    _row("restitution_versions", "GET", PUBLISHED, LOGIN, OK, OK, OK, OK),
    _row("restitution_versions", "GET", DRAFT, LOGIN, OK, OK, DENIED, OK),
    _row("restitution_publish", "POST", DRAFT, LOGIN, DENIED, DENIED, DENIED, DONE),
    _row("restitution_file", "GET", PUBLISHED_FILE, LOGIN, OK, OK, OK, OK),
    _row("restitution_file", "GET", FAILED_FILE, LOGIN, MISSING, MISSING, MISSING, MISSING),
    _row("restitution_file", "GET", DRAFT_FILE, LOGIN, MISSING, MISSING, MISSING, MISSING),
    _row("restitution_file", "GET", UNKNOWN_EDITION, LOGIN, MISSING, MISSING, MISSING, MISSING),
    _row("restitution_stylesheet", "GET", PUBLISHED_STYLESHEET, LOGIN, OK, OK, OK, OK),
    _row("restitution_stylesheet", "GET", FAILED_STYLESHEET, LOGIN, *[MISSING] * 4),
    # Another partnership hosted on the platform: its exchanges, files and restitutions are
    # not found by the members of the first, like a guessed id. Administrators reach its
    # exchanges; restitutions are reached by year within one's own partnership (the first for
    # administrators, who see the others' in the admin).
    _row("exchange_detail", "GET", OTHER_EXCHANGE, LOGIN, *[MISSING] * 3, OK),
    _row("exchange_edit", "GET", OTHER_EXCHANGE, LOGIN, *[MISSING] * 3, OK),
    _row("exchange_edit", "POST", OTHER_EXCHANGE, LOGIN, *[MISSING] * 3, DONE),
    _row("exchange_delete", "POST", OTHER_EXCHANGE, LOGIN, *[MISSING] * 3, DONE),
    _row("exchange_cross_view", "POST", OTHER_SIDE, LOGIN, *[MISSING] * 3, DONE),
    _row("exchange_attachment_create", "POST", OTHER_EXCHANGE, LOGIN, *[MISSING] * 3, DONE),
    _row("exchange_attachment", "GET", OTHER_ATTACHMENT, LOGIN, *[MISSING] * 3, OK),
    _row("exchange_attachment_thumbnail", "GET", OTHER_ATTACHMENT, LOGIN, *[MISSING] * 3, OK),
    _row("exchange_attachment_delete", "POST", OTHER_ATTACHMENT, LOGIN, *[MISSING] * 3, DONE),
    _row("restitution_detail", "GET", OTHER_RESTITUTION, LOGIN, *[MISSING] * 4),
    _row("restitution_versions", "GET", OTHER_RESTITUTION, LOGIN, *[MISSING] * 4),
    _row("restitution_edit", "POST", OTHER_RESTITUTION, LOGIN, MISSING, MISSING, DENIED, MISSING),
    # The programme year by year: everyone (anonymous visitors: the published years only)
    _row("progress", "GET", NOTHING, OK, OK, OK, OK, OK),
    # Changes on the territories: members read both sides'; each side records its own
    _row("change_list", "GET", NOTHING, LOGIN, OK, OK, OK, OK),
    _row("change_create", "GET", NOTHING, LOGIN, OK, OK, DENIED, OK),
    _row("change_create", "POST", NEW_SAVOIE_CHANGE, LOGIN, DONE, REFUSED, DENIED, DONE),
    _row("change_detail", "GET", SAVOIE_CHANGE, LOGIN, OK, OK, OK, OK),
    _row("change_edit", "GET", SAVOIE_CHANGE, LOGIN, OK, DENIED, DENIED, OK),
    _row("change_edit", "POST", SAVOIE_CHANGE, LOGIN, DONE, DENIED, DENIED, DONE),
    _row("change_delete", "GET", SAVOIE_CHANGE, LOGIN, OK, DENIED, DENIED, OK),
    _row("change_delete", "POST", SAVOIE_CHANGE, LOGIN, DONE, DENIED, DENIED, DONE),
    _row("change_evidence", "GET", SAVOIE_CHANGE, LOGIN, OK, OK, OK, OK),
    _row("change_detail", "GET", OTHER_CHANGE, LOGIN, *[MISSING] * 3, OK),
    _row("change_evidence", "GET", OTHER_CHANGE, LOGIN, *[MISSING] * 3, OK),
    _row("change_delete", "POST", OTHER_CHANGE, LOGIN, *[MISSING] * 3, DONE),
    # The Django admin: administrators only (contacts and users are personal data)
    _row("admin:index", "GET", NOTHING, LOGIN, LOGIN, LOGIN, LOGIN, OK),
    _row("admin:partners_contact_changelist", "GET", NOTHING, LOGIN, LOGIN, LOGIN, LOGIN, OK),
    _row("admin:auth_user_changelist", "GET", NOTHING, LOGIN, LOGIN, LOGIN, LOGIN, OK),
    _row("admin:exchanges_exchange_changelist", "GET", NOTHING, LOGIN, LOGIN, LOGIN, LOGIN, OK),
)


# --- The same table in Markdown, for README.md -----------------------------------------------


def markdown() -> str:
    header = ["page or action", "method", "on", *(column.label for column in COLUMNS)]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for row in ROWS:
        cells = [f"`{row.name}`", row.method, row.target, *row.cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.extend(f"- **{outcome}**: {meaning}" for outcome, meaning in LEGEND.items())
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")

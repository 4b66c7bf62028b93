"""Funding lines, questionings and work tracks changed in the admin leave a history: who,
when, which field, old and new value. Administrators read it; nobody rewrites it."""

from html.parser import HTMLParser

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from observatory.models import Questioning, WorkTrack
from partners.models import ChangeRecord, FundingLine, Profile

from .factories import (
    FundingLineFactory,
    OrganisationFactory,
    QuestioningFactory,
    WorkTrackFactory,
    savoie,
    user_with_role,
)

pytestmark = pytest.mark.django_db


class _FormReader(HTMLParser):
    """The fields of one form as a browser would post them, unchanged."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self.data.append((name, attrs.get("value", "on" if "checked" in attrs else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.append((name, ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            name, text = self.data.pop()
            self.data.append((name, text + data))


def admin_form(client, url: str, form_id: str) -> dict:
    """GET an admin change page and return its form's data, ready to change and POST."""
    response = client.get(url)
    assert response.status_code == 200
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data: dict = {}
    for name, value in reader.data:
        if name in data:  # a multiple select
            data[name] = [*(data[name] if isinstance(data[name], list) else [data[name]]), value]
        else:
            data[name] = value.removeprefix("\n")  # the newline browsers drop after <textarea>
    data["_save"] = "Enregistrer"
    return data


def history_of(obj) -> list[tuple]:
    records = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).order_by("pk")
    return [(r.user, r.action, r.field, r.old_value, r.new_value) for r in records]


@pytest.fixture
def funding_line(partnership):
    return FundingLineFactory(
        partnership=partnership,
        funder=OrganisationFactory(name_fr="Département de la Savoie"),
        amount=1000,
    )


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_an_admin_changes_a_funding_lines_amount_and_the_history_says_who_when_and_what(
    admin_client, administrator, funding_line
):
    url = f"/fr/admin/partners/fundingline/{funding_line.pk}/change/"
    data = admin_form(admin_client, url, "fundingline_form")
    data["amount"] = "1500"
    before = timezone.now()

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    funding_line.refresh_from_db()
    assert funding_line.amount == 1500
    assert history_of(funding_line) == [
        (administrator, ChangeRecord.Action.CHANGED, "amount", "1000.00", "1500.00")
    ]
    record = ChangeRecord.objects.get()
    assert before <= record.changed_at <= timezone.now()
    assert record.object_repr.startswith("Département de la Savoie — 1500")
    page = admin_client.get(url).content.decode()
    assert "1000.00" in page and "1500.00" in page and ">admin<" in page


def test_an_admin_changes_a_funding_line_inline_on_the_partnership_page(
    admin_client, administrator, partnership, funding_line
):
    url = f"/fr/admin/partners/partnership/{partnership.pk}/change/"
    data = admin_form(admin_client, url, "partnership_form")
    assert data["funding_lines-0-amount"] == "1000.00"
    data["funding_lines-0-amount"] = "1250.50"

    response = admin_client.post(url, data)

    assert response.status_code == 302
    funding_line.refresh_from_db()
    assert str(funding_line.amount) == "1250.50"
    assert history_of(funding_line) == [
        (administrator, ChangeRecord.Action.CHANGED, "amount", "1000.00", "1250.50")
    ]
    assert history_of(partnership) == []  # the partnership itself is not audited


def test_funding_lines_added_and_deleted_inline_are_recorded_with_their_values(
    admin_client, administrator, partnership, funding_line
):
    ministry = OrganisationFactory(name_fr="Ministère")
    url = f"/fr/admin/partners/partnership/{partnership.pk}/change/"
    data = admin_form(admin_client, url, "partnership_form")
    data["funding_lines-0-DELETE"] = "on"
    data.update(
        {
            "funding_lines-TOTAL_FORMS": "2",
            "funding_lines-1-funder": ministry.pk,
            "funding_lines-1-amount": "5000",
            "funding_lines-1-currency": "EUR",
            "funding_lines-1-period_start": "01/01/2016",
            "funding_lines-1-period_end": "31/12/2016",
            "funding_lines-1-status": "received",
            "funding_lines-1-order": "1",
            "funding_lines-1-partnership": partnership.pk,
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert not FundingLine.objects.filter(pk=funding_line.pk).exists()
    deleted = history_of(funding_line)
    assert (administrator, "deleted", "amount", "1000.00", "") in deleted
    assert (administrator, "deleted", "funder", "Département de la Savoie", "") in deleted
    added = FundingLine.objects.get(funder=ministry)
    assert set(history_of(added)) >= {
        (administrator, "created", "amount", "", "5000.00"),
        (administrator, "created", "period_start", "", "2016-01-01"),
        (administrator, "created", "status", "", "received"),
    }


@pytest.mark.parametrize(
    "factory, page, form_id, field, typed, old, new",
    [
        (
            lambda: QuestioningFactory(question_fr="Comment faire ?"),
            "observatory/questioning",
            "questioning_form",
            "question_fr",
            "Comment faire mieux ?",
            "Comment faire ?",
            "Comment faire mieux ?",
        ),
        (
            lambda: QuestioningFactory(question_fr="Comment faire ?"),
            "observatory/questioning",
            "questioning_form",
            "question_en",
            "How to do better?",
            "",
            "How to do better?",
        ),
        (
            lambda: WorkTrackFactory(status=WorkTrack.Status.PLANNED),
            "observatory/worktrack",
            "worktrack_form",
            "status",
            "in_progress",
            "planned",
            "in_progress",
        ),
    ],
    ids=["questioning-fr", "questioning-en", "work-track-status"],
)
def test_an_admin_changes_a_questioning_or_a_work_track_and_the_history_says_so(
    admin_client, administrator, partnership, factory, page, form_id, field, typed, old, new
):
    obj = factory()
    url = f"/fr/admin/{page}/{obj.pk}/change/"
    data = admin_form(admin_client, url, form_id)
    data[field] = typed

    response = admin_client.post(url, data)

    assert response.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == typed
    assert history_of(obj) == [(administrator, ChangeRecord.Action.CHANGED, field, old, new)]


def test_a_work_track_changed_inline_on_its_questioning_is_recorded(
    admin_client, administrator, partnership
):
    track = WorkTrackFactory(status=WorkTrack.Status.IN_PROGRESS, year=2016)
    url = f"/fr/admin/observatory/questioning/{track.questioning.pk}/change/"
    data = admin_form(admin_client, url, "questioning_form")
    data["work_tracks-0-status"] = "done"
    data["work_tracks-0-year"] = "2017"

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert history_of(track) == [
        (administrator, "changed", "year", "2016", "2017"),
        (administrator, "changed", "status", "in_progress", "done"),
    ]
    assert history_of(track.questioning) == []  # nothing changed on the questioning itself


def test_saving_without_changing_anything_records_nothing(admin_client, funding_line):
    url = f"/fr/admin/partners/fundingline/{funding_line.pk}/change/"

    response = admin_client.post(url, admin_form(admin_client, url, "fundingline_form"))

    assert response.status_code == 302
    assert not ChangeRecord.objects.exists()


def test_a_funding_line_deleted_from_its_page_keeps_its_values_in_the_history(
    admin_client, administrator, funding_line
):
    pk = funding_line.pk
    response = admin_client.post(f"/fr/admin/partners/fundingline/{pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not FundingLine.objects.filter(pk=pk).exists()
    records = ChangeRecord.objects.filter(object_id=pk)
    assert {(r.user, r.action, r.field, r.old_value) for r in records} >= {
        (administrator, "deleted", "amount", "1000.00"),
        (administrator, "deleted", "period_end", "2016-12-31"),
    }


def test_the_history_reads_in_the_administrators_language(admin_client, partnership):
    track = WorkTrackFactory(status=WorkTrack.Status.PLANNED)
    url = f"/en/admin/observatory/worktrack/{track.pk}/change/"
    data = admin_form(admin_client, url, "worktrack_form")
    data["status"] = "in_progress"
    data["title_en"] = "Listen to people"
    admin_client.post(url, data)

    with translation.override("en"):
        labels = [
            (r.field_label, r.value_label(r.old_value), r.value_label(r.new_value))
            for r in ChangeRecord.objects.order_by("pk")
        ]
    assert labels == [("title [en]", "", "Listen to people"), ("status", "Planned", "In progress")]
    page = admin_client.get("/en/admin/partners/changerecord/").content.decode()
    assert "In progress" in page and "title [en]" in page


@pytest.fixture
def some_history(admin_client, funding_line, partnership):
    url = f"/fr/admin/partners/fundingline/{funding_line.pk}/change/"
    for amount in ("1100", "1200"):
        data = admin_form(admin_client, url, "fundingline_form")
        data["amount"] = amount
        admin_client.post(url, data)
    questioning = QuestioningFactory()
    url = f"/fr/admin/observatory/questioning/{questioning.pk}/change/"
    data = admin_form(admin_client, url, "questioning_form")
    data["question_fr"] = "Une autre question ?"
    admin_client.post(url, data)
    return ChangeRecord.objects.all()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?q=amount",
        "?action__exact=changed",
        "?content_type__id__exact={funding_line_type}",
        "?changed_at__year={year}",
    ],
)
def test_an_admin_lists_filters_and_searches_the_history(
    admin_client, administrator, some_history, query
):
    funding_line_type = ContentType.objects.get_for_model(FundingLine).pk
    url = "/fr/admin/partners/changerecord/" + query.format(
        funding_line_type=funding_line_type, year=timezone.localdate().year
    )

    response = admin_client.get(url)

    assert response.status_code == 200
    shown = set(response.context["cl"].result_list)
    if "amount" in query or "content_type" in query:
        assert {r.field for r in shown} == {"amount"}
    else:
        assert shown == set(some_history)


def test_the_history_page_costs_the_same_queries_however_long_it_is(
    admin_client, some_history, django_assert_num_queries
):
    url = "/fr/admin/partners/changerecord/"
    with CaptureQueriesContext(connection) as three_records:
        admin_client.get(url)
    queries = len(three_records.captured_queries)
    track = WorkTrackFactory()
    for year in range(2017, 2027):
        page = f"/fr/admin/observatory/worktrack/{track.pk}/change/"
        data = admin_form(admin_client, page, "worktrack_form")
        data["year"] = str(year)
        admin_client.post(page, data)

    with django_assert_num_queries(queries):
        admin_client.get(url)


def test_nobody_rewrites_the_history(admin_client, some_history):
    record = some_history.first()
    url = f"/fr/admin/partners/changerecord/{record.pk}/change/"

    assert admin_client.get(url).status_code == 200  # read only
    assert admin_client.post(url, {"new_value": "0"}).status_code == 403
    delete = f"/fr/admin/partners/changerecord/{record.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get("/fr/admin/partners/changerecord/add/").status_code == 403
    record.refresh_from_db()
    assert record.new_value != "0"


def test_an_officer_cannot_read_the_history(client, officer_savoie, some_history, funding_line):
    client.logout()
    client.force_login(officer_savoie)

    response = client.get("/fr/admin/partners/changerecord/")

    assert response.status_code == 302  # not staff: sent to the admin login
    assert "/fr/admin/login/" in response["Location"]


def test_a_staff_member_who_is_not_an_administrator_cannot_read_the_history(
    client, some_history, funding_line
):
    """Even given every permission by mistake, only an administrator reads it."""
    from django.contrib.auth.models import Permission

    clerk = user_with_role("clerk", Profile.Role.OFFICER, savoie(), is_staff=True)
    clerk.user_permissions.set(Permission.objects.filter(content_type__app_label="partners"))
    client.logout()
    client.force_login(clerk)

    assert client.get("/fr/admin/partners/changerecord/").status_code == 403
    page = client.get(f"/fr/admin/partners/fundingline/{funding_line.pk}/change/")
    assert page.status_code == 200
    assert "1100.00" not in page.content.decode()  # the funding line, without its history


def test_an_audited_inline_under_an_admin_that_would_not_record_it_fails_the_checks():
    from django.contrib import admin

    from observatory.admin import QuestioningInline
    from observatory.models import Topic

    class ForgetfulTopicAdmin(admin.ModelAdmin):
        inlines = [QuestioningInline]

    site = admin.AdminSite()
    site.register(Topic, ForgetfulTopicAdmin)

    assert [error.id for error in site.check(None)] == ["partners.E001"]


def test_questionings_edited_inline_on_their_topic_are_recorded(
    admin_client, administrator, partnership
):
    questioning = QuestioningFactory(question_fr="Avant ?")
    url = f"/fr/admin/observatory/topic/{questioning.topic.pk}/change/"
    data = admin_form(admin_client, url, "topic_form")
    data["questionings-0-question_fr"] = "Après ?"

    assert admin_client.post(url, data).status_code == 302
    assert history_of(questioning) == [
        (administrator, "changed", "question_fr", "Avant ?", "Après ?")
    ]
    assert Questioning.objects.get().question_fr == "Après ?"

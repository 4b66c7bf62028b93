from django import forms
from django.contrib import admin
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from core.admin_translation import TranslatedAdmin
from partners.history_admin import HistoryAdminMixin

from . import services
from .models import (
    CrossTheme,
    Lesson,
    Questioning,
    Recommendation,
    RecommendationGroup,
    Strand,
    SustainableDevelopmentGoal,
    Topic,
    WorkTrack,
    WorkTrackProgress,
)


@admin.register(Strand)
class StrandAdmin(TranslatedAdmin):
    list_display = ["short_name", "name", "partnership", "order"]
    list_filter = ["partnership"]
    search_fields = ["name", "short_name"]


class RecommendationInline(TranslationTabularInline):
    model = Recommendation
    extra = 0


@admin.register(RecommendationGroup)
class RecommendationGroupAdmin(TranslatedAdmin):
    list_display = ["name", "order"]
    inlines = [RecommendationInline]


@admin.register(Recommendation)
class RecommendationAdmin(TranslatedAdmin):
    list_display = ["text", "group", "order"]
    list_filter = ["group"]
    search_fields = ["text"]
    list_select_related = ["group"]


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(TranslatedAdmin):
    list_display = ["number", "name"]


@admin.register(Lesson)
class LessonAdmin(TranslatedAdmin):
    list_display = ["title", "kind", "partnership", "order"]
    list_filter = ["kind", "partnership"]
    search_fields = ["title", "body"]


class TopicInline(TranslationTabularInline):
    model = Topic
    extra = 0


@admin.register(CrossTheme)
class CrossThemeAdmin(TranslatedAdmin):
    list_display = ["name", "partnership", "order"]
    list_filter = ["partnership"]
    inlines = [TopicInline]


class QuestioningInline(TranslationStackedInline):
    model = Questioning
    extra = 0
    show_change_link = True  # its page has the "History" button


@admin.register(Topic)
class TopicAdmin(TranslatedAdmin):
    list_display = ["name", "theme", "order"]
    list_filter = ["theme"]
    search_fields = ["name"]
    list_select_related = ["theme"]
    inlines = [QuestioningInline]


class WorkTrackInline(TranslationStackedInline):
    model = WorkTrack
    extra = 0
    show_change_link = True  # its page has the "History" button


@admin.register(Questioning)
class QuestioningAdmin(HistoryAdminMixin, TranslatedAdmin):
    list_display = ["question", "topic", "territory"]
    list_filter = ["territory", "topic__theme"]
    search_fields = ["question", "topic__name"]
    list_select_related = ["topic", "territory"]
    inlines = [WorkTrackInline]


@admin.register(WorkTrack)
class WorkTrackAdmin(HistoryAdminMixin, TranslatedAdmin):
    list_display = ["title", "territory", "year", "status", "questioning"]
    list_filter = ["status", "year", "territory"]
    search_fields = ["title", "description"]
    list_select_related = ["territory", "questioning__topic", "questioning__territory"]


# The stage of a line of action in a year: written through the services (who may, one row per
# line and year, the history), never `obj.save()` here.
class WorkTrackProgressAdminForm(forms.ModelForm):
    class Meta:
        model = WorkTrackProgress
        fields = ["work_track", "year", "stage", "note", "illustrative"]


@admin.register(WorkTrackProgress)
class WorkTrackProgressAdmin(HistoryAdminMixin, admin.ModelAdmin):
    form = WorkTrackProgressAdminForm
    list_display = ["work_track", "year", "stage", "illustrative"]
    list_filter = ["year", "stage", "work_track__territory"]
    list_select_related = ["work_track"]
    search_fields = ["work_track__title", "note"]

    def save_model(self, request, obj: WorkTrackProgress, form, change: bool) -> None:
        values = form.cleaned_data
        saved = services.work_track_stage_set(
            work_track=values["work_track"],
            year=values["year"],
            stage=values["stage"],
            note=values.get("note", ""),
            illustrative=values.get("illustrative", False),
            author=request.user,
        )
        obj.pk, obj._state.adding = saved.pk, False

    def delete_model(self, request, obj: WorkTrackProgress) -> None:
        services.work_track_stage_delete(progress=obj, author=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for progress in queryset.select_related("work_track"):
            services.work_track_stage_delete(progress=progress, author=request.user)

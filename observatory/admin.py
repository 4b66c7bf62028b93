from django.contrib import admin
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from core.admin_translation import TranslatedAdmin
from partners.history_admin import HistoryAdminMixin

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

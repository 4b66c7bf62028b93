from modeltranslation.translator import TranslationOptions, register

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


@register(Strand)
class StrandTranslation(TranslationOptions):
    fields = ("name", "short_name")


@register(RecommendationGroup)
class RecommendationGroupTranslation(TranslationOptions):
    fields = ("name",)


@register(Recommendation)
class RecommendationTranslation(TranslationOptions):
    fields = ("text",)


@register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalTranslation(TranslationOptions):
    fields = ("name",)


@register(Lesson)
class LessonTranslation(TranslationOptions):
    fields = ("title", "body")


@register(CrossTheme)
class CrossThemeTranslation(TranslationOptions):
    fields = ("name",)


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)


@register(Questioning)
class QuestioningTranslation(TranslationOptions):
    fields = ("question",)


@register(WorkTrack)
class WorkTrackTranslation(TranslationOptions):
    fields = ("title", "description")

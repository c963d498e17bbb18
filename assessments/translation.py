"""Translated fields of the assessments app (django-modeltranslation discovers this
module): each package registers its own."""

from assessments.kpis import translation as kpis_translation  # noqa: F401
from assessments.lessons import translation as lessons_translation  # noqa: F401

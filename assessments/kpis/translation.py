"""Welsh and English columns (django-modeltranslation) of assessments.kpis models;
imported by assessments.translation, which modeltranslation discovers.

The suggested KPIs' texts are stored per language (``name_en_gb``, ``name_cy``...);
reading ``suggestion.name`` gives the active language's text, English where no Welsh
has been written. A partnership's own KPIs are its own words, in one language.
"""

from modeltranslation.translator import TranslationOptions, register

from assessments.kpis.models import SuggestedKpi


@register(SuggestedKpi)
class SuggestedKpiTranslationOptions(TranslationOptions):
    fields = ("name", "unit", "description")

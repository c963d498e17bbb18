"""Framework texts stored per language (django-modeltranslation).

Each registered field gets a column per language (``title_en_gb``,
``title_cy``...); reading ``item.title`` gives the active language's text and
falls back to English where no Welsh has been written. Codes, kinds, levels,
weights and thresholds are not translated: exports and imports stay keyed by
the stable codes whatever the language.
"""

from modeltranslation.translator import TranslationOptions, register

from survey.models import Item, Scale


@register(Item)
class ItemTranslationOptions(TranslationOptions):
    fields = ("title", "description", "help_text")


@register(Scale)
class ScaleTranslationOptions(TranslationOptions):
    fields = ("question", "label_1", "label_2", "label_3", "label_4", "label_5")


# The audit trail (django-simple-history) records every language's text too:
# a historical row is built from all the model's fields, so its model needs the
# same per-language columns.
@register(Item.history.model)
class HistoricalItemTranslationOptions(TranslationOptions):
    fields = ("title", "description", "help_text")


@register(Scale.history.model)
class HistoricalScaleTranslationOptions(TranslationOptions):
    fields = ("question", "label_1", "label_2", "label_3", "label_4", "label_5")

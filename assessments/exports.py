"""A round's data as files: one function builds each table, thin writers format it."""

from survey.models import Item

from .interchange import answers_to_csv
from .selectors import round_submitted_answers


def round_answers_csv(*, round) -> str:
    """The round's submitted answers in the interchange CSV shape (import's twin)."""
    order = list(Item.objects.filter(framework_id=round.framework_id)
                 .order_by("order", "id").values_list("code", flat=True))
    return answers_to_csv(round_submitted_answers(round=round), item_order=order)

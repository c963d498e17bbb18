"""What the results dashboard shows of assessments.lessons: `dashboard_context` is called by
`assessments.results.views.round_results_page` and its keys are added to the page's
context; the template includes `assessments/lessons/_dashboard.html`."""

from .selectors import option_lesson_counts

# What ``_option.html`` reads in each option card: the tier board is cached under a key
# that includes it (``assessments.results.views``).
OPTION_CARD_CONTEXT = ("lessons_by_option",)


def dashboard_context(*, request, round, results) -> dict:
    """``lessons_by_option``: for each option code of the round's results, the published
    lessons of OTHER partnerships (``others``) and the research's examples
    (``research``) about it, for ``_option.html``. One query (none before the round has
    results, when the option cards are not shown)."""
    if not results.ready:
        return {"lessons_by_option": {}}
    codes = [o.code for o in results.result.options.values()]
    return {"lessons_by_option": option_lesson_counts(
        codes=codes, exclude_partnership_id=round.partnership_id)}

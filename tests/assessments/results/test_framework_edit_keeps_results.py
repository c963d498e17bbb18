"""Editing a framework never changes a past round's results.

A round is scored; an administrator makes a new draft version, edits its thresholds,
option links and help text, and publishes it; the old round scores to identical JSON
(it keeps the version it was opened with), while the new version, applied to the same
answers, would give different results (so the edit was real).
"""

from assessments.frameworks import framework_spec
from assessments.results.selectors import round_scored
from assessments.scoring import to_json
from survey.framework.services import framework_new_draft, framework_publish
from survey.models import Framework, Item
from tests.conftest import full_answers


def test_a_new_framework_version_leaves_past_results_identical(world, submit_answers):
    alpha = world.rounds["Alpha"]
    submit_answers(alpha, world.agencies["Alpha Police"], full_answers(E1=5, B2=4, O3=2))
    submit_answers(alpha, world.agencies["Alpha Fire"], full_answers(E1=3, B2=3, O3=5))
    before = to_json(round_scored(round=alpha).result)

    draft = framework_new_draft(framework=world.framework)
    draft.enabler_strong_mean = 4.9
    draft.enabler_weak_mean = 3.9
    draft.barrier_key_max = 5
    draft.min_agencies = 1
    draft.save()
    for option in Item.objects.filter(framework=draft, kind=Item.Kind.OPTION):
        option.enablers.clear()
        option.barriers.clear()
        option.help_text = "Edited help text"
        option.save()
    new = framework_publish(framework=draft)
    assert new.status == Framework.Status.PUBLISHED
    assert Framework.objects.current() == new
    world.framework.refresh_from_db()
    assert world.framework.status == Framework.Status.RETIRED

    alpha.refresh_from_db()
    assert alpha.framework_id == world.framework.pk
    after = to_json(round_scored(round=alpha).result)
    assert after == before
    with_new_rules = to_json(round_scored(round=alpha, spec=framework_spec(framework=new))
                             .result)
    assert with_new_rules != before

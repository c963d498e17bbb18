"""Fixtures of the actions tests: Alpha with results in which E3 needs work."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import full_answers


@pytest.fixture
def alpha_results(world, submit_answers):
    """Alpha's round 1 (opened 200 days ago) has results: both agencies answered E3 2, so
    E3 Clear, shared resource plan is an enabler that needs work and is in the plan."""
    round1 = world.rounds["Alpha"]
    round1.opens_on = timezone.localdate() - timedelta(days=200)
    round1.save()
    for agency in ("Alpha Police", "Alpha Fire"):
        submit_answers(round1, world.agencies[agency], full_answers(E3=2, B2=4))
    return round1


@pytest.fixture
def second_round(world, alpha_results, submit_answers):
    """Alpha's round 2 (opened today), in which E3 is in good shape (both answered 4)."""
    from assessments.models import Round

    round2 = Round.objects.create(partnership=world.partnerships["Alpha"],
                                  framework=world.framework, title="Alpha round 2")

    def answer(**values):
        for agency in ("Alpha Police", "Alpha Fire"):
            submit_answers(round2, world.agencies[agency], full_answers(**values))
        return round2

    return answer

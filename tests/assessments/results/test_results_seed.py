"""``manage.py seed_benchmark``: data at scale that the dashboard reads like any other."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments.models import (
    Answer,
    Partnership,
    Round,
    Submission,
    SubmittedAnswer,
)
from assessments.results.selectors import round_scored


def seed(**options):
    out = io.StringIO()
    call_command("seed_benchmark", force=True, stdout=out, **options)
    return out.getvalue()


def test_seeds_partnerships_rounds_and_submitted_answers(framework, client):
    out = seed(partnerships=3, agencies=4, rounds=2, lead="bench-lead", prefix="Seedtest")
    assert "Seeded 792 answers" in out  # 3 x 4 x 2 x 33
    partnerships = Partnership.objects.filter(name__startswith="Seedtest ")
    assert partnerships.count() == 3
    assert Round.objects.filter(partnership__in=partnerships).count() == 6
    submissions = Submission.objects.filter(round__partnership__in=partnerships)
    assert submissions.count() == 24
    assert not submissions.filter(submitted_at__isnull=True).exists()
    assert SubmittedAnswer.objects.filter(submission__in=submissions).count() == 792
    assert Answer.objects.filter(submission__in=submissions).count() == 792
    values = set(SubmittedAnswer.objects.filter(submission__in=submissions)
                 .values_list("value", flat=True))
    assert values <= {None, 1, 2, 3, 4, 5} and {1, 5} <= values

    # The lead leads the first agency of each partnership and sees its dashboard.
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="bench-lead"))
    round_ = Round.objects.filter(partnership__in=partnerships).order_by("-opens_on").first()
    html = client.get(reverse("results:round", args=[round_.pk])).content.decode()
    result = round_scored(round=round_).result
    assert f"{result.readiness:.1f}</span>" in html
    assert "Across rounds" in html


def test_refuses_names_in_use_and_a_live_service(framework, settings):
    seed(partnerships=1, agencies=2, rounds=1, prefix="Again")
    with pytest.raises(CommandError, match='Names starting "Again " are in use'):
        seed(partnerships=1, agencies=2, rounds=1, prefix="Again")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="scratch database"):
        call_command("seed_benchmark", partnerships=1, stdout=io.StringIO())

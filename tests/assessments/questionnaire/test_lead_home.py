"""The lead's home: their agencies' rounds, with progress, closing date and status."""

import datetime

from django.urls import reverse

from assessments.models import Membership, Round
from assessments.questionnaire.services import (
    AnswerInput,
    round_close,
    submission_for,
    submission_save,
)


def card(html: str, title: str) -> str:
    """The home page's entry for the round with this title."""
    start = html.index(f">{title}</h4>")
    return html[start:html.index("</li>", start)]


def test_home_lists_open_rounds_with_progress_and_a_start_link(world, login):
    world.rounds["Alpha"].closes_on = datetime.date(2031, 1, 31)
    world.rounds["Alpha"].save()
    html = login(world.user("bob")).get(reverse("home")).content.decode()
    entry = card(html, "Alpha round 1")
    assert "Alpha Fire in Alpha" in entry
    assert "Not started" in entry and "0 of 33 answered" in entry
    assert "Closes on 31 January 2031" in entry
    start = reverse("questionnaire:start", args=[world.rounds["Alpha"].pk,
                                           world.agencies["Alpha Fire"].pk])
    assert f'href="{start}"' in entry and ">Start</a>" in entry
    assert "Beta round 1" not in html  # another partnership


def test_home_shows_a_draft_in_progress(world, login):
    submission = submission_for(round=world.rounds["Alpha"], agency=world.agencies["Alpha Fire"])
    submission_save(submission=submission, user=world.user("bella"),
                    answers={c: AnswerInput(3) for c in ["E1", "E2", "B1"]}, revision=0)
    entry = card(login(world.user("bob")).get(reverse("home")).content.decode(), "Alpha round 1")
    assert "Draft" in entry and "3 of 33 answered" in entry and ">Continue</a>" in entry
    assert '<progress class="w-100 mb-2" max="33" value="3"' in entry


def test_submitted_and_closed_rounds_are_listed_read_only(world, login, answer_all):
    answer_all(world, "Alpha Fire", "bob", submit=True)
    old = Round.objects.create(partnership=world.partnerships["Alpha"],
                               framework=world.framework, title="Baseline",
                               opens_on=datetime.date(2024, 1, 1),
                               closes_on=datetime.date(2024, 3, 1))
    round_close(round=old)
    html = login(world.user("bob")).get(reverse("home")).content.decode()
    done = html[html.index("Submitted or closed"):]
    assert "Submitted by bob on" in card(done, "Alpha round 1")
    assert "View answers" in card(done, "Alpha round 1")
    assert ">Continue</a>" not in done and ">Start</a>" not in done
    baseline = card(done, "Baseline")
    assert "Closed before your agency submitted" in baseline
    assert "Closed on " in baseline and "Closes on" not in baseline
    assert "Download the submitted answers (CSV)" in baseline
    assert "No round is open for your agencies at the moment." in html


def test_a_lead_of_two_agencies_picks_which_one(world, login):
    Membership.objects.get(agency__name="Alpha Police").leads.add(world.user("bob"))
    html = login(world.user("bob")).get(reverse("home")).content.decode()
    assert "Alpha Fire in Alpha" in html and "Alpha Police in Alpha" in html
    for agency in ("Alpha Fire", "Alpha Police"):
        url = reverse("questionnaire:start", args=[world.rounds["Alpha"].pk,
                                             world.agencies[agency].pk])
        assert f'href="{url}"' in html


def test_a_round_not_yet_open_says_when_it_opens(world, login):
    Round.objects.create(partnership=world.partnerships["Beta"], framework=world.framework,
                         title="Next year", opens_on=datetime.date(2099, 1, 1))
    html = login(world.user("dan")).get(reverse("home")).content.decode()
    entry = card(html, "Next year")
    assert "Opens on 1 January 2099" in entry and "Start" not in entry


def test_home_query_count_is_pinned(world, login, answer_all, django_assert_max_num_queries):
    client = login(world.user("bob"))
    client.get(reverse("home"))
    with django_assert_max_num_queries(6):
        client.get(reverse("home"))
    # More agencies, rounds and answers: the same queries.
    for agency in ("Alpha Police",):
        Membership.objects.get(agency__name=agency).leads.add(world.user("bob"))
    for n in range(3):
        Round.objects.create(partnership=world.partnerships["Alpha"], framework=world.framework,
                             title=f"Extra {n}")
    answer_all(world, "Alpha Fire", "bob", submit=True)
    answer_all(world, "Alpha Police", "alice")
    with django_assert_max_num_queries(6):
        html = client.get(reverse("home")).content.decode()
    assert html.count('class="card mb-3"') == 8


def test_answers_imported_by_no_one_in_particular_still_show(world, login):
    """An import from the command line has no importer: pages say "someone"."""
    import pandas as pd

    from assessments.interchange.csv import answers_to_csv
    from assessments.interchange.imports import round_import_answers

    codes = list(world.framework.items.values_list("code", flat=True))
    data = answers_to_csv(pd.DataFrame({"agency": "Alpha Fire", "item": codes, "value": 3.0}))
    assert round_import_answers(round=world.rounds["Alpha"], data=data, user=None).ok
    client = login(world.user("bob"))
    home = client.get(reverse("home")).content.decode()
    assert "Submitted by someone on" in card(home, "Alpha round 1")
    review = client.get(reverse("questionnaire:review", args=[world.rounds["Alpha"].pk,
                                                              world.agencies["Alpha Fire"].pk]))
    assert "Submitted by someone on" in review.content.decode()

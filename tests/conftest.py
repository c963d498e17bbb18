"""Shared test fixtures: the published framework and a small named world.

One way to make people and partnerships, used everywhere (as Zulip's
``example_user``): ``world.user("alice")``.

- partnership **Alpha** (shared back office): *Alpha Police* led by ``alice``;
  *Alpha Fire* led by ``bob`` and ``bella`` (two leads of one agency).
- partnership **Beta** (co-responding): *Beta Ambulance* led by ``carol``;
  *Beta Fire* led by ``dan``.
- ``rita`` is a Researcher, ``adam`` an Administrator, ``nobody`` has no role.
- each partnership has an open round on the published framework.
"""

import os
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from bluelight.roles import ADMINISTRATOR, LEAD, RESEARCHER

PASSWORD = "correct-horse-battery-staple"

# Hypothesis: CI runs at least 1,000 examples per fuzz test (CI=true), locally fewer.
# Tests that hit the database set their own max_examples (FUZZ_DB_EXAMPLES: fewer locally).
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
hypothesis_settings.register_profile("ci", max_examples=1000, deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.register_profile("dev", max_examples=100, deadline=None)
hypothesis_settings.load_profile("ci" if IN_CI else os.environ.get("HYPOTHESIS_PROFILE", "dev"))
FUZZ_DB_EXAMPLES = 1000 if IN_CI else 50


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def sessions_not_touched_within_a_test(settings):
    """On a busy machine a test's requests can be over a minute apart; the session's
    once-a-minute writes would then make query counts vary. Tests that are about those
    writes set the times back themselves."""
    settings.BLUELIGHT_SESSION_TOUCH_SECONDS = 3600
    settings.BLUELIGHT_SECOND_FACTOR_RECHECK_SECONDS = 3600


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, so what it sees and counts never depends on
    which tests ran before it in the same process."""
    from django.core.cache import cache

    from assessments.results.snapshots import forget_decoded

    cache.clear()
    forget_decoded()  # the results this process decoded (by hash) go with the cache
    yield


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A Welsh request or translation.activate() in one test never leaks into the next."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the published framework once into the test database."""
    from survey.framework.services import framework_load

    with django_db_blocker.unblock():
        framework_load()


@pytest.fixture
def framework(db):
    """The published 2015 framework (loaded again if a transactional test flushed it)."""
    from survey.framework.services import framework_load
    from survey.models import Framework

    found = Framework.objects.filter(code="esc-2015", version=1).first()
    return found if found is not None else framework_load()[0]


@dataclass
class World:
    framework: object
    users: dict = field(default_factory=dict)
    agencies: dict = field(default_factory=dict)
    partnerships: dict = field(default_factory=dict)
    memberships: dict = field(default_factory=dict)
    rounds: dict = field(default_factory=dict)

    def user(self, name):
        return self.users[name]


def make_user(username, role=None, **fields):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **fields)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    if role == ADMINISTRATOR:
        user.is_staff = True
        user.save()
    return user


@pytest.fixture
def world(framework):
    from assessments.access import sync_role_permissions
    from assessments.models import (
        Agency,
        Membership,
        Partnership,
        Round,
    )

    for role in (LEAD, RESEARCHER, ADMINISTRATOR):  # a transactional test may have flushed them
        Group.objects.get_or_create(name=role)
    sync_role_permissions()
    w = World(framework=framework)
    for name, role in [("alice", LEAD), ("bob", LEAD), ("bella", LEAD), ("carol", LEAD),
                       ("dan", LEAD), ("rita", RESEARCHER), ("adam", ADMINISTRATOR),
                       ("nobody", None)]:
        w.users[name] = make_user(name, role)
    for name, service, nation in [("Alpha Police", "police", "England"),
                                  ("Alpha Fire", "fire", "England"),
                                  ("Beta Ambulance", "ambulance", "Wales"),
                                  ("Beta Fire", "fire", "Wales")]:
        w.agencies[name] = Agency.objects.create(name=name, service=service, nation=nation)
    w.partnerships["Alpha"] = Partnership.objects.create(name="Alpha",
                                                         kind="shared_back_office")
    w.partnerships["Beta"] = Partnership.objects.create(name="Beta", kind="co_responding")
    for partnership, agency, leads in [("Alpha", "Alpha Police", ["alice"]),
                                       ("Alpha", "Alpha Fire", ["bob", "bella"]),
                                       ("Beta", "Beta Ambulance", ["carol"]),
                                       ("Beta", "Beta Fire", ["dan"])]:
        membership = Membership.objects.create(partnership=w.partnerships[partnership],
                                               agency=w.agencies[agency])
        membership.leads.set([w.users[u] for u in leads])
        w.memberships[agency] = membership
    for name, partnership in w.partnerships.items():
        w.rounds[name] = Round.objects.create(partnership=partnership, framework=framework,
                                              title=f"{name} round 1")
    return w


@pytest.fixture
def login(client):
    """Log the test client in as a named world user: ``login(world.user("alice"))``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# --------------------------------------------------------------------------- results


@pytest.fixture
def submit_answers(db):
    """Submit an agency's answers in a round, straight through the ORM:
    ``submit_answers(round, agency, {"E1": 4, "B2": None, ...}, comments={"E1": "..."})``.

    Creates or updates the Submission (status submitted, submitted_at now) and both
    the working Answer rows and the frozen SubmittedAnswer rows (the only ones
    results read). ``None`` is "Don't know". Returns the submission.
    """
    from django.utils import timezone

    from assessments.models import Answer, Submission, SubmittedAnswer
    from survey.models import Item

    def _submit(round, agency, answers, *, comments=None, user=None):
        comments = comments or {}
        if user is None:  # by default, one of the agency's leads in the partnership
            user = (get_user_model().objects.filter(
                memberships__agency=agency, memberships__partnership_id=round.partnership_id)
                .order_by("username").first())
        items = {i.code: i for i in Item.objects.filter(framework_id=round.framework_id)}
        submission, _ = Submission.objects.update_or_create(
            round=round, agency=agency,
            defaults={"status": Submission.Status.SUBMITTED, "submitted_at": timezone.now(),
                      "submitted_by": user})
        submission.answers.all().delete()
        submission.submitted_answers.all().delete()
        for model in (Answer, SubmittedAnswer):
            model.objects.bulk_create(
                model(submission=submission, item=items[code], value=value,
                      comment=comments.get(code, ""))
                for code, value in answers.items())
        return submission

    return _submit


@pytest.fixture
def edit_draft(db):
    """Change an agency's working answers only (what a lead does before submitting):
    ``edit_draft(round, agency, {"E1": 1})``. A submitted submission becomes
    ``reopened`` (keeping its submitted answers); a new one is a ``draft``."""
    from assessments.models import Answer, Submission
    from survey.models import Item

    def _edit(round, agency, answers, *, comments=None):
        comments = comments or {}
        items = {i.code: i for i in Item.objects.filter(framework_id=round.framework_id)}
        submission = Submission.objects.filter(round=round, agency=agency).first()
        if submission is None:
            submission = Submission.objects.create(round=round, agency=agency)
        elif submission.status == Submission.Status.SUBMITTED:
            submission.status = Submission.Status.REOPENED
            submission.save()
        for code, value in answers.items():
            Answer.objects.update_or_create(
                submission=submission, item=items[code],
                defaults={"value": value, "comment": comments.get(code, "")})
        return submission

    return _edit


# --------------------------------------------------------------------------- national surveys


@pytest.fixture
def national_survey(db):
    """The 2015 surveys (K1-K5) from ``fixtures/surveys-2015.json``: survey ``esc-2015``."""
    from survey.models import NationalSurvey
    from survey.national.services import surveys_load

    surveys_load()
    return NationalSurvey.objects.get(code="esc-2015")


# --------------------------------------------------------------------------- questionnaire


@pytest.fixture
def answer_all():
    """Answer every item of a world round for an agency through the services.

    ``answer_all(world, "Alpha Fire", "bob", value=4, comment="", submit=False,
    values={"E1": 2, "O3": None})`` returns the submission; ``None`` in
    ``values`` is "Don't know".
    """

    def _answer_all(world, agency, username, *, value=4, comment="", values=None,
                    submit=False, partnership=None):
        from assessments.questionnaire.services import (
    AnswerInput,
    submission_for,
    submission_save,
    submission_submit,
)

        agency_obj = world.agencies[agency]
        round_ = world.rounds[partnership or world.memberships[agency].partnership.name]
        user = world.user(username)
        submission = submission_for(round=round_, agency=agency_obj)
        answers = {item.code: AnswerInput((values or {}).get(item.code, value), comment)
                   for item in world.framework.items.all()}
        submission_save(submission=submission, user=user, answers=answers,
                        revision=submission.revision)
        submission.refresh_from_db()
        if submit:
            submission = submission_submit(submission=submission, user=user,
                                           revision=submission.revision)
        return submission

    return _answer_all


# --------------------------------------------------------------------------- results (answers)

ITEM_CODES = ([f"E{i}" for i in range(1, 8)] + [f"B{i}" for i in range(1, 7)]
              + [f"O{i}" for i in range(1, 21)])


def full_answers(*, enabler=4, barrier=2, option=4, **values):
    """An answer to every item of the 2015 framework: ``full_answers(E2=1, O4=None)``.

    Defaults: enablers 4 (strong), barriers 2 (minor), options 4 (support): every
    option at Level 1 when two agencies answer so. ``None`` is "Don't know".
    """
    default = {"E": enabler, "B": barrier, "O": option}
    answers = {code: default[code[0]] for code in ITEM_CODES}
    unknown = set(values) - set(answers)
    assert not unknown, f"not items of the framework: {unknown}"
    return answers | values

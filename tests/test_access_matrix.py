"""The access matrix: every URL of the project, every role, GET and POST.

The URL patterns are discovered from the URLconf (``get_resolver()``), so a new view
cannot escape: a pattern without an entry in ``PAGES`` fails the test loudly.

Roles (from the ``world`` fixture), acting on partnership Alpha's round and on the
assessment of *Alpha Police*:

- ``anon``: not logged in; ``lead_a``: alice, lead of Alpha Police (the agency in the URL);
- ``lead_b``: bob, lead of Alpha Fire (same partnership, another agency);
- ``other``: carol, lead in partnership Beta; ``research``: rita; ``admin``: adam;
- ``none``: ``nobody``, logged in without a role.

Outcomes: ``ok`` (the view served the user: 2xx or a redirect that is not to a login
page), ``login`` (redirect to the login page), ``403``, ``404``, ``405``, ``400``.

Admin URLs (namespace ``admin``) follow one rule instead of a table: every admin URL
refuses everyone but administrators (redirect to the admin login), except the admin
login/logout pages and Django's ``view_on_site`` shortcut (``r/<ct>/<id>/``, which only
redirects to a public object URL or 404s). All admin patterns are walked for the refused
roles; administrators are checked on the index and on every changelist and add page.

POSTs from refused roles must change nothing: the row count of every model is the same
before and after.
"""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse


def walk(resolver=None, namespace=None):
    """Yield (full name, pattern) of every named URL pattern, recursively."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from walk(entry, full)
        elif isinstance(entry, URLPattern):
            if entry.name is None and namespace == "admin":
                continue  # the admin's unnamed "<id>/" redirect to the change page
            if entry.name is None:
                raise AssertionError(f"unnamed URL pattern {entry.pattern}: name it so the "
                                     "access matrix can cover it")
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


from tests.access_kit import (  # noqa: E402
    ALPHA_RESULTS,
    LEADS,
    LOGGED_IN,
    NOT_ALLOWED,
    PUBLIC,
    QUESTIONNAIRE,
    RESEARCH_ONLY,
    ROLES,
    USERS,
    Page,
    _q,
    _round,
    _with_login_refused,
    expect,
)

PAGES: dict[str, Page] = {
    # home and framework pages render on any method (read-only: a POST changes nothing)
    "home": Page(lambda w: {}, PUBLIC, PUBLIC),
    "framework:page": Page(lambda w: {}, PUBLIC, PUBLIC),
    "framework:version": Page(lambda w: {"code": w.framework.code,
                                         "version": w.framework.version}, PUBLIC, PUBLIC),
    # the method page (current and a given version) is public and read-only
    "method:page": Page(lambda w: {}, PUBLIC, NOT_ALLOWED),
    "method:version": Page(lambda w: {"code": w.framework.code,
                                      "version": w.framework.version}, PUBLIC, NOT_ALLOWED),
    "health": Page(lambda w: {}, PUBLIC, NOT_ALLOWED),
    "login": Page(lambda w: {}, PUBLIC, PUBLIC,
                  data=lambda w: {"username": "alice", "password": "wrong"}),
    "logout": Page(lambda w: {}, NOT_ALLOWED, PUBLIC),
    "password_change": Page(lambda w: {}, LOGGED_IN, LOGGED_IN),
    "password_change_done": Page(lambda w: {}, LOGGED_IN,
                                 _with_login_refused(LOGGED_IN, "405")),
    # password reset by email: open to all (an empty POST is the form again, no email)
    "password_reset": Page(lambda w: {}, PUBLIC, PUBLIC),
    "password_reset_done": Page(lambda w: {}, PUBLIC, NOT_ALLOWED),
    "password_reset_confirm": Page(lambda w: {"uidb64": "MQ", "token": "not-a-token"},
                                   PUBLIC, PUBLIC),
    "password_reset_complete": Page(lambda w: {}, PUBLIC, NOT_ALLOWED),
    # two-step verification: every logged-in account, for itself (none set up here, so
    # verify and backup codes send the person on; turning off needs the password)
    "two_factor": Page(lambda w: {}, LOGGED_IN, _with_login_refused(LOGGED_IN, "405")),
    "two_factor_setup": Page(lambda w: {}, LOGGED_IN, LOGGED_IN),
    "two_factor_verify": Page(lambda w: {}, LOGGED_IN, LOGGED_IN),
    "two_factor_backup_codes": Page(lambda w: {}, LOGGED_IN, LOGGED_IN),
    "two_factor_disable": Page(lambda w: {}, _with_login_refused(LOGGED_IN, "405"),
                               _with_login_refused(LOGGED_IN, "400"),
                               data=lambda w: {"password": "wrong"}),
    "set_language": Page(lambda w: {}, PUBLIC, PUBLIC,
                         data=lambda w: {"language": "en", "next": "/"}),
    "questionnaire:invitation_accept": Page(
        lambda w: {"invitation_id": 999999, "token": "not-a-token"},
                              dict.fromkeys(ROLES, "400"),
                              dict.fromkeys(ROLES, "400"),
                              data=lambda w: {"new_password1": "x", "new_password2": "x"}),
    # questionnaire of Alpha Police in Alpha's round
    "questionnaire:start": Page(_q, QUESTIONNAIRE, QUESTIONNAIRE),
    "questionnaire:section": Page(
        lambda w: _q(w, section="enablers"), QUESTIONNAIRE, QUESTIONNAIRE,
        data=lambda w: {"revision": 0, "E1-value": "1", "E1-comment": "changed"}),
    "questionnaire:review": Page(_q, QUESTIONNAIRE, _with_login_refused(LEADS, "405")),
    # the method is checked after the role, before the assessment is looked up
    "questionnaire:submit": Page(_q, _with_login_refused(LEADS, "405"), QUESTIONNAIRE,
                                 data=lambda w: {"revision": 0}),
    "questionnaire:prefill": Page(_q, _with_login_refused(LEADS, "405"), QUESTIONNAIRE),
    # a round's progress: its partnership's leads and administrators (GET only)
    "progress:round": Page(_round, expect(other="404", research="403"),
                           _with_login_refused(expect(research="403"), "405")),
    # results dashboard and its downloads
    "results:list": Page(lambda w: {}, expect(), expect()),
    "results:round": Page(_round, ALPHA_RESULTS, ALPHA_RESULTS),
    "results:json": Page(_round, ALPHA_RESULTS, ALPHA_RESULTS),
    "results:xlsx": Page(_round, ALPHA_RESULTS, ALPHA_RESULTS),
    "rounds:answers_csv": Page(_round, ALPHA_RESULTS, ALPHA_RESULTS),
    # answer files (research roles)
    "rounds:list": Page(lambda w: {}, RESEARCH_ONLY, RESEARCH_ONLY),
    "rounds:import": Page(_round, RESEARCH_ONLY, RESEARCH_ONLY,
                         data=lambda w: {"replace_submitted": "on"}),
    # research pages
    "research:page": Page(lambda w: {}, RESEARCH_ONLY, RESEARCH_ONLY),
    "research:answers_csv": Page(lambda w: {}, RESEARCH_ONLY, RESEARCH_ONLY),
    "research:workbook": Page(lambda w: {}, RESEARCH_ONLY, RESEARCH_ONLY),
    "research:export": Page(lambda w: {"name": "levels", "fmt": "csv"},
                            RESEARCH_ONLY, RESEARCH_ONLY),
    # national surveys
    "surveys:list": Page(lambda w: {}, RESEARCH_ONLY, RESEARCH_ONLY),
    "surveys:findings": Page(lambda w: {"code": "esc-2015"}, RESEARCH_ONLY, RESEARCH_ONLY),
    "surveys:findings_json": Page(lambda w: {"code": "esc-2015"}, RESEARCH_ONLY,
                                 RESEARCH_ONLY),
    "surveys:findings_csv": Page(lambda w: {"code": "esc-2015"}, RESEARCH_ONLY, RESEARCH_ONLY),
    "surveys:findings_xlsx": Page(lambda w: {"code": "esc-2015"}, RESEARCH_ONLY,
                                  RESEARCH_ONLY),
    "surveys:import": Page(lambda w: {"code": "esc-2015"}, RESEARCH_ONLY, RESEARCH_ONLY),
}

# Rows of the packages by concern, each in its own module.
for _concern in ("actions", "kpis", "lessons", "boardpaper", "followthrough"):
    _rows = importlib.import_module(f"tests.access_pages.{_concern}").PAGES
    assert not set(_rows) & set(PAGES), f"{_concern}: rows already in the matrix"
    PAGES |= _rows

ADMIN_OPEN = {"admin:login", "admin:logout", "admin:view_on_site"}
ADMIN_KWARGS = {"app_label": "assessments", "object_id": "1", "content_type_id": "1", "id": "1",
                "url": "x", "pk": "1"}  # pk: django-otp's authenticator config pages


def outcome(response) -> str:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        location = response["Location"]
        for login in (reverse("login"), reverse("admin:login"), settings.LOGIN_URL):
            if location.startswith(login) and "next=" in location:
                return "login"
        return "ok"
    if 200 <= code < 300:
        return "ok"
    return str(code)


def counts() -> dict[str, int]:
    """Rows of every model (sessions aside: logging in writes one)."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model._meta.app_label != "sessions"}


@pytest.fixture
def scene(world, national_survey, submit_answers, edit_draft):
    """Alpha's round has results (both agencies submitted); Alpha Police has since reopened
    it and changed a working answer (a draft no researcher may see)."""
    from tests.conftest import full_answers

    alpha = world.rounds["Alpha"]
    submit_answers(alpha, world.agencies["Alpha Fire"], full_answers())
    submit_answers(alpha, world.agencies["Alpha Police"], full_answers(E1=5),
                   comments={"E1": "submitted comment"})
    edit_draft(alpha, world.agencies["Alpha Police"], {"E1": 1},
               comments={"E1": "secret draft comment"})
    return world


def client_for(role, world, client):
    client.logout()
    if role != "anon":
        client.force_login(world.user(USERS[role]))
    return client


def test_every_url_pattern_has_an_entry_in_the_matrix():
    """A new view without an entry here fails (so it cannot escape the matrix)."""
    names = {name for name, _ in walk() if not name.startswith("admin:")}
    missing = names - set(PAGES)
    assert not missing, f"URL patterns missing from the access matrix: {sorted(missing)}"
    stale = set(PAGES) - names
    assert not stale, f"entries for URLs that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix_get(scene, client, role):
    c = client_for(role, scene, client)
    wrong = []
    for name, _ in walk():
        if name.startswith("admin:"):
            continue
        page = PAGES[name]
        url = reverse(name, kwargs=page.kwargs(scene))
        got = outcome(c.get(url))
        if got != page.get[role]:
            wrong.append(f"GET {url} ({name}): expected {page.get[role]}, got {got}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix_post_and_refusals_change_nothing(scene, client, role):
    c = client_for(role, scene, client)
    wrong = []
    for name, _ in walk():
        if name.startswith("admin:") or name in ("logout", "login"):
            continue  # logging in/out changes the client itself; checked below
        page = PAGES[name]
        url = reverse(name, kwargs=page.kwargs(scene))
        expected = page.post[role]
        before = counts() if expected != "ok" else None
        got = outcome(c.post(url, page.data(scene)))
        if got != expected:
            wrong.append(f"POST {url} ({name}): expected {expected}, got {got}")
        if before is not None:
            changed = {k: (v, counts()[k]) for k, v in before.items() if counts()[k] != v}
            if changed:
                wrong.append(f"POST {url} ({name}) refused but changed rows: {changed}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_login_and_logout_posts(scene, client, role):
    c = client_for(role, scene, client)
    assert outcome(c.post(reverse("login"), {"username": "alice", "password": "wrong"})) \
        == "ok"
    assert outcome(c.post(reverse("logout"))) == "ok"


def test_refused_questionnaire_post_leaves_the_answer_untouched(scene, client):
    """The other lead of the partnership, another partnership's lead, a researcher:
    none of them can overwrite Alpha Police's working answer."""
    from assessments.models import Answer

    url = reverse("questionnaire:section", kwargs=_q(scene, section="enablers"))
    for role in ("lead_b", "other", "research", "admin", "anon"):
        c = client_for(role, scene, client)
        c.post(url, {"revision": 0, "E1-value": "3", "E1-comment": "overwritten"})
    answer = Answer.objects.get(submission__agency=scene.agencies["Alpha Police"],
                                submission__round=scene.rounds["Alpha"], item__code="E1")
    assert (answer.value, answer.comment) == (1, "secret draft comment")


@pytest.mark.parametrize("role", ["research", "admin", "lead_b"])
def test_downloads_show_submitted_answers_never_the_draft(scene, client, role):
    c = client_for(role, scene, client)
    body = c.get(reverse("rounds:answers_csv", kwargs=_round(scene))).content.decode()
    assert "secret draft comment" not in body
    # comments: the partnership's leads and administrators, never researchers
    assert ("submitted comment" in body) == (role != "research")
    results = c.get(reverse("results:json", kwargs=_round(scene))).content.decode()
    assert "secret draft comment" not in results


# --------------------------------------------------------------------------- downloads
# Every download of a round, for the roles whose view of it is restricted: researchers
# (never the comments) and leads before the round has results (only their own agency).

ANSWERS_HEADER = "agency,service,item,value,comment"
RESEARCH_HEADER = "agency,service,item,value"


def _lines(response) -> list[str]:
    return response.content.decode("utf-8-sig").splitlines()


def _xlsx_text(response) -> str:
    """Every cell of every sheet of a workbook response, as one text."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return "\n".join(str(cell) for sheet in book.worksheets
                     for row in sheet.iter_rows(values_only=True) for cell in row
                     if cell is not None)


def test_researcher_downloads_never_carry_the_comments(scene, client):
    """issue 11 item 1: the answers CSV leaves the comment column out, as the dashboard,
    the JSON and the workbook leave the comments out."""
    c = client_for("research", scene, client)
    answers = c.get(reverse("rounds:answers_csv", kwargs=_round(scene)))
    assert answers.status_code == 200
    lines = _lines(answers)
    assert lines[0] == RESEARCH_HEADER
    assert len(lines) == 1 + 2 * 33  # both agencies' submitted answers, all 33 items
    assert all(line.count(",") == 3 for line in lines)
    assert "Alpha Police,police,E1,5" in lines  # the submitted value, not the draft
    body = answers.content.decode()
    assert "comment" not in body.lower().replace(RESEARCH_HEADER, "")
    for name in ("results:json", "results:xlsx", "results:round"):
        response = c.get(reverse(name, kwargs=_round(scene)))
        assert response.status_code == 200, name
        text = _xlsx_text(response) if name == "results:xlsx" else response.content.decode()
        assert "submitted comment" not in text, name
        assert "secret draft comment" not in text, name


@pytest.mark.parametrize("role", ["lead_a", "lead_b", "admin"])
def test_partners_and_administrators_keep_the_comments_once_there_are_results(scene, client,
                                                                              role):
    c = client_for(role, scene, client)
    lines = _lines(c.get(reverse("rounds:answers_csv", kwargs=_round(scene))))
    assert lines[0] == ANSWERS_HEADER
    assert len(lines) == 1 + 2 * 33  # every submitted answer of both agencies
    assert "Alpha Police,police,E1,5,submitted comment" in lines
    workbook = _xlsx_text(c.get(reverse("results:xlsx", kwargs=_round(scene))))
    assert "submitted comment" in workbook


@pytest.fixture
def half(world, submit_answers):
    """Beta's round before results: Beta Ambulance (carol) has submitted, with a candid
    comment; Beta Fire (dan) has not. Beta's framework needs two agencies."""
    from tests.conftest import full_answers

    beta = world.rounds["Beta"]
    submit_answers(beta, world.agencies["Beta Ambulance"], full_answers(E2=1),
                   comments={"E2": "ambulance candid evidence"})
    return world


def _beta(w):
    return {"round_id": w.rounds["Beta"].pk}


# (role, user): what each may download of Beta's round before it has results
BEFORE_RESULTS = {
    # the lead whose agency has not submitted: nothing of the other agency, anywhere
    "dan": {"results:round": 200, "results:json": 404, "results:xlsx": 404,
            "rounds:answers_csv": 200},
    # the lead whose agency has submitted: their own answers only
    "carol": {"results:round": 200, "results:json": 404, "results:xlsx": 404,
              "rounds:answers_csv": 200},
    # research roles: no results yet either; the answers (researchers without comments)
    "rita": {"results:round": 200, "results:json": 404, "results:xlsx": 404,
             "rounds:answers_csv": 200},
    "adam": {"results:round": 200, "results:json": 404, "results:xlsx": 404,
             "rounds:answers_csv": 200},
    # leads of another partnership: as if the round did not exist
    "alice": {"results:round": 404, "results:json": 404, "results:xlsx": 404,
              "rounds:answers_csv": 404},
    # no role
    "nobody": {"results:round": 403, "results:json": 403, "results:xlsx": 403,
               "rounds:answers_csv": 403},
}


@pytest.mark.parametrize("username", sorted(BEFORE_RESULTS))
def test_every_download_before_results(half, client, username):
    """issue 11 item 2: before a round has results, a lead sees only their own agency's
    answers in every page and file; the status of each download for each role."""
    client.force_login(half.user(username))
    wrong = []
    for name, status in BEFORE_RESULTS[username].items():
        response = client.get(reverse(name, kwargs=_beta(half)))
        if response.status_code != status:
            wrong.append(f"{name}: expected {status}, got {response.status_code}")
        if response.status_code == 200 and name != "rounds:answers_csv":
            body = response.content.decode()
            if "ambulance candid evidence" in body:
                wrong.append(f"{name}: shows Beta Ambulance's comment")
    assert not wrong, "\n".join(wrong)


def test_lead_whose_agency_has_not_submitted_gets_no_other_agency_answers(half, client):
    client.force_login(half.user("dan"))
    response = client.get(reverse("rounds:answers_csv", kwargs=_beta(half)))
    assert response.status_code == 200
    assert _lines(response) == [ANSWERS_HEADER]  # nothing of Beta Ambulance
    page = client.get(reverse("results:round", kwargs=_beta(half))).content.decode()
    assert "ambulance candid evidence" not in page
    assert "Results appear once at least 2 agencies have submitted" in page


def test_lead_whose_agency_has_submitted_gets_their_own_answers_only(half, client,
                                                                     submit_answers):
    from tests.conftest import full_answers

    client.force_login(half.user("carol"))
    lines = _lines(client.get(reverse("rounds:answers_csv", kwargs=_beta(half))))
    assert lines[0] == ANSWERS_HEADER
    assert len(lines) == 1 + 33
    assert all(line.startswith("Beta Ambulance,ambulance,") for line in lines[1:])
    assert "Beta Ambulance,ambulance,E2,1,ambulance candid evidence" in lines
    # once Beta Fire submits, the round has results: both leads see everything
    submit_answers(half.rounds["Beta"], half.agencies["Beta Fire"], full_answers(),
                   comments={"E3": "fire candid evidence"})
    for username in ("carol", "dan"):
        client.force_login(half.user(username))
        body = _lines(client.get(reverse("rounds:answers_csv", kwargs=_beta(half))))
        assert len(body) == 1 + 2 * 33
        assert "Beta Ambulance,ambulance,E2,1,ambulance candid evidence" in body
        assert "Beta Fire,fire,E3,4,fire candid evidence" in body
        for name in ("results:json", "results:xlsx"):
            assert client.get(reverse(name, kwargs=_beta(half))).status_code == 200


@pytest.mark.parametrize("username", ["rita", "adam"])
def test_research_roles_before_results(half, client, username):
    """Researchers import and check answer files before results: every agency's answers,
    without comments; administrators with them."""
    client.force_login(half.user(username))
    lines = _lines(client.get(reverse("rounds:answers_csv", kwargs=_beta(half))))
    assert len(lines) == 1 + 33
    if username == "rita":
        assert lines[0] == RESEARCH_HEADER
        assert "Beta Ambulance,ambulance,E2,1" in lines
        assert not any("candid" in line for line in lines)
    else:
        assert lines[0] == ANSWERS_HEADER
        assert "Beta Ambulance,ambulance,E2,1,ambulance candid evidence" in lines


def _admin_urls():
    for name, pattern in walk():
        if not name.startswith("admin:"):
            continue
        regex = pattern.pattern.regex
        if regex.groupindex:
            yield name, reverse(name, kwargs={k: ADMIN_KWARGS[k] for k in regex.groupindex})
        else:  # positional groups (django-simple-history's re_path)
            yield name, reverse(name, args=["1"] * regex.groups)


@pytest.mark.parametrize("role", ["anon", "none", "lead_a", "research"])
def test_every_admin_url_refuses_non_administrators(world, client, role):
    from django.contrib.admin.models import LogEntry

    c = client_for(role, world, client)
    before = counts()
    wrong = []
    walked = 0
    for name, url in _admin_urls():
        if name in ADMIN_OPEN:
            continue
        walked += 1
        for method in (c.get, c.post):
            response = method(url)
            if not (response.status_code == 302
                    and response["Location"].startswith(reverse("admin:login"))):
                wrong.append(f"{method.__name__.upper()} {url} ({name}): "
                             f"{response.status_code}")
    assert walked > 20  # the walk did find the admin's model pages
    assert not wrong, "\n".join(wrong)
    assert counts() == before
    assert not LogEntry.objects.exists()


def test_administrator_reaches_every_admin_list_and_add_page(world, client):
    """The project's own models (assessments, survey); auth is governed by role permissions."""
    c = client_for("admin", world, client)
    seen = 0
    for name, url in _admin_urls():
        if name == "admin:index" or (name.startswith(("admin:assessments_", "admin:survey_"))
                                     and name.endswith(("_changelist", "_add"))):
            response = c.get(url)
            # 403 is allowed only for add pages a model refuses to everyone (read-only
            # records); the list pages must all open
            assert response.status_code == 200 or (
                name.endswith("_add") and response.status_code == 403), (name, response)
            seen += 1
    assert seen > 10


@pytest.mark.parametrize("pair", [("Beta", "Alpha Police"), ("Alpha", "Beta Fire"),
                                  ("Alpha", "Alpha Fire")])
def test_mixing_ids_cannot_reach_another_assessment(scene, client, pair):
    """alice leads Alpha Police in Alpha only: any other (round, agency) pair is 404."""
    round_name, agency = pair
    c = client_for("lead_a", scene, client)
    kwargs = {"round_id": scene.rounds[round_name].pk, "agency_id": scene.agencies[agency].pk}
    for name in ("questionnaire:start", "questionnaire:review"):
        assert c.get(reverse(name, kwargs=kwargs)).status_code == 404
    section = reverse("questionnaire:section", kwargs=kwargs | {"section": "enablers"})
    assert c.get(section).status_code == 404
    before = counts()
    assert c.post(section, {"revision": 0, "E1-value": "2"}).status_code == 404
    assert c.post(reverse("questionnaire:submit", kwargs=kwargs),
                  {"revision": 0}).status_code == 404
    assert counts() == before


def test_the_pages_linking_the_answers_csv_say_what_it_holds(scene, client):
    rita = client_for("research", scene, client).get(reverse("rounds:list")).content.decode()
    assert "Researchers&#x27; downloads leave out the agencies&#x27; comments" in rita \
        or "Researchers' downloads leave out the agencies' comments" in rita
    adam = client_for("admin", scene, client).get(reverse("rounds:list")).content.decode()
    assert "downloads include the agencies" in adam
    bob = client_for("lead_b", scene, client).get(reverse("home")).content.decode()
    assert "your agency&#x27;s until the round has results" in bob \
        or "your agency's until the round has results" in bob

"""The actions pages for every role: list, new, adopt, the action's page (edit, stale
edit, notes), the change log; the dashboard's section and adopt buttons; query counts."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from assessments.actions.dashboard import dashboard_context
from assessments.actions.models import Action, ActionNote
from assessments.actions.services import action_adopt, action_create, action_update
from assessments.results.selectors import round_results
from assessments.results.snapshots import round_snapshot_refresh


def list_url(world, name="Alpha"):
    return reverse("actions:list", kwargs={"partnership_id": world.partnerships[name].pk})


def detail_url(action, name="detail"):
    return reverse(f"actions:{name}", kwargs={"partnership_id": action.partnership_id,
                                              "action_id": action.pk})


def results_url(round_):
    return reverse("results:round", kwargs={"round_id": round_.pk})


@pytest.fixture
def actions(world):
    alice = world.user("alice")
    today = timezone.localdate()
    alpha = world.partnerships["Alpha"]
    return {
        "late": action_create(partnership=alpha, user=alice, title="Agree the budget",
                              factor_code="E3", owner=world.agencies["Alpha Police"],
                              due_on=today - timedelta(days=5)),
        "soon": action_create(partnership=alpha, user=alice, title="Meet the unions",
                              factor_code="B4", due_on=today + timedelta(days=5),
                              status=Action.Status.IN_PROGRESS),
        "done": action_create(partnership=alpha, user=alice, title="Write the vision",
                              factor_code="E1", status=Action.Status.DONE),
    }


# --------------------------------------------------------------------------- the list


def test_leads_see_their_partnerships_actions_overdue_first(world, login, actions):
    html = login(world.user("bob")).get(list_url(world)).content.decode()
    assert "Actions of Alpha" in html
    positions = [html.index(f'id="action-{actions[k].pk}"') for k in ("late", "soon", "done")]
    assert positions == sorted(positions)
    late = html[positions[0]:positions[1]]
    assert "Overdue" in late and "Agree the budget" in late and "Alpha Police" in late
    assert "E3 Clear, shared resource plan" in late
    assert "Overdue" not in html[positions[1]:]
    assert "1 open action is past its due date." in html
    assert reverse("actions:new", kwargs={"partnership_id": world.partnerships["Alpha"].pk}) \
        in html


def test_the_list_filters_by_status(world, login, actions):
    client = login(world.user("alice"))
    html = client.get(list_url(world), {"status": "done"}).content.decode()
    assert "Write the vision" in html and "Agree the budget" not in html
    html = client.get(list_url(world), {"status": "open"}).content.decode()
    assert "Write the vision" not in html and "Meet the unions" in html
    html = client.get(list_url(world), {"status": "dropped"}).content.decode()
    assert "No action has this status." in html
    # an unknown status is no filter
    assert "Write the vision" in client.get(list_url(world), {"status": "x"}).content.decode()


def test_administrators_see_the_actions_but_cannot_change_them(world, login, actions):
    client = login(world.user("adam"))
    html = client.get(list_url(world)).content.decode()
    assert "Agree the budget" in html and "New action" not in html
    page = client.get(detail_url(actions["late"])).content.decode()
    assert "Agree the budget" in page and 'id="action-form"' not in page
    assert 'id="note-form"' not in page
    before = Action.objects.get(pk=actions["late"].pk).title
    assert client.post(detail_url(actions["late"]), {"title": "x", "status": "done",
                                                     "revision": 0}).status_code == 403
    assert client.post(detail_url(actions["late"], "note"), {"text": "x"}).status_code == 403
    new = reverse("actions:new", kwargs={"partnership_id": world.partnerships["Alpha"].pk})
    assert client.get(new).status_code == 403
    assert Action.objects.get(pk=actions["late"].pk).title == before
    assert not ActionNote.objects.exists()


@pytest.mark.parametrize(("user", "status"), [("carol", 404), ("rita", 403), ("nobody", 403)])
def test_others_are_refused_every_page(world, login, actions, user, status):
    client = login(world.user(user))
    action = actions["late"]
    new = reverse("actions:new", kwargs={"partnership_id": action.partnership_id})
    for url in (list_url(world), new, detail_url(action), detail_url(action, "changes")):
        assert client.get(url).status_code == status, url
    for url, data in [(new, {"title": "x", "status": "planned"}),
                      (detail_url(action), {"title": "x", "status": "done", "revision": 0}),
                      (detail_url(action, "note"), {"text": "x"})]:
        assert client.post(url, data).status_code == status, url
    assert Action.objects.count() == 3 and not ActionNote.objects.exists()
    assert Action.objects.get(pk=action.pk).title == "Agree the budget"


def test_anonymous_visitors_are_sent_to_log_in(world, client, actions):
    for url in (list_url(world), detail_url(actions["late"])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_partnerships_action_is_not_found_under_this_one(world, login, actions):
    beta = action_create(partnership=world.partnerships["Beta"], user=world.user("carol"),
                         title="Beta's own")
    url = reverse("actions:detail", kwargs={"partnership_id": world.partnerships["Alpha"].pk,
                                            "action_id": beta.pk})
    assert login(world.user("alice")).get(url).status_code == 404


# --------------------------------------------------------------------------- new, edit, notes


def test_a_lead_writes_a_new_action(world, login):
    client = login(world.user("bella"))
    url = reverse("actions:new", kwargs={"partnership_id": world.partnerships["Alpha"].pk})
    page = client.get(url).content.decode()
    assert "E3 Clear, shared resource plan" in page and "O20 Police devolution" in page
    assert "Alpha Fire" in page and "Beta Fire" not in page
    due = timezone.localdate() + timedelta(days=60)
    response = client.post(url, {"title": "Pool the fleet budget", "factor_code": "B2",
                                 "option_codes": ["O3", "O17"],
                                 "owner": world.agencies["Alpha Fire"].pk,
                                 "due_on": due.isoformat(), "status": "planned"})
    action = Action.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(action)
    assert (action.factor_code, action.option_codes, action.owner.name, action.due_on,
            action.created_by) == ("B2", ["O3", "O17"], "Alpha Fire", due, world.user("bella"))
    assert "Action added." in client.get(response["Location"]).content.decode()


def test_a_bad_new_action_shows_the_problem_and_keeps_the_typing(world, login):
    client = login(world.user("alice"))
    url = reverse("actions:new", kwargs={"partnership_id": world.partnerships["Alpha"].pk})
    html = client.post(url, {"title": "My carefully typed title", "factor_code": "E9",
                             "owner": world.agencies["Beta Fire"].pk,
                             "due_on": "not a date", "status": "planned"}).content.decode()
    assert "There is a problem" in html
    assert "My carefully typed title" in html
    assert 'id="error-summary"' in html and html.count('class="alert-link"') == 3
    assert not Action.objects.exists()


def test_adopting_from_the_dashboard(world, login, alpha_results):
    client = login(world.user("alice"))
    dashboard = client.get(results_url(alpha_results)).content.decode()
    assert dashboard.count("Adopt this action") == 2  # E3 and B2
    adopt = reverse("actions:adopt", kwargs={"round_id": alpha_results.pk})
    assert f'action="{adopt}"' in dashboard and 'name="factor" value="E3"' in dashboard
    assert 'id="actions"' in dashboard and "No action yet" in dashboard
    response = client.post(adopt, {"round": alpha_results.pk, "factor": "E3"})
    action = Action.objects.get()
    assert response["Location"] == detail_url(action)
    page = client.get(response["Location"]).content.decode()
    assert "Action adopted. Now choose the agency that owns it" in page
    assert 'id="action-form"' in page and "Deal with E3 Clear, shared resource plan" in page
    # the dashboard now links to it instead of offering it again
    dashboard = client.get(results_url(alpha_results)).content.decode()
    assert dashboard.count("Adopt this action") == 1
    assert "Adopted:" in dashboard and detail_url(action) in dashboard
    assert "Adopted from these results" in dashboard
    # a second POST (another tab) goes to the same action
    again = client.post(adopt, {"factor": "E3"})
    assert again["Location"] == detail_url(action) and Action.objects.count() == 1


def test_adopting_a_factor_not_in_the_plan_says_why(world, login, alpha_results):
    client = login(world.user("alice"))
    adopt = reverse("actions:adopt", kwargs={"round_id": alpha_results.pk})
    response = client.post(adopt, {"factor": "E1"}, follow=True)
    assert "E1 is not in this round&#x27;s action plan" in response.content.decode()
    assert not Action.objects.exists()


@pytest.mark.parametrize(("user", "status"), [("adam", 403), ("carol", 404), ("rita", 403),
                                              ("nobody", 403)])
def test_only_the_partnerships_leads_adopt(world, login, alpha_results, user, status):
    client = login(world.user(user))
    adopt = reverse("actions:adopt", kwargs={"round_id": alpha_results.pk})
    assert client.post(adopt, {"factor": "E3"}).status_code == status
    assert not Action.objects.exists()


def test_researchers_and_administrators_on_the_dashboard(world, login, alpha_results):
    action_adopt(round=alpha_results, factor_code="E3", user=world.user("alice"))
    rita = login(world.user("rita")).get(results_url(alpha_results)).content.decode()
    assert 'id="actions"' not in rita and "Adopt this action" not in rita
    assert "Adopted:" not in rita
    adam = login(world.user("adam")).get(results_url(alpha_results)).content.decode()
    assert 'id="actions"' in adam and "Adopted:" in adam
    assert "Adopt this action" not in adam  # B2 is not offered to an administrator


def test_editing_an_action(world, login, actions):
    client = login(world.user("bob"))
    action = actions["soon"]
    response = client.post(detail_url(action), {
        "title": "Meet the unions and staff", "factor_code": "B4", "status": "done",
        "owner": world.agencies["Alpha Fire"].pk, "revision": action.revision})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.status, action.done_on, action.owner.name) == (
        "Meet the unions and staff", "done", timezone.localdate(), "Alpha Fire")
    page = client.get(detail_url(action)).content.decode()
    assert "Changes saved." in page
    assert "Status: In progress → Done." in page and "bob" in page
    assert "Owner agency: none → Alpha Fire." in page


def test_a_stale_edit_is_refused_with_the_typing_kept(world, login, actions):
    action = actions["soon"]
    action_update(action=action, user=world.user("alice"), revision=0, title="Alice's title")
    client = login(world.user("bob"))
    response = client.post(detail_url(action), {
        "title": "Bob's typed title", "status": "dropped", "revision": 0})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not saved: someone else changed this action" in html
    assert "What will be done: now Alice&#x27;s title (was Meet the unions)" in html
    assert 'value="Bob&#x27;s typed title"' in html
    assert 'name="revision" value="1"' in html  # saving again is now deliberate
    action.refresh_from_db()
    assert (action.title, action.status) == ("Alice's title", "in_progress")


def test_adding_a_progress_note(world, login, actions):
    client = login(world.user("alice"))
    action = actions["late"]
    day = timezone.localdate() - timedelta(days=2)
    response = client.post(detail_url(action, "note"), {"on_day": day.isoformat(),
                                                        "text": "Finance leads met."})
    assert response["Location"] == detail_url(action) + "#notes"
    note = ActionNote.objects.get()
    assert (note.on_day, note.text, note.author) == (day, "Finance leads met.",
                                                     world.user("alice"))
    html = client.post(detail_url(action, "note"), {
        "on_day": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "text": "From the future"}).content.decode()
    assert "cannot be dated in the future" in html and "From the future" in html
    assert ActionNote.objects.count() == 1
    assert client.get(detail_url(action, "note")).status_code == 405


def test_the_change_log_page(world, login, actions):
    action = actions["late"]
    for n in range(6):
        action = action_update(action=action, user=world.user("bob"), revision=n,
                               title=f"Agree the budget, take {n}")[0]
    client = login(world.user("alice"))
    page = client.get(detail_url(action)).content.decode()
    assert page.count('class="border-start ps-3 mb-3"') == 5
    assert detail_url(action, "changes") in page
    full = client.get(detail_url(action, "changes")).content.decode()
    assert full.count('class="border-start ps-3 mb-3"') == 7
    assert "Created the action: “Agree the budget”." in full
    assert ("What will be done: Agree the budget, take 4 → Agree the budget, take 5."
            in full.replace("&#x27;", "'"))


# --------------------------------------------------------------------------- did it work?


def test_the_next_rounds_dashboard_says_whether_it_worked(world, login, alpha_results,
                                                          second_round):
    action, _ = action_adopt(round=alpha_results, factor_code="E3", user=world.user("alice"))
    round2 = second_round()
    round_snapshot_refresh(round=alpha_results)
    html = login(world.user("bob")).get(results_url(round2)).content.decode()
    section = html[html.index('id="actions"'):]
    card = section[section.index(f'id="dashboard-action-{action.pk}"'):]
    assert "Moved: its status improved" in card
    assert "average 2, enabler that needs work" in card
    assert "average 4, enabler in good shape" in card
    assert "Alpha round 1 (before)" in section
    assert "(moved up)" in card


def test_dashboard_context_takes_at_most_two_queries(world, alpha_results, second_round,
                                                     django_assert_max_num_queries):
    from assessments.access import rounds_visible_to

    action_adopt(round=alpha_results, factor_code="E3", user=world.user("alice"))
    action_adopt(round=alpha_results, factor_code="B2", user=world.user("alice"))
    round2 = second_round()
    round_snapshot_refresh(round=alpha_results)
    request = RequestFactory().get("/")
    request.user = world.user("alice")
    round_ = rounds_visible_to(request.user).get(pk=round2.pk)
    results = round_results(round=round_)
    with django_assert_max_num_queries(2):
        context = dashboard_context(request=request, round=round_, results=results)
    assert len(context["actions_rows"]) == 2
    assert all(r.comparison is not None for r in context["actions_rows"])
    assert set(context["actions_adopted"]) == {"E3", "B2"}
    assert context["actions_can_adopt"] is True


# --------------------------------------------------------------------------- queries, Welsh


def test_page_query_counts_are_pinned(world, login, actions, django_assert_max_num_queries):
    client = login(world.user("alice"))
    action = actions["late"]
    new = reverse("actions:new", kwargs={"partnership_id": action.partnership_id})
    # session, user, roles, the partnership (membership); then each page's own reads:
    # list: actions with owners, the partnership's framework; new: its agencies and
    # framework; detail and changes: the action, agencies, framework, notes, history...
    pages = {list_url(world): 6, detail_url(action): 10, detail_url(action, "changes"): 9,
             new: 6}
    for url in pages:
        client.get(url)  # warm the session and the framework's cache
    counts = {}
    for url, most in pages.items():
        with django_assert_max_num_queries(most) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    # more actions, notes and changes: the same queries
    for n in range(5):
        more = action_create(partnership=world.partnerships["Alpha"], user=world.user("bob"),
                             title=f"More {n}", owner=world.agencies["Alpha Fire"])
        action_update(action=more, user=world.user("bob"), revision=0, status="in_progress")
    for n in range(3):
        action_update(action=action, user=world.user("bob"), revision=n, title=f"Take {n}",
                      owner=world.agencies["Alpha Fire" if n % 2 else "Alpha Police"])
        ActionNote.objects.create(action=action, text=f"Note {n}", author=world.user("bob"))
    for url in pages:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_the_list_in_welsh(world, login, actions):
    client = login(world.user("alice"))
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    html = client.get(list_url(world)).content.decode()
    assert '<html lang="cy">' in html
    assert html.count('<li class="card mb-3" id="action-') == 3
    assert 'class="badge text-bg-danger bl-overdue"' in html
    assert 'id="status-filter"' in html
    page = client.get(detail_url(actions["late"])).content.decode()
    assert '<html lang="cy">' in page and 'id="action-form"' in page


def test_the_cached_action_plan_adopts_with_each_readers_own_csrf_token(world, login,
                                                                       alpha_results):
    """The plan is kept as HTML for every lead of the partnership; its buttons submit the
    page's one adopt form, outside the kept HTML, with the reader's own CSRF token."""
    from django.test import Client

    login(world.user("alice")).get(results_url(alpha_results))  # fills the cache
    bob = Client(enforce_csrf_checks=True)
    bob.force_login(world.user("bob"))
    html = bob.get(results_url(alpha_results)).content.decode()
    plan = html.split('id="action-plan"', 1)[1].split("</section>", 1)[0]
    assert 'form="adopt-action" name="factor" value="E3"' in plan
    assert "csrfmiddlewaretoken" not in plan
    form = html.split('<form id="adopt-action"', 1)[1].split("</form>", 1)[0]
    token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    adopt = reverse("actions:adopt", kwargs={"round_id": alpha_results.pk})
    response = bob.post(adopt, {"csrfmiddlewaretoken": token, "factor": "E3"})
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.factor_code, action.created_by) == ("E3", world.user("bob"))
    assert bob.post(adopt, {"factor": "B2"}).status_code == 403  # no token: refused

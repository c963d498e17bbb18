"""The board paper (PDF evidence pack): what it says, to whom, in which language, and its
record. The PDF's text is read back with pypdf, as a reader's PDF viewer would show it."""

import hashlib
import io
import re
from datetime import date

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.boardpaper.models import BoardPaper, Decision
from assessments.models import Round
from assessments.results.snapshots import round_snapshot_refresh
from tests.conftest import full_answers

# Alpha Police and Alpha Fire: options at Level 1, 2 and 3, items they disagree on
# (E7, O20), and comments.
POLICE = full_answers(E1=5, E5=2, E7=1, B2=5, O3=2, O20=1, O16=None)
FIRE = full_answers(E5=2, E7=4, B2=4, O3=4, O20=5, O16=None)
POLICE_COMMENTS = {"E7": "Officers fear losing the force's identity.",
                   "O20": "The commissioner opposes any change to governance."}


def pdf_url(round_):
    return reverse("boardpaper:pdf", kwargs={"round_id": round_.pk})


def text_of(content: bytes) -> tuple[str, list[str]]:
    """The whole text (whitespace made single spaces) and each page's text."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    return " ".join(pages), pages


@pytest.fixture
def alpha(world, submit_answers):
    """Alpha: an earlier closed round with results (for the trend) and the world's round,
    both agencies submitted."""
    earlier = Round.objects.create(partnership=world.partnerships["Alpha"],
                                   framework=world.framework, title="Alpha baseline",
                                   opens_on=date(2025, 3, 1), closes_on=date(2025, 4, 30),
                                   status=Round.Status.CLOSED, closed_at=timezone.now())
    for r in (earlier,):
        submit_answers(r, world.agencies["Alpha Police"], full_answers(E2=2))
        submit_answers(r, world.agencies["Alpha Fire"], full_answers(E2=3))
    current = world.rounds["Alpha"]
    current.opens_on = date(2026, 10, 1)
    current.save()
    submit_answers(current, world.agencies["Alpha Police"], POLICE, comments=POLICE_COMMENTS)
    submit_answers(current, world.agencies["Alpha Fire"], FIRE)
    round_snapshot_refresh(round=current)
    return world


def close(round_):
    round_.status = Round.Status.CLOSED
    round_.closed_at = timezone.now()
    round_.save()


def get_pdf(client, round_):
    response = client.get(pdf_url(round_))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return response


def test_a_lead_gets_the_pack_with_every_option_its_level_and_the_comments(alpha, login):
    from assessments.results.selectors import round_results

    round_ = alpha.rounds["Alpha"]
    response = get_pdf(login(alpha.user("alice")), round_)
    assert 'filename="bluelight-alpha-alpha-round-1-board-paper-provisional-' in \
        response["Content-Disposition"]
    text, _pages = text_of(response.content)
    assert "Alpha" in text and "Alpha Police" in text and "Alpha Fire" in text
    assert "Emergency Services Collaboration framework (2015), version 1; scoring method v1" \
        in text
    assert "by alice" in text
    results = round_results(round=Round.objects.select_related("framework", "partnership")
                            .get(pk=round_.pk))
    levels = {code: o.level for code, o in results.result.options.items()}
    assert {1, 2, 3, None} <= set(levels.values())  # the scene covers every level
    for code, option in results.result.options.items():
        title = re.escape(results.titles[code])
        word = "Not rated" if option.level is None else f"Level {option.level}"
        assert re.search(rf"{code} {title} {word}", text), (code, word)
    # the agencies' comments: in "Discuss these" and in the annex
    assert text.count("The commissioner opposes any change to governance.") == 2
    assert "Officers fear losing the force's identity." in text
    # the summary: readiness, the top three actions
    assert "Readiness index" in text and "out of 100" in text
    assert "What to tackle first" in text
    assert f"{results.action_plan[0].item.code} {results.action_plan[0].item.title} holds back" \
        in text
    # the trend across the two rounds with results, and no actions or KPIs tracked yet
    assert "Readiness across rounds" in text and "Alpha baseline" in text
    assert "No actions recorded." in text and "No key performance indicators recorded." in text


def test_provisional_when_due_and_not_when_the_round_is_complete(alpha, login):
    round_ = alpha.rounds["Alpha"]
    client = login(alpha.user("alice"))
    text, pages = text_of(get_pdf(client, round_).content)
    assert "PROVISIONAL" in pages[0]  # the cover's mark
    assert all("PROVISIONAL" in page for page in pages[1:])  # every page's header
    assert "The round is still open" in text
    close(round_)
    response = get_pdf(client, round_)
    assert "provisional" not in response["Content-Disposition"]
    text, pages = text_of(response.content)
    assert "PROVISIONAL" not in text.upper()
    assert "Final results: the round is closed and every agency has submitted." in text
    assert list(BoardPaper.objects.order_by("id").values_list("provisional", flat=True)) == [
        True, False]


def test_the_decisions_on_the_options_are_in_the_pack(alpha, login):
    partnership = alpha.partnerships["Alpha"]
    Decision.objects.create(partnership=partnership, option_code="O3", choice="later",
                            reason="Wait for the estates review.", decided_on=date(2026, 6, 1))
    Decision.objects.create(partnership=partnership, option_code="O3", choice="now",
                            reason="Estates review done: go ahead.",
                            decided_on=date(2026, 11, 20), round=alpha.rounds["Alpha"])
    Decision.objects.create(partnership=partnership, option_code="O20", choice="not",
                            reason="Governance is not ours to change.",
                            decided_on=date(2026, 11, 21))
    text, _pages = text_of(get_pdf(login(alpha.user("bob")), alpha.rounds["Alpha"]).content)
    assert "Decision: Pursue now (20 November 2026): Estates review done: go ahead." in text
    assert "Decision: Not pursuing (21 November 2026): Governance is not ours to change." \
        in text
    assert "Wait for the estates review." not in text  # only the decision in force
    assert "No decision recorded yet." not in text


def test_a_researcher_gets_it_without_any_comment(alpha, login):
    response = get_pdf(login(alpha.user("rita")), alpha.rounds["Alpha"])
    text, _pages = text_of(response.content)
    assert "The commissioner opposes" not in text and "Officers fear" not in text
    assert "Without the agencies' comments" in text
    assert "Level 1" in text and "Alpha Police" in text
    record = BoardPaper.objects.get()
    assert record.with_comments is False and record.produced_by == alpha.user("rita")


def test_administrators_get_the_comments(alpha, login):
    text, _pages = text_of(get_pdf(login(alpha.user("adam")), alpha.rounds["Alpha"]).content)
    assert "The commissioner opposes any change to governance." in text


def test_in_welsh_for_a_welsh_reader(alpha, login):
    client = login(alpha.user("alice"))
    client.cookies["django_language"] = "cy"
    response = get_pdf(client, alpha.rounds["Alpha"])
    text, _pages = text_of(response.content)
    # words of the existing Welsh catalogue
    for welsh in ("Lefelau a argymhellir", "Mynegai parodrwydd", "Cynllun gweithredu",
                  "Trafodwch y rhain", "Crynodeb", "Lefel 1", "Lefel 3"):
        assert welsh in text, welsh
    assert "Recommended levels" not in text and "Readiness index" not in text
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert BoardPaper.objects.get().language == "cy"


def test_each_pack_is_recorded_with_the_hash_of_its_bytes_and_of_the_answers(alpha, login):
    round_ = alpha.rounds["Alpha"]
    response = get_pdf(login(alpha.user("alice")), round_)
    record = BoardPaper.objects.get()
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert record.content_hash == hashlib.sha256(response.content).hexdigest()
    assert record.size == len(response.content) and record.pages == len(reader.pages)
    assert record.round == round_ and record.produced_by == alpha.user("alice")
    assert record.produced_by_username == "alice" and record.language == "en-gb"
    assert record.provisional is True and record.with_comments is True
    # the answers hash is the results snapshot's: the paper traces to those answers
    assert record.answers_hash == round_snapshot_refresh(round=round_).answers_hash
    text, pages = text_of(response.content)
    assert record.answers_hash in text.replace(" ", "")  # on the cover, in full
    assert f"Board paper no. {record.pk}" in pages[0]
    footer = f"Board paper no. {record.pk} · answers {record.answers_hash[:12]}"
    assert all(footer in page for page in pages)


def test_page_numbers_and_a_contents_list_with_the_right_pages(alpha, login):
    text, pages = text_of(get_pdf(login(alpha.user("alice")), alpha.rounds["Alpha"]).content)
    n = len(pages)
    for i, page in enumerate(pages, start=1):
        assert f"Page {i} of {n}" in page
    contents = pages[1]
    assert contents.startswith("Contents") or " Contents " in f" {contents}"
    sections = ["Summary", "Recommended levels", "Enablers, barriers and themes",
                "Discuss these", "Action plan", "Decisions on the options",
                "Partnerships like yours", "Across rounds",
                "Annex: every agency's answers"]
    for title in sections:
        found = re.search(re.escape(title) + r" ?\.{3,} ?(\d+)", contents)
        assert found, title
        page = int(found.group(1))
        # the section's heading starts that page (after the running header)
        assert title in pages[page - 1][:200], (title, page)


def test_a_tagged_pdf_with_title_language_and_charts_with_alternative_text(alpha, login):
    response = get_pdf(login(alpha.user("alice")), alpha.rounds["Alpha"])
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Board paper: Alpha, Alpha round 1"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-gb" and root["/MarkInfo"]["/Marked"]
    figures, headings = [], []

    def walk(node):
        node = node.get_object()
        if not isinstance(node, dict):
            return
        tag = node.get("/S")
        if tag == "/Figure":
            figures.append(str(node.get("/Alt", "")))
        if tag in ("/H1", "/H2", "/H3", "/H4"):
            headings.append(int(tag[2]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object"):
                walk(kid)

    walk(root["/StructTreeRoot"])
    assert len(figures) == 3  # levels, enablers and barriers, readiness across rounds
    assert figures[0].startswith("Bar chart of how many of the 20 options are at each level")
    assert any(alt.startswith("Line chart of the readiness index") for alt in figures)
    # headings in order: one h1, and never a level skipped on the way down
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:], strict=False))


def test_the_dashboard_links_to_it(alpha, login):
    page = login(alpha.user("alice")).get(
        reverse("results:round", kwargs={"round_id": alpha.rounds["Alpha"].pk}))
    html = page.content.decode()
    assert f'href="{pdf_url(alpha.rounds["Alpha"])}?like=kind"' in html
    assert "Board paper (PDF)" in html


def test_partnerships_like_yours_as_picked_on_the_dashboard(alpha, login, submit_answers):
    """Beta has results too: Alpha's paper compares without ever naming it."""
    beta = alpha.rounds["Beta"]
    submit_answers(beta, alpha.agencies["Beta Ambulance"], full_answers())
    submit_answers(beta, alpha.agencies["Beta Fire"], full_answers())
    round_snapshot_refresh(round=beta)
    client = login(alpha.user("alice"))
    text, _pages = text_of(get_pdf(client, alpha.rounds["Alpha"]).content)
    assert "Partnerships like yours" in text
    assert "Partnerships with the same kind of collaboration as yours: Shared back office" \
        in text
    assert "Beta" not in text
    response = client.get(pdf_url(alpha.rounds["Alpha"]) + "?like=services")
    text, _pages = text_of(response.content)
    assert "Partnerships whose agencies are of the same services as yours" in text
    # Beta (ambulance and fire, co-responding, in Wales) is like Alpha in no way
    assert "0 comparable partnerships with results." in text
    assert "No comparable partnership has results yet, so there is nothing to compare with." \
        in text


def test_tracked_actions_and_kpis_are_shown_with_their_status(alpha, login, monkeypatch):
    from decimal import Decimal

    from assessments.actions.selectors import ActionRow
    from assessments.boardpaper import selectors
    from assessments.kpis.selectors import KpiRow

    action = ActionRow(id=1, title="Agree a shared estates plan", factor_code="E5",
                       factor_title="Local cross-party political buy-in", option_codes=["O3"],
                       owner="Alpha Fire", due_on=date(2026, 9, 30), status="open",
                       status_label="In progress", overdue=True)
    kpi = KpiRow(id=1, name="Shared stations", unit="stations", direction="higher",
                 baseline=Decimal("2"), baseline_on=date(2025, 4, 1), target=Decimal("6"),
                 target_on=date(2027, 3, 31), period_label="quarterly", option_codes=["O3"],
                 reporter="alice", status="on_track", status_label="On track",
                 latest=Decimal("4"), latest_period="2026 Q3")
    monkeypatch.setattr(selectors, "actions_for_pack", lambda **kw: [action])
    monkeypatch.setattr(selectors, "kpis_for_pack", lambda **kw: [kpi])
    text, _pages = text_of(get_pdf(login(alpha.user("alice")), alpha.rounds["Alpha"]).content)
    assert "Agree a shared estates plan" in text and "In progress · overdue" in text
    assert "Shared stations" in text and "On track" in text and "4 stations (2026 Q3)" in text
    assert "No actions recorded." not in text


def test_a_paper_that_fails_to_render_leaves_no_record(alpha, login, monkeypatch):
    from assessments.boardpaper import services

    def broken(html):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(services, "html_to_pdf", broken)
    client = login(alpha.user("alice"))
    client.raise_request_exception = False
    assert client.get(pdf_url(alpha.rounds["Alpha"])).status_code == 500
    assert not BoardPaper.objects.exists()


# --------------------------------------------------------------------------- access


@pytest.mark.parametrize(("user", "status"), [
    ("alice", 200), ("bob", 200), ("rita", 200), ("adam", 200), ("carol", 404),
    ("nobody", 403)])
def test_who_may_have_it(alpha, login, client, user, status):
    assert login(alpha.user(user)).get(pdf_url(alpha.rounds["Alpha"])).status_code == status
    assert BoardPaper.objects.count() == (1 if status == 200 else 0)


def test_anonymous_visitors_are_sent_to_log_in(alpha, client):
    response = client.get(pdf_url(alpha.rounds["Alpha"]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_not_before_the_round_has_results(world, login, submit_answers):
    beta = world.rounds["Beta"]
    submit_answers(beta, world.agencies["Beta Ambulance"], full_answers())  # 1 of 2
    for user in ("carol", "dan", "adam"):
        assert login(world.user(user)).get(pdf_url(beta)).status_code == 404
    assert not BoardPaper.objects.exists()


def test_a_post_is_refused_and_records_nothing(alpha, login):
    response = login(alpha.user("alice")).post(pdf_url(alpha.rounds["Alpha"]))
    assert response.status_code == 405 and not BoardPaper.objects.exists()


def test_query_count_is_pinned(alpha, login, submit_answers, django_assert_max_num_queries):
    """25 today: session, user and roles (3), the round (1), ``round_results`` (7 with the
    framework spec cached), the decisions (1), the agencies' nations (1), the actions (3)
    and KPIs (1), the comparison (1 with a warm cache), the record made and finished (3)
    and the tests' 4 savepoints. More agencies, answers and rounds: the same queries."""
    from assessments.models import Agency, Membership

    client = login(alpha.user("alice"))
    url = pdf_url(alpha.rounds["Alpha"])
    client.get(url)  # warm the session and the caches
    with django_assert_max_num_queries(26):
        assert client.get(url).status_code == 200
    for n in range(3):
        agency = Agency.objects.create(name=f"Alpha Extra {n}", service="ambulance")
        Membership.objects.create(partnership=alpha.partnerships["Alpha"], agency=agency)
        submit_answers(alpha.rounds["Alpha"], agency, full_answers(), user=alpha.user("alice"))
    Round.objects.create(partnership=alpha.partnerships["Alpha"], framework=alpha.framework,
                         title="Alpha later", opens_on=date(2026, 11, 1))
    client.get(url)  # the comparison's cache is refilled after a membership change
    with django_assert_max_num_queries(26):
        assert client.get(url).status_code == 200

"""Importing a round's answers from CSV (paper or another tool), and exporting them.

All or nothing, every problem by line; the export is the import's twin.
"""

import io

import pandas as pd
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from assessments.interchange.csv import answers_to_csv
from assessments.interchange.imports import round_import_answers
from assessments.models import Answer, Submission, SubmittedAnswer
from assessments.questionnaire.services import NotEditable, round_close
from assessments.results.exports import round_answers_csv


def codes(world):
    return list(world.framework.items.order_by("order", "id").values_list("code", flat=True))


def csv_for(world, agencies, *, value=4, values=None, comment=""):
    """A complete file: every item for each (name, service); ``values[(agency, code)]``."""
    rows = []
    for name, service in agencies:
        for n, code in enumerate(codes(world)):
            v = (values or {}).get((name, code), value)
            rows.append({"agency": name, "service": service, "item": code,
                         "value": float("nan") if v is None else float(v),
                         "comment": comment if comment else (
                             f"{name} on {code}" if n % 3 == 0 else "")})
    return answers_to_csv(pd.DataFrame(rows), item_order=codes(world))


ALPHA = [("Alpha Police", "police"), ("Alpha Fire", "fire")]


def nothing_written():
    return not (Answer.objects.exists() or SubmittedAnswer.objects.exists()
                or Submission.objects.exists())


def test_a_good_file_is_imported_and_counts_as_submitted(world):
    data = csv_for(world, ALPHA, values={("Alpha Fire", "E2"): 1, ("Alpha Police", "O3"): None})
    result = round_import_answers(round=world.rounds["Alpha"], data=data.encode(),
                                  user=world.user("rita"))
    assert result.ok and result.answers == 66
    assert [(a.agency, a.answers, a.replaced) for a in result.agencies] == [
        ("Alpha Fire", 33, ""), ("Alpha Police", 33, "")]
    fire = Submission.objects.get(agency__name="Alpha Fire")
    assert fire.status == "submitted" and fire.submitted_by == world.user("rita")
    assert fire.submitted_answers.get(item__code="E2").value == 1
    assert fire.answers.get(item__code="E2").value == 1
    assert Submission.objects.get(agency__name="Alpha Police").submitted_answers.get(
        item__code="O3").value is None
    assert fire.history.latest().history_change_reason == "imported from CSV"
    assert fire.answers.get(item__code="E1").history.latest().history_change_reason == \
        "imported from CSV"


def test_import_then_export_round_trips_to_identical_answers(world):
    data = csv_for(world, ALPHA, values={("Alpha Fire", "B3"): 2, ("Alpha Police", "E7"): None},
                   comment='Evidence, with a comma; "quotes"\nand a second line')
    round_import_answers(round=world.rounds["Alpha"], data=data.encode(), user=None)
    assert round_answers_csv(round=world.rounds["Alpha"]) == data


def test_any_bad_row_refuses_the_whole_file_with_every_problem_by_line(world):
    good = csv_for(world, ALPHA).splitlines()
    lines = list(good)
    lines[4] = lines[4].replace(",4,", ",7,")               # line 5: value out of range
    lines[8] = lines[8].replace(",E", ",X", 1) if ",E" in lines[8] else lines[8].replace(
        ",B", ",X", 1)                                      # line 9: unknown item
    lines[20] = lines[20].replace(",4,", ",four,")          # line 21: not a number
    data = "\r\n".join(lines) + "\r\n"
    result = round_import_answers(round=world.rounds["Alpha"], data=data.encode(), user=None)
    assert not result.ok
    text = [str(e) for e in result.errors]
    assert [e.line for e in result.errors] == [5, 9, 21]
    assert "value \"7\" is not a whole number from 1 to 5" in text[0]
    assert "unknown item" in text[1]
    assert "value \"four\"" in text[2]
    assert nothing_written()


def test_an_agency_that_is_not_a_member_is_refused_naming_the_members(world):
    data = csv_for(world, [("Alpha Police", "police"), ("Gamma Police", "police")])
    result = round_import_answers(round=world.rounds["Alpha"], data=data.encode(), user=None)
    assert [str(e) for e in result.errors] == [
        "line 35: agency “Gamma Police” is not a member of Alpha (its members are Alpha Fire, "
        "Alpha Police) (and 32 more rows); add it to the partnership first, or correct the name"]
    assert nothing_written()


def test_agency_names_match_whatever_their_case(world):
    data = csv_for(world, [("alpha  FIRE", "fire")])
    result = round_import_answers(round=world.rounds["Alpha"], data=data.encode(), user=None)
    assert result.ok and result.agencies[0].agency == "Alpha Fire"


def test_one_agency_spelt_two_ways_answering_an_item_twice_is_refused(world):
    data = csv_for(world, [("Alpha Fire", "fire")]) + "alpha fire,fire,E1,3,\r\n"
    result = round_import_answers(round=world.rounds["Alpha"], data=data.encode(), user=None)
    assert [str(e) for e in result.errors] == [
        "line 35: agency “Alpha Fire” answers item “E1” twice (lines 2 and 35)"]


def test_wrong_service_and_missing_items_are_refused(world):
    lines = csv_for(world, [("Alpha Fire", "police")]).splitlines()
    data = "\r\n".join(line for line in lines if ",O20," not in line and ",B4," not in line)
    result = round_import_answers(round=world.rounds["Alpha"], data=data.encode(), user=None)
    assert [str(e) for e in result.errors] == [
        "line 2: agency “Alpha Fire” is registered as fire, not “police”",
        "line 2: agency “Alpha Fire” answers 31 of the 33 items; missing: B4, O20 (add a row "
        "for each; leave the value blank for “Don't know”)"]
    assert nothing_written()


def test_lines_are_right_after_comments_that_span_lines(world):
    data = csv_for(world, [("Alpha Fire", "fire")], comment="one\ntwo\nthree")
    data += "Nobody,fire,E1,3,\r\n"
    result = round_import_answers(round=world.rounds["Alpha"], data=data.encode(), user=None)
    # 33 rows each spanning three lines, after the header: the next row starts on line 101.
    assert [e.line for e in result.errors] == [101]


def test_agencies_with_answers_are_refused_unless_replacing_is_asked(world, answer_all):
    answer_all(world, "Alpha Fire", "bob", value=2, submit=True)
    answer_all(world, "Alpha Police", "alice", value=3)  # a draft
    data = csv_for(world, ALPHA, value=5).encode()
    refused = round_import_answers(round=world.rounds["Alpha"], data=data, user=None)
    text = [str(e) for e in refused.errors]
    assert "line 2: agency “Alpha Fire” already has submitted answers (submitted by bob on" \
        in text[0]
    assert "tick “Replace answers these agencies have already given”" in text[0]
    assert text[1].startswith("line 35: agency “Alpha Police” already has a draft with 33 "
                              "answers in this round")
    assert set(Answer.objects.values_list("value", flat=True)) == {2, 3}

    result = round_import_answers(round=world.rounds["Alpha"], data=data,
                                  user=world.user("rita"), replace_submitted=True)
    assert result.ok
    replaced = {a.agency: a.replaced for a in result.agencies}
    assert replaced["Alpha Fire"].startswith("submitted answers (submitted by bob on")
    assert replaced["Alpha Police"] == "a draft with 33 answers"
    assert set(Answer.objects.values_list("value", flat=True)) == {5}
    assert set(SubmittedAnswer.objects.values_list("value", flat=True)) == {5}
    fire = Submission.objects.get(agency__name="Alpha Fire")
    assert fire.submitted_by == world.user("rita")
    assert fire.history.latest().history_change_reason == "imported from CSV"


def test_a_closed_round_takes_no_import(world):
    round_close(round=world.rounds["Alpha"])
    with pytest.raises(NotEditable, match="Nothing was imported: This round closed on"):
        round_import_answers(round=world.rounds["Alpha"], data=csv_for(world, ALPHA).encode(),
                             user=None)


# --------------------------------------------------------------------------- the upload page


def upload(client, world, data, **extra):
    url = reverse("rounds:import", args=[world.rounds["Alpha"].pk])
    file = SimpleUploadedFile("answers.csv", data.encode(), content_type="text/csv")
    return client.post(url, {"file": file, **extra}, follow=True)


@pytest.mark.parametrize("username", ["rita", "adam"])
def test_researchers_and_administrators_import_from_the_upload_page(world, login, username):
    client = login(world.user(username))
    page = client.get(reverse("rounds:import", args=[world.rounds["Alpha"].pk]))
    assert "Import answers: Alpha, Alpha round 1" in page.content.decode()
    response = upload(client, world, csv_for(world, ALPHA))
    html = response.content.decode()
    assert "Imported 66 answers for 2 agencies: Alpha Fire, Alpha Police." in html
    assert Submission.objects.filter(status="submitted").count() == 2


def test_the_upload_page_lists_every_problem_by_line(world, login):
    lines = csv_for(world, ALPHA).splitlines()
    lines[2] = lines[2].replace(",4,", ",9,")
    response = upload(login(world.user("rita")), world, "\r\n".join(lines))
    html = response.content.decode()
    assert "The file was not imported: 1 problem. Nothing was changed." in html
    assert "Line 3: value &quot;9&quot; is not a whole number from 1 to 5" in html
    assert nothing_written()


def test_the_upload_page_states_what_an_import_replaced(world, login, answer_all):
    answer_all(world, "Alpha Fire", "bob", submit=True)
    client = login(world.user("adam"))
    refused = upload(client, world, csv_for(world, ALPHA)).content.decode()
    assert "already has submitted answers (submitted by bob on" in refused
    done = upload(client, world, csv_for(world, ALPHA),
                  replace_submitted="on").content.decode()
    assert "Alpha Fire: the import replaced its submitted answers (submitted by bob on" in done


def test_the_upload_page_refuses_a_closed_round(world, login):
    round_close(round=world.rounds["Alpha"])
    client = login(world.user("rita"))
    page = client.get(reverse("rounds:import", args=[world.rounds["Alpha"].pk]))
    assert "Answers cannot be imported into it." in page.content.decode()
    response = upload(client, world, csv_for(world, ALPHA))
    assert "Nothing was imported: This round closed on" in response.content.decode()
    assert nothing_written()


def test_an_import_that_gives_the_round_results_tells_every_lead_once(
        world, login, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = login(world.user("rita"))
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world, csv_for(world, ALPHA[:1]))
    assert mail.outbox == []  # one agency of two: no results yet
    with django_capture_on_commit_callbacks(execute=True):
        refused = upload(client, world, csv_for(world, [("Alpha Fire", "ambulance")]))
    assert "The file was not imported" in refused.content.decode() and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world, csv_for(world, ALPHA[1:]))
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.org", "bella@example.org", "bob@example.org"]
    assert mail.outbox[0].subject == "The results of Alpha round 1 are ready"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world, csv_for(world, ALPHA, value=3), replace_submitted="on")
    assert mail.outbox == []  # they were told already


@pytest.mark.parametrize("username", ["alice", "nobody"])
def test_leads_and_people_without_a_role_cannot_import(world, login, username):
    client = login(world.user(username))
    url = reverse("rounds:import", args=[world.rounds["Alpha"].pk])
    assert client.get(url).status_code == 403
    file = SimpleUploadedFile("a.csv", csv_for(world, ALPHA).encode())
    assert client.post(url, {"file": file}).status_code == 403
    assert nothing_written()


def test_round_list_links_to_the_answer_files(world, login, django_assert_max_num_queries):
    client = login(world.user("rita"))
    client.get(reverse("rounds:list"))
    with django_assert_max_num_queries(6):
        html = client.get(reverse("rounds:list")).content.decode()
    assert reverse("rounds:import", args=[world.rounds["Beta"].pk]) in html
    assert reverse("rounds:answers_csv", args=[world.rounds["Alpha"].pk]) in html
    assert login(world.user("alice")).get(reverse("rounds:list")).status_code == 403


# --------------------------------------------------------------------------- the export


def test_export_download_has_the_interchange_shape_and_a_file_name(world, login, answer_all):
    answer_all(world, "Alpha Fire", "bob", submit=True, comment="ok")
    answer_all(world, "Alpha Police", "alice")  # a draft: never exported
    response = login(world.user("bob")).get(
        reverse("rounds:answers_csv", args=[world.rounds["Alpha"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="bluelight-alpha-alpha-round-1-answers-'
        f'{timezone.localdate().isoformat()}.csv"')
    frame = pd.read_csv(io.BytesIO(response.content), keep_default_na=False)
    assert list(frame.columns) == ["agency", "service", "item", "value", "comment"]
    assert set(frame["agency"]) == {"Alpha Fire"} and len(frame) == 33
    # before the round has results, the other lead gets only their own agency's rows
    # (Alpha Police has none submitted), never Alpha Fire's (issue 11 item 2)
    alice = login(world.user("alice")).get(
        reverse("rounds:answers_csv", args=[world.rounds["Alpha"].pk]))
    assert alice.content.decode().splitlines() == ["agency,service,item,value,comment"]


@pytest.mark.parametrize(("username", "status"), [("rita", 200), ("adam", 200), ("bob", 200),
                                                  ("carol", 404), ("nobody", 403)])
def test_export_is_for_researchers_administrators_and_the_partnerships_leads(world, login,
                                                                           username, status):
    url = reverse("rounds:answers_csv", args=[world.rounds["Alpha"].pk])
    assert login(world.user(username)).get(url).status_code == status


# --------------------------------------------------------------------------- the command


def test_command_imports_and_says_what(world, tmp_path):
    path = tmp_path / "paper.csv"
    path.write_text(csv_for(world, ALPHA), encoding="utf-8")
    out = io.StringIO()
    call_command("import_answers", str(path), "--round", str(world.rounds["Alpha"].pk),
                 "--user", "rita", stdout=out)
    text = out.getvalue()
    assert "Imported 66 answers into Alpha: Alpha round 1" in text
    assert "Alpha Fire: 33 answers, submitted" in text
    assert Submission.objects.get(agency__name="Alpha Fire").submitted_by == world.user("rita")


def test_command_prints_every_problem_and_fails_on_a_bad_file(world, tmp_path):
    lines = csv_for(world, ALPHA).splitlines()
    lines[1] = lines[1].replace(",4,", ",0,")
    lines[3] = lines[3].replace(",4,", ",6,")
    path = tmp_path / "bad.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="bad.csv was not imported: 2 problem"):
        call_command("import_answers", str(path), "--round", str(world.rounds["Alpha"].pk),
                     stderr=err)
    assert "bad.csv: line 2: value \"0\"" in err.getvalue()
    assert "bad.csv: line 4: value \"6\"" in err.getvalue()
    assert nothing_written()


def test_command_replaces_submitted_answers_only_when_asked(world, tmp_path, answer_all):
    answer_all(world, "Alpha Fire", "bob", value=1, submit=True)
    path = tmp_path / "again.csv"
    path.write_text(csv_for(world, [("Alpha Fire", "fire")]), encoding="utf-8")
    args = ["import_answers", str(path), "--round", str(world.rounds["Alpha"].pk)]
    with pytest.raises(CommandError):
        call_command(*args, stderr=io.StringIO())
    out = io.StringIO()
    call_command(*args, "--replace-submitted", stdout=out)
    assert "replaced its submitted answers (submitted by bob on" in out.getvalue()
    assert set(SubmittedAnswer.objects.values_list("value", flat=True)) == {4}


def test_command_refuses_an_unknown_round(world, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("agency,item,value\n", encoding="utf-8")
    with pytest.raises(CommandError, match="There is no round with id 999"):
        call_command("import_answers", str(path), "--round", "999")

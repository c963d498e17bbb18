"""National surveys and their questions are edited in the admin, with history."""

from django.urls import reverse

from survey.models import ImportBatch, Respondent
from survey.national.imports import survey_import

CSV = (b"respondent,sample,service,nation,K3\n"
       b"P1,public,,England,4\nP2,public,,England,2\n")


def question_data(q, **changes):
    data = {"survey": q.survey_id, "order": q.order, "code": q.code, "sample": q.sample,
            "text": q.text, "answer_type": q.answer_type,
            "positive_answers": q.positive_answers,
            "published_figure": q.published_figure, "published_base_note": q.published_base_note}
    data.update(changes)
    return data


def test_administrator_edits_a_question_and_it_is_recorded(world, national_survey, login):
    client = login(world.user("adam"))
    q = national_survey.questions.get(code="K3")
    url = reverse("admin:survey_surveyquestion_change", args=[q.pk])
    response = client.post(url, question_data(q, published_figure="0.7",
                                              positive_answers=" 5 , 4 "))
    assert response.status_code == 302, response.content.decode()[:3000]
    q.refresh_from_db()
    assert q.published_figure == 0.7 and q.positive_answers == "5,4"
    assert q.history.latest().history_user == world.user("adam")


def test_positive_answers_must_be_answers_of_the_question(world, national_survey, login):
    client = login(world.user("adam"))
    q = national_survey.questions.get(code="K1")
    response = client.post(reverse("admin:survey_surveyquestion_change", args=[q.pk]),
                           question_data(q, positive_answers="maybe"))
    assert response.status_code == 200
    assert "maybe is not an answer to this question; choose from yes, no." in (
        response.content.decode())


def test_code_and_answer_type_are_fixed_once_a_survey_has_respondents(world, national_survey,
                                                                      login):
    client = login(world.user("adam"))
    q = national_survey.questions.get(code="K3")
    url = reverse("admin:survey_surveyquestion_change", args=[q.pk])
    assert 'name="code"' in client.get(url).content.decode()
    survey_import(survey=national_survey, data=CSV, file_name="a.csv")
    html = client.get(url).content.decode()
    assert 'name="code"' not in html and 'name="answer_type"' not in html
    assert 'name="text"' in html and 'name="published_figure"' in html


def test_deleting_an_import_removes_its_respondents(world, national_survey, login):
    client = login(world.user("adam"))
    batch = survey_import(survey=national_survey, data=CSV, file_name="a.csv").batch
    url = reverse("admin:survey_importbatch_delete", args=[batch.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not ImportBatch.objects.exists() and not Respondent.objects.exists()


def test_researchers_cannot_edit_surveys_in_the_admin(world, national_survey, login):
    q = national_survey.questions.get(code="K3")
    url = reverse("admin:survey_surveyquestion_change", args=[q.pk])
    response = login(world.user("rita")).get(url)
    assert response.status_code == 302  # not staff: sent to the admin login

import json

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bluelight import downloads
from bluelight.csvkit import listing
from bluelight.formatting import format_date
from bluelight.roles import can_research, role_required
from survey.models import NationalSurvey
from survey.national.charts import findings_chart
from survey.national.exports import findings_csv, findings_xlsx
from survey.national.findings import findings_document
from survey.national.forms import SurveyUploadForm
from survey.national.imports import SurveyImportRefused, survey_import
from survey.national.selectors import (
    finding_rows,
    survey_findings,
    survey_imports,
    surveys_overview,
)

# --------------------------------------------------------------------------- national surveys
# Researchers and administrators only: other roles get 403, anonymous visitors
# the login page.


@role_required(can_research)
def survey_list(request):
    return render(request, "survey/surveys.html", {"surveys": list(surveys_overview())})


@role_required(can_research)
def survey_findings_page(request, code: str):
    survey = get_object_or_404(NationalSurvey, code=code)
    result = survey_findings(survey=survey, min_cell=settings.BLUELIGHT_MIN_CELL_SIZE)
    context = {"survey": survey, "result": result, "rows": finding_rows(result),
               "chart": findings_chart(result.findings) if len(result.findings) else None,
               "imports": survey_imports(survey=survey, limit=5),
               "has_data": any(result.respondents.values())}
    return render(request, "survey/findings.html", context)


@role_required(can_research)
def survey_findings_json(request, code: str):
    survey = get_object_or_404(NationalSurvey, code=code)
    result = survey_findings(survey=survey, min_cell=settings.BLUELIGHT_MIN_CELL_SIZE)
    body = json.dumps(findings_document(survey.code, result.findings), indent=2,
                      ensure_ascii=False)
    return downloads.download(body + "\n", content_type=downloads.JSON,
                              filename=downloads.filename(survey.code, what="key-findings",
                                                          extension="json"))


@role_required(can_research)
def survey_findings_download(request, code: str, fmt: str):
    """The key findings and their breakdowns as CSV or as an Excel workbook."""
    survey = get_object_or_404(NationalSurvey, code=code)
    result = survey_findings(survey=survey, min_cell=settings.BLUELIGHT_MIN_CELL_SIZE)
    if fmt == "csv":
        return downloads.download(findings_csv(result), content_type=downloads.CSV,
                                  filename=downloads.filename(survey.code, what="key-findings",
                                                              extension="csv"))
    return downloads.download(findings_xlsx(result), content_type=downloads.XLSX,
                              filename=downloads.filename(survey.code, what="key-findings",
                                                          extension="xlsx"))


@role_required(can_research)
def survey_import_page(request, code: str):
    """Upload a respondents file: all or nothing, every problem listed by line."""
    survey = get_object_or_404(NationalSurvey, code=code)
    form = SurveyUploadForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = survey_import(survey=survey, data=upload.read(), file_name=upload.name,
                                   user=request.user)
        except SurveyImportRefused as exc:
            problems = listing(exc.errors)
        else:
            batch = result.batch
            if result.already_imported:
                messages.info(request, _(
                    "This file was already imported on %(when)s (as %(file)s): nothing "
                    "changed, nobody was counted twice.") % {
                    "when": format_date(batch.imported_at, "DATETIME_FORMAT"),
                    "file": batch.file_name})
            else:
                messages.success(request, _(
                    "Imported %(file)s: %(rows)d respondents; added %(added)d, updated "
                    "%(updated)d, unchanged %(unchanged)d.") % {
                    "file": batch.file_name, "rows": batch.rows, "added": result.added,
                    "updated": result.updated, "unchanged": result.unchanged})
            return redirect("surveys:findings", code=survey.code)
    context = {"survey": survey, "form": form,
               "questions": list(survey.questions.order_by("order", "id")),
               "problems": problems,
               "imports": survey_imports(survey=survey)}
    return render(request, "survey/import.html", context)

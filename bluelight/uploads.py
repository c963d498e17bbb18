"""Checks every CSV upload passes before its contents are read: size and type."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CSV_SUFFIXES = (".csv", ".txt")
# Workbooks and other binary files start with one of these (ZIP: XLSX, ODS; OLE2: XLS).
BINARY_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def validate_csv_upload(upload, *, too_large_hint: str = ""):
    """Refuse, with a message saying what to do, a file that is too large or not a CSV."""
    limit = settings.BLUELIGHT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        message = _("The file is %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        raise forms.ValidationError(f"{message} {too_large_hint}".strip())
    name = (upload.name or "").lower()
    head = upload.read(4096)
    upload.seek(0)
    if head.startswith(BINARY_SIGNATURES) or b"\x00" in head:
        raise forms.ValidationError(_(
            "“%(name)s” is not a CSV file (it looks like a spreadsheet workbook or another "
            "binary file). In your spreadsheet choose File › Save as › CSV UTF-8, then upload "
            "that file.") % {"name": upload.name})
    if not name.endswith(CSV_SUFFIXES):
        raise forms.ValidationError(_(
            "“%(name)s” does not end in .csv. Upload the answers as a CSV file (UTF-8).")
            % {"name": upload.name})
    return upload

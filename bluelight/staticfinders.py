"""Serve plotly.js from the installed plotly package (no CDN, no copy to keep in step)."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"
PREFIX = "vendor/plotly"
FILENAME = "plotly.min.js"


class PlotlyJsFinder(BaseFinder):
    """Expose only ``plotly.min.js`` as ``vendor/plotly/plotly.min.js``."""

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        if path == f"{PREFIX}/{FILENAME}":
            found = str(PLOTLY_DIR / FILENAME)
            return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns):
        storage = FileSystemStorage(location=str(PLOTLY_DIR))
        storage.prefix = PREFIX
        yield FILENAME, storage

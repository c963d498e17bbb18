"""Welsh and English columns (django-modeltranslation) of assessments.kpis models;
imported by assessments.translation, which modeltranslation discovers."""

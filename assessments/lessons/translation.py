"""Welsh and English columns (django-modeltranslation) of assessments.lessons models;
imported by assessments.translation, which modeltranslation discovers."""

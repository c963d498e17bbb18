from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0010_lessons'),
    ]

    operations = [
    ]

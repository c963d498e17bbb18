import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0005_notifications_prefill"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AnswersDownload",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("partnerships", models.JSONField(default=list, verbose_name="partnerships")),
                ("selection", models.TextField(blank=True, verbose_name="selection")),
                ("downloaded_at", models.DateTimeField(default=django.utils.timezone.now,
                                                       verbose_name="downloaded")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                           related_name="+", to=settings.AUTH_USER_MODEL,
                                           verbose_name="user")),
            ],
            options={
                "verbose_name": "anonymised answers download",
                "verbose_name_plural": "anonymised answers downloads",
                "ordering": ["-downloaded_at", "-id"],
            },
        ),
    ]

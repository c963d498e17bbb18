import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0004_deletion_record"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="prefilled",
            field=models.BooleanField(default=False,
                                      verbose_name="from the last round, not yet confirmed"),
        ),
        migrations.AddField(
            model_name="historicalanswer",
            name="prefilled",
            field=models.BooleanField(default=False,
                                      verbose_name="from the last round, not yet confirmed"),
        ),
        migrations.CreateModel(
            name="Notification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("kind", models.CharField(choices=[
                    ("round_opened", "Round opened"),
                    ("closing_soon", "Round closes in a week"),
                    ("reopened", "Submission reopened"),
                    ("results_ready", "Results ready"),
                    ("round_closed", "Round closed"),
                    ("reminder", "Reminder from an administrator")],
                    max_length=20, verbose_name="kind")),
                ("recipients", models.JSONField(default=list, verbose_name="recipients")),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                ("on_day", models.DateField(default=django.utils.timezone.localdate,
                                            verbose_name="day")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now,
                                                    verbose_name="created")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent")),
                ("agency", models.ForeignKey(blank=True, null=True,
                                             on_delete=django.db.models.deletion.CASCADE,
                                             related_name="+", to="assessments.agency",
                                             verbose_name="agency")),
                ("round", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                            related_name="notifications",
                                            to="assessments.round", verbose_name="round")),
                ("sent_by", models.ForeignKey(blank=True, null=True,
                                              on_delete=django.db.models.deletion.SET_NULL,
                                              related_name="+", to=settings.AUTH_USER_MODEL,
                                              verbose_name="sent by")),
            ],
            options={
                "verbose_name": "notification",
                "verbose_name_plural": "notifications",
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(condition=models.Q(("kind", "closing_soon")),
                                            fields=("kind", "round", "on_day"),
                                            name="notification_closing_soon_once_a_day"),
                    models.UniqueConstraint(
                        condition=models.Q(("kind__in", ["round_opened", "results_ready"])),
                        fields=("kind", "round"), name="notification_opened_and_ready_once"),
                ],
            },
        ),
    ]

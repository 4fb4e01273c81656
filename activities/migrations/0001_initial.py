"""The models of the day, moved here from participants (decision 0011).

State only: the tables keep their participants_* names and their rows. The content types
are renamed so that the audit log's history of these records stays attached to them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = [
    "activity",
    "activitymember",
    "anonymousvisit",
    "closureday",
    "extraopening",
    "openinghours",
    "session",
    "sessionattendance",
]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="participants", model__in=MODELS).update(
        app_label="activities"
    )


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="activities", model__in=MODELS).update(
        app_label="participants"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("lotsen", "0007_seed_visit_recording_and_open_days"),
        ("participants", "0013_move_day_to_activities"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Activity",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("activity", "aktivitet"),
                                    ("information_meeting", "informationsmöte"),
                                    ("study_visit", "studiebesök"),
                                    ("esl_group", "ESL-grupp"),
                                    ("group_treatment", "gruppbehandling"),
                                    ("motivation_group", "motivationsgrupp"),
                                    ("outreach", "uppsökande verksamhet"),
                                ],
                                max_length=24,
                                verbose_name="typ",
                            ),
                        ),
                        ("title", models.CharField(max_length=120, verbose_name="namn")),
                        ("place", models.CharField(max_length=120, verbose_name="plats")),
                        ("description", models.TextField(blank=True, verbose_name="beskrivning")),
                        (
                            "weekdays",
                            models.CharField(
                                blank=True,
                                help_text="0 = måndag … 6 = söndag.",
                                max_length=20,
                                verbose_name="veckodagar",
                            ),
                        ),
                        ("first_date", models.DateField(verbose_name="första datum")),
                        ("last_date", models.DateField(verbose_name="sista datum")),
                        ("starts_at", models.TimeField(verbose_name="börjar")),
                        ("ends_at", models.TimeField(verbose_name="slutar")),
                        (
                            "max_participants",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="Tomt = programmets största grupp, eller ingen gräns (R17).",
                                null=True,
                                verbose_name="högst antal deltagare",
                            ),
                        ),
                        (
                            "is_public",
                            models.BooleanField(
                                default=False,
                                help_text="T.ex. informationsmöten och studiebesök (R18).",
                                verbose_name="visas på de öppna sidorna",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "leaders",
                            models.ManyToManyField(
                                related_name="led_activities",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="ledare",
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                blank=True,
                                help_text="Gruppstorlek och åldersgränser hämtas från programmet.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="activities",
                                to="lotsen.programme",
                                verbose_name="program",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                to="lotsen.unit",
                                verbose_name="enhet",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "aktivitet",
                        "verbose_name_plural": "aktiviteter",
                        "db_table": "participants_activity",
                        "ordering": ["first_date", "starts_at"],
                    },
                ),
                migrations.CreateModel(
                    name="ActivityMember",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("added_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "activity",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="members",
                                to="activities.activity",
                            ),
                        ),
                        (
                            "added_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "participant",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="activity_memberships",
                                to="participants.participant",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "gruppmedlem",
                        "verbose_name_plural": "gruppmedlemmar",
                        "db_table": "participants_activitymember",
                        "ordering": ["participant__last_name", "participant__first_name"],
                    },
                ),
                migrations.CreateModel(
                    name="AnonymousVisit",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("date", models.DateField(verbose_name="datum")),
                        ("delta", models.SmallIntegerField(verbose_name="ändring")),
                        ("token", models.CharField(max_length=36, unique=True)),
                        ("recorded_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "programme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="anonymous_visits",
                                to="lotsen.programme",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "anonymt besök",
                        "verbose_name_plural": "anonyma besök",
                        "db_table": "participants_anonymousvisit",
                        "ordering": ["date"],
                    },
                ),
                migrations.CreateModel(
                    name="ClosureDay",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("date", models.DateField(verbose_name="datum")),
                        ("reason", models.CharField(max_length=120, verbose_name="anledning")),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="closure_days",
                                to="lotsen.unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "stängd dag",
                        "verbose_name_plural": "stängda dagar",
                        "db_table": "participants_closureday",
                        "ordering": ["date"],
                    },
                ),
                migrations.CreateModel(
                    name="ExtraOpening",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("date", models.DateField(verbose_name="datum")),
                        ("opens", models.TimeField(verbose_name="öppnar")),
                        ("closes", models.TimeField(verbose_name="stänger")),
                        (
                            "note",
                            models.CharField(blank=True, max_length=120, verbose_name="kommentar"),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="extra_openings",
                                to="lotsen.unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "extra öppettid",
                        "verbose_name_plural": "extra öppettider",
                        "db_table": "participants_extraopening",
                        "ordering": ["date", "opens"],
                    },
                ),
                migrations.CreateModel(
                    name="OpeningHours",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "weekday",
                            models.PositiveSmallIntegerField(
                                choices=[
                                    (0, "måndag"),
                                    (1, "tisdag"),
                                    (2, "onsdag"),
                                    (3, "torsdag"),
                                    (4, "fredag"),
                                    (5, "lördag"),
                                    (6, "söndag"),
                                ],
                                verbose_name="veckodag",
                            ),
                        ),
                        ("opens", models.TimeField(verbose_name="öppnar")),
                        ("closes", models.TimeField(verbose_name="stänger")),
                        (
                            "valid_from",
                            models.DateField(blank=True, null=True, verbose_name="gäller från"),
                        ),
                        (
                            "valid_until",
                            models.DateField(
                                blank=True, null=True, verbose_name="gäller till och med"
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="opening_hours",
                                to="lotsen.unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ordinarie öppettid",
                        "verbose_name_plural": "ordinarie öppettider",
                        "db_table": "participants_openinghours",
                        "ordering": ["unit", "weekday", "opens"],
                    },
                ),
                migrations.CreateModel(
                    name="Session",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("original_date", models.DateField(verbose_name="ursprungligt datum")),
                        ("date", models.DateField(verbose_name="datum")),
                        ("starts_at", models.TimeField(verbose_name="börjar")),
                        ("ends_at", models.TimeField(verbose_name="slutar")),
                        ("place", models.CharField(max_length=120, verbose_name="plats")),
                        ("cancelled", models.BooleanField(default=False, verbose_name="inställd")),
                        (
                            "cancel_reason",
                            models.CharField(blank=True, max_length=200, verbose_name="anledning"),
                        ),
                        ("changed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "activity",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="sessions",
                                to="activities.activity",
                            ),
                        ),
                        (
                            "changed_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "tillfälle",
                        "verbose_name_plural": "tillfällen",
                        "db_table": "participants_session",
                        "ordering": ["date", "starts_at"],
                    },
                ),
                migrations.CreateModel(
                    name="SessionAttendance",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("recorded_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "participant",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="session_attendances",
                                to="participants.participant",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "session",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attendances",
                                to="activities.session",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "närvaro vid tillfälle",
                        "verbose_name_plural": "närvaro vid tillfällen",
                        "db_table": "participants_sessionattendance",
                        "ordering": ["session__date"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="activity",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("last_date__gte", models.F("first_date"))),
                        name="activity_dates_in_order",
                        violation_error_message="Sista datum ligger före första datum. Välj ett senare sista datum.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="activity",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                        name="activity_ends_after_start",
                        violation_error_message="Sluttiden ligger före starttiden. Välj en senare tid.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="activitymember",
                    constraint=models.UniqueConstraint(
                        fields=("activity", "participant"), name="one_membership_per_activity"
                    ),
                ),
                migrations.AddIndex(
                    model_name="anonymousvisit",
                    index=models.Index(
                        fields=["programme", "date"], name="participant_program_73be2c_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="anonymousvisit",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("delta__in", [1, -1])),
                        name="anonymous_visit_counts_one",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="closureday",
                    constraint=models.UniqueConstraint(
                        fields=("unit", "date"), name="one_closure_per_unit_and_day"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="extraopening",
                    constraint=models.UniqueConstraint(
                        fields=("unit", "date", "opens"), name="one_extra_opening_per_start"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="extraopening",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("closes__gt", models.F("opens"))),
                        name="extra_opening_close_after_open",
                        violation_error_message="Stängningstiden ligger före öppningstiden. Välj en senare stängningstid.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="openinghours",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("closes__gt", models.F("opens"))),
                        name="opening_hours_close_after_open",
                        violation_error_message="Stängningstiden ligger före öppningstiden. Välj en senare stängningstid.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="openinghours",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("valid_from__isnull", True),
                            ("valid_until__isnull", True),
                            ("valid_until__gte", models.F("valid_from")),
                            _connector="OR",
                        ),
                        name="opening_hours_valid_in_order",
                        violation_error_message="Slutdatumet ligger före startdatumet. Välj ett senare slutdatum.",
                    ),
                ),
                migrations.AddIndex(
                    model_name="session",
                    index=models.Index(fields=["date"], name="participant_date_de78ff_idx"),
                ),
                migrations.AddConstraint(
                    model_name="session",
                    constraint=models.UniqueConstraint(
                        fields=("activity", "original_date"), name="one_session_per_series_day"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="session",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                        name="session_ends_after_start",
                        violation_error_message="Sluttiden ligger före starttiden. Välj en senare tid.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="sessionattendance",
                    constraint=models.UniqueConstraint(
                        fields=("session", "participant"), name="one_attendance_per_session"
                    ),
                ),
            ],
        ),
    ]

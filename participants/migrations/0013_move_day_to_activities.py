"""The day (calendar, attendance, activities) moved to the activities app (decision 0011).

Only Django's idea of which app owns the models changes; the tables stay where they are.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0012_merge_calendar_and_plan_schedule"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="activitymember",
                    name="activity",
                ),
                migrations.RemoveField(
                    model_name="session",
                    name="activity",
                ),
                migrations.RemoveField(
                    model_name="activitymember",
                    name="added_by",
                ),
                migrations.RemoveField(
                    model_name="activitymember",
                    name="participant",
                ),
                migrations.RemoveField(
                    model_name="anonymousvisit",
                    name="programme",
                ),
                migrations.RemoveField(
                    model_name="anonymousvisit",
                    name="recorded_by",
                ),
                migrations.RemoveField(
                    model_name="closureday",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="closureday",
                    name="unit",
                ),
                migrations.RemoveField(
                    model_name="extraopening",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="extraopening",
                    name="unit",
                ),
                migrations.RemoveField(
                    model_name="openinghours",
                    name="unit",
                ),
                migrations.RemoveField(
                    model_name="session",
                    name="changed_by",
                ),
                migrations.RemoveField(
                    model_name="sessionattendance",
                    name="session",
                ),
                migrations.RemoveField(
                    model_name="sessionattendance",
                    name="participant",
                ),
                migrations.RemoveField(
                    model_name="sessionattendance",
                    name="recorded_by",
                ),
                migrations.DeleteModel(
                    name="Activity",
                ),
                migrations.DeleteModel(
                    name="ActivityMember",
                ),
                migrations.DeleteModel(
                    name="AnonymousVisit",
                ),
                migrations.DeleteModel(
                    name="ClosureDay",
                ),
                migrations.DeleteModel(
                    name="ExtraOpening",
                ),
                migrations.DeleteModel(
                    name="OpeningHours",
                ),
                migrations.DeleteModel(
                    name="Session",
                ),
                migrations.DeleteModel(
                    name="SessionAttendance",
                ),
            ],
        ),
    ]

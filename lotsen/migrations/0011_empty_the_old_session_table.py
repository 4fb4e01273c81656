"""Sessions moved to lotsen.SignedInSession (0010): the old table's rows, with what they
held (the unit chosen, a search typed on the sheet), are deleted rather than kept for good;
their users sign in again."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("lotsen", "0010_signed_in_session"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM django_session", reverse_sql=migrations.RunSQL.noop),
    ]

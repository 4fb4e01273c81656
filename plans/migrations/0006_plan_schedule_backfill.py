from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_schedule(apps, schema_editor):
    """Places get the copy of their plan's schedule that the daily reminders read."""
    Enrolment = apps.get_model("participants", "Enrolment")
    Plan = apps.get_model("plans", "Plan")
    plans = Plan.objects.filter(enrolment=OuterRef("pk"))
    Enrolment.objects.filter(pk__in=Plan.objects.values("enrolment_id")).update(
        has_plan=True,
        plan_follow_up_due=Subquery(plans.values("follow_up_due")[:1]),
        plan_renewal_due=Subquery(plans.values("renewal_due")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_structured_activities"),
        ("participants", "0010_plan_schedule"),
    ]

    operations = [migrations.RunPython(copy_schedule, migrations.RunPython.noop)]

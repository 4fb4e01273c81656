"""Demo plans for the trainees' places, half of them with a first follow-up."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lotsen.demo import DemoWorld
from plans.models import Method, Progress
from plans.services import plan_create


def load(world: DemoWorld) -> None:
    for place, established_on, by in world.shared.get("plans", []):
        _plan(place, established_on, by)


def _plan(place, established_on, by) -> None:  # type: ignore[no-untyped-def]
    plan = plan_create(
        enrolment=place,
        established_on=established_on,
        goals="Komma igång med regelbunden arbetsträning och pröva olika arbetsuppgifter.",
        activities=[
            {
                "goal": "Komma till caféet tre förmiddagar i veckan.",
                "activity": "Arbetsträning i caféet: disk, kassa och servering.",
                "responsible": "Personen, med kontaktman",
                "when": "Måndag, onsdag och fredag 9–12",
                "how": "Handledare i caféet visar; kontaktman stämmer av varje fredag.",
            },
            {
                "goal": "Pröva arbetsuppgifter i köket.",
                "activity": "Följa kocken en förmiddag i veckan.",
                "responsible": "Kontaktman",
                "when": "Från fjärde veckan",
                "how": "Lågaffektivt bemötande; korta pass att börja med.",
            },
        ],
        participation="Personen vill börja med förmiddagar: ”Jag vill testa köket först.”",
        summary="Förstegsträning med fokus på rutiner och samarbete; följs upp enligt intervall.",
        by=by,
        methods=Method.objects.filter(name__in=["Supported Employment", "Lågaffektivt bemötande"]),
        collaboration="Avstämning med boendestödet varannan vecka om rutiner på morgonen.",
    )
    # Every other plan old enough has had its first follow-up, with progress on each goal.
    first = plan.due_after(established_on)
    if first is not None and first <= timezone.localdate() and place.pk % 2 == 0:
        statuses = [Progress.ON_THE_WAY, Progress.ACHIEVED, Progress.NOT_STARTED]
        goals = [(None, plan.goals)] + [(a, a.goal) for a in plan.activities.all()]
        plan.record_follow_up(
            on=first - datetime.timedelta(days=2),
            by=by,
            attendees="Personen, kontaktman och boendestöd",
            progress="Har kommit de flesta dagar; trött på måndagar.",
            next_steps="Pröva en eftermiddag i veckan.",
            goals=[
                {"activity": activity, "goal": text, "status": status, "comment": ""}
                for (activity, text), status in zip(goals, statuses, strict=False)
            ],
        )

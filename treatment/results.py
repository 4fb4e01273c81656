"""R23: measures at intake, at the end and at follow-ups, and what changed for whom."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotsen.csvfile import CommaDecimal, fewer_than
from lotsen.labels import seeded_label
from lotsen.models import Unit
from participants.identity import age_on
from participants.models import Gender
from treatment.models import (
    CourseParticipant,
    Measure,
    MeasureKind,
    Measurement,
    MeasurementCorrection,
    MeasurementValue,
    Stage,
    StageAnchor,
)

if TYPE_CHECKING:
    from lotsen.models import User

# Statistics disclosure control, not a commission number: a cell of fewer people is hidden.
SUPPRESS_BELOW = 5
DUE_SOON = datetime.timedelta(days=14)
AGE_BANDS = [(18, 29), (30, 49), (50, 200)]
DIMENSIONS = {
    "programme": gettext_lazy("kurstyp"),
    "completed": gettext_lazy("genomförd eller inte"),
    "age": gettext_lazy("åldersgrupp"),
    "gender": gettext_lazy("kön"),
    "course": gettext_lazy("grupp"),
}


def stage_due(membership: CourseParticipant, stage: Stage) -> datetime.date | None:
    """When a stage's measurement is due; follow-ups count from the day the person left."""
    if stage.anchor == StageAnchor.INTAKE:
        return membership.joined_on
    if membership.left_on is None:
        return None
    return membership.left_on + relativedelta(months=stage.months_after)


@dataclass
class Due:
    membership: CourseParticipant
    stage: Stage
    date: datetime.date


def due_measurements(
    memberships: list[CourseParticipant], stages: list[Stage], *, today: datetime.date
) -> list[Due]:
    """Measurements due by two weeks from today and not yet taken, oldest first.

    `memberships` come with `measurements` prefetched, so the list costs no more queries."""
    found = []
    for membership in memberships:
        taken = {m.stage_id for m in membership.measurements.all()}
        for stage in stages:
            due = stage_due(membership, stage)
            if stage.pk not in taken and due is not None and due <= today + DUE_SOON:
                found.append(Due(membership, stage, due))
    return sorted(found, key=lambda d: d.date)


def measurement_record(
    *,
    membership: CourseParticipant,
    stage: Stage,
    measured_on: datetime.date,
    values: dict[Measure, str],
    today: datetime.date,
    by: User,
) -> Measurement:
    """Record one stage's measures; a stage is measured once (a double submit is refused).

    Every wrong field is reported at once, keyed by the field, so the form can show each
    beside what was typed."""
    errors = _date_errors(membership, stage, measured_on, today)
    cleaned, wrong = measurement_values_clean(values)
    errors |= wrong
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            measurement = Measurement.objects.create(
                membership=membership, stage=stage, measured_on=measured_on, recorded_by=by
            )
            MeasurementValue.objects.bulk_create(
                MeasurementValue(measurement=measurement, measure=m, number=n, choice=c)
                for m, (n, c) in cleaned.items()
                if n is not None or c
            )
    except IntegrityError:
        raise ValidationError(
            {
                "stage": _(
                    "%(stage)s är redan registrerad för personen. Om något i den blev fel, "
                    "välj Rätta mätningen vid den."
                )
                % {"stage": stage}
            }
        ) from None
    return measurement


def measurement_correct(
    *,
    measurement: Measurement,
    measured_on: datetime.date,
    values: dict[Measure, str],
    reason: str,
    today: datetime.date,
    by: User,
) -> MeasurementCorrection:
    """Correct a measurement's date or values with a reason; the correction keeps what it
    said before, who changed it and why (L1). The same checks apply as when recording."""
    membership = measurement.membership
    errors = _date_errors(membership, measurement.stage, measured_on, today)
    if not errors and measurement.stage.anchor == StageAnchor.INTAKE:
        errors = _intake_after_later_stages(measurement, measured_on)
    cleaned, wrong = measurement_values_clean(values)
    errors |= wrong
    if not reason.strip():
        errors["reason"] = [_("Skriv varför mätningen rättas.")]
    if errors:
        raise ValidationError(errors)
    new_values = {m.slug: _plain(n) if n is not None else c for m, (n, c) in cleaned.items()}
    new_values = {slug: shown for slug, shown in new_values.items() if shown}
    with transaction.atomic():
        current = Measurement.objects.select_for_update().get(pk=measurement.pk)
        old_values = measurement_shown(current)
        if current.measured_on == measured_on and old_values == new_values:
            raise ValidationError(
                _("Inget är ändrat. Ändra datumet eller ett värde, eller gå tillbaka.")
            )
        correction = MeasurementCorrection.objects.create(
            measurement=current,
            old_measured_on=current.measured_on,
            new_measured_on=measured_on,
            old_values=old_values,
            new_values=new_values,
            reason=reason.strip(),
            created_by=by,
        )
        current.measured_on = measured_on
        current.save(update_fields=["measured_on"])
        current.values.all().delete()
        MeasurementValue.objects.bulk_create(
            MeasurementValue(measurement=current, measure=m, number=n, choice=c)
            for m, (n, c) in cleaned.items()
            if n is not None or c
        )
    return correction


def measurement_shown(measurement: Measurement) -> dict[str, str]:
    """Each measure's slug and value in plain form, as a correction keeps them."""
    return {
        v.measure.slug: _plain(v.number) if v.number is not None else v.choice
        for v in measurement.values.select_related("measure")
    }


def correction_rows(
    correction: MeasurementCorrection, measures: dict[str, Measure]
) -> list[tuple[str, str, str]]:
    """Each measure the correction changed: its name, the value before and after."""
    rows = []
    for slug in sorted(
        {*correction.old_values, *correction.new_values},
        key=lambda s: (measures[s].order, str(measures[s])) if s in measures else (0, s),
    ):
        old, new = correction.old_values.get(slug, ""), correction.new_values.get(slug, "")
        if old != new:
            name = str(measures[slug]) if slug in measures else slug
            rows.append((name, seeded_label(old), seeded_label(new)))
    return rows


def _intake_after_later_stages(
    measurement: Measurement, measured_on: datetime.date
) -> dict[str, list[str]]:
    later = (
        Measurement.objects.filter(membership_id=measurement.membership_id)
        .exclude(pk=measurement.pk)
        .order_by("measured_on")
        .values_list("measured_on", flat=True)
        .first()
    )
    if later is not None and measured_on > later:
        return {
            "measured_on": [
                _(
                    "Välj ett datum till och med %(date)s: inskrivningen kan inte ligga efter "
                    "en senare mätning."
                )
                % {"date": later.isoformat()}
            ]
        }
    return {}


def measurement_values_clean(
    values: dict[Measure, str],
) -> tuple[dict[Measure, tuple[Decimal | None, str]], dict[str, list[str]]]:
    """Each typed value as (number, choice), and the errors keyed by the measure's slug."""
    cleaned = {}
    errors: dict[str, list[str]] = {}
    for measure, raw in values.items():
        try:
            cleaned[measure] = _clean(measure, raw)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    return cleaned, errors


def _date_errors(
    membership: CourseParticipant, stage: Stage, measured_on: datetime.date, today: datetime.date
) -> dict[str, list[str]]:
    if measured_on > today:
        return {"measured_on": [_("Datumet har inte varit ännu.")]}
    if stage.anchor == StageAnchor.INTAKE:
        # Intake may come before the group starts, but not before the person's place.
        start = membership.place.start_date
        if measured_on < start:
            return {
                "measured_on": [
                    _(
                        "Välj ett datum från och med %(date)s: %(stage)s kan inte ligga före "
                        "personens start på platsen."
                    )
                    % {"date": start.isoformat(), "stage": stage}
                ]
            }
        return {}
    if measured_on < (earliest := _earliest_for(membership)):
        return {
            "measured_on": [
                _(
                    "Välj ett datum från och med %(date)s: %(stage)s kan inte ligga före "
                    "personens start i kursen eller mätningen vid inskrivningen."
                )
                % {"date": earliest.isoformat(), "stage": stage}
            ]
        }
    return {}


def _earliest_for(membership: CourseParticipant) -> datetime.date:
    """A measurement after intake (the end, a follow-up) is taken no earlier than the
    person's start in the course or the intake measurement."""
    intake = (
        Measurement.objects.filter(membership=membership, stage__anchor=StageAnchor.INTAKE)
        .order_by("-measured_on")
        .values_list("measured_on", flat=True)
        .first()
    )
    return max(membership.joined_on, intake) if intake else membership.joined_on


MEASURE_LIMIT = Decimal(100_000)


def _clean(measure: Measure, raw: str) -> tuple[Decimal | None, str]:
    raw = (raw or "").strip()
    if not raw:
        return None, ""
    if measure.kind == MeasureKind.CHOICE:
        if raw not in measure.choice_list:
            raise ValidationError({measure.slug: _("Välj ett av alternativen.")})
        return None, raw
    try:
        number = Decimal(raw.replace(",", ".").replace("\u2212", "-"))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError({measure.slug: _("Skriv ett tal, t.ex. 12.")})
    if abs(number) >= MEASURE_LIMIT:  # the column holds five digits before the comma
        raise ValidationError({measure.slug: _("Skriv ett tal under 100 000.")})
    if measure.whole_numbers and number != number.to_integral_value():
        raise ValidationError(
            {measure.slug: _("%(name)s räknas i hela tal. Skriv t.ex. 4.") % {"name": measure}}
        )
    if number.normalize().as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError({measure.slug: _("Skriv högst två decimaler.")})
    low, high = measure.min_value, measure.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValidationError(
            {
                measure.slug: _("%(name)s ska vara mellan %(low)s och %(high)s.")
                % {"name": measure, "low": _plain(low), "high": _plain(high)}
            }
        )
    return number, ""


def _plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def age_band(age: int) -> str:
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}–{high}" if high < AGE_BANDS[-1][1] else _("%(low)s+") % {"low": low}
    return _("under %(low)s") % {"low": AGE_BANDS[0][0]}


def _group_of(membership: CourseParticipant, dimension: str) -> str:
    person = membership.participant
    if dimension == "completed":
        done = membership.completed_treatment
        return str(_("genomförd") if done else _("inte genomförd"))
    if dimension == "age":
        return age_band(age_on(person.birth_date, membership.joined_on))
    if dimension == "gender":
        return str(Gender(person.gender).label) if person.gender else _("okänt")
    if dimension == "course":
        return membership.course.name
    return membership.course.programme.name


@dataclass
class ResultCell:
    group: str
    stage: str
    measure: str
    n: int
    intake: Decimal | None
    later: Decimal | None

    @property
    def suppressed(self) -> bool:
        return self.n < SUPPRESS_BELOW

    @property
    def change(self) -> Decimal | None:
        if self.suppressed or self.intake is None or self.later is None:
            return None
        return self.later - self.intake


def results(
    *,
    unit: Unit,
    dimension: str,
    started_in: int | None = None,
    measured_by: datetime.date | None = None,
) -> list[ResultCell]:
    """Mean of each numeric measure, and the share giving each answer of a choice measure
    (housing, occupation), at intake and at each later stage, for the people measured at
    both, per group; cells of fewer than SUPPRESS_BELOW people are hidden.
    With `started_in`, only courses that started that year; with `measured_by`, only
    measurements taken by that day (the annual report's: the year as it stood at its end,
    so a report made again later shows the same).

    Three queries whatever the number of people."""
    members = CourseParticipant.objects.filter(course__programme__unit=unit)
    if started_in is not None:
        members = members.filter(course__start_date__year=started_in)
    taken = Measurement.objects.all()
    if measured_by is not None:
        taken = taken.filter(measured_on__lte=measured_by)
    memberships = list(
        members.select_related("participant", "course__programme").prefetch_related(
            Prefetch("measurements", queryset=taken.prefetch_related("values__measure"))
        )
    )
    stages = list(Stage.objects.order_by("order"))
    intake_stage = next((s for s in stages if s.anchor == StageAnchor.INTAKE), None)
    # Key: group, stage, (measure, answer): answer -1 for a number (the mean), else the
    # index of a choice (the share in percent who gave that answer, e.g. own housing).
    Key = tuple[str, int, tuple[int, int]]
    sums: dict[Key, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    labels: dict[tuple[int, int], str] = {}
    hundred = Decimal(100)
    for membership in memberships:
        by_stage = {m.stage_id: m for m in membership.measurements.all()}
        start = by_stage.get(intake_stage.pk) if intake_stage else None
        if start is None:
            continue
        first = {v.measure_id: v for v in start.values.all() if v.number is not None or v.choice}
        group = _group_of(membership, dimension)
        for stage in stages:
            if stage == intake_stage or stage.pk not in by_stage:
                continue
            for value in by_stage[stage.pk].values.all():
                before = first.get(value.measure_id)
                if before is None:
                    continue
                if value.number is not None and before.number is not None:
                    labels[(value.measure_id, -1)] = str(value.measure)
                    cell = sums[(group, stage.pk, (value.measure_id, -1))]
                    cell[0] += 1
                    cell[1] += before.number
                    cell[2] += value.number
                elif value.choice and before.choice:
                    for i, (answer, label) in enumerate(value.measure.choice_pairs):
                        labels[(value.measure_id, i)] = f"{value.measure}: {label} (%)"
                        cell = sums[(group, stage.pk, (value.measure_id, i))]
                        cell[0] += 1
                        cell[1] += hundred if before.choice == answer else 0
                        cell[2] += hundred if value.choice == answer else 0
    names = {s.pk: str(s) for s in stages}
    order = {s.pk: i for i, s in enumerate(stages)}
    cells = [
        ResultCell(
            group=group,
            stage=names[stage_id],
            measure=labels[measure_id],
            n=int(n),
            intake=(a / n).quantize(Decimal("0.1")),
            later=(b / n).quantize(Decimal("0.1")),
        )
        for (group, stage_id, measure_id), (n, a, b) in sums.items()
    ]
    keyed = sorted(
        zip(cells, sums.keys(), strict=True), key=lambda ck: (ck[1][0], order[ck[1][1]], ck[1][2])
    )
    return [c for c, _key in keyed]


def export_rows(cells: list[ResultCell], dimension: str) -> list[list[object]]:
    """The results as rows for CSV and XLSX: a header, then one row per cell, with the
    figures of a cell of fewer than SUPPRESS_BELOW people left out (not only hidden)."""
    rows: list[list[object]] = [
        [
            str(DIMENSIONS[dimension]).capitalize(),
            _("Mättillfälle"),
            _("Mått"),
            _("Antal"),
            _("Vid start"),
            _("Senare"),
            _("Förändring"),
        ]
    ]
    for c in cells:
        if c.suppressed:
            hidden = fewer_than(SUPPRESS_BELOW)
            rows.append([c.group, c.stage, c.measure, hidden, None, None, None])
        else:
            figures = [
                None if v is None else CommaDecimal(v) for v in (c.intake, c.later, c.change)
            ]
            rows.append([c.group, c.stage, c.measure, c.n, *figures])
    return rows

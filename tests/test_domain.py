"""The commission's table as data: seeded by a migration, editable by an administrator."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from lotsen.models import CapacityKind, Programme, Role, Unit
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_three_units_are_seeded(domain) -> None:
    assert set(Unit.objects.values_list("slug", flat=True)) == {
        "lotsen",
        "hantverkshuset",
        "beroendemottagningen",
    }


def test_r5_r6_r7_r13_forstegstraning_numbers_are_seeded(training) -> None:
    assert training.capacity_kind == CapacityKind.HOURS_PER_WEEK
    assert training.capacity == Decimal(105)
    assert training.min_hours_per_week == Decimal(4)
    assert (training.max_duration, training.max_duration_unit) == (24, "months")
    assert (training.follow_up_interval, training.follow_up_interval_unit) == (3, "months")
    assert training.requires_contact_person and "R5" in training.rules


def test_r8_r13_team_isa_numbers_are_seeded(isa) -> None:
    assert (isa.capacity_kind, isa.capacity) == (CapacityKind.PEOPLE, Decimal(6))
    assert (isa.min_age, isa.max_age) == (18, 35)
    assert (isa.follow_up_interval, isa.follow_up_interval_unit) == (6, "weeks")


def test_r18_twelve_step_groups_are_six_to_eight(domain) -> None:
    groups = Programme.objects.filter(
        unit__slug="beroendemottagningen", capacity_kind=CapacityKind.GROUP_SIZE
    )
    assert groups.count() == 3
    assert {(g.group_min, g.group_max) for g in groups} == {(6, 8)}


def test_an_administrator_edits_a_programme_in_the_admin(client, lotsen, training) -> None:
    admin = make_staff("admin", lotsen, Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:lotsen_programme_change", args=[training.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="capacity"' in page.content.decode()
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(
        capacity="140", unit=training.unit_id, requires_contact_person="on", is_work_training="on"
    )
    assert client.post(url, data).status_code == 302
    training.refresh_from_db()
    assert training.capacity == Decimal(140)


def test_staff_without_the_admin_flag_cannot_open_the_admin(client, anna) -> None:
    client.force_login(anna)
    response = client.get(reverse("admin:lotsen_programme_changelist"))
    assert response.status_code == 302


def test_r14_renewal_cannot_be_set_rarer_than_yearly(training) -> None:
    from django.core.exceptions import ValidationError

    assert training.plan_renewal_months == 12
    training.plan_renewal_months = 18
    with pytest.raises(ValidationError) as error:
        training.full_clean()
    assert "plan_renewal_months" in error.value.message_dict

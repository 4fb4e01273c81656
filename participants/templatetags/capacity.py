"""`{{ week.free|free_capacity:programme }}`: what is free, in words with the right number."""

from __future__ import annotations

from decimal import Decimal

from django import template

from lotsen.models import Programme
from participants.services import free_capacity_text

register = template.Library()


@register.filter
def free_capacity(free: Decimal, programme: Programme) -> str:
    return free_capacity_text(programme, Decimal(free))

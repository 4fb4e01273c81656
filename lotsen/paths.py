"""URL paths of many rows without reversing each: the route is reversed once (per URLconf
and script prefix) with a stand-in for the key, and each row's key is put in its place."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_KEY = 908070605040302010  # stands for the key in a route reversed once


def path_with_key(name: str, pk: int) -> str:
    """reverse(name, args=[pk]), for lists of hundreds or tens of thousands of rows."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF  # a test may change either
    head, tail = _route(name, urlconf, get_script_prefix())
    return f"{head}{pk}{tail}"


@functools.lru_cache(maxsize=32)
def _route(name: str, urlconf: Any, prefix: str) -> tuple[str, str]:
    head, tail = reverse(name, args=[_KEY], urlconf=urlconf).split(str(_KEY))
    return head, tail

"""A fixed-window rate limit per client address on Django's cache (decision 0010).

The address is kept only as a keyed hash in the cache key, never in logs or the database.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from lotsen.client import client_address


def _key(scope: str, address: str, window: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return f"ratelimit:{scope}:{digest[:32]}:{window}"


def hit(request: HttpRequest, scope: str, *, limit: int, period: int) -> bool:
    """Count one attempt; False when this address has used up `limit` in this period."""
    window = int(timezone.now().timestamp()) // period
    key = _key(scope, client_address(request), window)
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count <= limit

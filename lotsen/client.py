"""Who is on the other end of a request: the one place that reads X-Forwarded-For."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind the TLS proxy the address that proxy appended last.

    Anything earlier in X-Forwarded-For was written by the client and proves nothing; without
    the proxy the header is ignored altogether (decision 0015).
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))

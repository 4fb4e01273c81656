"""Every e-mail is a subject, a text body and an HTML body rendered from three templates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_templated(name: str, context: dict[str, Any], *, to: list[str]) -> None:
    """Render templates/emails/<name>_{subject.txt,body.txt,body.html} and send.

    The subject must never carry personal data; templates get only what they show.
    """
    templated_message(name, context, to=to).send()


def templated_message(
    name: str, context: dict[str, Any], *, to: list[str]
) -> EmailMultiAlternatives:
    """The message send_templated sends, for a caller that sends many over one connection."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{name}_subject.txt", context).strip()
    text = render_to_string(f"emails/{name}_body.txt", context)
    html = render_to_string(f"emails/{name}_body.html", context)
    message = EmailMultiAlternatives(
        settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), text, to=to
    )
    message.attach_alternative(html, "text/html")
    return message

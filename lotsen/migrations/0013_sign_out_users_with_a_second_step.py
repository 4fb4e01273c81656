"""Sessions of users who have a second step and began with the password alone (before it
was asked of them whatever REQUIRE_TWO_FACTOR says) end once: they log in again, and are
asked for the second step (decision 0015)."""

from __future__ import annotations

from django.db import migrations


def forwards(apps, schema_editor):
    SignedInSession = apps.get_model("lotsen", "SignedInSession")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    WebAuthnCredential = apps.get_model("django_otp_webauthn", "WebAuthnCredential")
    users = (
        set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
        | set(StaticDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
        | set(WebAuthnCredential.objects.values_list("user_id", flat=True))
    )
    # Sessions verified by a device name it; only those that never passed a second step go.
    SignedInSession.objects.filter(user_id__in=users, device_id__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lotsen", "0012_seal_recovery_codes"),
        ("otp_totp", "__latest__"),
        ("otp_static", "__latest__"),
        ("django_otp_webauthn", "__latest__"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

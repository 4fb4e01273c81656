"""Recovery codes kept in plain text until now are replaced by their keyed digest (L2, GDPR
art. 32), as `lotsen.two_factor.sealed_recovery_code` makes them: the codes people have
written down still work. Not reversible: the digest does not give the code back."""

import re

from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac

SALT = "lotsen.two_factor.recovery_code"  # lotsen.two_factor.RECOVERY_CODE_SALT
SEALED = re.compile(r"[0-9a-f]{16}")


def seal_plain_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.all():
        if not SEALED.fullmatch(token.token):
            code = token.token.lower()
            token.token = salted_hmac(
                SALT, code, secret=settings.SECRET_KEY, algorithm="sha256"
            ).hexdigest()[:16]
            token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("lotsen", "0011_empty_the_old_session_table"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(seal_plain_codes, migrations.RunPython.noop)]

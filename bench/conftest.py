from __future__ import annotations

from tests.conftest import _static_without_manifest, anna, domain, lotsen, training

__all__ = ["_static_without_manifest", "anna", "domain", "lotsen", "training"]

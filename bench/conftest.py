from __future__ import annotations

from tests.conftest import _static_without_manifest, anna, domain, lotsen, training

__all__ = ["_static_without_manifest", "anna", "domain", "lotsen", "training"]


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    from bench.test_scale import pytest_terminal_summary_table

    table = pytest_terminal_summary_table()
    if table:
        terminalreporter.write_line("")
        terminalreporter.write_line(table)

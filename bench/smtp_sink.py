"""A real SMTP server on localhost that accepts and counts every message, in a process of its
own (as a mail server is): it does not share the measured process's interpreter lock."""

from __future__ import annotations

import multiprocessing
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class _Counting:
    def __init__(self, count: Any) -> None:
        self.count = count

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        with self.count.get_lock():
            self.count.value += 1
        return "250 OK"


def _serve(port: int, count: Any, stop: Any) -> None:
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per command otherwise

    controller = Controller(_Counting(count), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


@contextmanager
def smtp_sink() -> Iterator[tuple[int, Any]]:
    """Yield the port and a shared counter of the messages received."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    context = multiprocessing.get_context("spawn")
    count, stop = context.Value("i", 0), context.Event()
    process = context.Process(target=_serve, args=(port, count, stop), daemon=True)
    process.start()
    _wait_until_listening(port)
    try:
        yield port, count
    finally:
        stop.set()
        process.join(10)


def _wait_until_listening(port: int) -> None:
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.recv(100)  # the greeting
                return
        except OSError:
            threading.Event().wait(0.05)
    raise RuntimeError("the SMTP sink did not start")

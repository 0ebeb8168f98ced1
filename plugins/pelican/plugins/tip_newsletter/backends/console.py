"""Writes each email to the terminal instead of sending it (for a quick look)."""

from __future__ import annotations

import sys
from typing import TextIO

from ..rendering import RenderedEmail
from ..settings import NewsletterSettings
from .base import BaseBackend


class ConsoleBackend(BaseBackend):
    name = "console"

    def __init__(self, config: NewsletterSettings, stream: TextIO | None = None):
        super().__init__(config)
        self.stream = stream or sys.stdout

    def send_test(self, email: RenderedEmail, to: str) -> str:
        self._write(self.test_message(email, to).as_string())
        return "console"

    def deliver(self, email: RenderedEmail) -> tuple[str, str, bool]:
        self._write(self.message(email).as_string())
        return "console", "", True

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.write("\n" + "-" * 79 + "\n")
        self.stream.flush()

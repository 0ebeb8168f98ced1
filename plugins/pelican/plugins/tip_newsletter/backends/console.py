"""Writes each email to the terminal instead of sending it (for a quick look)."""

from __future__ import annotations

import sys
from typing import TextIO

from ..message import build_message
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
        message = build_message(
            email, from_name=self.config.from_name, reply_to=self.config.reply_to
        )
        self._write(message.as_string())
        return "console", "", True

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.write("\n" + "-" * 79 + "\n")
        self.stream.flush()

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

    def deliver(self, email: RenderedEmail) -> tuple[str, str, bool]:
        message = self.message(email)
        self.stream.write(message.as_string())
        self.stream.write("\n" + "-" * 79 + "\n")
        self.stream.flush()
        return "console", "", True

"""`make serve` and `make site` do not fight over output/.

`make serve` shows output/ built with pelicanconf.py (links to 127.0.0.1);
`make site` and `make publish` replace output/ with the production site, whose
links all point at the production host. While a serve runs, a production
build into the folder it shows is refused with a message saying so: the
author stops the serve (Ctrl-C) first. The serve leaves a note in the cache
folder (its process id and the folder it shows) and removes it when it stops;
a note whose process is gone is ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from typing import Any

from tips_core.errors import TipsError
from tips_core.problems import display_path
from tips_core.safe_write import atomic_open

NOTE = "serve.json"


class ServeRunning(TipsError):
    """A production build would replace the folder a running `make serve` shows."""

    exit_code = 1


def _note_path(settings: dict[str, Any]) -> str:
    return os.path.join(settings.get("CACHE_PATH") or "cache", NOTE)


@contextlib.contextmanager
def serving(settings: dict[str, Any]) -> Iterator[None]:
    """Note, for as long as the block runs, that this process serves OUTPUT_PATH."""
    path = _note_path(settings)
    with atomic_open(path) as handle:
        json.dump({"pid": os.getpid(), "output": os.path.abspath(settings["OUTPUT_PATH"])}, handle)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.remove(path)


def refuse_while_served(settings: dict[str, Any]) -> None:
    """Raise ServeRunning when a live `make serve` shows OUTPUT_PATH."""
    try:
        with open(_note_path(settings), encoding="utf-8") as handle:
            note = json.load(handle)
        pid, output = int(note["pid"]), str(note["output"])
    except (OSError, ValueError, KeyError, TypeError):
        return  # no serve, or a note we cannot read: nothing to protect
    if output != os.path.abspath(settings["OUTPUT_PATH"]) or pid == os.getpid():
        return
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return  # that serve is gone
    except PermissionError:
        pass  # alive, someone else's
    raise ServeRunning(
        f"make serve (process {pid}) is showing {display_path(output)} right now, and the "
        "production build would replace it with pages whose links point at the production "
        "host: stop make serve (Ctrl-C), then run this again"
    )

"""`make serve`'s live reload: an open page reloads itself after a rebuild.

The serve process counts its good builds and answers ``/_livereload`` with the
count; it adds a small script of ours to every HTML page it serves, which asks
for the count every second and reloads the page when it changes. The script is
added to the response only: output/ stays what a clean build writes.
"""

from __future__ import annotations

import threading

ENDPOINT = "/_livereload"
POLL_MS = 1000
_SCRIPT = (
    "<script>/* make serve: live reload (never in output/) */(function(){{"
    'var seen="{generation}";setInterval(function(){{'
    'fetch("{endpoint}",{{cache:"no-store"}}).then(function(r){{return r.text();}})'
    ".then(function(now){{if(now!==seen){{location.reload();}}}})"
    ".catch(function(){{}});}},{poll});}})();</script>"
)


class LiveReload:
    """The count of good builds, shared by the rebuilding and the serving threads."""

    def __init__(self) -> None:
        self._generation = 0
        self._lock = threading.Lock()

    @property
    def generation(self) -> str:
        with self._lock:
            return str(self._generation)

    def rebuilt(self) -> None:
        with self._lock:
            self._generation += 1

    def script(self) -> bytes:
        return _SCRIPT.format(generation=self.generation, endpoint=ENDPOINT, poll=POLL_MS).encode()

    def inject(self, page: bytes) -> bytes:
        """The page with the script before ``</body>`` (at the end when there is none)."""
        at = page.rfind(b"</body>")
        at = len(page) if at < 0 else at
        return page[:at] + self.script() + page[at:]

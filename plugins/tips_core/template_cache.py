"""Compiled templates kept between builds.

Every build is a new process, and Jinja compiles each template it loads
anew: about a quarter of a second of a build after one edit, for the same
few dozen templates. Jinja's bytecode cache keeps the compiled code in
``cache/``; each entry holds the checksum of its template's source and the
Jinja and Python versions that compiled it, so an edited template is compiled
again. What the entry does not hold is how the environment compiled it (the
``JINJA_ENVIRONMENT`` setting, the extensions and options our plugins set),
so the folder is named for the site fingerprint, which covers the settings,
the templates and the plugins' code (the folders of other fingerprints go),
and each kind of environment (Pelican's, the emails') has files of its own.
"""

from __future__ import annotations

import os
import shutil

from jinja2 import BytecodeCache, FileSystemBytecodeCache

PREFIX = "templates-"
ENVIRONMENTS = ("site", "email")  # Pelican's generators; the newsletter's renderer


def template_caches(cache_dir: str | None, site_fingerprint: str) -> dict[str, BytecodeCache]:
    """The compiled templates of builds with this fingerprint, by environment
    (none without a cache folder)."""
    if not cache_dir:
        return {}
    name = PREFIX + site_fingerprint[:16]
    try:
        os.makedirs(os.path.join(cache_dir, name), exist_ok=True)
        for other in os.listdir(cache_dir):
            if other.startswith(PREFIX) and other != name:
                shutil.rmtree(os.path.join(cache_dir, other), ignore_errors=True)
    except OSError:
        return {}  # compiled again, as without a cache
    folder = os.path.join(cache_dir, name)
    return {env: FileSystemBytecodeCache(folder, f"{env}-%s.cache") for env in ENVIRONMENTS}

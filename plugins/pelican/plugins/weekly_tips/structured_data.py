"""What search engines and link previews read: JSON-LD and Open Graph locales.

A tip's JSON-LD ``BlogPosting`` goes inside ``<script type="application/ld+json">``.
``json.dumps`` alone is not safe there: a title holding ``</script>`` would end
the script early and the rest would be read as HTML. So ``<``, ``>`` and ``&``
(and the two JavaScript line separators) are written as ``\\u003c``-style
escapes, which every JSON parser reads back as the same characters.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

# Open Graph wants a territory; these are where each language is mostly read.
OG_LOCALES = {"nb": "nb_NO", "sv": "sv_SE", "fi": "fi_FI", "et": "et_EE", "en": "en_GB"}

_SCRIPT_SAFE = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def script_json(data: Any) -> Markup:
    """``data`` as JSON that can sit inside a ``<script>`` element unchanged."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return Markup(text.translate(_SCRIPT_SAFE))


def og_locale(lang: str) -> str:
    return OG_LOCALES.get(lang, lang)


def blog_posting(tip: Any, siteurl: str, series_name: str, series_url: str) -> dict[str, Any]:
    """A tip as schema.org ``BlogPosting``, part of its weekly series (whose
    home is the language's home page, ``series_url``, relative to the site)."""
    url = f"{siteurl}/{tip.url}"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": tip.title,
        "description": tip.model.summary,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": tip.lang,
        "datePublished": tip.date.isoformat(),
        "author": {
            "@type": "Person",
            "name": str(tip.author),
            "url": f"{siteurl}/{tip.model.author_url}",
        },
        "isPartOf": {
            "@type": "CreativeWorkSeries",
            "name": series_name,
            "url": f"{siteurl}/{series_url}",
        },
    }
    modified = getattr(tip, "modified", None)
    if modified is not None:
        data["dateModified"] = modified.isoformat()
    tags = [str(tag) for tag in getattr(tip, "tags", ())]
    if tags:
        data["keywords"] = tags
    return data

"""The core of the weekly tips: the tip model, weeks, settings, i18n, content
rules, problems, safe writes and locks. Both Pelican plugins import it; it
imports neither of them."""

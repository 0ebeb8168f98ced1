"""The YAML loader for front matter.

It is PyYAML's safe loader (the C one when available: front matter is parsed
on every build and every ``make check``) with one change: timestamps stay
text. PyYAML turns ``2011-02-25 10:54:00`` into a datetime but leaves
``2011-02-25 10:54`` as text, and raises a bare ValueError on 2011-02-30;
parsing every date ourselves gives one rule and an error with its line.
"""

from __future__ import annotations

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontMatterLoader(_Base):  # type: ignore[misc, valid-type]
    pass


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


def compose_and_load(text: str) -> tuple[yaml.Node | None, object]:
    """Parse YAML once, returning the node tree (for line numbers) and the data."""
    loader = FrontMatterLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data

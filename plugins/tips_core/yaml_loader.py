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


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


def compose_and_load(text: str) -> tuple[yaml.Node | None, object]:
    """Parse YAML once, returning the node tree (for line numbers) and the data."""
    loader = FrontMatterLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        try:
            return node, _plain(node, set())
        except _NotPlain:
            return node, loader.construct_document(node)
    finally:
        loader.dispose()


class _NotPlain(Exception):
    pass


def _plain(node: yaml.Node, seen: set[int]) -> object:
    """What PyYAML constructs from a tree of text, lists and mappings with text
    keys (what front matter is made of), without its per-node bookkeeping: a
    third of the time a file's parse took. _NotPlain for anything else
    (numbers, yes/no, nulls, merge keys, a node met twice through an alias):
    PyYAML constructs those itself."""
    if id(node) in seen:
        raise _NotPlain
    seen.add(id(node))
    tag = node.tag
    if tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    if tag == _SEQ and isinstance(node, yaml.SequenceNode):
        return [_plain(item, seen) for item in node.value]
    if tag == _MAP and isinstance(node, yaml.MappingNode):
        mapping = {}
        for key, value in node.value:
            if key.tag != _STR or not isinstance(key, yaml.ScalarNode):
                raise _NotPlain
            mapping[key.value] = _plain(value, seen)
        return mapping
    raise _NotPlain

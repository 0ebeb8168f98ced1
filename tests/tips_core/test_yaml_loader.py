"""Front matter is read as PyYAML's safe loader reads it (timestamps aside)."""

from __future__ import annotations

import random

import pytest

from tips_core.yaml_loader import FrontMatterLoader, compose_and_load

PIECES = [
    *("title: ", "a", '"q: x"', "'s'", "[a, b]", "yes", "no", "1", "1.5", "null", "~", "\n"),
    *("- x\n", "  ", "&a ", "*a", "<<: *a\n", "{k: v}", "? [x]\n: y\n", "!!str 1", "="),
    *("2011-02-25 10:54:00", "tags: [", "]", ": ", '"', "0x1f", "+1", ".inf", "true"),
]
CASES = [
    "a: &x [*x]\n",  # a list holding itself
    "a: &x\n  b: *x\n",
    "a: &x v\nb: *x\n",
    "x: [a, [b, [c]]]\n",
    "a: 1\na: 2\n",
    "base: &b {k: v}\nother:\n  <<: *b\n",
    "date: 2011-02-25 10:54:00\n",
]


def pyyaml(text: str) -> object:
    loader = FrontMatterLoader(text)
    try:
        node = loader.get_single_node()
        return loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def outcome(read, text: str) -> str:
    try:
        return "ok " + repr(read(text))  # repr: 1 and "1" differ
    except Exception as exc:  # both must fail alike
        return "error " + type(exc).__name__


@pytest.mark.parametrize("seed", range(2))
def test_front_matter_data_is_what_pyyaml_makes_of_it(seed):
    rng = random.Random(seed)
    texts = CASES + ["".join(rng.choices(PIECES, k=rng.randint(1, 15))) for _ in range(3000)]
    parsed = 0
    for text in texts:
        expected = outcome(pyyaml, text)
        assert outcome(lambda t: compose_and_load(t)[1], text) == expected, repr(text)
        parsed += expected.startswith("ok")
    assert parsed > len(texts) // 10  # the random texts are not all broken YAML

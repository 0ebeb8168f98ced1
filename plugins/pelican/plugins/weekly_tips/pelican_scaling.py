"""Two places where Pelican's article generator compares every tip with every other.

At 50,000 tips (N=10000 in five languages) they took half of a build after one
edit (measured under cProfile: 27 s and 10 s of 162 s):

- ``pelican.utils.process_translations`` ends with
  ``[x for x in content_list if x not in index]``: each tip looked up in the
  list of every original. Here it runs once per translation group (a slug's
  tips), which gives the same lists in the same order (see
  :func:`process_translations_by_group`).
- The article generator's tag, category and author pages first list, for each
  tag, every dated tip that has it (``article in articles``, a list), then
  write the page. The site writes its own tag and author pages
  (site_pages.py); Pelican's are switched off (``TAG_SAVE_AS = ""`` and the
  like), so those lists are made for nothing: :func:`skip_unwritten_lists`
  empties them first.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from itertools import groupby
from operator import attrgetter
from typing import Any

import pelican.generators
import pelican.utils

# Pelican's own, for each group and for the errors it words itself.
_pelican_process_translations: Callable = pelican.utils.process_translations


def process_translations_by_group(
    content_list: list[Any], translation_id: str | Collection[str] | None = None
) -> tuple[list[Any], list[Any]]:
    """``pelican.utils.process_translations``, group by group: the same
    originals and translations, in the same order, the same ``translations``
    on each item and the same warnings. Pelican sorts the list by the
    translation id and takes the groups in that order; a tip's translations
    are in its group alone (contents compare by identity), so its final
    "not in the originals" needs only the group's originals."""
    if not translation_id:
        return _pelican_process_translations(content_list, translation_id)
    ids = {translation_id} if isinstance(translation_id, str) else translation_id
    try:
        key = attrgetter(*ids)
        content_list.sort(key=key)
    except (TypeError, AttributeError):
        return _pelican_process_translations(content_list, translation_id)  # its message
    index: list[Any] = []
    translations: list[Any] = []
    for _, group in groupby(content_list, key):
        originals, others = _pelican_process_translations(list(group), translation_id)
        index += originals
        translations += others
    return index, translations


def install() -> None:
    """Pelican's generators call the function by the name they imported."""
    pelican.generators.process_translations = process_translations_by_group


# The article generator's lists, each with the setting that says whether
# Pelican writes its pages.
_LISTS = (
    ("tags", "TAG_SAVE_AS"),
    ("categories", "CATEGORY_SAVE_AS"),
    ("authors", "AUTHOR_SAVE_AS"),
)


def skip_unwritten_lists(generator: Any) -> None:
    """Once the article generator's context is made: the lists whose pages
    Pelican does not write are emptied on the generator (the site's context
    keeps them), so that its page loop does not go over them."""
    for name, save_as in _LISTS:
        if not generator.settings.get(save_as) and getattr(generator, name, None):
            setattr(generator, name, type(getattr(generator, name))())

"""The sample site in a real browser (Debian's Chromium through Playwright):
accessibility, search, the language switcher, sharing, keyboard use, weight,
and no request to any other host."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from tests.site_quality.conftest import LANGUAGES, NODE_MODULES, require

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
PAGE_WEIGHT_LIMIT = 100_000  # bytes: a tip's HTML, CSS, JavaScript and fonts, uncompressed
PHONE = {"width": 390, "height": 844}
HEADER_SHARE_LIMIT = 0.15  # of a phone's screen height


def axe_violations(page) -> list[dict]:
    require(AXE.is_file(), "axe-core (npm ci)")
    page.add_script_tag(content=AXE.read_text("utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]


def prefix(lang: str) -> str:
    return "" if lang == "nb" else f"{lang}/"


def search(page, words: str) -> list[str]:
    """Type into the search page's form; the titles of the tips found."""
    page.fill("#search-query", words)
    page.press("#search-query", "Enter")
    page.wait_for_function(
        "(words) => document.getElementById('search-status').textContent.includes(words)",
        arg=words,
    )
    return [t.strip() for t in page.locator("#search-results .tip-card__title a").all_inner_texts()]


def test_axe_finds_a_known_violation(tab):
    """The accessibility check really runs: it flags a button with no name."""
    tab.page.set_content('<html lang="en"><body><main><button></button></main></body></html>')
    assert "button-name" in [v["id"] for v in blocking(axe_violations(tab.page))]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_key_pages_are_accessible_and_stay_on_the_site(sample_site, tab, lang):
    tips = sample_site.tip_urls(lang)
    assert tips, f"the sample site has no tip in {lang}"
    tip = tips[0]
    week = tip.rsplit("/", 2)[0] + "/"
    pages = {
        "home": prefix(lang),
        "tip": tip,
        "week": week,
        "search": f"{prefix(lang)}search/",
    }
    found = {}
    for name, url in pages.items():
        tab.goto(sample_site.url(url))
        assert tab.page.locator("html").get_attribute("lang") == lang
        if name == "search":
            word = tab.page.locator("h1").first.inner_text()  # any word: the index must load
            search(tab.page, word.split()[0])
        loaded_index = [u for u in tab.requests if "/pagefind/" in u]
        if name == "search":
            assert loaded_index, "the search page did not load the search index"
        else:
            assert loaded_index == [], f"{name} page loaded the search index"
        found[name] = blocking(axe_violations(tab.page))
    assert found == {name: [] for name in pages}
    assert tab.foreign_requests == []


def test_the_switcher_lands_on_the_same_tip(sample_site, tab):
    def languages_of(url: str) -> set[str]:
        links = sample_site.html(url).select('link[rel="alternate"][hreflang]')
        return {link["hreflang"] for link in links}

    # A tip in every language (its nb version lives at the root).
    tip = next(t for t in sample_site.tip_urls("nb") if set(LANGUAGES) <= languages_of(t))
    tab.goto(sample_site.url(tip))
    for lang in ("sv", "fi", "en", "et", "nb"):
        tab.page.click(".language-switcher summary")  # the list is folded until asked
        tab.page.click(f'.language-switcher a[hreflang="{lang}"]')
        tab.page.wait_for_load_state("load")
        assert tab.page.url == sample_site.url(prefix(lang) + tip)
        assert tab.page.locator("html").get_attribute("lang") == lang
        expected = sample_site.html(prefix(lang) + tip).h1.get_text(strip=True)
        assert tab.page.locator("h1").inner_text().strip() == expected
    assert tab.foreign_requests == []


def body_words(sample_site, tip_url: str) -> set[str]:
    body = sample_site.html(tip_url).select_one(".tip__body").get_text(" ")
    return {w.lower() for w in re.findall(r"[^\W\d_]{9,}", body)}


@pytest.mark.parametrize("lang", ["nb", "fi"])
def test_search_finds_a_tip_by_a_word_from_its_body(sample_site, tab, lang):
    tips = sample_site.tip_urls(lang)
    target = tips[-1]  # the oldest tip: not what the home page shows
    others = set().union(*(body_words(sample_site, t) for t in tips if t != target))
    word = sorted(body_words(sample_site, target) - others)[0]
    title = sample_site.html(target).h1.get_text(strip=True)

    tab.goto(sample_site.url(f"{prefix(lang)}search/"))
    titles = search(tab.page, word)
    assert title in titles, f"searching {word!r} found {titles}"
    tab.page.click(f'#search-results a:text-is("{title}")')
    tab.page.wait_for_load_state("load")
    assert tab.page.url == sample_site.url(target)
    assert tab.foreign_requests == []


def test_a_search_url_runs_the_query(sample_site, tab):
    tip = sample_site.tip_urls("fi")[0]
    title = sample_site.html(tip).h1.get_text(strip=True)
    tab.goto(sample_site.url(f"fi/search/?q={title.split()[-1]}"))
    tab.page.wait_for_selector("#search-results .tip-card")
    assert title in tab.page.locator("#search-results").inner_text()


def test_share_links_hold_the_pages_url(sample_site, tab):
    tip = sample_site.tip_urls("en")[0]
    tab.goto(sample_site.url(tip))
    page_url = tab.page.url
    links = tab.page.locator(".share a").evaluate_all("links => links.map(a => a.href)")
    assert len(links) >= 6
    assert links[0].startswith("mailto:?subject=")
    for link in links:
        assert page_url in unquote(link), link
    assert tab.page.input_value("#share-url") == page_url


def test_the_copy_button_copies_the_pages_url(sample_site, browser):
    tip = sample_site.tip_urls("sv")[0]
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=sample_site.base_url)
    page = context.new_page()
    page.goto(sample_site.url(tip))
    page.get_by_role("button", name="Kopiera länken").click()
    page.get_by_role("button", name="Kopierad").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == sample_site.url(tip)
    context.close()


def test_keyboard_alone_reaches_the_share_block(sample_site, tab):
    tab.goto(sample_site.url(sample_site.tip_urls("nb")[0]))
    page = tab.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    reached = None
    for presses in range(1, 80):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.share')"):
            reached = presses
            break
    assert reached is not None, "Tab never reached the share block"
    assert page.evaluate("document.activeElement.classList.contains('share__email')")
    # Enter on the skip link moves focus past the menus, to the content.
    page.keyboard.press("Shift+Tab")
    page.focus(".skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_tip_page_weighs_under_100_kb(sample_site, browser):
    """HTML, CSS, JavaScript and fonts a tip loads before interaction, uncompressed
    (the heaviest tip page of the sample site)."""
    heaviest = max(
        (p for p in sample_site.pages() if re.search(r"/\d{4}/w\d\d/[^/]+/index\.html$", str(p))),
        key=lambda p: p.stat().st_size,
    )
    url = sample_site.url(heaviest.relative_to(sample_site.output).as_posix()[: -len("index.html")])
    context = browser.new_context()
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())))
    page.goto(url, wait_until="networkidle")
    context.close()
    kinds = {u.rsplit(".", 1)[-1] if "." in u.rsplit("/", 1)[-1] else "html" for u in sizes}
    assert kinds == {"html", "css", "js", "woff2", "svg"}  # svg: the favicon
    total = sum(sizes.values())
    print(f"Tip page weight: {total} bytes ({', '.join(f'{u}: {n}' for u, n in sizes.items())})")
    assert total < PAGE_WEIGHT_LIMIT


@pytest.mark.parametrize("lang", ["nb", "et"])
def test_on_a_phone_the_header_is_small_and_the_signup_follows_the_tip(sample_site, browser, lang):
    """The masthead takes at most 15% of a 390x844 screen; the language list and the
    menu fold into it; the signup box comes right after the tip's text."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    tip = sample_site.tip_urls(lang)[0]
    page.goto(sample_site.url(tip), wait_until="networkidle")
    header = page.locator(".masthead").bounding_box()
    print(f"Phone header height ({lang}): {header['height']:.0f} px of {PHONE['height']}")
    assert header["height"] <= HEADER_SHARE_LIMIT * PHONE["height"]
    assert page.locator(".language-switcher ul").is_hidden()  # folded until asked
    page.click(".language-switcher summary")
    assert page.locator(".language-switcher ul").is_visible()
    nav = page.locator(".site-nav ul").bounding_box()
    assert nav["width"] <= PHONE["width"]  # one row, scrolled sideways: no page overflow
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    body = page.locator(".tip__body").bounding_box()
    box = page.locator("aside.signup").bounding_box()
    gap = box["y"] - (body["y"] + body["height"])
    assert 0 < gap < 200, gap  # the topics at most in between
    # The footer sits at the bottom of a short page.
    page.goto(sample_site.url(("" if lang == "nb" else f"{lang}/") + "404.html"))
    footer = page.locator(".site-footer").bounding_box()
    assert footer["y"] + footer["height"] >= PHONE["height"] - 1
    context.close()


def test_the_emails_share_buttons_keep_to_one_line_on_a_phone(sample_site, browser):
    """The email's text buttons wrap between buttons at 375 px, never inside one."""
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    for lang in ("nb", "fi"):
        page.goto(sample_site.url(sample_site.tip_urls(lang)[0] + "email.html"))
        chips = page.locator(".chip")
        assert chips.count() >= 6
        heights = [chips.nth(i).bounding_box()["height"] for i in range(chips.count())]
        assert max(heights) < 40, heights  # one line of 14 px text with its padding
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()

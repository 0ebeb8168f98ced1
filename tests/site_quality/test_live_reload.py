"""`make serve` in a real browser: an open page reloads itself after a rebuild."""

from __future__ import annotations

from tests.test_serve_command import serving


def test_an_open_page_reloads_itself_after_a_rebuild(browser, content, tmp_path):
    with serving(content, tmp_path) as (path, address, _lines):
        page = browser.new_page()
        page.goto(f"{address}/2021/w01/smil/")
        assert "Første versjon." in page.inner_text(".tip__body")
        path.write_text(path.read_text("utf-8").replace("Første versjon.", "Andre versjon."))
        # Nobody presses reload: the page does, once the rebuild is written.
        page.wait_for_function(
            "() => document.body.innerText.includes('Andre versjon.')", timeout=90_000
        )
        page.close()

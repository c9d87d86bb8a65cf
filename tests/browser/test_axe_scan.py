"""axe-core put into pages by an init script in its own isolated world (in the product's documents, never in another
site's frames, never where the page's scripts can reach it), and elements described as the product made them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Frame, Page

from harness.browser.axe_scan import AXE_WORLD, _session, prepare_context, run_axe
from harness.browser.page_facts import describe_element

pytest_plugins = ("tests.pages_server",)
pytestmark = pytest.mark.browser

HAS_AXE = "() => typeof window.axe !== 'undefined'"
NO_ALT = '<!doctype html><html lang="en"><title>{title}</title><main><img src="x.png"></main></html>'


@pytest.fixture()
def framed_site(tmp_path: Path) -> Iterator[str]:
    """A page with two frames, each holding an image without a text alternative: one frame from the same
    site, one from another origin (localhost instead of 127.0.0.1, so the browser treats it as another site)."""
    # Imported here, not at the top: pytest must register the module as a plugin before anyone imports it.
    from tests.pages_server import serve_folder

    server, url = serve_folder(tmp_path)
    port = server.server_address[1]
    (tmp_path / "inner.html").write_text(NO_ALT.format(title="Inner"), encoding="utf-8")
    (tmp_path / "outer.html").write_text(
        '<!doctype html><html lang="en"><title>Outer</title><main><h1>Pay</h1>'
        '<iframe title="Ours" name="ours" src="inner.html"></iframe>'
        f'<iframe title="Theirs" name="theirs" src="http://localhost:{port}/inner.html"></iframe></main></html>',
        encoding="utf-8")
    yield f"{url}/outer.html"
    server.shutdown()


def frame_named(page: Page, name: str) -> Frame:
    found = page.frame(name=name)
    assert found is not None, f"the fixture page has no frame named {name}"
    return found


def axe_world_has_axe(page: Page, frame: Frame) -> bool:
    """Whether the frame's axe world (seen through the harness's own CDP session) holds axe-core."""
    cdp = _session(page)
    frame_ids = {}
    pending = [cdp.send("Page.getFrameTree")["frameTree"]]
    while pending:
        node = pending.pop()
        frame_ids[node["frame"].get("name", "") if node["frame"].get("parentId") else ""] = node["frame"]["id"]
        pending += node.get("childFrames", [])
    frame_id = frame_ids[frame.name]
    world = cdp.send("Page.createIsolatedWorld", {"frameId": frame_id, "worldName": AXE_WORLD})
    reply = cdp.send("Runtime.evaluate", {"expression": "typeof axe !== 'undefined'", "returnByValue": True,
                                          "contextId": world["executionContextId"]})
    return bool(reply["result"]["value"])


def image_alt_targets(response: dict[str, Any]) -> list[str]:
    return [str(node["target"]) for rule in response["violations"] if rule["id"] == "image-alt"
            for node in rule["nodes"]]


def test_a_prepared_context_has_axe_in_the_sites_documents_only(browser: Browser, framed_site: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        prepare_context(context)
        prepare_context(context)  # a second walk in the same context adds nothing
        page.goto(framed_site)
        page.wait_for_load_state("load")
        assert axe_world_has_axe(page, page.main_frame)
        assert axe_world_has_axe(page, frame_named(page, "ours"))
        # The page's own scripts never see axe-core: it lives in a world of its own.
        assert not page.evaluate(HAS_AXE)
        assert not frame_named(page, "ours").evaluate(HAS_AXE)
        # Only the site's own frame is scanned: the other site's image is not reported as the product's.
        assert image_alt_targets(run_axe(page)) == ["['iframe[title=\"Ours\"]', 'img']"]
        # The blank page the harness leaves for between pages gets none.
        page.goto("about:blank")
        assert not axe_world_has_axe(page, page.main_frame)
    finally:
        context.close()


def test_an_unprepared_page_is_given_axe_when_scanned(page: Page, framed_site: str) -> None:
    page.goto(framed_site)
    assert not axe_world_has_axe(page, page.main_frame)
    assert image_alt_targets(run_axe(page)) == ["['iframe[title=\"Ours\"]', 'img']"]
    assert axe_world_has_axe(page, page.main_frame)
    assert not page.evaluate(HAS_AXE)


def test_an_elements_description_leaves_out_the_harness_markers(page: Page) -> None:
    page.set_content('<main><button id="go" data-a11y-tab="4" class="b">Go</button></main>')
    assert describe_element(page.locator("#go")) == {"selector": "#go", "html": '<button id="go" class="b">Go</button>'}

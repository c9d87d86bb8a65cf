"""Scan mode's reused pages: one browser context per persona, wiped between pages instead of replaced.

A new context costs a new renderer process, and axe-core's 500 KB script is compiled again in each one:
about 0.7 s a page, more than navigating and scanning it. Scanning a site page by page, the harness keeps
one context per persona and clears what one page could leave for the next (cookies, storage, service
workers), as pa11y and other monitoring tools do. Permissions are left as the persona's settings grant
them: a page cannot grant itself one. Journeys keep a fresh context each: a journey signs in, fills forms
and pays, and must never meet another journey's session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import suppress
from typing import Any

from playwright.sync_api import Browser, BrowserContext, CDPSession, Page
from playwright.sync_api import Error as PlaywrightError

from harness.model.personas import Persona

# Everything an origin can keep in the browser, except the HTTP cache: a person moving around one site keeps
# its stylesheets cached too, and the cache holds nothing a page can read back.
CLEARED_STORAGE = "cookies,local_storage,indexeddb,websql,file_systems,service_workers,cache_storage,shared_storage"

CLEAR_SESSION_STORAGE_JS = "() => { try { sessionStorage.clear(); } catch (e) {} }"


class SharedPages:
    """One page per persona, each in its own context made with the persona's settings."""

    def __init__(self, browser: Browser, context_args: Mapping[str, Any]) -> None:
        self.browser = browser
        self.context_args = dict(context_args)
        self._pages: dict[str, Page] = {}
        self._cdp: dict[str, CDPSession] = {}

    def page_for(self, persona: Persona, context: Mapping[str, Any] | None = None) -> Page:
        """The persona's page, made on first use or again when the last page crashed or was closed.

        `context` holds the browser context options, the persona's own when not given.
        """
        page = self._pages.get(persona.id)
        if page is None or page.is_closed():
            if page is not None:
                with suppress(PlaywrightError):
                    page.context.close()
            options = persona.context if context is None else context
            page = self.browser.new_context(**{**self.context_args, **dict(options)}).new_page()
            self._pages[persona.id] = page
            self._cdp.pop(persona.id, None)
        return page

    def clear(self, page: Page, origins: Iterable[str]) -> None:
        """Leave the page and wipe what it kept, so the next page starts as a first visit would.

        A page that will not come clean (it crashed, or the browser refused) is closed instead, and the
        next test gets a new context.
        """
        persona_id = next((pid for pid, known in self._pages.items() if known is page), None)
        try:
            page.evaluate(CLEAR_SESSION_STORAGE_JS)
            # First, so no script of the old page writes anything after the wipe; the old page is gone once the
            # blank one commits, so there is no load to wait for.
            page.goto("about:blank", wait_until="commit")
            context = page.context
            context.clear_cookies()
            cdp = self._session(persona_id, context, page)
            for origin in sorted(set(origins)):
                cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": CLEARED_STORAGE})
            for other in context.pages:
                if other is not page:
                    other.close()
        except PlaywrightError:
            with suppress(PlaywrightError):
                page.context.close()
            if persona_id is not None:
                self._pages.pop(persona_id, None)
                self._cdp.pop(persona_id, None)

    def _session(self, persona_id: str | None, context: BrowserContext, page: Page) -> CDPSession:
        session = self._cdp.get(persona_id or "")
        if session is None:
            session = context.new_cdp_session(page)
            if persona_id is not None:
                self._cdp[persona_id] = session
        return session

    def close(self) -> None:
        for page in self._pages.values():
            with suppress(PlaywrightError):
                page.context.close()
        self._pages.clear()
        self._cdp.clear()

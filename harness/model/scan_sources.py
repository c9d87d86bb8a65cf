"""Scan mode: which pages of a site to scan, from a list of addresses, a sitemap or a crawl.

Standard library only, so the page list can be worked out (and its errors shown) before any browser starts.
"""

from __future__ import annotations

import re
import threading
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import partial
from html.parser import HTMLParser
from http.client import HTTPException
from pathlib import Path
from typing import Any, Literal, NamedTuple
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.request import Request, urlopen
from urllib.robotparser import RobotFileParser
from xml.etree import ElementTree
from xml.parsers import expat

from harness.model.errors import ConfigError, HarnessError
from harness.model.targets import origin_of
from harness.model.toml_files import display

URLS_OPTION = "--a11y-scan-urls"
SITEMAP_OPTION = "--a11y-sitemap"
CRAWL_OPTION = "--a11y-crawl"
MAX_PAGES_OPTION = "--a11y-crawl-max-pages"
DEPTH_OPTION = "--a11y-crawl-depth"
INCLUDE_OPTION = "--a11y-crawl-include"
EXCLUDE_OPTION = "--a11y-crawl-exclude"
SOURCE_CHOICES = f"{URLS_OPTION} FILE, {SITEMAP_OPTION} URL_OR_FILE or {CRAWL_OPTION} URL"

DEFAULT_USER_AGENT = "council-a11y-harness"
FETCH_TIMEOUT_S = 10.0
"""For the whole of one fetch, headers and body: a server that sends a byte a second must not stall a crawl."""
DEFAULT_MAX_PAGES = 50
"""The page limit of a crawl or a sitemap when none is given; a list the user wrote is scanned whole."""
# The sitemap protocol's own limit for one file, unpacked; it also bounds a page or a gzip bomb.
MAX_BODY_BYTES = 50 * 1024 * 1024
# The protocol forbids nesting indexes at all; some sites do it anyway, one or two levels deep.
MAX_SITEMAP_DEPTH = 3
EXAMPLE_ADDRESS = "https://www.example.gov.uk/bins"
EXAMPLE_SITEMAP = "https://www.example.gov.uk/sitemap.xml"

# Reasons a page was not scanned, worded for the report.
ROBOTS_DISALLOWS = "robots.txt disallows"
ROBOTS_UNAVAILABLE = "robots.txt could not be read"
OUTSIDE_ORIGIN = "outside the origin"
EXCLUDED = "excluded by pattern"
NOT_INCLUDED = "matches no include pattern"
NOT_HTML = "not HTML"
PAGE_LIMIT = "page limit reached"
DEPTH_LIMIT = "depth limit reached"

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Links to these are documents or media: skipping them unfetched spares the site a download each.
NOT_HTML_SUFFIXES = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".ods", ".csv", ".ppt",
                     ".pptx", ".odp", ".zip", ".gz", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg",
                     ".ico", ".mp3", ".mp4", ".m4a", ".wav", ".webm", ".mov", ".avi")
# Bodies worth reading; for anything else (a PDF, an image) the headers say all the crawl needs.
READABLE_TYPES = re.compile(r"^(text/.*|.*[/+]xml|application/(x-)?gzip|application/octet-stream|)$")
DEFAULT_PORTS = {"http": 80, "https": 443}
# A host name, not a file name such as 'bins.html', so that 'https://' + it is worth suggesting.
HOST_LIKE = re.compile(
    r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.(?!(html?|php|aspx?|jsp|xml|txt|pdf)\b)[a-z]{2,}(:\d+)?$", re.IGNORECASE)

SourceKind = Literal["urls", "sitemap", "crawl"]
Fetch = Callable[[str], tuple[str, int, str, str]]
"""url -> (final url after redirects, HTTP status, content type, body text); gzip bodies come unpacked."""


class FetchError(HarnessError):
    """A page could not be fetched at all: no connection, no answer in time, a redirect loop."""


class Fetched(NamedTuple):
    """What fetch_url returns: a plain 4-tuple, so a test's own fetch function can return one too."""

    url: str
    status: int
    content_type: str
    text: str


@dataclass(frozen=True)
class CrawledPage:
    """A page found, as passed to on_page for progress output."""

    url: str
    depth: int
    found_on: str | None = None


@dataclass(frozen=True)
class SkippedPage:
    """An address that was found but will not be scanned, and why, so the report can say so."""

    url: str
    reason: str
    found_on: str | None = None


@dataclass(frozen=True)
class FailedFetch:
    """An address that could not be fetched at all (robots.txt included), with what went wrong."""

    url: str
    message: str


@dataclass(frozen=True)
class CrawlResult:
    """The pages to scan, and those found but not to be scanned, for the report to list."""

    pages: tuple[str, ...]
    """In the order found; for a crawl, the start page (after any redirect) first."""
    skipped: tuple[SkippedPage, ...] = ()
    errors: tuple[FailedFetch, ...] = ()


@dataclass(frozen=True)
class ScanSource:
    """Where the pages for scan mode come from, with the limits and patterns that apply."""

    kind: SourceKind
    location: str
    """The list's file path, the sitemap's address or path, or the crawl's start address."""
    max_pages: int | None = None
    """None when not given: a crawl or a sitemap then stops at DEFAULT_MAX_PAGES, a list is scanned whole."""
    max_depth: int = 3
    """Crawl only: links followed from the start page, which is depth 0."""
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


def parse_scan_options(urls_file: str | None, sitemap: str | None, crawl_url: str | None,
                       max_pages: int | None, max_depth: int, include: list[str], exclude: list[str]) -> ScanSource | None:
    """Validate the scan options; None when no source was given (scan mode is off)."""
    sources: tuple[tuple[SourceKind, str, str | None], ...] = (
        ("urls", URLS_OPTION, urls_file), ("sitemap", SITEMAP_OPTION, sitemap),
        ("crawl", CRAWL_OPTION, crawl_url))
    given = [(kind, option, value) for kind, option, value in sources if value is not None]
    stray = [option for option, values in ((INCLUDE_OPTION, include), (EXCLUDE_OPTION, exclude)) if values]
    if len(given) > 1 or (stray and not given):
        named = [option for _, option, _ in given] or stray
        listed = f"{', '.join(named[:-1])} and {named[-1]}" if len(named) > 1 else named[0]
        what = (f"{listed}: give only one way to choose the pages to scan" if given
                else f"{named[0]}: this only applies to scan mode, which also needs the pages to scan")
        raise ConfigError(f"{what}: {SOURCE_CHOICES}.")
    _check_limits(max_pages, max_depth)
    _compile(INCLUDE_OPTION, include)
    _compile(EXCLUDE_OPTION, exclude)
    if not given:
        return None
    kind, option, value = given[0]
    if kind == "crawl" or (kind == "sitemap" and "://" in value):
        check_address(option, value)
    else:
        _check_file(option, value, sitemap=kind == "sitemap")
    return ScanSource(kind=kind, location=value, max_pages=max_pages, max_depth=max_depth,
                      include=tuple(include), exclude=tuple(exclude))


def resolve_pages(source: ScanSource, *, fetch: Fetch | None = None,
                  on_page: Callable[[CrawledPage], None] | None = None) -> CrawlResult:
    """The pages a source names: crawled, or read from the list or sitemap and cut to any page limit.

    A source that yields no page at all is an error that says why (nothing could be fetched, or every page
    was skipped), so a scan never ends quietly with nothing scanned.
    """
    if source.kind == "crawl":
        result = crawl(source.location, max_pages=page_limit(source) or DEFAULT_MAX_PAGES,
                       max_depth=source.max_depth, include=source.include, exclude=source.exclude, fetch=fetch,
                       on_page=on_page)
    else:
        result = _listed_pages(source, fetch, on_page)
    if not result.pages:
        raise ConfigError(nothing_to_scan(source, result))
    return result


def page_limit(source: ScanSource) -> int | None:
    """The most pages to scan: as given, else DEFAULT_MAX_PAGES for a crawl or sitemap, none for a list."""
    if source.max_pages is not None:
        return source.max_pages
    return None if source.kind == "urls" else DEFAULT_MAX_PAGES


def page_id(url: str, with_host: bool = True) -> str:
    """A readable, stable test id for a page: its path (and host when a scan spans several sites)."""
    parts = urlsplit(url)
    path = parts.path.strip("/") + (f"?{parts.query}" if parts.query else "")
    if with_host:
        return f"{parts.netloc}/{path}".rstrip("/")
    return path or "home"


SHOWN_PER_REASON = 20
"""Addresses the console names for each reason a page was not scanned; the report lists every one."""


def left_out_lines(pages: CrawlResult, limit: int | None) -> list[str]:
    """Console lines naming the pages not scanned, by reason, so a cut list is never a silent one."""
    by_reason: dict[str, list[str]] = {}
    for page in pages.skipped:
        by_reason.setdefault(page.reason, []).append(page.url)
    for failed in pages.errors:
        by_reason.setdefault(f"could not be fetched: {failed.message}", []).append(failed.url)
    lines = []
    for reason, urls in by_reason.items():
        if reason == PAGE_LIMIT:
            reason = f"{PAGE_LIMIT} ({MAX_PAGES_OPTION} {limit}; give a larger number to scan them)"
        lines.append(f"a11y scan: not scanned, {reason}: {len(urls)} page(s)")
        lines += [f"  {url}" for url in urls[:SHOWN_PER_REASON]]
        if len(urls) > SHOWN_PER_REASON:
            lines.append(f"  and {len(urls) - SHOWN_PER_REASON} more, all listed in the report")
    return lines


def left_out(pages: CrawlResult) -> dict[str, list[dict[str, Any]]]:
    """The pages found but not scanned, and those that could not be fetched, as plain data."""
    return {"skipped": [asdict(page) for page in pages.skipped],
            "errors": [asdict(failed) for failed in pages.errors]}


def left_out_from(data: dict[str, Any]) -> CrawlResult:
    """The pages left out, read back from `left_out`'s plain data; the pages to scan are given separately."""
    return CrawlResult(pages=(), skipped=tuple(SkippedPage(**page) for page in data.get("skipped", [])),
                       errors=tuple(FailedFetch(**failed) for failed in data.get("errors", [])))


def nothing_to_scan(source: ScanSource, result: CrawlResult) -> str:
    """Why a source gave no page to scan: each address that failed or was skipped, and its reason."""
    option = {"urls": URLS_OPTION, "sitemap": SITEMAP_OPTION, "crawl": CRAWL_OPTION}[source.kind]
    lines = [f"{option} {_shown(source.location)}: no page to scan."]
    lines += [f"  {failed.url}: could not be fetched: {failed.message}" for failed in result.errors[:20]]
    lines += [f"  {page.url}: skipped: {page.reason}" for page in result.skipped[:20]]
    left = len(result.errors[20:]) + len(result.skipped[20:])
    if left:
        lines.append(f"  and {left} more")
    lines.append("Check that the address is right and the site answers (try it in a browser from this machine), "
                 "and that the include and exclude patterns leave some pages.")
    return "\n".join(lines)


def _listed_pages(source: ScanSource, fetch: Fetch | None, on_page: Callable[[CrawledPage], None] | None
                  ) -> CrawlResult:
    found = read_url_list(Path(source.location)) if source.kind == "urls" \
        else read_sitemap(source.location, fetch=fetch)
    limit = page_limit(source)
    scope = _Scope(None, _compile(INCLUDE_OPTION, source.include), _compile(EXCLUDE_OPTION, source.exclude))
    pages: list[str] = []
    skipped: list[SkippedPage] = []
    for url in found:
        reason = scope.refusal(url) or (PAGE_LIMIT if limit is not None and len(pages) >= limit else None)
        if reason:
            skipped.append(SkippedPage(url, reason))
            continue
        pages.append(url)
        if on_page:
            on_page(CrawledPage(url, 0))
    return CrawlResult(tuple(pages), tuple(skipped))


def read_url_list(path: Path) -> list[str]:
    """One address a line; blank lines and lines starting with '#' are ignored, repeats dropped."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # -sig: Notepad's byte order mark is not an address
    except OSError as exc:
        raise ConfigError(f"{display(path)}: cannot read the list of addresses ({exc.strerror}).") from None
    except UnicodeDecodeError as exc:
        bad_line = exc.object.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{display(path)}, line {bad_line}: this is not UTF-8 text (byte "
                          f"{exc.object[exc.start]:#04x}). Save the file as UTF-8.") from None
    urls: dict[str, None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            check_address(f"{display(path)}, line {number}", line)
            urls[line] = None
    if not urls:
        raise ConfigError(f"{display(path)}: the file lists no addresses. Put one full address on each "
                          f"line, such as {EXAMPLE_ADDRESS}\nLines starting with # are comments.")
    return list(urls)


def read_sitemap(url_or_path: str, *, fetch: Fetch | None = None) -> list[str]:
    """Page addresses in a sitemap, following a sitemap index to its child sitemaps; repeats dropped."""
    urls = _sitemap_pages(url_or_path, None, fetch or fetch_url, 0, set())
    if not urls:
        raise ConfigError(f"{_shown(url_or_path)}: the sitemap lists no pages "
                          "(no <url> entries with a <loc>).")
    return list(dict.fromkeys(urls))


def crawl(start_url: str, *, max_pages: int = 50, max_depth: int = 3, include: Sequence[str] = (),
          exclude: Sequence[str] = (), same_origin: bool = True, respect_robots: bool = True,
          user_agent: str = DEFAULT_USER_AGENT, fetch: Fetch | None = None,
          on_page: Callable[[CrawledPage], None] | None = None) -> CrawlResult:
    """Breadth-first over <a href> links from start_url, within the origin, patterns and limits.

    The start page is always crawled (robots.txt permitting), whatever the patterns say: they choose
    among the links found. If the start page redirects (http to https, or to www.), the origin is the
    one it lands on. Pages that are not fetched, and why, are in the result's skipped and errors.
    """
    check_address(CRAWL_OPTION, start_url)
    _check_limits(max_pages, max_depth)
    fetch = fetch or partial(fetch_url, user_agent=user_agent)
    scope = _Scope(None, _compile(INCLUDE_OPTION, include), _compile(EXCLUDE_OPTION, exclude))
    start = normalise(start_url) or start_url
    errors: list[FailedFetch] = []
    robots = _Robots(fetch, user_agent, errors) if respect_robots else None
    queue: deque[CrawledPage] = deque([CrawledPage(start, 0)])
    seen = {start}
    pages: list[str] = []
    skipped: list[SkippedPage] = []
    while queue:
        page = queue.popleft()
        refusal = PAGE_LIMIT if len(pages) >= max_pages else robots.refusal(page.url) if robots else None
        if refusal:
            skipped.append(SkippedPage(page.url, refusal, page.found_on))
            continue
        try:
            final_url, status, content_type, text = fetch(page.url)
        except (FetchError, OSError) as exc:
            errors.append(FailedFetch(page.url, str(exc)))
            continue
        final = normalise(final_url) or page.url
        if page.depth == 0 and same_origin:
            scope = replace(scope, origin=origin_of(final))
        if final != page.url:
            if final in seen:
                continue  # a redirect to a page already found: it is scanned (or skipped) under that address
            seen.add(final)
            # Where a redirect lands is the page a browser would scan, so it must pass the same tests.
            refusal = (scope.refusal(final) if page.depth else None) or (
                robots.refusal(final) if robots else None)
            if refusal:
                skipped.append(SkippedPage(final, refusal, page.found_on))
                continue
        if status >= 300 or not _is_html(content_type, text):
            skipped.append(SkippedPage(final, f"HTTP {status}" if status >= 300 else NOT_HTML, page.found_on))
            continue
        pages.append(final)
        if on_page:
            on_page(CrawledPage(final, page.depth, page.found_on))
        for link in links_in(final, text):
            if link in seen:
                continue
            seen.add(link)
            refusal = scope.refusal(link) or (
                NOT_HTML if urlsplit(link).path.lower().endswith(NOT_HTML_SUFFIXES) else
                DEPTH_LIMIT if page.depth >= max_depth else None)
            if refusal:
                skipped.append(SkippedPage(link, refusal, final))
            else:
                queue.append(CrawledPage(link, page.depth + 1, final))
    return CrawlResult(tuple(pages), tuple(skipped), tuple(errors))


def fetch_url(url: str, *, user_agent: str = DEFAULT_USER_AGENT, timeout: float = FETCH_TIMEOUT_S) -> Fetched:
    """GET with urllib, following redirects; an HTTP error is a status, not an exception.

    The timeout is for the whole fetch. urllib's own applies to each read, so a server that drips a byte
    a second would hold the crawl for ever: the fetch runs in a thread that is abandoned at the deadline
    (it stops reading at its next chunk, or at its own per-read timeout).
    """
    if urlsplit(url).scheme not in DEFAULT_PORTS:
        raise FetchError(f"only http:// and https:// addresses can be fetched, not {url!r}")
    answer: list[Fetched | FetchError] = []
    stop = threading.Event()
    worker = threading.Thread(target=_fetch_into, args=(url, user_agent, timeout, stop, answer),
                              name=f"fetch {url}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not answer:
        stop.set()
        raise FetchError(f"no answer within {timeout:g} s")
    if isinstance(answer[0], FetchError):
        raise answer[0]
    return answer[0]


def _fetch_into(url: str, user_agent: str, timeout: float, stop: threading.Event,
                answer: list[Fetched | FetchError]) -> None:
    try:
        answer.append(_fetch_once(url, user_agent, timeout, stop))
    except FetchError as exc:
        answer.append(exc)


def _fetch_once(url: str, user_agent: str, timeout: float, stop: threading.Event) -> Fetched:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    request = Request(url, headers={"User-Agent": user_agent, "Accept": accept})
    try:
        with urlopen(request, timeout=timeout) as response:
            content_type = response.headers.get("Content-Type", "")
            media = content_type.split(";")[0].strip().lower()
            data = _read_body(response, stop) if READABLE_TYPES.match(media) else b""
            charset = response.headers.get_content_charset() or "utf-8"
            return Fetched(response.geturl(), response.status, media, _decode(data, charset))
    except HTTPError as exc:
        exc.close()
        if 300 <= exc.code < 400:
            raise FetchError("redirects in a loop, or more than 10 times") from None
        media = (exc.headers.get("Content-Type") or "").split(";")[0].strip().lower() if exc.headers else ""
        return Fetched(exc.geturl() or url, exc.code, media, "")
    except TimeoutError:
        raise FetchError(f"no answer within {timeout:g} s") from None
    except URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FetchError(f"no answer within {timeout:g} s") from None
        reason = exc.reason
        if isinstance(reason, OSError) and reason.strerror:
            reason = reason.strerror  # 'Connection refused', without '[Errno 111]'
        raise FetchError(f"cannot connect: {reason}") from None
    except (OSError, HTTPException, ValueError) as exc:
        raise FetchError(f"the connection failed: {exc or type(exc).__name__}") from None


def _read_body(response: Any, stop: threading.Event) -> bytes:
    """The body in chunks as they arrive, up to MAX_BODY_BYTES + 1; stops when the fetch was given up."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_BODY_BYTES:
        if stop.is_set():
            raise FetchError("given up")
        chunk = response.read1(min(65536, MAX_BODY_BYTES + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def normalise(url: str) -> str | None:
    """One spelling per page: no fragment, lower-case scheme and host, no default port; None if unusable."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        return None
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def links_in(page_url: str, html: str) -> list[str]:
    """Normalised http(s) addresses of a page's <a href> links, in order; mailto:, tel: and such dropped."""
    parser = _LinkParser()
    parser.feed(html)
    parser.close()
    base = urljoin(page_url, parser.base) if parser.base else page_url
    found = (normalise(urljoin(base, href)) for href in parser.hrefs)
    return list(dict.fromkeys(link for link in found if link))


def check_address(where: str, value: str) -> None:
    """Refuse anything but one full http(s) address, suggesting the fix for a missing scheme."""
    spaced = any(character.isspace() for character in value.strip())
    if normalise(value) and not spaced:
        return
    if spaced:
        problem = ("holds a space, which an address cannot. Put one address on each line, and write a "
                   "space inside an address as %20")
    else:
        # 'www.example.gov.uk/bins' or 'ftp://www.example.gov.uk/bins': suggest the same host, over https.
        scheme, _, rest = value.rpartition("://")
        forgotten = scheme.lower() not in DEFAULT_PORTS and HOST_LIKE.match(rest.split("/")[0])
        example = "https://" + rest if forgotten else EXAMPLE_ADDRESS
        # No full stop after the example: it would be copied with the address.
        problem = f"is not an absolute http:// or https:// address. Write it in full, such as {example}"
    raise ConfigError(f"{where}: {value!r} {problem}")


@dataclass(frozen=True)
class _Scope:
    """Which addresses may be scanned: the origin (None for any) and the include and exclude patterns."""

    origin: str | None
    include: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...]

    def refusal(self, url: str) -> str | None:
        if self.origin is not None and origin_of(url) != self.origin:
            return OUTSIDE_ORIGIN
        if any(pattern.search(url) for pattern in self.exclude):
            return EXCLUDED
        if self.include and not any(pattern.search(url) for pattern in self.include):
            return NOT_INCLUDED
        return None


class _Robots:
    """robots.txt, fetched once per origin; read as RFC 9309 says: a 4xx allows all, a 5xx forbids all."""

    def __init__(self, fetch: Fetch, user_agent: str, errors: list[FailedFetch]) -> None:
        self.fetch, self.user_agent, self.errors = fetch, user_agent, errors
        self.rules: dict[str, RobotFileParser | None] = {}

    def refusal(self, url: str) -> str | None:
        origin = origin_of(url)
        if origin not in self.rules:
            self.rules[origin] = self._read(origin + "/robots.txt")
        rules = self.rules[origin]
        if rules is None:
            return ROBOTS_UNAVAILABLE
        return None if rules.can_fetch(self.user_agent, url) else ROBOTS_DISALLOWS

    def _read(self, robots_url: str) -> RobotFileParser | None:
        rules = RobotFileParser(robots_url)
        try:
            _, status, _, text = self.fetch(robots_url)
        except (FetchError, OSError) as exc:
            self.errors.append(FailedFetch(robots_url, str(exc)))
            return None
        if status >= 500:
            self.errors.append(FailedFetch(robots_url, f"HTTP {status}"))
            return None
        rules.parse(text.splitlines() if status < 300 else [])
        return rules


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if href is None:
            return
        if tag == "a":
            self.hrefs.append(href.strip())
        elif tag == "base" and self.base is None:
            self.base = href.strip()


def _sitemap_pages(location: str, listed_in: str | None, fetch: Fetch, depth: int,
                   visited: set[str]) -> list[str]:
    visited.add(location)
    name = f"{_shown(location)} (listed in {listed_in})" if listed_in else _shown(location)
    root = _parse_xml(name, _sitemap_content(location, name, fetch))
    kind = root.tag.rpartition("}")[2]
    entry_tag = {"urlset": "url", "sitemapindex": "sitemap"}.get(kind)
    if entry_tag is None:
        raise ConfigError(f"{name}: the top element is <{kind}>, so this is not a sitemap. A sitemap's top "
                          "element is <urlset>, or <sitemapindex> for an index of sitemaps.")
    locs = [_loc(name, entry_tag, number, entry)
            for number, entry in enumerate((e for e in root if e.tag.rpartition("}")[2] == entry_tag), 1)]
    if kind == "urlset":
        for number, loc in enumerate(locs, 1):
            check_address(f"{name}, <url> number {number}", loc)
        return locs
    if depth >= MAX_SITEMAP_DEPTH:
        raise ConfigError(f"{name}: sitemap indexes nest more than {MAX_SITEMAP_DEPTH} deep here. An index "
                          "should list sitemaps of pages (<urlset>), not further indexes.")
    urls: list[str] = []
    for loc in locs:
        # A local index may name its sitemaps by path, relative to itself, so a saved copy still works.
        child = loc if "://" in loc or "://" in location else str(Path(location).parent / loc)
        if child not in visited:
            urls += _sitemap_pages(child, _shown(location), fetch, depth + 1, visited)
    return urls


def _shown(location: str) -> str:
    return location if "://" in location else display(Path(location))


def _sitemap_content(location: str, name: str, fetch: Fetch) -> bytes | str:
    if "://" not in location:
        try:
            data = Path(location).read_bytes()
        except OSError as exc:
            raise ConfigError(f"{name}: cannot read the sitemap ({exc.strerror}). Give a local file or an "
                              f"http:// or https:// address, such as {EXAMPLE_SITEMAP}") from None
        try:
            return _gunzip(data)
        except (zlib.error, ValueError) as exc:
            raise ConfigError(f"{name}: cannot unpack this gzip file ({exc}).") from None
    check_address(name, location)
    try:
        _, status, content_type, text = fetch(location)
    except (FetchError, OSError) as exc:
        raise ConfigError(f"{name}: cannot fetch the sitemap: {exc}.") from None
    if status >= 300 or content_type.split(";")[0].strip().lower() in HTML_TYPES:
        problem = f"HTTP {status}" if status >= 300 else "it is a web page (text/html), not XML"
        raise ConfigError(f"{name}: cannot read the sitemap: {problem}. Check the address; a site "
                          "usually names its sitemap in robots.txt, on a line 'Sitemap: ...'.")
    return text


def _parse_xml(name: str, content: bytes | str) -> ElementTree.Element:
    try:
        # Expat expands no external entities and, since 2.4, refuses entity-expansion bombs.
        return ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        line, column = exc.position
        what = re.sub(r"^not well-formed \((.*)\)$", r"\1", expat.ErrorString(exc.code) or "")
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        # The commonest fault by far: a bare '&' in an address, which XML reads as the start of '&amp;'.
        bare = re.search(r"&(?!([A-Za-z]+|#[0-9]+|#x[0-9A-Fa-f]+);)",
                         (text.splitlines()[line - 1:line] or [""])[0][:column + 1])
        fix = "Write each & in an address as &amp;" if bare else \
            "A sitemap is XML as https://www.sitemaps.org/protocol.html describes"
        raise ConfigError(f"{name}, line {line}, column {column + 1}: this is not well-formed XML "
                          f"({what}). {fix}.") from None


def _loc(name: str, tag: str, number: int, entry: ElementTree.Element) -> str:
    loc = next((child.text or "" for child in entry if child.tag.rpartition("}")[2] == "loc"), "").strip()
    if not loc:
        raise ConfigError(f"{name}: <{tag}> number {number} has no <loc> address. Each <{tag}> needs one, "
                          f"such as <loc>{EXAMPLE_SITEMAP if tag == 'sitemap' else EXAMPLE_ADDRESS}</loc>")
    return loc


def _gunzip(data: bytes) -> bytes:
    """Unpack gzip data, found by its magic number rather than a '.gz' name; other data as it is."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    unpacked = unpacker.decompress(data, MAX_BODY_BYTES + 1)
    if len(unpacked) > MAX_BODY_BYTES:
        raise ValueError(f"it unpacks to more than {MAX_BODY_BYTES // (1024 * 1024)} MB")
    if not unpacker.eof:
        raise ValueError("the data ends early")
    return unpacked


def _decode(data: bytes, charset: str) -> str:
    try:
        data = _gunzip(data)
    except (zlib.error, ValueError) as exc:
        raise FetchError(f"cannot unpack the gzip body ({exc})") from None
    if len(data) > MAX_BODY_BYTES:
        raise FetchError(f"the body is larger than {MAX_BODY_BYTES // (1024 * 1024)} MB")
    try:
        return data.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know, such as 'utf8mb4'
        return data.decode("utf-8", errors="replace")


def _is_html(content_type: str, text: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    if media:
        return media in HTML_TYPES
    # No Content-Type at all: sniff, as browsers do.
    return text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))


def _check_limits(max_pages: int | None, max_depth: int) -> None:
    if max_pages is not None and max_pages < 1:
        raise ConfigError(f"{MAX_PAGES_OPTION}: {max_pages} is not a number of pages to scan. Give a whole "
                          f"number above 0, such as {MAX_PAGES_OPTION}=50.")
    if max_depth < 0:
        raise ConfigError(f"{DEPTH_OPTION}: {max_depth} is not a link depth. Give 0 for the start page only, "
                          f"or more to follow links, such as {DEPTH_OPTION}=3.")


def _compile(option: str, patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in patterns:
        try:
            problem = "empty, so it would match every address" if not pattern else None
            compiled.append(re.compile(pattern))
        except re.error as exc:
            problem = f"not a valid regular expression ({exc})"
        if problem:
            raise ConfigError(f"{option}: {pattern!r} is {problem}. Give a Python regular expression, "
                              r"found anywhere in the full address, such as '/bins/' or '\.aspx$'; write "
                              r"\? \. \( \[ for a literal ? . ( [")
    return tuple(compiled)


def _check_file(option: str, value: str, *, sitemap: bool) -> None:
    if Path(value).is_file():
        return
    hint = ""
    if sitemap and HOST_LIKE.match(value.split("/")[0]):
        hint = f"\nDid you mean 'https://{value}'?"
    what = (f"Give a local file or an http:// or https:// address, such as {EXAMPLE_SITEMAP}" if sitemap
            else "Give a text file with one full address on each line.")
    raise ConfigError(f"{option}: no such file {value!r}.{hint}\n{what}")

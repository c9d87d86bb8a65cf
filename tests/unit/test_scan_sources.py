"""Tests for harness/model/scan_sources.py: which pages scan mode scans, against a real local HTTP server."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harness.model import scan_sources as scan_sources_module
from harness.model.errors import ConfigError
from harness.model.scan_sources import (
    DEPTH_LIMIT,
    EXCLUDED,
    NOT_HTML,
    NOT_INCLUDED,
    OUTSIDE_ORIGIN,
    PAGE_LIMIT,
    ROBOTS_DISALLOWS,
    ROBOTS_UNAVAILABLE,
    CrawledPage,
    CrawlResult,
    FailedFetch,
    Fetched,
    FetchError,
    ScanSource,
    SkippedPage,
    crawl,
    fetch_url,
    links_in,
    normalise,
    parse_scan_options,
    read_sitemap,
    read_url_list,
    resolve_pages,
)
from tests.unit.test_personas import config_error_sites, raise_site

REPO = Path(__file__).resolve().parents[2]
SCAN_DATA = REPO / "tests" / "data" / "scan"
LIST_CASES = sorted(path.stem for path in (SCAN_DATA / "invalid-lists").glob("*.urls"))
SITEMAP_CASES = sorted(path.stem for path in (SCAN_DATA / "invalid-sitemaps").glob("*.xml"))
SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


# A real HTTP server: each site is a table of path -> reply, and it logs every request it is sent.

@dataclass
class Reply:
    body: str | bytes = ""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str = ""
    delay_s: float = 0.0


@dataclass
class Site:
    url: str = ""
    routes: dict[str, Reply] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    user_agents: list[str] = field(default_factory=list)

    def page(self, path: str, *links: str) -> None:
        """An HTML page whose body is the given links."""
        anchors = "".join(f'<a href="{href}">link {n}</a>\n' for n, href in enumerate(links))
        self.routes[path] = Reply(f"<!doctype html><html lang=en><title>{path}</title>\n{anchors}</html>")

    def at(self, path: str) -> str:
        return self.url + path


class _SiteHandler(BaseHTTPRequestHandler):
    server: _SiteServer

    def do_GET(self) -> None:
        site = self.server.site
        site.requests.append(self.path)
        site.user_agents.append(self.headers.get("User-Agent", ""))
        reply = site.routes.get(self.path, Reply("<!doctype html><title>Not found</title>", status=404))
        time.sleep(reply.delay_s)
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        if reply.location:
            self.send_header("Location", reply.location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a slow reply's client gave up first, as the timeout tests mean it to

    def log_message(self, format: str, *args: object) -> None:
        pass


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: Site) -> None:
        super().__init__(("127.0.0.1", 0), _SiteHandler)
        self.site = site


@pytest.fixture
def serve() -> Iterator[Callable[[], Site]]:
    """Start as many local sites as a test needs; each is on its own port, so its own origin."""
    servers: list[_SiteServer] = []

    def start() -> Site:
        site = Site()
        server = _SiteServer(site)
        site.url = f"http://127.0.0.1:{server.server_address[1]}"
        # A short poll, so that shutdown() at the end of each test does not wait half a second.
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        servers.append(server)
        return site

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def council_site(site: Site) -> Site:
    """A small council site: a loop of links, an external link, a PDF, a 404, a redirect, robots.txt."""
    site.routes["/robots.txt"] = Reply("User-agent: *\nDisallow: /private/\n", "text/plain")
    site.page("/", "/services/", "/news#latest", "/services/#top", "#main", "mailto:bins@example.gov.uk",
              "tel:+441632960000", "javascript:void(0)", "https://elsewhere.example/", "/leaflet",
              "/guide.pdf", "/missing", "/old-bins", "/private/staff")
    site.page("/services/", "bins", "/", "../news")
    site.page("/news", "/services/", "/news/2024")
    site.page("/news/2024", "/news/2024/may")
    site.page("/news/2024/may", "/news/2024/may/bins")
    site.page("/news/2024/may/bins")
    site.page("/services/bins", "/services/")
    site.page("/services/bin-day", "/")
    site.page("/private/staff")
    site.routes["/leaflet"] = Reply(b"%PDF-1.7 not a web page", "application/pdf")
    site.routes["/guide.pdf"] = Reply(b"%PDF-1.7 not a web page", "application/pdf")
    site.routes["/old-bins"] = Reply(status=301, location="/services/bin-day")
    return site


@pytest.fixture
def council(serve: Callable[[], Site]) -> Site:
    return council_site(serve())


def closed_port_url() -> str:
    """An address on this machine where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


# Crawling

def test_crawl_walks_the_site_breadth_first_and_says_what_it_did_not_scan(council: Site) -> None:
    result = crawl(council.at("/"))
    assert result.pages == tuple(council.at(path) for path in (
        "/", "/services/", "/news", "/services/bin-day", "/services/bins", "/news/2024", "/news/2024/may"))
    assert result.skipped == (
        SkippedPage("https://elsewhere.example/", OUTSIDE_ORIGIN, council.at("/")),
        SkippedPage(council.at("/guide.pdf"), NOT_HTML, council.at("/")),
        SkippedPage(council.at("/leaflet"), NOT_HTML, council.at("/")),
        SkippedPage(council.at("/missing"), "HTTP 404", council.at("/")),
        SkippedPage(council.at("/private/staff"), ROBOTS_DISALLOWS, council.at("/")),
        SkippedPage(council.at("/news/2024/may/bins"), DEPTH_LIMIT, council.at("/news/2024/may")),
    )
    assert result.errors == ()


def test_crawl_fetches_each_page_once_and_never_what_it_skips(council: Site) -> None:
    crawl(council.at("/"))
    # '/services/' and '/services/#top', '/' and '#main': one page each, and the loop back to '/' ends.
    assert sorted(council.requests) == sorted([
        "/robots.txt", "/", "/services/", "/news", "/leaflet", "/missing", "/old-bins", "/services/bin-day",
        "/services/bins", "/news/2024", "/news/2024/may"])
    # The crawl names itself to the site, for robots.txt and for the site's own logs.
    assert set(council.user_agents) == {"council-a11y-harness"}
    crawl(council.at("/"), user_agent="ExampleCouncilMonitor/2.0", max_pages=1)
    assert council.user_agents[-1] == "ExampleCouncilMonitor/2.0"


def test_a_redirect_is_followed_and_the_page_kept_under_its_final_address(council: Site) -> None:
    pages = crawl(council.at("/")).pages
    assert council.at("/services/bin-day") in pages
    assert council.at("/old-bins") not in pages


def test_a_redirect_to_a_page_already_found_adds_nothing(serve: Callable[[], Site]) -> None:
    site = serve()
    site.page("/", "/bins", "/old-bins")
    site.page("/bins")
    site.routes["/old-bins"] = Reply(status=302, location="/bins")
    result = crawl(site.at("/"))
    assert result.pages == (site.at("/"), site.at("/bins"))
    assert result.skipped == ()


def test_a_redirect_outside_the_origin_is_skipped_under_its_final_address(serve: Callable[[], Site]) -> None:
    site, payments = serve(), serve()
    payments.page("/pay")
    site.page("/", "/pay-for-bins")
    site.routes["/pay-for-bins"] = Reply(status=302, location=payments.at("/pay"))
    result = crawl(site.at("/"))
    assert result.pages == (site.at("/"),)
    assert result.skipped == (SkippedPage(payments.at("/pay"), OUTSIDE_ORIGIN, site.at("/")),)


def test_robots_txt_applies_where_a_redirect_lands(council: Site) -> None:
    council.routes["/staff"] = Reply(status=302, location="/private/staff")
    council.page("/", "/staff")
    result = crawl(council.at("/"))
    assert result.pages == (council.at("/"),)
    assert result.skipped == (SkippedPage(council.at("/private/staff"), ROBOTS_DISALLOWS, council.at("/")),)


def test_when_the_start_page_redirects_its_final_origin_is_the_one_crawled(serve: Callable[[], Site]) -> None:
    site = serve()
    port = site.url.rsplit(":", 1)[1]
    # As http://council.gov.uk/ redirects to https://www.council.gov.uk/: another host, the same server.
    site.routes["/"] = Reply(status=301, location=site.at("/home"))
    site.page("/home", "/bins")
    site.page("/bins")
    result = crawl(f"http://localhost:{port}/")
    assert result.pages == (site.at("/home"), site.at("/bins"))
    assert result.skipped == ()


def test_on_page_hears_of_each_page_as_it_is_found(council: Site) -> None:
    heard: list[CrawledPage] = []
    result = crawl(council.at("/"), on_page=heard.append)
    assert [page.url for page in heard] == list(result.pages)
    assert heard[:3] == [CrawledPage(council.at("/"), 0),
                         CrawledPage(council.at("/services/"), 1, council.at("/")),
                         CrawledPage(council.at("/news"), 1, council.at("/"))]
    assert heard[-1] == CrawledPage(council.at("/news/2024/may"), 3, council.at("/news/2024"))


def test_the_page_limit_stops_fetching_and_lists_what_was_left(council: Site) -> None:
    result = crawl(council.at("/"), max_pages=3)
    assert result.pages == (council.at("/"), council.at("/services/"), council.at("/news"))
    limited = [skip.url for skip in result.skipped if skip.reason == PAGE_LIMIT]
    assert limited == [council.at(path) for path in (
        "/leaflet", "/missing", "/old-bins", "/private/staff", "/services/bins", "/news/2024")]
    assert "/leaflet" not in council.requests and "/news/2024" not in council.requests


def test_depth_zero_scans_the_start_page_only(council: Site) -> None:
    result = crawl(council.at("/"), max_depth=0)
    assert result.pages == (council.at("/"),)
    assert [skip.url for skip in result.skipped if skip.reason == DEPTH_LIMIT] == [
        council.at(path) for path in ("/services/", "/news", "/leaflet", "/missing", "/old-bins",
                                      "/private/staff")]


def test_include_and_exclude_patterns_choose_among_the_links(council: Site) -> None:
    result = crawl(council.at("/"), include=[r"/news"], exclude=[r"/may\b"])
    # The start page is crawled whatever the patterns say: they choose among the links it leads to.
    assert result.pages == (council.at("/"), council.at("/news"), council.at("/news/2024"))
    assert SkippedPage(council.at("/services/"), NOT_INCLUDED, council.at("/")) in result.skipped
    assert SkippedPage(council.at("/news/2024/may"), EXCLUDED, council.at("/news/2024")) in result.skipped
    # Every pattern is matched against the full address, host included.
    assert crawl(council.at("/"), exclude=["127\\.0\\.0\\.1:\\d+/services/"], max_depth=1).pages == (
        council.at("/"), council.at("/news"))


def test_robots_txt_can_be_ignored_when_asked(council: Site) -> None:
    result = crawl(council.at("/"), respect_robots=False)
    assert council.at("/private/staff") in result.pages
    assert "/robots.txt" not in council.requests


def test_robots_txt_rules_for_our_user_agent_apply(serve: Callable[[], Site]) -> None:
    site = serve()
    site.routes["/robots.txt"] = Reply("User-agent: council-a11y-harness\nDisallow: /forms/\n\n"
                                       "User-agent: *\nDisallow: /\n", "text/plain")
    site.page("/", "/forms/report", "/bins")
    site.page("/bins")
    result = crawl(site.at("/"))
    assert result.pages == (site.at("/"), site.at("/bins"))
    assert result.skipped == (SkippedPage(site.at("/forms/report"), ROBOTS_DISALLOWS, site.at("/")),)
    assert crawl(site.at("/"), user_agent="another-bot").skipped == (
        SkippedPage(site.at("/"), ROBOTS_DISALLOWS),)


def test_a_missing_robots_txt_allows_everything(serve: Callable[[], Site]) -> None:
    site = serve()
    site.page("/", "/private/staff")
    site.page("/private/staff")
    result = crawl(site.at("/"))
    assert result.pages == (site.at("/"), site.at("/private/staff"))
    assert site.requests.count("/robots.txt") == 1


def test_a_failing_robots_txt_forbids_the_origin_and_is_reported(serve: Callable[[], Site]) -> None:
    site = serve()
    site.routes["/robots.txt"] = Reply("down for maintenance", "text/plain", status=503)
    site.page("/")
    result = crawl(site.at("/"))
    assert result == CrawlResult(pages=(), skipped=(SkippedPage(site.at("/"), ROBOTS_UNAVAILABLE),),
                                 errors=(FailedFetch(site.at("/robots.txt"), "HTTP 503"),))
    assert site.requests == ["/robots.txt"]


def test_other_origins_are_crawled_only_when_asked_each_with_its_robots_txt(
        serve: Callable[[], Site]) -> None:
    site, partner = serve(), serve()
    site.page("/", partner.at("/recycling"))
    partner.routes["/robots.txt"] = Reply("User-agent: *\nDisallow: /admin\n", "text/plain")
    partner.page("/recycling", "/admin", "/recycling/glass")
    partner.page("/recycling/glass")
    assert crawl(site.at("/")).skipped == (
        SkippedPage(partner.at("/recycling"), OUTSIDE_ORIGIN, site.at("/")),)
    assert partner.requests == []
    result = crawl(site.at("/"), same_origin=False)
    assert result.pages == (site.at("/"), partner.at("/recycling"), partner.at("/recycling/glass"))
    assert result.skipped == (SkippedPage(partner.at("/admin"), ROBOTS_DISALLOWS, partner.at("/recycling")),)
    assert partner.requests.count("/robots.txt") == 1


def test_a_page_without_a_content_type_is_sniffed(serve: Callable[[], Site]) -> None:
    site = serve()
    site.page("/", "/untyped-page", "/untyped-data")
    site.routes["/untyped-page"] = Reply("  <!DOCTYPE html><title>Bins</title>", content_type="")
    site.routes["/untyped-data"] = Reply("postcode,day\nAB1,Monday\n", content_type="")
    result = crawl(site.at("/"))
    assert result.pages == (site.at("/"), site.at("/untyped-page"))
    assert result.skipped == (SkippedPage(site.at("/untyped-data"), NOT_HTML, site.at("/")),)


def test_a_start_page_that_cannot_be_reached_is_an_error_not_a_crash() -> None:
    url = closed_port_url()
    result = crawl(url, respect_robots=False)
    assert result == CrawlResult(pages=(), errors=(FailedFetch(url, "cannot connect: Connection refused"),))
    # With robots.txt respected, the site's robots.txt is what cannot be fetched, and that forbids the site.
    assert crawl(url) == CrawlResult(pages=(), skipped=(SkippedPage(url, ROBOTS_UNAVAILABLE),), errors=(
        FailedFetch(url + "robots.txt", "cannot connect: Connection refused"),))


def test_a_redirect_loop_is_an_error_and_the_crawl_goes_on(serve: Callable[[], Site]) -> None:
    site = serve()
    site.page("/", "/loop", "/bins")
    site.page("/bins")
    site.routes["/loop"] = Reply(status=302, location="/loop-again")
    site.routes["/loop-again"] = Reply(status=302, location="/loop")
    result = crawl(site.at("/"))
    assert result.pages == (site.at("/"), site.at("/bins"))
    assert result.errors == (FailedFetch(site.at("/loop"), "redirects in a loop, or more than 10 times"),)


def test_crawl_accepts_any_fetch_function(council: Site) -> None:
    """The fetch parameter: here the real fetch_url, wrapped to watch the addresses asked for."""
    asked: list[str] = []

    def watching(url: str) -> tuple[str, int, str, str]:
        asked.append(url)
        return fetch_url(url, timeout=5)

    result = crawl(council.at("/"), fetch=watching, max_pages=2)
    assert result.pages == (council.at("/"), council.at("/services/"))
    assert asked == [council.at("/robots.txt"), council.at("/"), council.at("/services/")]


def test_crawl_refuses_bad_options_before_fetching_anything(council: Site) -> None:
    with pytest.raises(ConfigError) as caught:
        crawl(council.at("/"), include=["[bins"])
    assert str(caught.value) == (
        "--a11y-crawl-include: '[bins' is not a valid regular expression (unterminated character set at "
        "position 0). Give a Python regular expression, found anywhere in the full address, such as "
        "'/bins/' or '\\.aspx$'; write \\? \\. \\( \\[ for a literal ? . ( [")
    with pytest.raises(ConfigError, match=r"^--a11y-crawl: '/bins' is not an absolute"):
        crawl("/bins")
    with pytest.raises(ConfigError, match=r"^--a11y-crawl-max-pages: 0 is not"):
        crawl(council.at("/"), max_pages=0)
    assert council.requests == []


# Links and addresses

def test_links_in_resolves_normalises_and_drops_what_is_not_a_page() -> None:
    html = """<!doctype html><base href="/council/">
    <a href=" bins ">Bins</a> <a href="bins#when">Bins again</a>
    <a href="/search?q=bins&amp;page=2">Search</a>
    <a href="HTTPS://WWW.Example.GOV.uk:443/Contact">Contact</a> <a href="mailto:a@example.gov.uk">Mail</a>
    <a href="tel:01632960000">Phone</a> <a href="javascript:history.back()">Back</a> <a name="top">no href</a>
    <a href="#top">Top</a> <a href="http://[::1]:8080/ipv6">v6</a> <a href="https://bad:port/">bad</a>
    <link href="/style.css" rel="stylesheet">"""
    assert links_in("https://www.example.gov.uk/start", html) == [
        "https://www.example.gov.uk/council/bins", "https://www.example.gov.uk/search?q=bins&page=2",
        "https://www.example.gov.uk/Contact", "https://www.example.gov.uk/council/", "http://[::1]:8080/ipv6"]


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTP://Example.GOV.uk:80/a#x", "http://example.gov.uk/a"),
    ("https://example.gov.uk", "https://example.gov.uk/"),
    ("https://example.gov.uk:8443/a?b=1#c", "https://example.gov.uk:8443/a?b=1"),
    ("https://example.gov.uk:port/", None),
    ("ftp://example.gov.uk/", None),
    ("/relative", None),
])
def test_normalise_gives_one_spelling_per_page(url: str, expected: str | None) -> None:
    assert normalise(url) == expected


# fetch_url, the default fetch

def test_fetch_url_follows_redirects_and_reports_http_errors_as_a_status(council: Site) -> None:
    page = council.routes["/services/bin-day"].body
    assert isinstance(page, str) and "/services/bin-day" in page
    redirected = fetch_url(council.at("/old-bins"))
    assert redirected == Fetched(council.at("/services/bin-day"), 200, "text/html", page)
    missing = fetch_url(council.at("/missing"))
    assert (missing.url, missing.status, missing.content_type, missing.text) == (
        council.at("/missing"), 404, "text/html", "")


def test_fetch_url_reads_no_body_it_has_no_use_for(council: Site) -> None:
    assert fetch_url(council.at("/leaflet")) == Fetched(council.at("/leaflet"), 200, "application/pdf", "")


def test_fetch_url_decodes_the_declared_charset_and_unpacks_gzip(serve: Callable[[], Site]) -> None:
    site = serve()
    site.routes["/latin"] = Reply("Café opening hours".encode("latin-1"), "text/html; charset=ISO-8859-1")
    site.routes["/packed"] = Reply(gzip.compress(b"<urlset/>"), "application/gzip")
    assert fetch_url(site.at("/latin")).text == "Café opening hours"
    assert fetch_url(site.at("/packed")).text == "<urlset/>"


def test_fetch_url_gives_up_on_a_silent_server(serve: Callable[[], Site]) -> None:
    site = serve()
    site.routes["/slow"] = Reply("late", delay_s=1.5)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^no answer within 0\.3 s$"):
        fetch_url(site.at("/slow"), timeout=0.3)
    assert time.monotonic() - started < 1.2


def test_fetch_url_fetches_only_web_addresses() -> None:
    with pytest.raises(FetchError) as caught:
        fetch_url("file:///etc/passwd")
    assert str(caught.value) == "only http:// and https:// addresses can be fetched, not 'file:///etc/passwd'"


# URL lists

def test_read_url_list_skips_comments_and_blanks_and_drops_repeats(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    text = (SCAN_DATA / "urls.txt").read_text(encoding="utf-8")
    text = text.replace("{base}", "https://www.example.gov.uk")
    path.write_text("\ufeff" + text, encoding="utf-8")  # with the byte order mark Notepad writes
    assert read_url_list(path) == ["https://www.example.gov.uk/", "https://www.example.gov.uk/services/bins",
                                   "https://www.example.gov.uk/news", "https://www.example.gov.uk/news/2024"]


def test_there_is_an_expected_message_for_each_bad_list_and_sitemap() -> None:
    assert len(LIST_CASES) >= 6 and len(SITEMAP_CASES) >= 9
    assert sorted(p.stem for p in (SCAN_DATA / "invalid-lists").glob("*.txt")) == LIST_CASES
    assert sorted(p.stem for p in (SCAN_DATA / "invalid-sitemaps").glob("*.txt")) == SITEMAP_CASES


def expected_message(folder: str, case: str) -> str:
    return (SCAN_DATA / folder / f"{case}.txt").read_text(encoding="utf-8").removesuffix("\n")


@pytest.mark.parametrize("case", LIST_CASES)
def test_a_bad_url_list_gives_its_exact_message(case: str, in_repo: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        read_url_list(Path("tests/data/scan/invalid-lists") / f"{case}.urls")
    assert str(caught.value) == expected_message("invalid-lists", case)


def test_the_message_for_an_address_without_its_scheme_is_the_documented_one(in_repo: Path) -> None:
    assert expected_message("invalid-lists", "no-scheme") == (
        "tests/data/scan/invalid-lists/no-scheme.urls, line 4: 'www.example.gov.uk/bins' is not an absolute "
        "http:// or https:// address. Write it in full, such as https://www.example.gov.uk/bins")


def test_a_url_list_that_cannot_be_read_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        read_url_list(tmp_path / "urls.txt")
    assert str(caught.value) == (f"{tmp_path / 'urls.txt'}: cannot read the list of addresses "
                                 "(No such file or directory).")


# Sitemaps

def sitemap_site(site: Site) -> Site:
    """A sitemap index over a plain sitemap and a gzipped one, with a page in both."""
    site.routes["/sitemap.xml"] = Reply(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex {SITEMAP_NS}>\n'
        f"<sitemap><loc>{site.at('/sitemap-pages.xml')}</loc></sitemap>\n"
        f"<sitemap><loc>{site.at('/sitemap-news.xml.gz')}</loc></sitemap>\n</sitemapindex>\n",
        "application/xml")
    site.routes["/sitemap-pages.xml"] = Reply(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {SITEMAP_NS}>\n'
        f"<url><loc>{site.at('/')}</loc></url><url><loc>{site.at('/services/bins')}</loc></url>\n</urlset>\n",
        "text/xml; charset=utf-8")
    site.routes["/sitemap-news.xml.gz"] = Reply(gzip.compress(
        f'<urlset {SITEMAP_NS}><url><loc>{site.at("/news")}</loc></url>'
        f'<url><loc>{site.at("/services/bins")}</loc></url></urlset>'.encode()), "application/x-gzip")
    return site


def test_read_sitemap_follows_an_index_to_plain_and_gzipped_sitemaps(serve: Callable[[], Site]) -> None:
    site = sitemap_site(serve())
    pages = read_sitemap(site.at("/sitemap.xml"))
    assert pages == [site.at("/"), site.at("/services/bins"), site.at("/news")]
    assert site.requests == ["/sitemap.xml", "/sitemap-pages.xml", "/sitemap-news.xml.gz"]
    assert read_sitemap(site.at("/sitemap-pages.xml")) == [site.at("/"), site.at("/services/bins")]


def test_read_sitemap_reads_local_files_with_relative_children_and_no_loops(in_repo: Path) -> None:
    # index.xml lists itself too: read once, not for ever.
    assert read_sitemap("tests/data/scan/local/index.xml") == [
        "https://www.example.gov.uk/", "https://www.example.gov.uk/services/bins",
        "https://www.example.gov.uk/search?q=bins&page=2", "https://www.example.gov.uk/news"]


def test_read_sitemap_unpacks_a_local_gz_file(tmp_path: Path) -> None:
    path = tmp_path / "sitemap.xml.gz"
    path.write_bytes(gzip.compress((SCAN_DATA / "local" / "news.xml").read_bytes()))
    assert read_sitemap(str(path)) == ["https://www.example.gov.uk/news",
                                       "https://www.example.gov.uk/services/bins"]


def test_a_truncated_gz_sitemap_says_so(tmp_path: Path) -> None:
    path = tmp_path / "sitemap.xml.gz"
    path.write_bytes(gzip.compress((SCAN_DATA / "local" / "news.xml").read_bytes())[:-12])
    with pytest.raises(ConfigError) as caught:
        read_sitemap(str(path))
    assert str(caught.value) == f"{path}: cannot unpack this gzip file (the data ends early)."


@pytest.mark.parametrize("case", SITEMAP_CASES)
def test_a_bad_sitemap_gives_its_exact_message(case: str, in_repo: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        read_sitemap(f"tests/data/scan/invalid-sitemaps/{case}.xml")
    assert str(caught.value) == expected_message("invalid-sitemaps", case)


def test_a_sitemap_address_that_fails_says_how(serve: Callable[[], Site]) -> None:
    site = sitemap_site(serve())
    site.page("/sitemap")
    fix = "Check the address; a site usually names its sitemap in robots.txt, on a line 'Sitemap: ...'."
    with pytest.raises(ConfigError) as caught:
        read_sitemap(site.at("/sitemap_index.xml"))
    assert str(caught.value) == f"{site.at('/sitemap_index.xml')}: cannot read the sitemap: HTTP 404. {fix}"
    with pytest.raises(ConfigError) as caught:
        read_sitemap(site.at("/sitemap"))
    assert str(caught.value) == (f"{site.at('/sitemap')}: cannot read the sitemap: it is a web page "
                                 f"(text/html), not XML. {fix}")
    del site.routes["/sitemap-news.xml.gz"]
    with pytest.raises(ConfigError) as caught:
        read_sitemap(site.at("/sitemap.xml"))
    assert str(caught.value) == (f"{site.at('/sitemap-news.xml.gz')} (listed in {site.at('/sitemap.xml')}): "
                                 f"cannot read the sitemap: HTTP 404. {fix}")
    url = closed_port_url() + "sitemap.xml"
    with pytest.raises(ConfigError) as caught:
        read_sitemap(url)
    assert str(caught.value) == f"{url}: cannot fetch the sitemap: cannot connect: Connection refused."


# Options and resolving a source to pages

def test_no_source_means_no_scan_mode() -> None:
    assert parse_scan_options(None, None, None, 50, 3, [], []) is None


def test_each_source_parses_to_a_scan_source(in_repo: Path) -> None:
    assert parse_scan_options(None, None, "https://www.example.gov.uk/", 20, 2, ["/bins"], ["/news"]) == \
        ScanSource("crawl", "https://www.example.gov.uk/", 20, 2, ("/bins",), ("/news",))
    assert parse_scan_options("tests/data/scan/urls.txt", None, None, None, 3, [], []) == \
        ScanSource("urls", "tests/data/scan/urls.txt")
    assert parse_scan_options(None, "https://www.example.gov.uk/sitemap.xml", None, 50, 3, [], []) == \
        ScanSource("sitemap", "https://www.example.gov.uk/sitemap.xml", max_pages=50)
    assert parse_scan_options(None, "tests/data/scan/local/index.xml", None, None, 0, [], []) == \
        ScanSource("sitemap", "tests/data/scan/local/index.xml", max_depth=0)


CHOICES = "--a11y-scan-urls FILE, --a11y-sitemap URL_OR_FILE or --a11y-crawl URL"
PATTERN_HELP = ("Give a Python regular expression, found anywhere in the full address, such as '/bins/' or "
                "'\\.aspx$'; write \\? \\. \\( \\[ for a literal ? . ( [")


@pytest.mark.parametrize(("arguments", "expected"), [
    (("urls.txt", None, "https://www.example.gov.uk/", 50, 3, [], []),
     f"--a11y-scan-urls and --a11y-crawl: give only one way to choose the pages to scan: {CHOICES}."),
    (("urls.txt", "sitemap.xml", "https://www.example.gov.uk/", 50, 3, [], []),
     ("--a11y-scan-urls, --a11y-sitemap and --a11y-crawl: give only one way to choose the pages to scan: "
      f"{CHOICES}.")),
    ((None, None, None, 50, 3, [], ["/news/"]),
     f"--a11y-crawl-exclude: this only applies to scan mode, which also needs the pages to scan: {CHOICES}."),
    ((None, None, "https://www.example.gov.uk/", 0, 3, [], []),
     ("--a11y-crawl-max-pages: 0 is not a number of pages to scan. Give a whole number above 0, such as "
      "--a11y-crawl-max-pages=50.")),
    ((None, None, "https://www.example.gov.uk/", 50, -1, [], []),
     ("--a11y-crawl-depth: -1 is not a link depth. Give 0 for the start page only, or more to follow links, "
      "such as --a11y-crawl-depth=3.")),
    ((None, None, "https://www.example.gov.uk/", 50, 3, ["/bins/", "(garden"], []),
     (f"--a11y-crawl-include: '(garden' is not a valid regular expression (missing ), unterminated "
      f"subpattern at position 0). {PATTERN_HELP}")),
    ((None, None, "https://www.example.gov.uk/", 50, 3, [], [""]),
     f"--a11y-crawl-exclude: '' is empty, so it would match every address. {PATTERN_HELP}"),
    ((None, None, "www.example.gov.uk", 50, 3, [], []),
     ("--a11y-crawl: 'www.example.gov.uk' is not an absolute http:// or https:// address. Write it in full, "
      "such as https://www.example.gov.uk")),
    ((None, "ftp://www.example.gov.uk/sitemap.xml", None, 50, 3, [], []),
     ("--a11y-sitemap: 'ftp://www.example.gov.uk/sitemap.xml' is not an absolute http:// or https:// "
      "address. Write it in full, such as https://www.example.gov.uk/sitemap.xml")),
    ((None, "www.example.gov.uk/sitemap.xml", None, 50, 3, [], []),
     ("--a11y-sitemap: no such file 'www.example.gov.uk/sitemap.xml'.\n"
      "Did you mean 'https://www.example.gov.uk/sitemap.xml'?\n"
      "Give a local file or an http:// or https:// address, such as https://www.example.gov.uk/sitemap.xml")),
    ((None, "sitemap.xml", None, 50, 3, [], []),
     ("--a11y-sitemap: no such file 'sitemap.xml'.\n"
      "Give a local file or an http:// or https:// address, such as https://www.example.gov.uk/sitemap.xml")),
    (("pages.txt", None, None, 50, 3, [], []),
     "--a11y-scan-urls: no such file 'pages.txt'.\nGive a text file with one full address on each line."),
])
def test_bad_scan_options_give_their_exact_message(arguments: tuple[object, ...], expected: str,
                                                  in_repo: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_scan_options(*arguments)  # type: ignore[arg-type]
    assert str(caught.value) == expected


def test_resolve_pages_cuts_a_url_list_to_the_page_limit_after_the_patterns(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_text("https://www.example.gov.uk/\nhttps://www.example.gov.uk/news\n"
                    "https://www.example.gov.uk/bins\nhttps://www.example.gov.uk/bins/garden\n"
                    "https://www.example.gov.uk/bins/bulky\n", encoding="utf-8")
    heard: list[CrawledPage] = []
    source = ScanSource("urls", str(path), max_pages=2, exclude=("/news",))
    result = resolve_pages(source, on_page=heard.append)
    assert result == CrawlResult(
        pages=("https://www.example.gov.uk/", "https://www.example.gov.uk/bins"),
        skipped=(SkippedPage("https://www.example.gov.uk/news", EXCLUDED),
                 SkippedPage("https://www.example.gov.uk/bins/garden", PAGE_LIMIT),
                 SkippedPage("https://www.example.gov.uk/bins/bulky", PAGE_LIMIT)))
    assert heard == [CrawledPage("https://www.example.gov.uk/", 0),
                     CrawledPage("https://www.example.gov.uk/bins", 0)]
    only_bins = resolve_pages(ScanSource("urls", str(path), include=("/bins/",)))
    assert only_bins.pages == ("https://www.example.gov.uk/bins/garden",
                               "https://www.example.gov.uk/bins/bulky")


def test_resolve_pages_reads_a_sitemap_over_http(serve: Callable[[], Site]) -> None:
    site = sitemap_site(serve())
    result = resolve_pages(ScanSource("sitemap", site.at("/sitemap.xml"), max_pages=2))
    assert result == CrawlResult(pages=(site.at("/"), site.at("/services/bins")),
                                 skipped=(SkippedPage(site.at("/news"), PAGE_LIMIT),))


def test_resolve_pages_crawls_for_a_crawl_source(council: Site) -> None:
    heard: list[CrawledPage] = []
    result = resolve_pages(ScanSource("crawl", council.at("/"), max_pages=4, max_depth=1,
                                      exclude=("/news",)), on_page=heard.append)
    assert result.pages == (council.at("/"), council.at("/services/"), council.at("/services/bin-day"))
    assert [page.url for page in heard] == list(result.pages)
    assert SkippedPage(council.at("/news"), EXCLUDED, council.at("/")) in result.skipped
    assert SkippedPage(council.at("/services/bins"), DEPTH_LIMIT, council.at("/services/")) in result.skipped


def test_every_config_error_in_scan_sources_is_tested(tmp_path: Path, in_repo: Path,
                                                     serve: Callable[[], Site]) -> None:
    """Every `raise ConfigError` in scan_sources.py is reached by a case file or by a test above."""
    site = serve()
    truncated = tmp_path / "sitemap.xml.gz"
    truncated.write_bytes(gzip.compress(b"<urlset/>")[:-4])
    attempts: list[Callable[[], object]] = [
        *(lambda case=case: read_url_list(SCAN_DATA / "invalid-lists" / f"{case}.urls")
          for case in LIST_CASES),
        *(lambda case=case: read_sitemap(str(SCAN_DATA / "invalid-sitemaps" / f"{case}.xml"))
          for case in SITEMAP_CASES),
        lambda: read_url_list(tmp_path / "missing.txt"),
        lambda: read_sitemap(str(truncated)),
        lambda: read_sitemap(closed_port_url() + "sitemap.xml"),
        lambda: read_sitemap(site.at("/sitemap.xml")),
        lambda: read_sitemap("ftp://www.example.gov.uk/sitemap.xml"),
        lambda: crawl("https://www.example.gov.uk/", include=["[bins"]),
        lambda: parse_scan_options("a.txt", "b.xml", None, 50, 3, [], []),
        lambda: parse_scan_options(None, None, "https://www.example.gov.uk/", 0, 3, [], []),
        lambda: parse_scan_options(None, None, "https://www.example.gov.uk/", 50, -1, [], []),
        lambda: parse_scan_options("missing.txt", None, None, 50, 3, [], []),
        lambda: resolve_pages(ScanSource("crawl", closed_port_url())),
    ]
    reached = set()
    for attempt in attempts:
        with pytest.raises(ConfigError) as caught:
            attempt()
        reached.add(raise_site(caught.value))
    sites = config_error_sites(scan_sources_module.__file__)
    assert len(sites) >= 15, "the ast scan should find the raise statements in scan_sources.py"
    assert not sites - reached, f"raise ConfigError at these lines is not tested: {sorted(sites - reached)}"


# Lists are scanned whole, and a source with nothing to scan says why (issue 16)

def test_a_list_is_scanned_whole_unless_a_page_limit_is_given(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    wanted = [f"https://www.example.gov.uk/page/{n}" for n in range(93)]
    path.write_text("\n".join(wanted) + "\n", encoding="utf-8")
    source = parse_scan_options(str(path), None, None, None, 3, [], [])
    assert source is not None
    assert resolve_pages(source) == CrawlResult(pages=tuple(wanted))
    capped = resolve_pages(ScanSource("urls", str(path), max_pages=50))
    assert capped.pages == tuple(wanted[:50])
    assert capped.skipped == tuple(SkippedPage(url, PAGE_LIMIT) for url in wanted[50:])


def test_a_sitemap_or_crawl_without_a_limit_stops_at_the_default(serve: Callable[[], Site]) -> None:
    site = serve()
    site.page("/", *(f"/p{n}" for n in range(60)))
    for n in range(60):
        site.page(f"/p{n}")
    site.routes["/robots.txt"] = Reply("", "text/plain")
    result = resolve_pages(ScanSource("crawl", site.at("/")))
    assert len(result.pages) == scan_sources_module.DEFAULT_MAX_PAGES
    assert [page.reason for page in result.skipped].count(PAGE_LIMIT) == 61 - scan_sources_module.DEFAULT_MAX_PAGES


def test_a_crawl_that_fetches_nothing_stops_with_the_cause() -> None:
    url = closed_port_url()
    with pytest.raises(ConfigError) as caught:
        resolve_pages(ScanSource("crawl", url))
    assert str(caught.value) == (
        f"--a11y-crawl {url}: no page to scan.\n"
        f"  {url}robots.txt: could not be fetched: cannot connect: Connection refused\n"
        f"  {url}: skipped: robots.txt could not be read\n"
        "Check that the address is right and the site answers (try it in a browser from this machine), "
        "and that the include and exclude patterns leave some pages.")


def test_a_list_whose_every_page_is_excluded_says_so(tmp_path: Path, in_repo: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_text("https://www.example.gov.uk/news\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        resolve_pages(ScanSource("urls", str(path), exclude=("/news",)))
    assert str(caught.value).splitlines()[:2] == [
        f"--a11y-scan-urls {path}: no page to scan.", "  https://www.example.gov.uk/news: skipped: excluded by pattern"]


class _DripServer:
    """A server that sends its answer a few bytes at a time, for ever slower than any one read times out."""

    def __init__(self, headers_too: bool) -> None:
        self.headers_too = headers_too
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/"
        self.done = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        with connection:
            connection.recv(4096)
            head = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 400\r\n\r\n"
            if not self.headers_too:
                connection.sendall(head)
                head = b""
            for byte in head + b"x" * 400:
                if self.done.wait(0.02):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return

    def close(self) -> None:
        self.done.set()
        self.listener.close()


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers-and-body"])
def test_the_fetch_timeout_is_for_the_whole_fetch_not_each_read(headers_too: bool) -> None:
    server = _DripServer(headers_too)
    try:
        # Each byte comes within 0.02 s, far inside the 0.5 s limit; the whole answer takes 8 s or more.
        with pytest.raises(FetchError, match=r"^no answer within 0\.5 s$"):
            fetch_url(server.url, timeout=0.5)
    finally:
        server.close()

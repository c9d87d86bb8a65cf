"""Build the precision corpus: every shown example of the GOV.UK Design System's components as one full page.

The examples come from the govuk-frontend package (`npm pack govuk-frontend`, then unpack it): each component
folder in `dist/govuk/components/` has a `fixtures.json` whose `fixtures[]` give an example's `name` and its
rendered `html`. Each example that the package does not mark `hidden` becomes `govuk/<component>/<example>.html`,
a page in the GOV.UK page template (`<html lang="en">`, a skip link, a `<main>`), with the package's own CSS and
JavaScript (copied once into `govuk/assets/`) so the components look and behave as they do on GOV.UK. Hidden
examples are the macro's own test cases (classes, attributes, falsy values, ids with odd characters...), not
pages anyone would publish. The fonts are left out: GDS Transport is licensed for GOV.UK only, and the CSS falls
back to Arial.

Usage (from the repository's root): python tests/data/precision/build.py /path/to/unpacked/package
It replaces govuk/ whole and writes govuk/VERSION and govuk/pages.txt (one page path a line).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "govuk"

PAGE = """<!DOCTYPE html>
<html lang="en" class="govuk-template">
  <head>
    <meta charset="utf-8">
    <title>{title}</title>
    <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="../assets/govuk-frontend.min.css">
    <style>.app-template__body--inverse {{ background-color: #1d70b8; }}</style>
  </head>
  <body class="govuk-template__body{body_classes}">
    <script>document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');</script>
{skip_link}    <div class="govuk-width-container">
      <main class="govuk-main-wrapper" id="main-content">
{example}
      </main>
    </div>
    <script type="module">
      import {{ initAll }} from '../assets/govuk-frontend.min.js'
      initAll()
    </script>
  </body>
</html>
"""


SKIP_LINK = '    <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>\n'


def slug(name: str) -> str:
    """A file name for an example: lower case, words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def build(package: Path) -> list[str]:
    """Write every shown example as a page; returns the page paths, relative to govuk/."""
    dist = package / "dist" / "govuk"
    version = json.loads((package / "package.json").read_text())["version"]
    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "assets" / "images").mkdir(parents=True)
    for name in ("govuk-frontend.min.css", "govuk-frontend.min.js"):
        # The source map comments point at files we do not keep.
        text = (dist / name).read_text()
        # The fonts are not kept (GDS Transport is licensed for GOV.UK only): without their @font-face rules
        # the pages ask for no missing file and fall back to Arial, as the CSS says.
        text = re.sub(r"@font-face\{[^}]*\}", "", text)
        (OUT / "assets" / name).write_text(re.sub(r"\n?/[/*]# sourceMappingURL=\S+( \*/)?\s*$", "\n", text))
    # The CSS asks for /assets/images/govuk-crest.svg from the site's root: the corpus is served from govuk/.
    shutil.copy(dist / "assets" / "images" / "govuk-crest.svg", OUT / "assets" / "images")
    pages: list[str] = []
    for fixtures_file in sorted(dist.glob("components/*/fixtures.json")):
        component = fixtures_file.parent.name
        shown = [f for f in json.loads(fixtures_file.read_text())["fixtures"] if not f.get("hidden")]
        taken: set[str] = set()
        for fixture in shown:
            name = slug(fixture["name"]) or "example"
            while name in taken:
                name += "-again"
            taken.add(name)
            options = fixture.get("pageTemplateOptions") or {}
            body_classes = f" {options['bodyClasses']}" if options.get("bodyClasses") else ""
            title = f"{component.replace('-', ' ').capitalize()}: {fixture['name']} – GOV.UK Frontend {version}"
            example = fixture["html"]  # as rendered: indenting it would change a textarea's value
            path = f"{component}/{name}.html"
            (OUT / component).mkdir(exist_ok=True)
            # The skip link component's examples are the page's skip link: a second, the template's, would make
            # two links of one name to two places.
            skip_link = "" if component == "skip-link" else SKIP_LINK
            (OUT / path).write_text(PAGE.format(title=html.escape(title), body_classes=html.escape(body_classes),
                                                skip_link=skip_link, example=example.strip("\n")))
            pages.append(path)
    (OUT / "VERSION").write_text(f"govuk-frontend {version}\n")
    (OUT / "pages.txt").write_text("".join(f"{p}\n" for p in pages))
    (OUT / "NOTICE").write_text(
        f"Pages built by ../build.py from the examples (fixtures.json) of govuk-frontend {version}, whose CSS and\n"
        "JavaScript are in assets/. govuk-frontend is (c) Crown copyright, released under the MIT licence:\n"
        "https://github.com/alphagov/govuk-frontend/blob/main/LICENSE.txt\n")
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the unpacked govuk-frontend package (the folder 'package')")
    pages = build(parser.parse_args().package)
    print(f"{len(pages)} pages in {OUT}")


if __name__ == "__main__":
    main()

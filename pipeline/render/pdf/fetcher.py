"""The only way WeasyPrint may read anything: files under the project's `source/` and `styles/`.

Network URLs, `file:` URLs elsewhere and `../` escapes are refused; the refusal stops the render
and becomes an error that names the source file being rendered.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, unquote, urlsplit


class RefusedURL(Exception):
    """Raised (and re-raised as a SourceError by the PDF renderer) for a forbidden URL."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"refused to fetch `{url}`: {reason}")
        self.url = url
        self.reason = reason


SITE = "file:///plainpress-site/"
"""The URL the renderer gives the project folder, wherever it is on disk: a page's images are
`SITE` + their project-relative path. WeasyPrint names an image in the PDF after its URL, so a
URL with the real folder in it made the same project give different bytes in another clone."""


def site_url(relative: str) -> str:
    """The URL of a project file, from its project-relative path."""
    return SITE + quote(relative, safe="/")


def allowed_path(url: str, roots: tuple[Path, ...], project_root: Path | None = None) -> Path:
    """The local file `url` names, if it is inside one of `roots`; else RefusedURL."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        raise RefusedURL(url, "the renderer fetches nothing from the network or other schemes")
    if parts.netloc not in ("", "localhost"):
        raise RefusedURL(url, "file URLs on other hosts are not allowed")
    if project_root is not None and url.startswith(SITE):
        path = (project_root / unquote(url[len(SITE):])).resolve()
    else:
        path = Path(unquote(parts.path)).resolve()
    if not any(path.is_relative_to(root) for root in roots):
        raise RefusedURL(url, "only files under source/ and styles/ may be read")
    if not path.is_file():
        raise RefusedURL(url, "no such file")
    return path


def make_fetcher(project_root: Path):
    """A WeasyPrint URL fetcher confined to `source/` and `styles/` of `project_root`."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    roots = tuple((project_root / name).resolve() for name in ("source", "styles"))

    class Refusal(FatalURLFetchingError):
        """Stops the render (WeasyPrint would only log an ordinary exception)."""

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            try:
                path = allowed_path(url, roots, project_root)
            except RefusedURL as refused:
                raise Refusal(refused) from refused
            return URLFetcherResponse(url, path.read_bytes())

    return ConfinedFetcher(), Refusal

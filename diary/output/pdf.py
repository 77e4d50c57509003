"""The summary's PDF, from its print template (WeasyPrint)."""

import base64
import functools
from pathlib import Path

from diary.output.collector import collection_paused

PRINT_STYLESHEET = Path(__file__).with_name("summary_print.css")


def pdf_from_html(html: str, base_url: str) -> bytes:
    """Renders the print template to PDF (WeasyPrint, loaded only when a PDF is asked for),
    styled by PRINT_STYLESHEET. The page is whole in itself (its charts data: images), so
    nothing is fetched: WeasyPrint's own fetcher, which builds an HTTPS context for every
    document (a tenth of a second), is replaced by one that reads data: URLs only."""
    from weasyprint import HTML

    with collection_paused():
        document = HTML(string=html, base_url=base_url, url_fetcher=_data_urls_only())
        return document.write_pdf(stylesheets=[_print_stylesheet()])


@functools.cache
def _print_stylesheet():
    """Parsed and its selectors compiled once a process (70 ms a PDF when it was inline); a
    parsed stylesheet is only read while a document is laid out."""
    from weasyprint import CSS

    return CSS(string=PRINT_STYLESHEET.read_text(encoding="utf-8"))


def _data_urls_only():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class DataURLsOnly(URLFetcher):
        def __init__(self):  # no handlers, no HTTPS context: nothing is fetched from anywhere
            self._fail_on_errors = False  # a refused URL is left out, as WeasyPrint does

        def fetch(self, url, headers=None):
            kind, comma, data = url.partition(",")
            if not (url.startswith("data:") and kind.endswith(";base64") and comma):
                raise ValueError(f"the PDF fetches nothing but its own images: {url[:60]}")
            content_type = kind.removeprefix("data:").removesuffix(";base64")
            body = base64.b64decode(data)
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return DataURLsOnly()

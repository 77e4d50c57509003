"""The summary PDF is whole in itself: its charts are data: images, and it fetches nothing else
(no request can leave the server while a PDF is made)."""

import base64

import pytest

from diary.output.pdf import _data_urls_only, pdf_from_html


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/x.png", "https://example.org/a.css", "file:///etc/passwd"]
)
def test_the_pdfs_fetcher_refuses_anything_but_its_own_images(url):
    with pytest.raises(ValueError, match="fetches nothing"):
        _data_urls_only().fetch(url)


def test_the_pdfs_fetcher_reads_a_data_image():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    url = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    response = _data_urls_only().fetch(url)
    assert response.headers.get_content_type() == "image/svg+xml"
    assert response.read() == svg


def test_a_page_pointing_elsewhere_still_makes_a_pdf_without_asking(monkeypatch):
    import urllib.request

    asked = []

    def no_network(self, request, *args, **kwargs):  # WeasyPrint would swallow an exception
        asked.append(request)
        raise OSError("no network here")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    pdf = pdf_from_html('<p>Hi</p><img src="http://127.0.0.1:9/x.png">', "http://testserver/")
    assert pdf.startswith(b"%PDF")
    assert asked == []

"""Rendering with the garbage collector paused, and the garbage still freed."""

import gc
import weakref

import pytest

from diary.output.collector import collection_paused
from diary.output.pdf import pdf_from_html


class Node:
    def __init__(self):
        self.me = self  # a cycle: only the collector frees it


@pytest.fixture
def collections():
    seen = []

    def record(phase, info):
        if phase == "stop":
            seen.append(info["generation"])

    gc.callbacks.append(record)
    yield seen
    gc.callbacks.remove(record)


def test_the_block_runs_without_collections_and_its_cycles_are_freed_at_its_end(collections):
    with collection_paused():
        assert not gc.isenabled()
        node = Node()
        gone = weakref.ref(node)
        del node
        garbage = [[i] for i in range(200_000)]  # enough to set off collections if it could
        del garbage
        assert gone() is not None and collections == []
    assert gc.isenabled()
    assert gone() is None and collections == [0]


def test_the_collector_is_back_on_after_an_error():
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("the drawing failed")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_pdf_is_laid_out_without_a_collection_in_between(collections):
    rows = "".join(f"<tr><th>{n}</th><td>{n * 2}</td></tr>" for n in range(300))
    pdf_from_html("<p>WeasyPrint loaded</p>", "http://testserver/")
    collections.clear()
    pdf = pdf_from_html(f"<table>{rows}</table>", "http://testserver/")
    assert pdf.startswith(b"%PDF")
    assert collections == [0]  # only the one at the end

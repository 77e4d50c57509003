"""Rendering without the garbage collector's pauses.

A PDF or a chart builds hundreds of thousands of short-lived objects, many of them alive
together (WeasyPrint's boxes, matplotlib's artists). Their number sets off the collector's full
collections while they are built: each one walks every object in the process, and in a server
holding a clinic's worth of data that took a fifth of a summary PDF's time. While one is built
the collector waits; at the end, one collection of the youngest generation frees the cycles
left behind, so the memory is back before the response goes.
"""

import gc
from contextlib import contextmanager


@contextmanager
def collection_paused():
    """Collect no garbage inside the block, and the block's own garbage at its end. Safe in
    threads: whoever found the collector on turns it back on, and it is never left off."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
            gc.collect(0)

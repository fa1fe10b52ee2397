"""Review: _freeze_heap's docstring promises that what died since the previous freeze (cyclic garbage frozen
with the heap, e.g. the objects of the request that built the index) is collected again at the next rebuild.
gc.unfreeze() immediately followed by gc.freeze() re-freezes it before any collection: it is never freed."""

from __future__ import annotations

import gc
import weakref

from blacklist_service.services import screening


class _Node:
    pass


def test_cyclic_garbage_frozen_by_one_rebuild_is_collected_at_the_next():
    node = _Node()
    node.me = node  # a reference cycle: only the collector frees it
    alive = weakref.ref(node)
    try:
        screening._freeze_heap()  # a rebuild while the object is alive (the request that built the index)
        del node  # dies afterwards
        screening._freeze_heap()  # the next rebuild
        gc.collect()
        assert alive() is None
    finally:
        gc.unfreeze()

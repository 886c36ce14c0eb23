"""A bounded, thread-safe memory of version records already read.

A version never changes once written, except for its soft-delete mark, so a record read once
can be handed out again without the row's JSON columns being decoded and validated anew;
that decoding is most of the cost of drawing a tree. The deleted flag is always taken from
the database by the caller, so another process deleting or restoring a version is seen at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from duetto.store.records import VersionRecord


class RecordCache:
    def __init__(self, capacity: int = 2048) -> None:
        if capacity < 1:
            raise ValueError(f"a record cache holds at least one record, not {capacity}")
        self.capacity = capacity
        self._records: OrderedDict[str, VersionRecord] = OrderedDict()
        self._lock = threading.Lock()  # the API's threads and the job runner share one repository

    def get(self, version_id: str, deleted: bool) -> VersionRecord | None:
        """The record, its deleted flag set to ``deleted`` (the database's word), or None."""
        with self._lock:
            record = self._records.get(version_id)
            if record is None:
                return None
            self._records.move_to_end(version_id)
        return record if record.deleted == deleted else record.model_copy(update={"deleted": deleted})

    def put(self, record: VersionRecord) -> None:
        with self._lock:
            self._records[record.id] = record
            self._records.move_to_end(record.id)
            while len(self._records) > self.capacity:
                self._records.popitem(last=False)

"""The one interface every brief parser sits behind.

The studio only ever calls these two methods, so the rule parser here and a later LLM parser
(which will merge its answer with the rules') are interchangeable, and tests can pass a stub.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from duetto.spec import CreativeSpec, SpecDelta


@runtime_checkable
class BriefParser(Protocol):
    def brief(self, text: str, medium: str = "painting", style: str | None = None) -> CreativeSpec:
        """Words → a full spec; raises ``InvalidInput`` for an empty brief, never for an
        unintelligible one (that gives the default spec with a note)."""
        ...

    def feedback(self, text: str, spec: CreativeSpec) -> SpecDelta:
        """Words about ``spec`` → the change they ask for; an empty delta with a note when
        nothing could be read."""
        ...

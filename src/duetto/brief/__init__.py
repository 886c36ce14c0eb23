"""Brief → ``CreativeSpec`` and feedback → ``SpecDelta``, from Chinese or English text.

``parse_brief``/``parse_feedback`` use the rule parser; code that wants another parser (an LLM
behind the same protocol) takes a ``BriefParser`` instead of calling these.
"""

from __future__ import annotations

from duetto.brief.base import BriefParser
from duetto.brief.rules import RuleParser
from duetto.spec import CreativeSpec, SpecDelta

__all__ = ["BriefParser", "RuleParser", "parse_brief", "parse_feedback"]


def parse_brief(text: str, medium: str = "painting", style: str | None = None) -> CreativeSpec:
    """Parse a brief with the rule parser (stateless: a new one costs nothing)."""
    return RuleParser().brief(text, medium=medium, style=style)


def parse_feedback(text: str, spec: CreativeSpec) -> SpecDelta:
    """Parse feedback on ``spec`` with the rule parser."""
    return RuleParser().feedback(text, spec)

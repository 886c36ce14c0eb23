"""The rule that weighs a version's contributions into shares (see ``duetto.studio.shares``).

Its own module because the settings object carries it (``DUETTO_SHARE_RULE`` as JSON), and the
settings must not import the studio.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_WEIGHTS: dict[str, float] = {
    "human:edit": 6, "human:brief": 4, "human:feedback": 2, "human:reference image": 2,
    "human:selection": 1, "human:palette": 1, "human:region": 1, "ai:generation": 3,
}


class ShareRule(BaseModel):
    """How acts weigh. Keys are ``"<human|ai>:<act kind>"``; the weights given are laid over the
    defaults (set one to 0 to make that act worthless), and an act kind with no key weighs
    ``other_human`` or ``other_ai``, so a new kind of act is never silently worth nothing."""

    model_config = ConfigDict(extra="forbid")

    weights: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    other_human: float = Field(default=1, ge=0)
    other_ai: float = Field(default=1, ge=0)
    engines_hold_shares: bool = Field(default=False, description="False: an engine's points go to its operator.")

    @field_validator("weights")
    @classmethod
    def _non_negative(cls, weights: dict[str, float]) -> dict[str, float]:
        bad = [k for k, w in weights.items() if w < 0 or ":" not in k or k.split(":")[0] not in ("human", "ai")]
        if bad:
            raise ValueError(f"weights must be >= 0 and keyed 'human:<kind>' or 'ai:<kind>': {bad}")
        return {**DEFAULT_WEIGHTS, **weights}

    def weight(self, contributor_kind: str, kind: str) -> float:
        key = f"{contributor_kind}:{kind}"
        if key in self.weights:
            return self.weights[key]
        return self.other_ai if contributor_kind == "ai" else self.other_human

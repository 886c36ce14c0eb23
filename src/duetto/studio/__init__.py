"""The studio: works, their version DAG, the co-creation operations and the contribution ledger."""

from duetto.studio.studio import Studio

__all__ = ["Studio"]

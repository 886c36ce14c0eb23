"""Registry: every published file by its hashes, and its perceptual key (pHash or MinHash).

Revision ID: 0005_registry
Revises: 0004_publications
Create Date: 2026-12-07

One new table; nothing existing is altered. A row a published file: the version's own bytes'
SHA-256, the signed file's and its sidecar's (so a file is found whatever layer it was taken
from), and for pictures, texts and MIDI the key that survives re-encoding (``rights.fingerprint``).
Publications made before this revision are registered on the next publish or lookup.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_registry"
down_revision = "0004_publications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("publication_id", sa.String(32), sa.ForeignKey("publications.id"), nullable=False, index=True),
        sa.Column("ext", sa.String(24), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("signed_sha256", sa.String(64), nullable=False, index=True),
        sa.Column("sidecar_sha256", sa.String(64), nullable=True, index=True),
        sa.Column("kind", sa.String(8), nullable=True),
        sa.Column("phash", sa.String(16), nullable=True),
        sa.Column("minhash", sa.LargeBinary, nullable=True),
        sa.Column("shingles", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("registry")

"""Publications: a version published with a signed C2PA manifest, a licence and its authors.

Revision ID: 0004_publications
Revises: 0003_marks
Create Date: 2026-12-07

One new table; nothing existing is altered, so upgrading a 0003 studio touches none of its rows.
The signed files are blobs (content-addressed, like every artefact); the row names them by hash.
A version has at most one publication (unique ``version_id``): a published work is immutable.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_publications"
down_revision = "0003_marks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publications",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("version_id", sa.String(32), sa.ForeignKey("versions.id"), nullable=False, unique=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("authors", sa.JSON, nullable=False),
        sa.Column("licence", sa.String(40), nullable=False),
        sa.Column("licence_text", sa.Text, nullable=True),
        sa.Column("training", sa.String(16), nullable=False),
        sa.Column("files", sa.JSON, nullable=False),
        sa.Column("manifest", sa.JSON, nullable=False),
        sa.Column("signer_serial", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("publications")

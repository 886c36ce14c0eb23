"""Marks: what a commenter leaves on versions without making any. Comments, stars and votes.

Revision ID: 0003_marks
Revises: 0002_accounts
Create Date: 2026-12-02

Comments get their own table rather than rows in ``feedback``. A ``feedback`` row is the words
a revision was made from: it has a parsed ``delta`` (NOT NULL) and points at the child it
produced, and ``Repository.feedback_on`` (the API's version view) lists exactly those. A
comment changes nothing, so it has no delta and no result; it must name a user by id, since the
page shows people by name. Reusing ``feedback`` would mean fake ``{}`` deltas, a ``kind``
column every reader of the table must then filter on, and a downgrade that cannot drop a
foreign-key column on SQLite without copying the table. A separate table adds and drops cleanly.

Nothing here alters an existing table, so upgrading a 0002 studio touches none of its rows.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_marks"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version_id", sa.String(32), sa.ForeignKey("versions.id"), nullable=False),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_comments_version_id", "comments", ["version_id"])

    op.create_table(
        "stars",
        sa.Column("version_id", sa.String(32), sa.ForeignKey("versions.id"), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )

    op.create_table(
        "votes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("work_id", sa.String(32), sa.ForeignKey("works.id"), nullable=False),
        sa.Column("winner_id", sa.String(32), sa.ForeignKey("versions.id"), nullable=False),
        sa.Column("loser_id", sa.String(32), sa.ForeignKey("versions.id"), nullable=False),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.CheckConstraint("winner_id <> loser_id", name="ck_votes_two_versions"),
    )
    op.create_index("ix_votes_work_id", "votes", ["work_id"])


def downgrade() -> None:
    # The ledger rows the marks added (contributions) stay: they are history, and valid at 0002.
    op.drop_index("ix_votes_work_id", table_name="votes")
    op.drop_index("ix_comments_version_id", table_name="comments")
    for table in ["votes", "stars", "comments"]:
        op.drop_table(table)

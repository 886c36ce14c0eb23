"""Accounts and access: passwords and admins on users; memberships, API tokens, login sessions
and persisted jobs. Every existing project's owner becomes its ``owner`` member.

Revision ID: 0002_accounts
Revises: 0001_initial
Create Date: 2026-12-01

SQLite: the users columns go through ``batch_alter_table``, which turns nullable or literally
defaulted columns into plain ``ALTER TABLE ADD COLUMN``, so the table others reference is never
copied (copying means dropping it, which the foreign keys refuse).
Written with portable types and server defaults so PostgreSQL runs it unchanged.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_accounts"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

ROLE_CHECK = "role IN ('owner', 'editor', 'commenter', 'viewer')"
JOB_STATUS_CHECK = "status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')"


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("password_hash", sa.String(200), nullable=True))
        # A literal default ("0", which PostgreSQL reads as false) keeps SQLite on ADD COLUMN; an
        # expression default would make batch mode copy the table, and dropping the old copy
        # fails while projects and works point at it.
        batch.add_column(sa.Column("is_admin", sa.Boolean, nullable=False, server_default="0"))
        batch.add_column(sa.Column("display_name", sa.String(200), nullable=True))
        batch.add_column(sa.Column("disabled_at", sa.DateTime, nullable=True))

    op.create_table(
        "memberships",
        sa.Column("project_id", sa.String(32), sa.ForeignKey("projects.id"), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.CheckConstraint(ROLE_CHECK, name="ck_memberships_role"),
    )
    op.create_index("ix_memberships_user_id", "memberships", ["user_id"])
    # Data: the owner recorded on each project becomes its first member.
    op.execute(
        "INSERT INTO memberships (project_id, user_id, role, created_at) "
        "SELECT id, owner_id, 'owner', created_at FROM projects"
    )

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(8), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_used_at", sa.DateTime, nullable=True),
        sa.Column("revoked_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])

    op.create_table(
        "sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])

    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("project_id", sa.String(32), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Float, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("result", sa.JSON, nullable=True),
        sa.Column("error", sa.JSON, nullable=True),
        sa.Column("cancel_requested", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=True),
        sa.Column("finished_at", sa.DateTime, nullable=True),
        sa.CheckConstraint(JOB_STATUS_CHECK, name="ck_jobs_status"),
        sa.CheckConstraint("progress >= 0 AND progress <= 1", name="ck_jobs_progress"),
    )
    op.create_index("ix_jobs_status_created", "jobs", ["status", "created_at"])
    op.create_index("ix_jobs_project_id", "jobs", ["project_id"])
    op.create_index("ix_jobs_user_id", "jobs", ["user_id"])


def downgrade() -> None:
    for index, table in [
        ("ix_jobs_user_id", "jobs"),
        ("ix_jobs_project_id", "jobs"),
        ("ix_jobs_status_created", "jobs"),
        ("ix_sessions_user_id", "sessions"),
        ("ix_api_tokens_user_id", "api_tokens"),
        ("ix_memberships_user_id", "memberships"),
    ]:
        op.drop_index(index, table_name=table)
    for table in ["jobs", "sessions", "api_tokens", "memberships"]:
        op.drop_table(table)
    # Plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): batch mode would copy users, as above.
    for column in ["disabled_at", "display_name", "is_admin", "password_hash"]:
        op.drop_column("users", column)

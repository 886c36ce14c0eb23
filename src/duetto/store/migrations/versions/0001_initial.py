"""Initial schema: users, projects, works, versions DAG, recipes, feedback, contributions.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "projects",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("owner_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "works",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("project_id", sa.String(32), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("brief", sa.Text, nullable=False),
        sa.Column("medium", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_works_project_id", "works", ["project_id"])
    op.create_table(
        "versions",
        sa.Column("num", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(32), nullable=False, unique=True),
        sa.Column("work_id", sa.String(32), sa.ForeignKey("works.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("operation", sa.String(32), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("author_kind", sa.String(8), nullable=False),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("delta", sa.JSON, nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("ext", sa.String(16), nullable=False),
        sa.Column("mime", sa.String(100), nullable=False),
        sa.Column("extras", sa.JSON, nullable=False),
        sa.Column("info", sa.JSON, nullable=False),
        sa.Column("timings", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_versions_work_id", "versions", ["work_id"])
    op.create_index("ix_versions_work_seq", "versions", ["work_id", "seq"])
    op.create_index("ix_versions_num_id", "versions", ["num", "id"])
    op.create_table(
        "version_parents",
        sa.Column("child", sa.Integer, sa.ForeignKey("versions.num"), primary_key=True),
        sa.Column("parent", sa.Integer, sa.ForeignKey("versions.num"), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_version_parents_parent", "version_parents", ["parent", "child"])
    op.create_table(
        "recipes",
        sa.Column("version_id", sa.String(32), sa.ForeignKey("versions.id"), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("engine", sa.String(100), nullable=False),
        sa.Column("engine_version", sa.String(50), nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("recipe", sa.JSON, nullable=False),
    )
    op.create_index("ix_recipes_digest", "recipes", ["digest"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version_id", sa.String(32), sa.ForeignKey("versions.id"), nullable=False),
        sa.Column("result_id", sa.String(32), sa.ForeignKey("versions.id"), nullable=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("delta", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_feedback_version_id", "feedback", ["version_id"])
    op.create_table(
        "contributions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version_id", sa.String(32), sa.ForeignKey("versions.id"), nullable=False),
        sa.Column("contributor", sa.String(200), nullable=False),
        sa.Column("contributor_kind", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_contributions_version_id", "contributions", ["version_id"])


def downgrade() -> None:
    for index, table in [
        ("ix_contributions_version_id", "contributions"),
        ("ix_feedback_version_id", "feedback"),
        ("ix_recipes_digest", "recipes"),
        ("ix_version_parents_parent", "version_parents"),
        ("ix_versions_num_id", "versions"),
        ("ix_versions_work_seq", "versions"),
        ("ix_versions_work_id", "versions"),
        ("ix_works_project_id", "works"),
    ]:
        op.drop_index(index, table_name=table)
    for table in ["contributions", "feedback", "recipes", "version_parents", "versions", "works",
                  "projects", "users"]:
        op.drop_table(table)

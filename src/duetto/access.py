"""Who may do what in a project: the whole permission rule set in one table.

Roles are ordered (owner > editor > commenter > viewer) and every action needs a minimum role,
so "may this person do this?" is one comparison that the CLI, the HTTP API and the tests all read
from here. ``OPERATION_ACTIONS`` names the action each studio operation needs; the API's role
matrix and its test walk that dict, so a new operation without an entry is noticed.

Admins are not a role: ``Accounts.role_of`` reports an admin as ``owner`` of every project.
"""

from __future__ import annotations

from typing import Literal, get_args

from duetto.errors import Forbidden, InvalidInput

Role = Literal["owner", "editor", "commenter", "viewer"]
Action = Literal["view", "comment", "create", "manage"]

ROLES: tuple[Role, ...] = get_args(Role)  # strongest first
ACTIONS: tuple[Action, ...] = get_args(Action)

# The rule table: the weakest role that may perform each action.
MINIMUM_ROLE: dict[Action, Role] = {
    "view": "viewer",
    "comment": "commenter",
    "create": "editor",
    "manage": "owner",
}

# What each studio operation needs. Names are the CLI command names (``write``/``music`` cover
# their sub-commands, ``edit`` is the API's upload of a human edit); the API uses the same names.
OPERATION_ACTIONS: dict[str, Action] = {
    # making and changing works
    **dict.fromkeys(
        ["new", "revise", "vary", "blend", "breed", "derive", "import", "edit", "recolour", "restyle",
         "animate", "diffuse", "layout", "write", "music", "rm", "restore", "cancel_job",
         "retry_job"],
        "create",
    ),
    # taking part without making
    **dict.fromkeys(["feedback", "star", "vote"], "comment"),
    # reading (replay regenerates to compare and stores nothing; export is a download of what a
    # viewer can already see, as a file or rendered to PDF/WAV, and changes nothing stored)
    **dict.fromkeys(
        ["tree", "show", "diff", "credits", "works", "replay", "check", "critique", "palette", "styles",
         "forms", "jobs", "comments", "stars", "votes", "export"],
        "view",
    ),
    # the project itself
    **dict.fromkeys(["members", "delete_project"], "manage"),
}


def _rank(role: Role) -> int:
    """Higher is stronger; unknown names are refused rather than ranked lowest, so a typo in a
    stored role can never quietly grant or deny."""
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}", hint=f"roles are {', '.join(ROLES)}")
    return len(ROLES) - ROLES.index(role)


def check_role(name: str) -> Role:
    """A role name from a person (CLI argument, API body), normalised or refused."""
    role = name.strip().lower()
    _rank(role)  # type: ignore[arg-type]
    return role  # type: ignore[return-value]


def allowed(role: Role | None, action: Action) -> bool:
    """True when ``role`` may perform ``action``; ``None`` (not a member) may do nothing."""
    if action not in MINIMUM_ROLE:
        raise InvalidInput(f"unknown action {action!r}", hint=f"actions are {', '.join(ACTIONS)}")
    if role is None:
        return False
    return _rank(role) >= _rank(MINIMUM_ROLE[action])


def require(role: Role | None, action: Action, what: str) -> None:
    """Raise ``Forbidden`` unless ``role`` allows ``action``; ``what`` names the thing tried
    ("revise version 3ab2…") so the message says what was refused and why."""
    if allowed(role, action):
        return
    need = MINIMUM_ROLE[action]
    if role is None:
        raise Forbidden(f"you are not a member of this project, so you cannot {what}",
                        hint=f"an owner can add you as {need} or above")
    raise Forbidden(f"a {role} cannot {what}", hint=f"it needs the {need} role or above")

"""Who may do what in a project: the whole permission rule set in one table.

Roles are ordered (owner > editor > commenter > viewer) and every action needs a minimum role,
so "may this person do this?" is one comparison that the CLI, the HTTP API and the tests all read
from here. ``action_of`` names the action each operation needs: an act's comes from its row in
the operations table, so a new act cannot be added without one.

Admins are not a role: ``Accounts.role_of`` reports an admin as ``owner`` of every project.
"""

from __future__ import annotations

from typing import Literal, get_args

from duetto.errors import Forbidden, InvalidInput
from duetto.table import OPERATIONS

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

# What each act needs comes from the operations table (``duetto.table``): one row per
# act. The rest are things that are not acts of the studio but of the API around it: reading
# lists, taking part (comments, stars, votes), jobs and the project itself.
OTHER_ACTIONS: dict[str, Action] = {
    **dict.fromkeys(["cancel_job", "retry_job"], "create"),
    **dict.fromkeys(["works", "styles", "forms", "jobs", "comments", "stars", "votes"], "view"),
    **dict.fromkeys(["members", "delete_project"], "manage"),
}


def action_of(operation: str) -> Action:
    """The action ``operation`` needs: an act's from its table row, anything else from
    ``OTHER_ACTIONS``; an unknown name is an error, never a default."""
    op = OPERATIONS.get(operation)
    if op is not None:
        return op.action
    if operation in OTHER_ACTIONS:
        return OTHER_ACTIONS[operation]
    raise InvalidInput(f"no permission is defined for {operation!r}")


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

"""People and access: users with passwords, project members, API tokens and browser sessions.

The HTTP API stands on this, so the rules live here rather than in each route:

- Passwords are argon2id hashes (argon2-cffi's defaults, RFC 9106 low-memory profile). Checking
  a name that does not exist, or a user with no password, still costs one full hash, so timing
  does not tell which names exist; a stored hash made with older parameters is redone on the
  next successful login.
- Tokens and session cookies are random secrets shown once; only their SHA-256 is stored, so a
  copy of the database lets nobody in. SHA-256 (not argon2) is right here: the secrets are 256
  random bits, nothing to guess, and they are checked on every request.
- Every failure to identify someone is ``Unauthorized`` with a message that does not say which
  part was wrong; every role check goes through ``duetto.access``.

Times are naive UTC like the rest of the store; ``clock`` is injectable so tests can move time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from duetto.access import Role, check_role
from duetto.errors import Conflict, InvalidInput, NotFound, Unauthorized
from duetto.store.models import ApiToken, LoginSession, Membership, Project, User
from duetto.store.records import (
    MembershipRecord,
    SessionRecord,
    TokenRecord,
    UserRecord,
)
from duetto.store.repository import Repository, new_id, now

# A letter or digit first, so a name is never ".", ".." or something that reads as an option.
NAME_RULE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
PASSWORD_MIN, PASSWORD_MAX = 10, 1024
TOKEN_PREFIX = "dt_"
TOKEN_SHOWN = 8  # characters of a token kept in clear, to tell tokens apart in a list
TOKEN_TOUCH = timedelta(seconds=60)  # last_used_at is refreshed at most this often (no write per request)
NOT_RECOGNISED = "wrong name or password"


def sha256_hex(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    if not NAME_RULE.fullmatch(name):
        raise InvalidInput(
            f"{name!r} is not a valid user name",
            hint="use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        )
    return name


def check_password(password: str) -> str:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidInput(f"a password needs {PASSWORD_MIN} to {PASSWORD_MAX} characters, this one has "
                           f"{len(password)}")
    return password


def _user_record(row: User) -> UserRecord:
    return UserRecord(
        id=row.id, name=row.name, display_name=row.display_name, is_admin=bool(row.is_admin),
        has_password=row.password_hash is not None, created_at=row.created_at, disabled_at=row.disabled_at,
    )


def _token_record(row: ApiToken) -> TokenRecord:
    return TokenRecord(
        id=row.id, user_id=row.user_id, name=row.name, prefix=row.prefix, created_at=row.created_at,
        last_used_at=row.last_used_at, revoked_at=row.revoked_at,
    )


def _session_record(row: LoginSession) -> SessionRecord:
    return SessionRecord(
        id_hash=row.id_hash, user_id=row.user_id, csrf_token=row.csrf_token, created_at=row.created_at,
        expires_at=row.expires_at, revoked_at=row.revoked_at,
    )


class Accounts:
    """Users, memberships, tokens and sessions on a studio's ``Repository``."""

    def __init__(
        self,
        repo: Repository,
        *,
        session_days: int = 14,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], datetime] = now,
    ) -> None:
        self.repo = repo
        self.session_lifetime = timedelta(days=session_days)
        self.hasher = hasher or PasswordHasher()  # argon2id, library defaults
        self.clock = clock
        self._dummy_hash: str | None = None  # made on first need: a hash to check unknown names against

    # -- users --------------------------------------------------------------------------------

    def create_user(
        self, name: str, *, password: str | None = None, is_admin: bool = False, display_name: str | None = None
    ) -> UserRecord:
        """A new person. An admin must have a password: there is never a default one."""
        check_name(name)
        if is_admin and password is None:
            raise InvalidInput(f"admin {name} needs a password", hint="there is no default password")
        hashed = self.hasher.hash(check_password(password)) if password is not None else None
        display = self._display(display_name)
        with self.repo.session() as s:
            clash = s.scalar(select(User.name).where(func.lower(User.name) == name.lower()))
            if clash is not None:
                raise Conflict(f"a user named {clash!r} already exists",
                               hint="names are compared ignoring case; `duetto users passwd` sets a password")
            row = User(id=new_id(), name=name, created_at=self.clock(), password_hash=hashed,
                       is_admin=is_admin, display_name=display)
            s.add(row)
            try:
                s.flush()
            except IntegrityError:  # a concurrent create of the same name won the race
                raise Conflict(f"a user named {name!r} already exists") from None
            return _user_record(row)

    @staticmethod
    def _display(display_name: str | None) -> str | None:
        display = (display_name or "").strip() or None
        if display is not None and len(display) > 200:
            raise InvalidInput("a display name has at most 200 characters")
        return display

    def _find(self, s: Session, name: str) -> User | None:
        """Exact name first; otherwise the one name equal ignoring case (CLI-made users may
        differ only by case, and then only the exact spelling finds them)."""
        row = s.scalar(select(User).where(User.name == name))
        if row is not None:
            return row
        rows = s.scalars(select(User).where(func.lower(User.name) == name.lower()).limit(2)).all()
        return rows[0] if len(rows) == 1 else None

    def user(self, name: str) -> UserRecord:
        with self.repo.session() as s:
            row = self._find(s, name)
            if row is None:
                raise NotFound(f"no user named {name!r}", hint="`duetto users list` shows them")
            return _user_record(row)

    def user_by_id(self, user_id: str) -> UserRecord:
        with self.repo.session() as s:
            row = s.get(User, user_id)
            if row is None:
                raise NotFound(f"no user with id {user_id}")
            return _user_record(row)

    def users(self) -> list[UserRecord]:
        with self.repo.session() as s:
            return [_user_record(r) for r in s.scalars(select(User).order_by(func.lower(User.name)))]

    def set_password(self, user_id: str, password: str) -> None:
        """Replace the password. Sessions are left alone: whoever calls this decides whether
        other logins should end (``revoke_sessions``)."""
        hashed = self.hasher.hash(check_password(password))
        with self.repo.session() as s:
            if s.execute(update(User).where(User.id == user_id).values(password_hash=hashed)).rowcount == 0:
                raise NotFound(f"no user with id {user_id}")

    def set_display_name(self, user_id: str, display_name: str | None) -> UserRecord:
        with self.repo.session() as s:
            row = self._row(s, user_id)
            row.display_name = self._display(display_name)
            return _user_record(row)

    def authenticate(self, name: str, password: str) -> UserRecord:
        """The user whose name and password these are, or ``Unauthorized``.

        The same work is done whether or not the name exists or has a password (one argon2
        verify), and the hash comparison inside argon2 is constant-time."""
        with self.repo.session() as s:
            row = self._find(s, name)
            stored = row.password_hash if row is not None else None
        if stored is None or len(password) > PASSWORD_MAX:
            self._verify(self._dummy(), password[:PASSWORD_MAX])
            raise Unauthorized(NOT_RECOGNISED)
        assert row is not None
        if not self._verify(stored, password):
            raise Unauthorized(NOT_RECOGNISED)
        if row.disabled_at is not None:
            raise Unauthorized(f"the account {row.name} is disabled", hint="an admin can enable it again")
        if self.hasher.check_needs_rehash(stored):
            with self.repo.session() as s:
                s.execute(update(User).where(User.id == row.id).values(password_hash=self.hasher.hash(password)))
        return self.user_by_id(row.id)

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def disable_user(self, user_id: str) -> UserRecord:
        """Locks the person out at once: their sessions and tokens stop working (they are
        refused on lookup, and kept so the ledger of what they did stays whole)."""
        with self.repo.session() as s:
            row = self._row(s, user_id)
            if row.disabled_at is None:
                row.disabled_at = self.clock()
            return _user_record(row)

    def enable_user(self, user_id: str) -> UserRecord:
        with self.repo.session() as s:
            row = self._row(s, user_id)
            row.disabled_at = None
            return _user_record(row)

    @staticmethod
    def _row(s: Session, user_id: str) -> User:
        row = s.get(User, user_id)
        if row is None:
            raise NotFound(f"no user with id {user_id}")
        return row

    # -- memberships ----------------------------------------------------------------------------

    def project(self, name: str) -> str:
        """A project's id from its name."""
        with self.repo.session() as s:
            pid = s.scalar(select(Project.id).where(Project.name == name))
            if pid is None:
                known = ", ".join(s.scalars(select(Project.name).order_by(Project.name).limit(10)))
                raise NotFound(f"no project named {name!r}", hint=f"projects: {known}" if known else None)
            return pid

    def find_project(self, ref: str) -> str | None:
        """A project's id from its name or its id, or None: no hint listing other projects, since
        callers outside the project (the HTTP API's) must not learn which projects exist."""
        with self.repo.session() as s:
            return s.scalar(select(Project.id).where((Project.name == ref) | (Project.id == ref)))

    def grant(self, project_id: str, user_id: str, role: str) -> MembershipRecord:
        """Make the user a member with ``role``, or change the role they have."""
        checked = check_role(role)
        with self.repo.session() as s:
            if s.get(Project, project_id) is None:
                raise NotFound(f"no project with id {project_id}")
            self._row(s, user_id)
            row = s.get(Membership, (project_id, user_id))
            if row is None:
                row = Membership(project_id=project_id, user_id=user_id, role=checked, created_at=self.clock())
                s.add(row)
            else:
                row.role = checked
            s.flush()
            self._keep_an_owner(s, project_id)
            return self._membership_record(s, row)

    def revoke(self, project_id: str, user_id: str) -> None:
        with self.repo.session() as s:
            gone = s.execute(
                delete(Membership).where(Membership.project_id == project_id, Membership.user_id == user_id)
            ).rowcount
            if gone == 0:
                raise NotFound("that user is not a member of the project")
            self._keep_an_owner(s, project_id)

    @staticmethod
    def _keep_an_owner(s: Session, project_id: str) -> None:
        """Checked after the write, inside its transaction: a project always keeps an owner
        (otherwise only an admin could ever manage it again)."""
        owners = s.scalar(
            select(func.count()).where(Membership.project_id == project_id, Membership.role == "owner")
        )
        if not owners:
            raise Conflict("a project needs at least one owner", hint="make someone else owner first")

    def role_of(self, project_id: str, user_id: str) -> Role | None:
        """The user's role in the project: ``None`` for non-members, disabled users and unknown
        projects; ``owner`` for admins everywhere."""
        with self.repo.session() as s:  # one query: every API request asks this
            found = s.execute(
                select(User.disabled_at, User.is_admin, Membership.role)
                .outerjoin(Membership, (Membership.user_id == User.id) & (Membership.project_id == project_id))
                .where(User.id == user_id)
            ).first()
            if found is None or found.disabled_at is not None:
                return None
            if found.is_admin:
                return "owner" if s.get(Project, project_id) is not None else None
            return check_role(found.role) if found.role is not None else None

    def members(self, project_id: str) -> list[MembershipRecord]:
        order = {"owner": 0, "editor": 1, "commenter": 2, "viewer": 3}
        return sorted(self._memberships_where(Membership.project_id == project_id),
                      key=lambda m: (order[m.role], m.user.lower()))

    def memberships_of(self, user_id: str) -> list[MembershipRecord]:
        """The projects a user is a member of (admins see every project without being members)."""
        return sorted(self._memberships_where(Membership.user_id == user_id), key=lambda m: m.project)

    def _memberships_where(self, condition: ColumnElement[bool]) -> list[MembershipRecord]:
        """Memberships with their project and user names joined in one query, not a lookup per row:
        a project may have many members and a person many projects."""
        with self.repo.session() as s:
            rows = s.execute(
                select(Membership, Project.name, User.name)
                .join(Project, Project.id == Membership.project_id).join(User, User.id == Membership.user_id)
                .where(condition)
            )
            return [self._membership_record(s, r, project, user) for r, project, user in rows]

    @staticmethod
    def _membership_record(s: Session, row: Membership, project: str | None = None,
                           user: str | None = None) -> MembershipRecord:
        """``project`` and ``user`` are the names, when the caller's query already joined them."""
        if project is None:
            project = s.scalar(select(Project.name).where(Project.id == row.project_id)) or ""
        if user is None:
            user = s.scalar(select(User.name).where(User.id == row.user_id)) or ""
        return MembershipRecord(
            project_id=row.project_id, project=project, user_id=row.user_id, user=user,
            role=check_role(row.role), created_at=row.created_at,
        )

    # -- API tokens -----------------------------------------------------------------------------

    def create_token(self, user_id: str, name: str = "") -> tuple[TokenRecord, str]:
        """A new personal token: the record, and the token itself, which is not kept anywhere
        and so can be shown this once only."""
        label = name.strip()
        if len(label) > 100:
            raise InvalidInput("a token name has at most 100 characters")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.repo.session() as s:
            if self._row(s, user_id).disabled_at is not None:
                raise Conflict("a disabled user cannot get a token")
            row = ApiToken(id=new_id(), user_id=user_id, name=label, token_hash=sha256_hex(token),
                           prefix=token[:TOKEN_SHOWN], created_at=self.clock())
            s.add(row)
            s.flush()
            return _token_record(row), token

    def user_for_token(self, token: str) -> UserRecord:
        """Who a token belongs to; revoked tokens, unknown tokens and disabled users are refused
        alike. Records the use (at most once a minute, so reads stay reads)."""
        refused = Unauthorized("this API token is not valid (unknown, revoked, or its user is disabled)")
        if not token.startswith(TOKEN_PREFIX):
            raise refused
        stamp = self.clock()
        with self.repo.session() as s:
            found = s.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                              .where(ApiToken.token_hash == sha256_hex(token))).first()
            if found is None:
                raise refused
            row, user = found
            if row.revoked_at is not None or user.disabled_at is not None:
                raise refused
            if row.last_used_at is None or stamp - row.last_used_at >= TOKEN_TOUCH:
                row.last_used_at = stamp
            return _user_record(user)

    def tokens(self, user_id: str) -> list[TokenRecord]:
        with self.repo.session() as s:
            rows = s.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at))
            return [_token_record(r) for r in rows]

    def revoke_token(self, token_id: str, user_id: str | None = None) -> TokenRecord:
        """Revoke by id; with ``user_id``, only that user's own token (a person revoking theirs)."""
        with self.repo.session() as s:
            row = s.get(ApiToken, token_id)
            if row is None or (user_id is not None and row.user_id != user_id):
                raise NotFound(f"no token with id {token_id}")
            if row.revoked_at is None:
                row.revoked_at = self.clock()
            return _token_record(row)

    # -- browser sessions -----------------------------------------------------------------------

    def create_session(self, user_id: str) -> tuple[SessionRecord, str]:
        """A login for the browser: the record (with its CSRF token) and the cookie value,
        which only the browser keeps."""
        cookie = secrets.token_urlsafe(32)
        stamp = self.clock()
        with self.repo.session() as s:
            if self._row(s, user_id).disabled_at is not None:
                raise Unauthorized("this account is disabled")
            row = LoginSession(id_hash=sha256_hex(cookie), user_id=user_id, csrf_token=secrets.token_urlsafe(32),
                               created_at=stamp, expires_at=stamp + self.session_lifetime)
            s.add(row)
            s.flush()
            return _session_record(row), cookie

    def session_user(self, cookie: str) -> tuple[UserRecord, SessionRecord]:
        """The person behind a session cookie; expired, revoked, unknown and disabled are refused."""
        with self.repo.session() as s:
            row = s.get(LoginSession, sha256_hex(cookie))
            if row is None or row.revoked_at is not None:
                raise Unauthorized("you are not logged in", hint="log in again")
            if row.expires_at <= self.clock():
                raise Unauthorized("your login has expired", hint="log in again")
            user = s.get(User, row.user_id)
            if user is None or user.disabled_at is not None:
                raise Unauthorized("this account is disabled")
            return _user_record(user), _session_record(row)

    def revoke_session(self, cookie: str) -> bool:
        """Log out one browser; False when the cookie named no live session."""
        with self.repo.session() as s:
            return bool(s.execute(
                update(LoginSession)
                .where(LoginSession.id_hash == sha256_hex(cookie), LoginSession.revoked_at.is_(None))
                .values(revoked_at=self.clock())
            ).rowcount)

    def revoke_sessions(self, user_id: str) -> int:
        """Log the user out everywhere; returns how many sessions were still open."""
        with self.repo.session() as s:
            return s.execute(
                update(LoginSession)
                .where(LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None))
                .values(revoked_at=self.clock())
            ).rowcount

    @staticmethod
    def csrf_matches(session: SessionRecord, supplied: str | None) -> bool:
        """Constant-time comparison of the CSRF token a page sent with the session's."""
        return supplied is not None and hmac.compare_digest(session.csrf_token.encode(), supplied.encode())

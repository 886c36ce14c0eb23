"""People and access: the 0002 migration on a studio with works, passwords, tokens, sessions,
memberships and the role × action rules the HTTP API will enforce."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from duetto.access import (
    ACTIONS,
    ROLES,
    action_of,
    allowed,
    check_role,
    require,
)
from duetto.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from duetto.settings import Settings
from duetto.spec import CreativeSpec
from duetto.store import Repository
from duetto.store.accounts import Accounts
from duetto.store.records import NewVersion
from duetto.store.repository import HEAD_REVISION
from tests.unit.migrations import migrate_to

PASSWORD = "correct horse battery"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = datetime(2026, 1, 1, 12, 0, 0)

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **delta: float) -> None:
        self.t += timedelta(**delta)


class CountingHasher(PasswordHasher):
    """argon2id at a test-friendly cost that counts verifications (the expensive step)."""

    def __init__(self, time_cost: int = 1) -> None:
        super().__init__(time_cost=time_cost, memory_cost=1024, parallelism=1)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002 - the library's name
        self.verified += 1
        return super().verify(hash, password)


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    r = Repository(f"sqlite:///{tmp_path / 'db.sqlite'}")
    r.migrate()
    return r


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(repo: Repository, clock: Clock) -> Accounts:
    return Accounts(repo, hasher=CountingHasher(), clock=clock)


@pytest.fixture
def project(repo: Repository, accounts: Accounts) -> str:
    owner = accounts.create_user("olga")
    return repo.ensure_project("poster", owner.id)


def _rows(repo: Repository, sql: str) -> list[Any]:
    with repo.engine.connect() as conn:
        return list(conn.execute(text(sql)).all())


# -- migration --------------------------------------------------------------------------------


def test_0001_studio_upgrades_in_place_keeping_rows_and_owners_become_members(tmp_path: Path) -> None:
    repo = Repository(f"sqlite:///{tmp_path / 'old.sqlite'}")
    migrate_to(repo, "0001_initial")
    with repo.engine.begin() as conn:  # what a 0001 studio holds: users and projects, by plain SQL
        conn.execute(text("INSERT INTO users (id, name, created_at) VALUES "
                          "('u1', 'ada', '2025-01-01 00:00:00'), ('u2', 'li', '2025-01-02 00:00:00')"))
        conn.execute(text("INSERT INTO projects (id, name, owner_id, created_at) VALUES "
                          "('p1', 'default', 'u1', '2025-01-01 00:00:00'), ('p2', 'songs', 'u2', '2025-01-03 00:00:00')"))
    work = repo.create_work("p1", "u1", "a warm abstract painting", "painting")
    first, second = "a" * 32, "b" * 32
    for vid, parents in [(first, []), (second, [first])]:
        repo.add_version(NewVersion(
            id=vid, work_id=work.id, parents=parents, operation="new" if not parents else "revise",
            author="engine:painter@1", author_kind="ai", spec=CreativeSpec(), sha256="0" * 64, ext="png",
            mime="image/png",
        ))

    repo.migrate()

    assert _rows(repo, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert HEAD_REVISION == "0005_registry"  # 0002 and every later revision ran
    assert _rows(repo, "SELECT id, name, password_hash, is_admin, disabled_at FROM users ORDER BY id") == [
        ("u1", "ada", None, 0, None), ("u2", "li", None, 0, None)]
    assert [v.id for v in repo.versions_of(work.id)] == [first, second]
    assert repo.ancestors(second) == [first]
    assert repo.work(work.id).brief == "a warm abstract painting"
    assert _rows(repo, "SELECT project_id, user_id, role FROM memberships ORDER BY project_id") == [
        ("p1", "u1", "owner"), ("p2", "u2", "owner")]
    accounts = Accounts(repo, hasher=CountingHasher())
    assert accounts.members("p2")[0].created_at == datetime(2025, 1, 3)  # the project's own date
    assert accounts.role_of("p1", "u1") == "owner" and accounts.role_of("p1", "u2") is None
    # an old CLI user can now be given a password and log in
    accounts.set_password("u1", PASSWORD)
    assert accounts.authenticate("ada", PASSWORD).id == "u1"


def test_downgrade_to_0001_keeps_users_and_upgrade_rebuilds_memberships(repo: Repository) -> None:
    uid = repo.ensure_user("ada")
    pid = repo.ensure_project("default", uid)
    migrate_to(repo, "0001_initial", down=True)
    tables = {r[0] for r in _rows(repo, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not tables & {"memberships", "api_tokens", "sessions", "jobs"}
    assert _rows(repo, "SELECT id, name FROM users") == [(uid, "ada")]
    repo.migrate()
    assert _rows(repo, "SELECT project_id, user_id, role FROM memberships") == [(pid, uid, "owner")]


def test_a_new_project_has_its_owner_as_owner_member(repo: Repository, accounts: Accounts) -> None:
    uid = repo.ensure_user("ada")
    pid = repo.ensure_project("default", uid)
    assert repo.ensure_project("default", uid) == pid  # second call: no second membership
    assert [(m.user, m.role) for m in accounts.members(pid)] == [("ada", "owner")]


def test_settings_carry_the_session_lifetime() -> None:
    assert Settings().session_days == 14
    assert Settings(session_days=3).session_days == 3


# -- users and passwords ----------------------------------------------------------------------


def test_password_is_an_argon2id_hash_not_the_password(repo: Repository) -> None:
    accounts = Accounts(repo)  # the library's default cost, as in production
    user = accounts.create_user("ada", password=PASSWORD)
    ((stored,),) = _rows(repo, "SELECT password_hash FROM users")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in stored
    assert user.has_password and "password" not in user.model_dump_json().replace("has_password", "")
    assert accounts.authenticate("ada", PASSWORD).id == user.id
    with pytest.raises(Unauthorized, match="wrong name or password"):
        accounts.authenticate("ada", PASSWORD + "!")


def test_unknown_names_and_passwordless_users_cost_one_verify_and_the_same_message(accounts: Accounts) -> None:
    hasher = accounts.hasher
    assert isinstance(hasher, CountingHasher)
    accounts.create_user("ada", password=PASSWORD)
    accounts.create_user("cli-only")  # made without a password
    messages = []
    for name, password in [("ada", "wrong password!"), ("nobody", PASSWORD), ("cli-only", PASSWORD),
                           ("cli-only", "")]:
        before = hasher.verified
        with pytest.raises(Unauthorized) as caught:
            accounts.authenticate(name, password)
        assert hasher.verified == before + 1, name  # same work whether or not the name exists
        messages.append(caught.value.message)
    assert set(messages) == {"wrong name or password"}


def test_a_hash_with_old_parameters_is_redone_on_login(repo: Repository) -> None:
    old = Accounts(repo, hasher=CountingHasher(time_cost=1))
    old.create_user("ada", password=PASSWORD)
    ((before,),) = _rows(repo, "SELECT password_hash FROM users")
    new = Accounts(repo, hasher=CountingHasher(time_cost=2))
    new.authenticate("ada", PASSWORD)
    ((after,),) = _rows(repo, "SELECT password_hash FROM users")
    assert ",t=1," in before and ",t=2," in after
    assert new.authenticate("ada", PASSWORD).name == "ada"
    new.authenticate("ada", PASSWORD)
    assert _rows(repo, "SELECT password_hash FROM users") == [(after,)]  # current: left alone


@pytest.mark.parametrize("name", ["", "a" * 65, "bad name", "名字", "../etc", ".hidden", "-rf", "a/b", "ada\n"])
def test_bad_user_names_are_refused(accounts: Accounts, name: str) -> None:
    with pytest.raises(InvalidInput, match="not a valid user name"):
        accounts.create_user(name)


def test_names_are_unique_ignoring_case_and_found_ignoring_case(accounts: Accounts) -> None:
    ada = accounts.create_user("Ada.Lovelace_1815", display_name="  Ada Lovelace ")
    assert ada.display_name == "Ada Lovelace"
    assert accounts.create_user("x" * 64).name == "x" * 64
    with pytest.raises(Conflict, match="already exists"):
        accounts.create_user("ada.lovelace_1815")
    assert accounts.user("ADA.LOVELACE_1815").id == ada.id
    with pytest.raises(NotFound):
        accounts.user("grace")
    assert [u.name for u in accounts.users()] == ["Ada.Lovelace_1815", "x" * 64]


def test_password_length_rules_and_no_admin_without_password(accounts: Accounts) -> None:
    with pytest.raises(InvalidInput, match="10 to 1024 characters, this one has 9"):
        accounts.create_user("ada", password="123456789")
    with pytest.raises(InvalidInput, match="this one has 1025"):
        accounts.create_user("ada", password="x" * 1025)
    with pytest.raises(InvalidInput, match="needs a password"):
        accounts.create_user("root", is_admin=True)
    assert accounts.users() == []  # nothing half-made
    user = accounts.create_user("ada", password="1234567890")
    with pytest.raises(InvalidInput):
        accounts.set_password(user.id, "short")
    accounts.set_password(user.id, "a new longer password")
    assert accounts.authenticate("ada", "a new longer password").id == user.id
    with pytest.raises(Unauthorized):
        accounts.authenticate("ada", "1234567890")


def test_a_disabled_user_is_locked_out_everywhere_until_enabled(accounts: Accounts, project: str) -> None:
    user = accounts.create_user("ada", password=PASSWORD)
    accounts.grant(project, user.id, "editor")
    _, token = accounts.create_token(user.id)
    _, cookie = accounts.create_session(user.id)
    assert accounts.disable_user(user.id).disabled
    with pytest.raises(Unauthorized, match="disabled"):
        accounts.authenticate("ada", PASSWORD)
    with pytest.raises(Unauthorized):
        accounts.user_for_token(token)
    with pytest.raises(Unauthorized, match="disabled"):
        accounts.session_user(cookie)
    with pytest.raises(Unauthorized):
        accounts.create_session(user.id)
    assert accounts.role_of(project, user.id) is None
    accounts.enable_user(user.id)
    assert accounts.user_for_token(token).id == user.id
    assert accounts.role_of(project, user.id) == "editor"


# -- memberships ------------------------------------------------------------------------------


def test_grant_change_and_revoke_roles(accounts: Accounts, project: str) -> None:
    bob = accounts.create_user("bob")
    assert accounts.role_of(project, bob.id) is None
    assert accounts.grant(project, bob.id, "viewer").role == "viewer"
    assert accounts.role_of(project, bob.id) == "viewer"
    member = accounts.grant(project, bob.id, " Editor ")
    assert (member.project, member.user, member.role) == ("poster", "bob", "editor")
    assert [(m.user, m.role) for m in accounts.members(project)] == [("olga", "owner"), ("bob", "editor")]
    assert [(m.project, m.role) for m in accounts.memberships_of(bob.id)] == [("poster", "editor")]
    accounts.revoke(project, bob.id)
    assert accounts.role_of(project, bob.id) is None
    with pytest.raises(NotFound):
        accounts.revoke(project, bob.id)
    with pytest.raises(InvalidInput, match="unknown role 'boss'"):
        accounts.grant(project, bob.id, "boss")
    with pytest.raises(NotFound):
        accounts.grant("0" * 32, bob.id, "viewer")
    assert accounts.project("poster") == project
    with pytest.raises(NotFound, match="no project named"):
        accounts.project("nope")


def test_a_project_always_keeps_an_owner(accounts: Accounts, project: str) -> None:
    olga = accounts.user("olga")
    with pytest.raises(Conflict, match="at least one owner"):
        accounts.revoke(project, olga.id)
    with pytest.raises(Conflict):
        accounts.grant(project, olga.id, "editor")
    assert accounts.role_of(project, olga.id) == "owner"  # the refused change was rolled back
    bob = accounts.create_user("bob")
    accounts.grant(project, bob.id, "owner")
    accounts.grant(project, olga.id, "viewer")  # another owner remains: allowed
    assert accounts.role_of(project, olga.id) == "viewer"


def test_admins_are_owners_of_every_project(accounts: Accounts, project: str) -> None:
    admin = accounts.create_user("root", password=PASSWORD, is_admin=True)
    assert admin.is_admin
    assert accounts.role_of(project, admin.id) == "owner"
    assert accounts.role_of("0" * 32, admin.id) is None  # no such project
    assert accounts.members(project)[0].user == "olga"  # not listed as a member


# -- API tokens -------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_only_its_hash_is_stored(repo: Repository, accounts: Accounts, clock: Clock) -> None:
    user = accounts.create_user("ada")
    record, token = accounts.create_token(user.id, "  backup script ")
    assert token.startswith("dt_") and len(token) >= 3 + 43
    assert record.name == "backup script" and record.prefix == token[:8]
    stored = _rows(repo, "SELECT * FROM api_tokens")
    assert len(stored) == 1
    assert hashlib.sha256(token.encode()).hexdigest() in stored[0]
    assert not any(token in str(value) for value in stored[0])
    listed = accounts.tokens(user.id)
    assert [t.id for t in listed] == [record.id] and token not in listed[0].model_dump_json()
    assert listed[0].last_used_at is None

    assert accounts.user_for_token(token).id == user.id
    assert accounts.tokens(user.id)[0].last_used_at == clock.t
    first_use = clock.t
    clock.advance(seconds=30)
    accounts.user_for_token(token)
    assert accounts.tokens(user.id)[0].last_used_at == first_use  # not rewritten on every request
    clock.advance(seconds=31)
    accounts.user_for_token(token)
    assert accounts.tokens(user.id)[0].last_used_at == clock.t


def test_revoked_and_unknown_tokens_are_refused(accounts: Accounts) -> None:
    ada, bob = accounts.create_user("ada"), accounts.create_user("bob")
    record, token = accounts.create_token(ada.id)
    _, other = accounts.create_token(ada.id)
    for bad in ["", "dt_", token[:-1], token + "x", "Bearer " + token, token.upper()]:
        with pytest.raises(Unauthorized):
            accounts.user_for_token(bad)
    with pytest.raises(NotFound):
        accounts.revoke_token(record.id, user_id=bob.id)  # not bob's to revoke
    assert accounts.revoke_token(record.id, user_id=ada.id).revoked_at is not None
    with pytest.raises(Unauthorized):
        accounts.user_for_token(token)
    assert accounts.user_for_token(other).id == ada.id  # the other token still works


# -- browser sessions -------------------------------------------------------------------------


def test_sessions_store_the_cookie_hash_and_expire(repo: Repository, accounts: Accounts, clock: Clock) -> None:
    user = accounts.create_user("ada", password=PASSWORD)
    session, cookie = accounts.create_session(user.id)
    assert session.expires_at - session.created_at == timedelta(days=14)
    ((id_hash, csrf),) = _rows(repo, "SELECT id_hash, csrf_token FROM sessions")
    assert id_hash == hashlib.sha256(cookie.encode()).hexdigest() == session.id_hash
    assert cookie not in str(_rows(repo, "SELECT * FROM sessions"))
    assert csrf == session.csrf_token and csrf != cookie and len(csrf) >= 40

    who, again = accounts.session_user(cookie)
    assert who.id == user.id and again.csrf_token == csrf
    assert Accounts.csrf_matches(again, csrf)
    assert not Accounts.csrf_matches(again, csrf[:-1] + ("A" if csrf[-1] != "A" else "B"))
    assert not Accounts.csrf_matches(again, None)
    with pytest.raises(Unauthorized):
        accounts.session_user(cookie + "x")

    clock.advance(days=14, seconds=-1)
    assert accounts.session_user(cookie)[0].id == user.id
    clock.advance(seconds=1)
    with pytest.raises(Unauthorized, match="expired"):
        accounts.session_user(cookie)


def test_session_lifetime_comes_from_the_setting(repo: Repository, clock: Clock) -> None:
    accounts = Accounts(repo, session_days=Settings(session_days=2).session_days, hasher=CountingHasher(),
                        clock=clock)
    session, _ = accounts.create_session(accounts.create_user("ada").id)
    assert session.expires_at == clock.t + timedelta(days=2)


def test_logout_one_browser_or_everywhere(accounts: Accounts) -> None:
    ada, bob = accounts.create_user("ada"), accounts.create_user("bob")
    (_, laptop), (_, tablet), (_, bobs) = (accounts.create_session(u.id) for u in (ada, ada, bob))
    assert accounts.revoke_session(laptop) is True
    assert accounts.revoke_session(laptop) is False
    with pytest.raises(Unauthorized):
        accounts.session_user(laptop)
    assert accounts.session_user(tablet)[0].id == ada.id
    assert accounts.revoke_sessions(ada.id) == 1  # only the tablet was still open
    with pytest.raises(Unauthorized):
        accounts.session_user(tablet)
    assert accounts.session_user(bobs)[0].id == bob.id


# -- the rules --------------------------------------------------------------------------------

# Written out by hand from the issue, not derived from the code under test.
EXPECTED = {
    "owner": {"view": True, "comment": True, "create": True, "manage": True},
    "editor": {"view": True, "comment": True, "create": True, "manage": False},
    "commenter": {"view": True, "comment": True, "create": False, "manage": False},
    "viewer": {"view": True, "comment": False, "create": False, "manage": False},
    None: {"view": False, "comment": False, "create": False, "manage": False},
}


@pytest.mark.parametrize("role", [*ROLES, None])
@pytest.mark.parametrize("action", ACTIONS)
def test_role_action_matrix(role: Any, action: Any) -> None:
    assert allowed(role, action) is EXPECTED[role][action]
    if EXPECTED[role][action]:
        require(role, action, "do it")
    else:
        with pytest.raises(Forbidden) as caught:
            require(role, action, "revise version 3ab2")
        assert "revise version 3ab2" in caught.value.message


def test_the_matrix_covers_every_role_and_action() -> None:
    assert set(ROLES) == {"owner", "editor", "commenter", "viewer"} and ROLES[0] == "owner"
    assert set(ACTIONS) == {"view", "comment", "create", "manage"}
    assert {r for r in EXPECTED if r} == set(ROLES)


def test_operations_need_the_documented_actions() -> None:
    named = {
        "create": ["new", "revise", "vary", "blend", "breed", "import", "restyle", "layout"],
        "comment": ["comment", "star", "vote"],
        "view": ["tree", "show", "diff", "credits", "works", "replay", "export", "critique", "check", "palette"],
        "manage": ["members", "delete_project"],
    }
    for action, operations in named.items():
        for op in operations:
            assert action_of(op) == action, op


def test_unknown_roles_and_actions_are_errors_not_denials() -> None:
    with pytest.raises(InvalidInput):
        allowed("admin", "view")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        allowed("owner", "delete")  # type: ignore[arg-type]
    assert check_role(" Viewer") == "viewer"


def test_access_errors_have_stable_codes() -> None:
    assert (Forbidden.code, Forbidden.http_status, Forbidden.exit_code) == ("forbidden", 403, 9)
    assert (Unauthorized.code, Unauthorized.http_status, Unauthorized.exit_code) == ("unauthorized", 401, 9)
    with pytest.raises(Forbidden, match="not a member"):
        require(None, "view", "see this work")

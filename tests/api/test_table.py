"""The operations table is the one definition of every act: walk it and check that each act is
reachable the same way from the CLI, the HTTP API (with a documented schema), the permission
rules, the role matrix and, where its medium has a page, the web studio."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from duetto import access
from duetto.api import routes_acts
from duetto.cli import app as cli
from duetto.table import OPERATIONS

STATIC = Path(__file__).resolve().parents[2] / "src" / "duetto" / "web" / "static"
ROLES_TEST = Path(__file__).with_name("test_roles.py")


def test_every_act_has_a_cli_command() -> None:
    commands = typer.main.get_command(cli).commands  # type: ignore[attr-defined]
    missing = [name for name in OPERATIONS if name not in commands]
    assert not missing, f"acts without a CLI command: {missing}"


def test_every_act_has_a_documented_api_route(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for op in OPERATIONS.values():
        method, path = op.http
        assert path in schema["paths"] and method.lower() in schema["paths"][path], (op.name, method, path)
        doc = schema["paths"][path][method.lower()]
        ok = next(code for code in doc["responses"] if code.startswith("2"))
        if op.mode == "job":
            assert ok == "202", op.name
        if not op.handwritten and method == "POST":
            body = routes_acts.body_model(op)
            assert body.__name__ in schema["components"]["schemas"], op.name
            documented = set(schema["components"]["schemas"][body.__name__]["properties"])
            own = set(op.request_model.model_fields) - {op.path_ref}
            assert own <= documented, (op.name, own - documented)


def test_every_act_has_a_permission_and_a_row_in_the_role_matrix() -> None:
    matrix = ROLES_TEST.read_text(encoding="utf-8")
    for op in OPERATIONS.values():
        assert op.action in access.ACTIONS, op.name
        assert access.action_of(op.name) == op.action
        assert f'Call("{op.name}"' in matrix, f"{op.name} has no row in the role matrix (tests/api/test_roles.py)"
    with pytest.raises(Exception, match="no permission"):
        access.action_of("no-such-act")


def test_every_act_a_person_uses_has_a_control_on_the_page() -> None:
    page = "\n".join(p.read_text(encoding="utf-8") for p in STATIC.iterdir() if p.suffix in (".js", ".html"))
    controls = set(re.findall(r'data-act="([a-z_]+)"', page)) | set(re.findall(r'dataset\.act = "([a-z_]+)"', page))
    missing = [op.name for op in OPERATIONS.values() if op.web and op.name not in controls]
    assert not missing, f"acts with no control on the page (data-act=…): {missing}"


def test_every_request_model_forbids_unknown_fields() -> None:
    for op in OPERATIONS.values():
        assert op.request_model.model_config.get("extra") == "forbid", op.name


def test_a_bad_request_is_one_line_and_exit_2_never_a_traceback(tmp_path: Path) -> None:
    runner = CliRunner()
    home = ["--home", str(tmp_path / "studio")]
    for args in (["breed", "0123abcd"], ["new", ""], ["vary", "x", "--amount", "9"],
                 ["revise", "abc", "warmer", "--rect", "1,2"], ["new", "sea", "--media", "sculpture"]):
        result = runner.invoke(cli, [*args, *home])
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert any(line.startswith("error:") for line in lines) or "Usage:" in result.output, (args, result.output)

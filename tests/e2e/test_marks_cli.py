"""``duetto comment / comments / star / vote`` as two people (DUETTO_USER) on one studio, through
typer's runner in this process (a subprocess per command would cost a second each): the JSON is
parsed, the people's output read, and the credits then name both of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from duetto.cli import app


def run(home: Path, who: str, *args: str) -> Result:
    return CliRunner().invoke(app, [*args, "--home", str(home)], env={"DUETTO_USER": who})


def as_json(home: Path, who: str, *args: str) -> dict[str, Any]:
    result = run(home, who, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_two_people_comment_star_and_vote_from_the_cli(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    made = as_json(home, "ada", "new", "calm blue sea", "-n", "2", "--size", "96", "--seed", "3")
    a, b = (v["id"] for v in made["versions"])

    said = run(home, "ada", "comment", a[:8], "the blue is [really] lovely")
    assert said.exit_code == 0, said.output
    assert said.stdout.strip() == f"ada on {a[:10]}: the blue is [really] lovely"  # markup escaped
    li = as_json(home, "li", "comment", a, "  更温暖一些 ")["comment"]
    assert (li["user"], li["text"], li["version_id"]) == ("li", "更温暖一些", a)
    listed = as_json(home, "ada", "comments", a)["comments"]
    assert [(c["user"], c["text"]) for c in listed] == [("ada", "the blue is [really] lovely"), ("li", "更温暖一些")]
    table = run(home, "li", "comments", a).stdout
    assert "ada" in table and "更温暖一些" in table and table.index("ada") < table.index("li ")
    assert "no comments on" in run(home, "ada", "comments", b).stdout
    blank = run(home, "ada", "comment", a, "   ")
    assert blank.exit_code == 2 and "1 to 2000" in blank.output

    assert as_json(home, "ada", "star", a)["stars"] == {"version_id": a, "count": 1, "mine": True}
    assert run(home, "li", "star", a).stdout.strip() == f"★ {a[:10]}: 2 stars (one is yours)"
    assert run(home, "ada", "star", a).stdout.strip() == f"★ {a[:10]}: 2 stars (one is yours)"  # no double star
    assert as_json(home, "ada", "star", a, "--undo")["stars"] == {"version_id": a, "count": 1, "mine": False}

    voted = run(home, "li", "vote", b, a)
    assert voted.exit_code == 0, voted.output
    assert voted.stdout.splitlines()[0] == f"li prefers {b[:10]} to {a[:10]}"
    assert "1 vote on this work" in voted.stdout
    tally = as_json(home, "ada", "vote", b, a)["tally"]
    assert tally["votes"] == 2
    assert [(r["version_id"], r["wins"], r["losses"], r["score"]) for r in tally["ranking"]] == [
        (b, 2, 0, 1.0), (a, 0, 2, 0.0)]
    same = run(home, "ada", "vote", a, a)
    assert same.exit_code == 2 and "two different versions" in same.output

    credits = as_json(home, "ada", "credits", a)
    assert credits["people"] == ["user:ada", "user:li"]
    human = {row["version"]: row["human"] for row in credits["credits"]}
    assert "feedback: 更温暖一些" in human[a] and "selection: starred" in human[a]
    assert f"selection: preferred to {a[:10]}" in human[b]
    assert "[really]" in run(home, "ada", "credits", a).stdout  # people's words shown as written

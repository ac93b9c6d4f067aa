"""The README's examples return what it says they return, and the README stays short.

Every line of a ```sh block that starts with `govdocs parse|search|refs|people|check` is run on
the bundled corpus (search, refs and people on an index of it built for the tests) and must
carry either `# … → expectation` or `# not run by the tests…`. An expectation is a comma-separated
list of claims, each checked on the command's JSON output (the example is run as written first,
then again with `--format json`):

    N hits · first NUMBER                      search: total, the first hit's 文号
    N documents · N chronicle entries · P/L lines placed     parse
    STATUS by NUMBER                           refs: the status and a document of its evidence
    N appointments · N chronicle entries · N members         people
    N errors · N warnings · N info             check
"""

from __future__ import annotations

import json
import re
import shlex

import pytest
from typer.testing import CliRunner

from govdocs.cli import app
from tests.conftest import ROOT

README = ROOT / "README.md"
RUN = ("parse", "search", "refs", "people", "check")
NOT_RUN = "not run by the tests"
runner = CliRunner()


def examples() -> list[tuple[int, str, str]]:
    """(line number, command, comment) of every `govdocs …` line in the README's sh blocks."""
    found, in_sh = [], False
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            in_sh = line.strip() == "```sh" and not in_sh
            continue
        if in_sh and line.startswith("govdocs "):
            command, comment = re.fullmatch(r"(.*?)(?:\s+#\s+(.*))?", line).groups()
            found.append((number, command.strip(), (comment or "").strip()))
    return found


EXAMPLES = [e for e in examples() if shlex.split(e[1])[1] in RUN]


def test_the_readme_is_short():
    assert README.stat().st_size <= 12 * 1024


def test_every_example_of_the_five_commands_says_what_it_returns_or_that_it_is_not_run():
    assert len(EXAMPLES) >= 15  # the tour's examples are all found
    for number, command, comment in EXAMPLES:
        assert "→" in comment or comment.startswith(NOT_RUN), f"README line {number}: {command}"


def _json(args: list[str]):
    res = runner.invoke(app, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _count(claim: str, noun: str) -> int | None:
    m = re.fullmatch(rf"(\d+) {noun}", claim)
    return int(m.group(1)) if m else None


def check_search(data: dict, claims: list[str]) -> None:
    for claim in claims:
        if (n := _count(claim, "hits?")) is not None:
            assert data["total"] == n, claim
        elif claim.startswith("first "):
            assert claim.removeprefix("first ") in data["hits"][0]["doc_numbers"], claim
        else:
            raise AssertionError(f"no such search claim: {claim}")


def check_parse(data, claims: list[str]) -> None:
    issues = data if isinstance(data, list) else [data]
    counts = {"documents?": sum(len(i["documents"]) for i in issues),
              "chronicle entr(?:y|ies)": sum(len((i["chronicle"] or {}).get("entries", [])) for i in issues)}
    placed = f"{sum(i['coverage']['placed'] for i in issues)}/{sum(i['coverage']['lines'] for i in issues)} lines placed"
    for claim in claims:
        if claim.endswith("lines placed"):
            assert claim == placed
            continue
        noun = next((k for k in counts if _count(claim, k) is not None), None)
        assert noun is not None, f"no such parse claim: {claim}"
        assert counts[noun] == _count(claim, noun), claim


def check_refs(data: dict, claims: list[str]) -> None:
    [document] = data["documents"]
    for claim in claims:
        status, _, by = claim.partition(" by ")
        assert document["status"]["status"] == status, claim
        assert by in {e["by_number"] for e in document["status"]["evidence"]}, claim


def check_people(data: dict, claims: list[str]) -> None:
    counts = {"appointments?": len(data["appointments"]), "chronicle entr(?:y|ies)": len(data["chronicle"]),
              "members?": len(data["members"])}
    for claim in claims:
        noun = next((k for k in counts if _count(claim, k) is not None), None)
        assert noun is not None, f"no such people claim: {claim}"
        assert counts[noun] == _count(claim, noun), claim


def check_check(data: dict, claims: list[str]) -> None:
    for claim in claims:
        m = re.fullmatch(r"(\d+) (error|warning|info)s?", claim)
        assert m, f"no such check claim: {claim}"
        assert data["counts"][m.group(2)] == int(m.group(1)), claim


CHECKS = {"search": check_search, "parse": check_parse, "refs": check_refs, "people": check_people,
          "check": check_check}


@pytest.mark.parametrize("number,command,comment", [e for e in EXAMPLES if "→" in e[2]],
                         ids=[f"line{e[0]}" for e in EXAMPLES if "→" in e[2]])
def test_a_readme_example_returns_what_it_says(number, command, comment, corpus_index, monkeypatch):
    monkeypatch.chdir(ROOT)  # the examples name corpus/ from the checkout
    args = shlex.split(command)[1:]
    if args[0] in ("search", "refs", "people"):
        args += ["--index", str(corpus_index)]
    as_written = runner.invoke(app, args)
    assert as_written.exit_code == 0, as_written.output
    claims = [c.strip() for c in comment.split("→", 1)[1].split(",")]
    CHECKS[args[0]](_json(args), claims)

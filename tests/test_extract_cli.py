"""`alerts extract --json`: the one interface outside tools score the extractor through, run as
a user would run it (a subprocess, files on disk, stdin)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
QUALIFIERS = {"exact", "more_than", "at_least", "about", "up_to", "nearly", "fewer_than",
              "increment", "fraction", "vague"}

TEXT = (
    "More than 120 Labour MPs have signed an amendment to the welfare bill.\n"
    "Six further Labour MPs backed it overnight, taking the total past 126.\n"
    "Rachael Maskell said: “These cuts to personal independence payments will push disabled "
    "people into poverty, and I cannot vote for them.”\n"
    "The cuts would save £5bn a year and affect 370,000 current claimants.\n"
)

PAGE = """<!doctype html><html><head><meta charset="windows-1252">
<meta property="og:title" content="Nearly 50 Labour MPs vote against welfare bill">
<title>Nearly 50 Labour MPs vote against welfare bill | Politics</title></head><body>
<nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>
<div class="headline"><h1>Nearly 50 Labour MPs vote against welfare bill</h1></div>
<main><article>
<p>The universal credit and PIP bill passed its second reading by 335 votes to 260 on Tuesday
night after ministers offered a last-minute concession on personal independence payments.</p>
<p>A government spokesperson said: “We have listened to colleagues and we will now get on
with fixing a welfare system that is failing the people it was meant to help.”</p>
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Storm warning for the weekend</a></li></ul></aside>
</body></html>"""


def run_extract(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "alerts.cli", "extract", *args],
        input=stdin, capture_output=True, check=False, timeout=60,
    )


def records(done: subprocess.CompletedProcess[bytes]) -> list[dict[str, object]]:
    return [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]


def assert_exact_shape(record: dict[str, object]) -> None:
    assert set(record) == {"path", "counts", "statements"}
    assert isinstance(record["counts"], list) and isinstance(record["statements"], list)
    for count in record["counts"]:
        assert set(count) == {"count", "qualifier", "group", "action", "span"}
        assert count["count"] is None or type(count["count"]) is int
        assert count["qualifier"] in QUALIFIERS
        assert all(isinstance(count[k], str) for k in ("group", "action", "span"))
    for statement in record["statements"]:
        assert set(statement) == {"speaker", "text", "fragment"}
        assert statement["speaker"] is None or isinstance(statement["speaker"], str)
        assert isinstance(statement["text"], str) and type(statement["fragment"]) is bool


def test_one_json_line_per_input_in_the_exact_shape(tmp_path: Path) -> None:
    text, page = tmp_path / "article.txt", tmp_path / "page.html"
    text.write_text(TEXT, "utf-8")
    page.write_bytes(PAGE.encode("cp1252"))

    done = run_extract("--json", str(text), str(page))

    assert done.returncode == 0, done.stderr
    first, second = records(done)
    for record in (first, second):
        assert_exact_shape(record)
    assert first["path"] == str(text) and second["path"] == str(page)
    assert [(c["count"], c["qualifier"]) for c in first["counts"]] == [  # type: ignore[union-attr]
        (120, "more_than"), (6, "increment")]
    assert first["statements"] == [{
        "speaker": "Rachael Maskell", "fragment": False,
        "text": "These cuts to personal independence payments will push disabled people into "
                "poverty, and I cannot vote for them.",
    }]


def test_an_html_page_gives_its_headline_and_body_not_its_navigation(tmp_path: Path) -> None:
    """The page declares Windows-1252 and its curly quotes are bytes 0x93/0x94: they must come
    out as quote marks, so the spokesperson's words are one statement."""
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.encode("cp1252"))

    (record,) = records(run_extract("--json", str(page)))

    assert [(c["count"], c["qualifier"], c["group"]) for c in record["counts"]] == [  # type: ignore[union-attr]
        (50, "nearly", "Labour MPs")]
    (statement,) = record["statements"]  # type: ignore[misc]
    assert statement["speaker"] == "A government spokesperson"
    assert statement["text"].startswith("We have listened to colleagues")
    assert "Storm warning" not in json.dumps(record)


def test_dash_reads_stdin() -> None:
    done = run_extract("--json", "-", stdin=TEXT.encode("utf-8"))

    assert done.returncode == 0, done.stderr
    (record,) = records(done)
    assert record["path"] == "-"
    assert len(record["counts"]) == 2  # type: ignore[arg-type]


def test_a_missing_file_is_named_and_the_others_are_still_read(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(TEXT, "utf-8")

    done = run_extract("--json", str(tmp_path / "missing.txt"), str(good))

    assert done.returncode == 1
    assert b"missing.txt" in done.stderr and b"Traceback" not in done.stderr
    assert [r["path"] for r in records(done)] == [str(good)]


def test_text_without_claims_gives_empty_lists(tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.txt"
    quiet.write_text("The weather was fine in Leeds on Tuesday.\n", "utf-8")

    (record,) = records(run_extract("--json", str(quiet)))

    assert record == {"path": str(quiet), "counts": [], "statements": []}


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the real seed articles are not at {SEEDS}")
def test_the_real_seed_articles_in_one_run() -> None:
    paths = sorted(str(p) for p in SEEDS.glob("*.txt"))

    done = run_extract("--json", *paths)

    assert done.returncode == 0, done.stderr
    got = records(done)
    assert [r["path"] for r in got] == paths
    for record in got:
        assert_exact_shape(record)
    assert {(c["count"], c["qualifier"]) for c in got[1]["counts"]} == {  # type: ignore[union-attr]
        (120, "more_than"), (6, "increment"), (162, "exact")}

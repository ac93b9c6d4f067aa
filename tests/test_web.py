"""`govdocs serve`: every route through Starlette's test client, against what the CLI prints."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from govdocs.cli import app as cli
from govdocs.index.indexer import update_index
from tests.conftest import CORPUS, FIXTURES, ROOT

GOVCN = ROOT / "tests" / "data" / "govcn"
HOSTILE = "<script>alert('x')</script>"
#: markup the parser keeps (it drops whole tags, as PDF and HTML debris)
ODD = "当 a<b & c>d 时"
#: a notice citing one the test corpus holds (the hostile copy of 国发〔2004〕10号)
CITING = """青海省人民政府关于贯彻落实全面推进依法行政实施纲要的意见

青政〔2004〕30号

各市、自治州人民政府，省政府各委、办、厅、局：

为贯彻落实《国务院关于印发全面推进依法行政实施纲要的通知》（国发〔2004〕10号），提出以下意见。

一、各地区、各部门要按照纲要的要求，制定本地区、本部门的实施办法。

青海省人民政府
2004年5月10日
"""


def build_web_corpus(folder):
    """An index of the corpus, the gov.cn documents, a notice citing one of them and one
    document whose text holds markup; (index folder, files folder)."""
    files = folder / "files"
    shutil.copytree(CORPUS, files / "corpus")
    for path in sorted(GOVCN.glob("*.txt")):
        shutil.copy(path, files / path.name)
    text = (FIXTURES / "single_web_document.txt").read_text(encoding="utf-8")
    (files / "hostile.txt").write_text(text.replace("实施办法，", f"实施办法{ODD}，", 1), encoding="utf-8")
    (files / "citing.txt").write_text(CITING, encoding="utf-8")
    index = folder / "index"
    update_index(sorted(p for p in files.rglob("*.txt")), [files], index)
    return index, files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The web application over `build_web_corpus`'s index, through a test client."""
    from starlette.testclient import TestClient

    from govdocs.web import create_app

    index, files = build_web_corpus(tmp_path_factory.mktemp("web"))
    return TestClient(create_app(index), raise_server_exceptions=False), index, files


def cli_json(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def texts(html: str, css_class: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", m)) for m in re.findall(rf'class="{css_class}"[^>]*>(.*?)</a>', html, re.S)]


def test_search_page_shows_the_hits_and_the_facets_the_cli_counts(site):
    client, index, _ = site
    page = client.get("/search", params={"q": "营商环境"})
    assert page.status_code == 200
    data = cli_json("search", "营商环境", "--format", "json", "--facets", "--limit", "20", "--index", str(index))
    assert texts(page.text, "title") == [h["title"] for h in data["hits"]]
    assert f'id="total">{data["total"]} matches' in page.text
    for name, counts in data["facets"].items():
        block = re.search(rf'data-facet="{name}">(.*?)</section>', page.text, re.S)
        assert block, name
        shown = re.findall(r'>([^<>]+)</a> <span class="count">(\d+)</span>', block.group(1))
        labels = {"effective": "in force", "no_change_known": "no change known"}
        assert [(unescape(v), int(n)) for v, n in shown] == [(labels.get(k, k), n) for k, n in list(counts.items())[:12]]
    assert "<mark>营商环境</mark>" in page.text


def test_facets_combine_and_come_off(site):
    client, index, _ = site
    both = client.get("/search?q=人民政府&kind=document&kind=chronicle&year=2019")
    data = cli_json("search", "人民政府", "--kind", "document", "--kind", "chronicle", "--year", "2019",
                    "--format", "json", "--index", str(index))
    assert f'id="total">{data["total"]} matches' in both.text
    chips = re.findall(r'class="chip" href="/search\?([^"]+)"', both.text)
    assert len(chips) == 3  # kind twice, year once: each chip's link removes its own value
    assert any("kind=document" in unescape(c) and "kind=chronicle" not in unescape(c) for c in chips)
    one = client.get("/search?q=人民政府&kind=document&year=2019")
    assert int(re.search(r'id="total">(\d+)', one.text).group(1)) < data["total"]


def test_pages_have_exact_totals_and_stay_bounded(site):
    client, _, _ = site
    first = client.get("/search?q=人民政府&size=5")
    total = int(re.search(r'id="total">(\d+)', first.text).group(1))
    assert total > 10 and "1–5 shown" in first.text and 'rel="next"' in first.text
    second = client.get("/search?q=人民政府&size=5&page=2")
    assert "6–10 shown" in second.text
    assert set(texts(first.text, "title")).isdisjoint(texts(second.text, "title"))
    capped = client.get("/search?q=人民政府&size=100000")
    assert len(re.findall(r'<li class="hit"', capped.text)) == min(total, 100)


def test_the_home_page_and_its_assets(site):
    client, _, _ = site
    home = client.get("/")
    assert home.status_code == 200 and 'id="q"' in home.text and 'href="/static/style.css"' in home.text
    assert "https://" not in home.text and "http://" not in home.text  # nothing loaded from the internet
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css") and "mark {" in css.text


def test_bad_input_is_one_line_on_the_page(site):
    client, _, _ = site
    bad = client.get("/search?q=刘宁 OR")
    assert bad.status_code == 400 and "OR needs a word on both sides" in bad.text
    assert client.get("/search?q=" + "政" * 2001).status_code == 400
    date = client.get("/search?q=政府&since=2019-13-45")
    assert date.status_code == 400 and "is not a date" in date.text
    assert client.get("/search?q=政府&status=bogus").status_code == 400
    assert client.get("/api/search?q=刘宁 OR").json()["error"].startswith("bad query")


def test_api_returns_what_the_cli_prints(site):
    client, index, _ = site
    api = client.get("/api/search", params={"q": "危险化学品 -安全生产", "size": "10"}).json()
    data = cli_json("search", "危险化学品 -安全生产", "--format", "json", "--facets", "--index", str(index))
    api.pop("took_ms"), data.pop("took_ms")
    assert api == data
    refs = cli_json("refs", "国办发〔2018〕104号", "--format", "json", "--index", str(index))
    assert client.get("/api/refs/国办发〔2018〕104号").json() == refs
    people = cli_json("people", "刘宁", "--format", "json", "--index", str(index))
    assert client.get("/api/people?name=刘宁").json() == people
    shown = cli_json("show", "国发〔2004〕10号", "--format", "json", "--index", str(index))
    assert client.get("/api/doc/" + shown["id"]).json() == shown
    assert shown["title"] == "国务院关于印发全面推进依法行政实施纲要的通知" and shown["status"]["status"]


def test_downloads_are_the_cli_formats(site):
    client, index, _ = site
    jsonl = client.get("/search.jsonl?q=营商环境")
    assert jsonl.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in jsonl.text.splitlines()]
    data = cli_json("search", "营商环境", "--format", "json", "--limit", "20", "--index", str(index))
    assert [h["id"] for h in lines] == [h["id"] for h in data["hits"]]
    csv = client.get("/search.csv?q=营商环境")
    printed = CliRunner().invoke(cli, ["search", "营商环境", "--format", "csv", "--limit", "20", "--index", str(index)])
    assert csv.text.replace("\r\n", "\n") == printed.stdout.replace("\r\n", "\n")
    assert csv.text.startswith("\ufeffid,kind,doc_number")


def test_document_page_links_its_citations_and_shows_its_status(site):
    client, index, _ = site
    catalog_doc = cli_json("refs", "国办发〔2018〕104号", "--format", "json", "--index", str(index))["documents"][0]
    citing = next(c for c in catalog_doc["cited_by"] if c["kind"] == "document")
    page = client.get(f"/doc/{citing['id']}")
    assert page.status_code == 200
    assert f'<h1 id="title">{citing["title"]}</h1>' in page.text
    shown = cli_json("show", citing["id"], "--format", "json", "--index", str(index))
    links = {unescape(t): h for h, t in re.findall(r'<a class="cite[^"]*" href="([^"]+)"[^>]*>(.*?)</a>', page.text)}
    for ref in shown["references"]:
        printed = "".join(ref["text"].split())
        if ref["target_id"]:
            assert links.get(printed) == f"/doc/{ref['target_id']}"
        elif ref["doc_number"] and ref["resolution"] != "self":
            assert unquote(links[printed]) == f"/refs/{ref['doc_number']}"  # not in corpus: its refs page
    assert 'class="cite missing"' in page.text or all(r["target_id"] for r in shown["references"])
    status = re.search(r'id="status">([^<]+)<', page.text).group(1)
    assert status in {"in force", "no change known", "amended", "repealed", "expired", "not yet effective"}
    source = re.search(r'id="source-link" href="([^"]+)"', page.text).group(1)
    view = client.get(unescape(source))
    line = shown["source"]["line_start"]
    assert view.status_code == 200 and f'id="L{line}" class="marked target"' in view.text


def test_a_cited_document_in_the_corpus_is_one_click_away(site):
    client, index, _ = site
    shown = cli_json("show", "青政〔2004〕30号", "--format", "json", "--index", str(index))
    cited = cli_json("show", "国发〔2004〕10号", "--format", "json", "--index", str(index))
    assert [r["target_id"] for r in shown["references"]] == [cited["id"]]
    page = client.get(f"/doc/{shown['id']}")
    printed = "《国务院关于印发全面推进依法行政实施纲要的通知》（国发〔2004〕10号）"
    assert f'<a class="cite" href="/doc/{cited["id"]}">{printed}</a>' in page.text
    target = client.get(f"/doc/{cited['id']}")
    assert "国务院关于印发全面推进依法行政实施纲要的通知" in target.text
    assert f'href="/doc/{shown["id"]}"' in target.text  # and back: it is cited by the notice


def test_document_text_is_escaped(site, monkeypatch):
    client, index, _ = site
    hit = cli_json("search", "国发〔2004〕10号", "--kind", "document", "--format", "json", "--index", str(index))["hits"][0]
    assert hit["match"] == "number"
    page = client.get(f"/doc/{hit['id']}")
    assert "当 a&lt;b &amp; c&gt;d 时" in page.text and ODD not in page.text
    search = client.get("/search?q=a")
    assert "<mark>a</mark>&lt;b &amp; c&gt;d" in search.text
    # whatever a record holds is text: a title and body with a script in them
    corpus = client.app.state.corpus
    view = corpus.document(hit["id"])[0]
    view.record = {**view.record, "title": HOSTILE, "body": f"第一段{HOSTILE}。"}
    monkeypatch.setattr(corpus, "document", lambda wanted, as_of=None: [view])
    page = client.get(f"/doc/{hit['id']}")
    assert HOSTILE not in page.text and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text


def test_unknown_ids_and_internal_errors(site, monkeypatch):
    client, _, _ = site
    missing = client.get("/doc/no-such-id")
    assert missing.status_code == 404 and "no-such-id: not in the index" in missing.text
    assert client.get("/refs/青政〔1901〕1号").status_code == 404
    assert client.get("/source?path=/etc/passwd").status_code == 404  # only indexed files are shown
    assert client.get("/nowhere").status_code == 404
    corpus = client.app.state.corpus
    monkeypatch.setattr(corpus, "check", lambda: 1 / 0)
    broken = client.get("/check")
    assert broken.status_code == 500 and "internal error" in broken.text and "Traceback" not in broken.text
    assert "ZeroDivisionError" not in broken.text


def test_people_chronicle_and_check_pages(site):
    client, index, _ = site
    people = client.get("/people?name=刘宁")
    register = cli_json("people", "刘宁", "--format", "json", "--index", str(index))
    assert people.text.count("<li>") >= len(register["chronicle"]) > 0
    assert client.get("/people").text.count('href="/people?name=') > 10
    month = register["chronicle"][0]["date"][:7]
    chronicle = client.get(f"/chronicle?month={month}")
    assert chronicle.status_code == 200 and 'href="/people?name=%E5%88%98%E5%AE%81"' in chronicle.text
    assert client.get("/chronicle?month=2019-7").status_code == 400
    check = client.get("/check")
    report = cli_json("check", *[str(p) for p in sorted((index.parent / "files").rglob("*.txt"))], "--format", "json")
    assert f'{report["counts"]["error"]} error' in check.text
    assert check.text.count("<tr class=") == len(report["findings"])


def test_a_changed_source_is_said_so(site, tmp_path):
    client, index, files = site
    data = cli_json("show", "国发〔2004〕10号", "--format", "json", "--index", str(index))
    path = data["source"]["path"]
    original = open(path, encoding="utf-8").read()
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write("\n补记一行。\n")
        view = client.get("/source", params={"path": path})
        assert "This file changed since it was indexed" in view.text
        page = client.get(f"/doc/{data['id']}")
        assert "was changed since it was indexed" in page.text
        assert "国务院关于印发全面推进依法行政实施纲要的通知" in page.text
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)


def test_a_new_commit_is_seen_by_the_next_search(site, tmp_path):
    client, index, files = site
    before = client.get("/api/search?q=独一无二的测试短语").json()["total"]
    extra = files / "extra.txt"
    text = (FIXTURES / "single_web_document.txt").read_text(encoding="utf-8")
    extra.write_text(text.replace("国发〔2004〕10号", "国发〔2004〕99号").replace("贯彻执行情况", "独一无二的测试短语"),
                     encoding="utf-8")
    try:
        update_index(sorted(p for p in files.rglob("*.txt")), [files], index)
        after = client.get("/api/search?q=独一无二的测试短语").json()
        assert (before, after["total"]) == (0, 1)
        assert client.get("/api/refs/国发〔2004〕99号").status_code == 200  # the catalog is read again too
    finally:
        extra.unlink()
        update_index(sorted(p for p in files.rglob("*.txt")), [files], index)


def test_a_moved_source_and_a_damaged_index_are_said_so(tmp_path):
    """A page over an index whose file moved says so; an index damaged while the server runs
    gives the CLI's one line (503), not a traceback."""
    from starlette.testclient import TestClient

    from govdocs.web import create_app

    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(FIXTURES / "single_web_document.txt", files / "doc.txt")
    index = tmp_path / "index"
    update_index([files / "doc.txt"], [files], index)
    client = TestClient(create_app(index), raise_server_exceptions=False)
    doc_id = client.get("/api/search?q=依法行政").json()["hits"][0]["id"]
    (files / "doc.txt").rename(files / "elsewhere.txt")
    page = client.get(f"/doc/{doc_id}")
    assert page.status_code == 200 and "was moved or removed since it was indexed" in page.text
    source = client.get("/source", params={"path": str(files / "doc.txt")})
    assert "This file was moved or removed since it was indexed" in source.text
    (index / "govdocs.json").write_text("{broken", encoding="utf-8")
    answer = client.get("/search?q=依法行政")
    assert answer.status_code == 503
    assert "damaged or half-built — run `govdocs index --rebuild`" in unescape(answer.text)
    assert "Traceback" not in answer.text
    assert "damaged or half-built" in client.get("/api/search?q=依法行政").json()["error"]


@pytest.mark.slow
def test_serve_prints_its_url_and_stops_on_ctrl_c(site):
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    _client, index, _files = site
    with socket_port() as port:
        pass
    server = subprocess.Popen([sys.executable, "-m", "govdocs", "serve", "--index", str(index), "--port", str(port)],
                              stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        first = server.stderr.readline()
        assert first.strip() == f"govdocs: serving {index} at http://127.0.0.1:{port}/ — Ctrl-C stops"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=%E5%88%98%E5%AE%81") as answer:
                    assert json.loads(answer.read())["total"] > 0
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)
        server.send_signal(signal.SIGINT)
        assert server.wait(15) == 0
        assert "Traceback" not in server.stderr.read()
    finally:
        server.kill()


def socket_port():
    """A context whose value is a free local port."""
    import contextlib
    import socket

    @contextlib.contextmanager
    def port():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            yield s.getsockname()[1]

    return port()


def test_a_carried_texts_sections_are_anchored(site):
    client, index, _ = site
    found = cli_json("search", "深化收费公路制度改革", "--kind", "document", "--format", "json", "--index", str(index))
    hit = found["hits"][0]
    page = client.get(f"/doc/{hit['id']}").text
    links = set(re.findall(r'href="#(a-s-[^"]+)"', page))
    anchors = set(re.findall(r'id="(a-s-[^"]+)"', page))
    assert len(links) >= 3 and links <= anchors  # every section of the contents leads to its paragraph
    assert '<p id="a-s-一">一、总体要求</p>' in page


def test_what_the_review_found(site, tmp_path):
    """Odd parameters are 400s, not 500s; downloads name their formats; a short issuer name
    works as in the CLI; a number several documents hold offers the choice."""
    client, index, _ = site
    for url in ('/people?name=a"b', "/people?name=(", "/api/people?post=-", "/chronicle?month=2019-13",
                "/chronicle?month=2019-00"):
        answer = client.get(url)
        assert answer.status_code in (200, 400) and "Traceback" not in answer.text, url
    assert client.get("/chronicle?month=2019-13").status_code == 400
    assert "give a person's name or a post" in client.get("/api/people?post=-").json()["error"]
    assert client.get("/search.xml?q=政府").status_code == 404
    short = client.get("/api/search?q=&issuer=省政府办公厅").json()
    cli = cli_json("search", "", "--issuer", "省政府办公厅", "--format", "json", "--index", str(index))
    assert short["total"] == cli["total"] > 0
    unknown = client.get("/search?q=&issuer=不存在的机关")
    assert unknown.status_code == 400
    assert 'this page as <a href="/search.csv?' in client.get("/search?q=政府").text
    from starlette.testclient import TestClient

    from govdocs.web import create_app

    text = (FIXTURES / "single_web_document.txt").read_text(encoding="utf-8")
    for name in ("a.txt", "b.txt"):  # two copies: the same number held twice
        (tmp_path / name).write_text(text, encoding="utf-8")
    update_index([tmp_path / "a.txt", tmp_path / "b.txt"], [tmp_path], tmp_path / "index")
    twice = TestClient(create_app(tmp_path / "index"), raise_server_exceptions=False)
    choice = twice.get("/doc/国发〔2004〕10号")
    assert "2 documents of the index hold this number" in choice.text
    assert choice.text.count('<li><a href="/doc/') == 2
    assert len(twice.get("/api/doc/国发〔2004〕10号").json()) == 2


def test_a_rebuilt_index_is_served_anew(tmp_path):
    """`index --rebuild` may commit at the generation the server has open: it opens anew."""
    from starlette.testclient import TestClient

    from govdocs.web import create_app

    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    text = (FIXTURES / "single_web_document.txt").read_text(encoding="utf-8")
    one.write_text(text, encoding="utf-8")
    two.write_text(text.replace("国发〔2004〕10号", "国发〔2004〕11号").replace("贯彻执行情况", "重建之后的词"),
                   encoding="utf-8")
    index = tmp_path / "index"
    update_index([one], [tmp_path], index)
    client = TestClient(create_app(index), raise_server_exceptions=False)
    assert client.get("/api/search?q=贯彻执行情况").json()["total"] == 1
    update_index([two], [tmp_path], index, rebuild=True)
    assert client.get("/api/search?q=贯彻执行情况").json()["total"] == 0
    assert client.get("/api/search?q=重建之后的词").json()["total"] == 1
    assert client.get("/api/refs/国发〔2004〕11号").status_code == 200

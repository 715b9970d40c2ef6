"""The Apache rules that ``bp-graph publish`` writes, on a real Apache httpd on 127.0.0.1: the
site folder's ``.htaccess`` and the w3id.org repository's rules answer 303 to the document the
client accepts, with ``Vary: Accept``, at the site's own URL (not at the folder's path on disk)."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bp_graph.publishing import site_htaccess, w3id_htaccess

from .conftest import free_port, stop_process
from .sitetools import Published, published

APACHE = shutil.which("apache2") or shutil.which("httpd") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
RESOURCES = ("state/TUR", "meeting/2016-12-15-antalya", "source/skopje-2019")
MEDIA = {"html": "text/html", "ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
         "rdf": "application/rdf+xml"}


@dataclass
class Apache:
    site: str
    """The URL of the site folder (its own .htaccess)."""
    w3id: str
    """The URL of a folder holding the w3id.org rules, redirecting to the site."""
    sub: str
    """The URL of the same site under a path (``/data/bp-graph/``)."""


@pytest.fixture(scope="module")
def apache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Apache]:
    if os.environ.get("BP_GRAPH_SKIP_APACHE") == "1":
        pytest.skip("BP_GRAPH_SKIP_APACHE=1: the Apache tests are switched off")
    if not Path(APACHE).is_file() or not MODULES.is_dir():
        pytest.fail("Apache httpd not found: apt-get install apache2 (or set BP_GRAPH_SKIP_APACHE=1 to skip)")
    site: Published = published(tmp_path_factory)
    ports = [free_port(), free_port()]
    urls = Apache(site=f"http://127.0.0.1:{ports[0]}/", w3id=f"http://127.0.0.1:{ports[1]}/",
                  sub=f"http://127.0.0.1:{ports[0]}/data/bp-graph/")
    # Apache started as root serves as www-data: the folders must be readable by all, unlike pytest's.
    root = Path(tempfile.mkdtemp(prefix="bp-graph-apache-"))
    try:
        for folder, htaccess in (("site", site_htaccess(urls.site)), ("sub", site_htaccess(urls.sub))):
            for resource in RESOURCES:
                for ext in MEDIA:
                    target = root / folder / f"{resource}.{ext}"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(site.out / f"{resource}.{ext}", target)
            (root / folder / ".htaccess").write_text(htaccess, encoding="utf-8")
        (root / "w3id").mkdir()
        (root / "w3id" / ".htaccess").write_text(w3id_htaccess(urls.site), encoding="utf-8")
        (root / "logs").mkdir()
        for path in [root, *root.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        (root / "httpd.conf").write_text(_config(root, ports), encoding="utf-8")
        log = root / "logs" / "error.log"
        process = subprocess.Popen([APACHE, "-f", str(root / "httpd.conf"), "-DFOREGROUND"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait_until_up(urls.site + "state/TUR.ttl", process, log)
            yield urls
        finally:
            stop_process(process)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _config(root: Path, ports: list[int]) -> str:
    modules = ["mpm_event", "authz_core", "mime", "rewrite", "headers", "alias"]
    user = []
    if os.geteuid() == 0:  # Apache refuses to serve as root
        name = "www-data" if _user_exists("www-data") else "nobody"
        user = [f"User {name}", f"Group #{pwd.getpwnam(name).pw_gid}"]
    directory = ["  AllowOverride All", "  Require all granted", "  Options FollowSymLinks"]
    return "\n".join([
        f"ServerRoot {root}", f"PidFile {root}/httpd.pid", f"ErrorLog {root}/logs/error.log", "LogLevel warn",
        *[f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in modules], "TypesConfig /dev/null", *user,
        "ServerName 127.0.0.1", *[f"Listen 127.0.0.1:{port}" for port in ports],
        f"<VirtualHost 127.0.0.1:{ports[0]}>", f"  DocumentRoot {root}/site",
        f"  Alias /data/bp-graph/ {root}/sub/", "</VirtualHost>",
        f"<VirtualHost 127.0.0.1:{ports[1]}>", f"  DocumentRoot {root}/w3id", "</VirtualHost>",
        *[line for folder in ("site", "sub", "w3id") for line in (f"<Directory {root}/{folder}>", *directory,
                                                                    "</Directory>")], ""])


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode() if process.stderr else ""
            pytest.fail(f"apache2 exited with {process.returncode}: {error}"
                        f"{log.read_text() if log.exists() else ''}")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"Apache did not answer {url} within 30 s")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.mark.parametrize("accept, ext", [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"), ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"), ("application/n-triples", "nt"), ("application/rdf+xml", "rdf"),
    ("*/*", "html"), (None, "html")])
def test_the_site_folder_negotiates_at_its_own_url(apache: Apache, accept: str | None, ext: str) -> None:
    for site in (apache.site, apache.sub):
        for resource in RESOURCES:
            status, headers, _ = fetch(site + resource, accept)
            assert status == 303 and headers["Location"] == f"{site}{resource}.{ext}", (site, resource, headers)
            assert "Accept" in headers.get("Vary", ""), headers
            status, headers, body = fetch(headers["Location"])
            assert status == 200 and headers["Content-Type"].startswith(MEDIA[ext]) and body


def test_the_format_parameter_picks_the_document(apache: Apache) -> None:
    for ext in MEDIA:
        status, headers, _ = fetch(f"{apache.site}state/TUR?format={ext}", "text/html")
        assert (status, headers["Location"]) == (303, f"{apache.site}state/TUR.{ext}")
    assert fetch(f"{apache.site}state/NO-SUCH-STATE", "text/turtle")[0] == 404


def test_the_w3id_rules_send_iris_to_the_site_document(apache: Apache) -> None:
    for accept, ext in (("text/turtle", "ttl"), ("application/ld+json", "jsonld"), ("text/html", "html")):
        status, headers, _ = fetch(apache.w3id + "state/TUR", accept)
        assert (status, headers["Location"]) == (303, f"{apache.site}state/TUR.{ext}")
        assert "Accept" in headers.get("Vary", "")
        assert fetch(headers["Location"])[0] == 200
    status, headers, _ = fetch(apache.w3id + "sparql?query=ASK%7B%7D")
    assert (status, headers["Location"]) == (307, f"{apache.site}sparql?query=ASK%7B%7D")

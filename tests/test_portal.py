"""The portal through an HTTP test client: every route, the role matrix, sessions, CSRF, throttling,
401/403/404/413, uploads recorded exactly as ``consolidate`` records them, and escaping."""

from __future__ import annotations

import io
import json
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the portal extra is not installed: pip install 'tcstandards[portal]'")

from click.testing import CliRunner
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from support import base, write_xlsx

from tcstandards.cli import main
from tcstandards.hq import accounts
from tcstandards.hq.store import open_store
from tcstandards.portal import Settings, create_app

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "returns" / "1997-Q3"
PASSWORD = "correct horse battery"
ACCOUNTS = {"admin": ("admin", None), "desk": ("hq", None), "dakar": ("office", "DAKAR"),
            "ipec": ("office", "IPEC"), "abidjan": ("office", "ABIDJAN")}  # fmt: skip
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Portal:
    store: str
    app: object
    tokens: dict[str, str]

    def client(self, base_url: str = "http://testserver") -> TestClient:
        return TestClient(self.app, base_url=base_url, follow_redirects=False)  # type: ignore[arg-type]

    def signed_in(self, name: str, lang: str | None = None) -> TestClient:
        client = self.client()
        sign_in(client, name)
        if lang:
            client.get(f"/returns?lang={lang}")
        return client

    def submissions(self) -> list[dict[str, object]]:
        with open_store(self.store) as store:
            return [s.as_dict() for s in store.submissions()]


def csrf_of(client: TestClient, path: str = "/returns") -> str:
    found = CSRF.search(client.get(path).text)
    assert found, path
    return found[1]


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> object:
    token = csrf_of(client, "/sign-in")
    return client.post("/sign-in", data={"name": name, "password": password, "csrf": token, "next": "/"})


def upload(client: TestClient, *paths: Path, names: list[str] | None = None) -> object:
    files = [("file", ((names or [p.name for p in paths])[n], p.read_bytes())) for n, p in enumerate(paths)]
    return client.post("/returns", data={"csrf": csrf_of(client)}, files=files)


def api_upload(client: TestClient, token: str, *paths: Path, lang: str = "en") -> object:
    files = [("file", (p.name, p.read_bytes())) for p in paths]
    return client.post(f"/api/returns?lang={lang}", files=files, headers={"Authorization": f"Bearer {token}"})


@pytest.fixture(scope="module")
def password_hash() -> str:
    from argon2 import PasswordHasher

    # Argon2 with light costs: a hash carries its costs, and signing in checks it with them (the
    # defaults, 64 MiB and 3 passes, are slow on purpose: tens of sign-ins would cost seconds)
    return str(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD))


def make_portal(folder: Path, password_hash: str, location: str | None = None, **settings: object) -> Portal:
    location = location or str(folder / "hq.sqlite")
    tokens = {}
    with open_store(location, create=True) as store:
        for name, (role, office) in ACCOUNTS.items():
            store.add_account(
                accounts.Account(name, role, office, password_hash, False, "2026-12-01T00:00:00Z")
            )
            tokens[name] = accounts.new_token(store, name, "test")
    return Portal(location, create_app(Settings(store=location, **settings)), tokens)  # type: ignore[arg-type]


@pytest.fixture
def portal(tmp_path: Path, password_hash: str, store_location: str) -> Portal:
    """The portal on a store of each engine."""
    return make_portal(tmp_path, password_hash, store_location)


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    folder = tmp_path / "samples"
    shutil.copytree(SAMPLES, folder)
    return folder


# --- sessions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/returns", "/returns/1", "/template", "/status", "/reports", "/accounts"]
)
def test_every_page_asks_to_sign_in_first(portal: Portal, path: str) -> None:
    answer = portal.client().get(path)
    assert (answer.status_code, answer.headers["location"]) == (303, f"/sign-in?next={path}")


def test_signing_in_opens_the_accounts_home_and_signing_out_closes_it(portal: Portal) -> None:
    client = portal.client()
    answer = sign_in(client, "dakar")
    assert (answer.status_code, answer.headers["location"]) == (303, "/")  # type: ignore[attr-defined]
    assert client.get("/").headers["location"] == "/returns"
    cookie = answer.headers["set-cookie"]  # type: ignore[attr-defined]
    assert (
        "httponly" in cookie.lower() and "samesite=lax" in cookie.lower() and "secure" not in cookie.lower()
    )
    assert client.post("/sign-out", data={"csrf": csrf_of(client)}).headers["location"] == "/sign-in?out=1"
    assert "You are signed out." in client.get("/sign-in?out=1").text
    assert client.get("/returns").status_code == 303
    hq = portal.signed_in("desk")
    assert hq.get("/").headers["location"] == "/status"


def test_behind_tls_the_cookie_is_secure(tmp_path: Path, password_hash: str) -> None:
    secure = make_portal(tmp_path, password_hash, secure_cookies=True)
    answer = sign_in(secure.client("https://testserver"), "dakar")
    assert "; secure" in answer.headers["set-cookie"].lower()  # type: ignore[attr-defined]


def test_a_wrong_password_is_refused_and_logged(portal: Portal) -> None:
    client = portal.client()
    answer = sign_in(client, "dakar", "not the password")
    assert answer.status_code == 401  # type: ignore[attr-defined]
    assert "The account name or the password is wrong" in answer.text  # type: ignore[attr-defined]
    assert client.get("/returns").status_code == 303
    with open_store(portal.store) as store:
        assert [(e.action, e.subject, e.detail) for e in store.events(action="sign-in-failed")] == [
            ("sign-in-failed", "dakar", "testclient")
        ]


def test_sign_in_attempts_are_throttled_by_name_and_by_address(portal: Portal) -> None:
    client = portal.client()
    for _ in range(accounts.THROTTLE_ATTEMPTS):
        assert sign_in(client, "dakar", "wrong password!").status_code == 401  # type: ignore[attr-defined]
    refused = sign_in(client, "dakar")  # the right password, too late
    assert refused.status_code == 429  # type: ignore[attr-defined]
    assert refused.headers["retry-after"] == "900"  # type: ignore[attr-defined]
    assert "Too many failed sign-ins" in refused.text  # type: ignore[attr-defined]
    assert sign_in(client, "ipec").status_code == 303  # type: ignore[attr-defined] # another name, same address
    with open_store(portal.store, write=True) as store:  # someone tries many accounts from one address
        hashed = store.account("dakar").password_hash  # type: ignore[union-attr]
        extra = [f"clerk{n}" for n in range(accounts.THROTTLE_ADDRESS_ATTEMPTS // accounts.THROTTLE_ATTEMPTS)]
        for name in extra:
            store.add_account(accounts.Account(name, "hq", None, hashed, False, "2026-12-01T00:00:00Z"))
    for number in range(accounts.THROTTLE_ADDRESS_ATTEMPTS - accounts.THROTTLE_ATTEMPTS):
        assert sign_in(client, extra[number % len(extra)], "wrong!").status_code == 401  # type: ignore[attr-defined]
    assert sign_in(client, "desk").status_code == 429  # type: ignore[attr-defined]


def test_a_disabled_account_is_out_at_once(portal: Portal) -> None:
    client = portal.signed_in("dakar")
    assert client.get("/returns").status_code == 200
    with open_store(portal.store, write=True) as store:
        accounts.disable(store, "dakar", "test")
    assert client.get("/returns").status_code == 303
    assert sign_in(portal.client(), "dakar").status_code == 401  # type: ignore[attr-defined]
    assert (
        api_upload(portal.client(), portal.tokens["dakar"], SAMPLES / "DAKAR_1997-Q3.xlsx").status_code == 401
    )  # type: ignore[attr-defined]


def test_after_signing_in_only_a_path_of_this_site_is_followed(portal: Portal) -> None:
    client = portal.client()
    token = csrf_of(client, "/sign-in")
    for target, expected in [
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
        ("/status", "/status"),
    ]:
        answer = client.post("/sign-in", data={"name": "desk", "password": PASSWORD, "csrf": token,
                                               "next": target})  # fmt: skip
        assert answer.headers["location"] == expected
        token = csrf_of(client, "/sign-in")


# --- CSRF ---------------------------------------------------------------------------------------------


def test_every_form_needs_its_token(portal: Portal) -> None:
    client = portal.client()
    client.get("/sign-in")
    answer = client.post("/sign-in", data={"name": "dakar", "password": PASSWORD, "csrf": "forged"})
    assert answer.status_code == 403 and "This form has expired" in answer.text
    client = portal.signed_in("dakar")
    sample = SAMPLES / "DAKAR_1997-Q3.xlsx"
    refused = client.post(
        "/returns", data={"csrf": "forged"}, files=[("file", (sample.name, sample.read_bytes()))]
    )
    assert refused.status_code == 403
    assert client.post("/returns", files=[("file", (sample.name, sample.read_bytes()))]).status_code == 403
    assert client.post("/sign-out", data={}).status_code == 403
    assert client.get("/returns").status_code == 200  # still signed in
    assert portal.submissions() == []


# --- office: upload, findings, annotated copy, template ------------------------------------------------


def test_a_clean_return_is_merged_with_its_account_and_files(portal: Portal) -> None:
    client = portal.signed_in("dakar")
    answer = upload(client, SAMPLES / "DAKAR_1997-Q3.xlsx")
    assert (answer.status_code, answer.headers["location"]) == (303, "/returns/1?outcome=merged")  # type: ignore[attr-defined]
    [submission] = portal.submissions()
    assert (submission["office"], submission["period"], submission["outcome"], submission["submitted_by"],
            submission["file_name"], submission["current"]) == ("DAKAR", "1997-Q3", "merged", "dakar",
                                                                "DAKAR_1997-Q3.xlsx", True)  # fmt: skip
    with open_store(portal.store) as store:
        assert store.uploads(1) == [("DAKAR_1997-Q3.xlsx", (SAMPLES / "DAKAR_1997-Q3.xlsx").read_bytes())]
        assert [(e.account, e.action, e.subject) for e in store.events(action="uploaded")] == [
            ("dakar", "uploaded", "#1")
        ]
    page = client.get("/returns/1").text
    assert "Submitted: the return of DAKAR for 1997-Q3 is merged into HQ" in page
    assert "No finding." in page


def test_a_faulty_return_is_quarantined_and_its_findings_shown_at_their_cells(portal: Portal) -> None:
    expected = json.loads(
        (SAMPLES.parent.parent / "expected" / "1997-Q3" / "IPEC_1997-Q3.findings.json").read_text()
    )
    client = portal.signed_in("ipec")
    assert (
        upload(client, SAMPLES / "IPEC_1997-Q3.xlsx").headers["location"] == "/returns/1?outcome=quarantined"
    )  # type: ignore[attr-defined]
    page = client.get("/returns/1").text
    errors = [f for f in expected["findings"] if f["severity"] == "error"]
    assert f"Quarantined: {len(errors)} errors to correct" in page
    rows = re.findall(
        r'<tr class="(error|warning)">\s*<td>([^<]*)</td>.*?<a href="/rules/([^"?]+)', page, re.S
    )
    assert sorted(rows) == sorted((f["severity"], f["location"], f["rule"]) for f in expected["findings"])
    only_warnings = client.get("/returns/1?severity=warning").text
    assert only_warnings.count('<tr class="warning">') == len(expected["findings"]) - len(errors)
    assert '<tr class="error">' not in only_warnings
    french = client.get("/returns/1?lang=fr").text
    assert f"En quarantaine : {len(errors)} erreurs à corriger" in french and "Constats" in french
    assert client.get("/rules/start-after-end").status_code == 200


def test_the_annotated_workbook_carries_each_stored_finding_on_its_cell(portal: Portal) -> None:
    client = portal.signed_in("ipec")
    upload(client, SAMPLES / "IPEC_1997-Q3.xlsx")
    answer = client.get("/returns/1/annotated")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="IPEC_1997-Q3-annotated.xlsx"'
    book = load_workbook(io.BytesIO(answer.content))
    comment = book["Projects"]["N3"].comment
    assert comment is not None and "start-after-end" in comment.text


def test_the_template_is_the_offices_for_the_next_quarter(portal: Portal) -> None:
    client = portal.signed_in("dakar")
    upload(client, SAMPLES / "DAKAR_1997-Q3.xlsx")
    answer = client.get("/template")
    assert answer.headers["content-disposition"] == 'attachment; filename="DAKAR_1997-Q4.xlsx"'
    cover = load_workbook(io.BytesIO(answer.content))["Cover"]
    values = [cell.value for row in cover.iter_rows() for cell in row]
    assert "DAKAR" in values and "1997-Q4" in values
    other = client.get("/template?office=ABIDJAN")  # an office account gets its own office's, always
    assert other.headers["content-disposition"] == 'attachment; filename="DAKAR_1997-Q4.xlsx"'
    hq = portal.signed_in("desk").get("/template?office=LIMA&period=1998-Q1")
    assert hq.headers["content-disposition"] == 'attachment; filename="LIMA_1998-Q1.xlsx"'


def test_an_office_submits_its_own_returns_only(portal: Portal) -> None:
    answer = upload(portal.signed_in("dakar"), SAMPLES / "ABIDJAN_1997-Q3.xlsx")
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "This return is for office ABIDJAN; your account submits the returns of DAKAR only" in answer.text  # type: ignore[attr-defined]
    api = api_upload(portal.client(), portal.tokens["dakar"], SAMPLES / "ABIDJAN_1997-Q3.xlsx", lang="fr")
    assert api.status_code == 422 and "Ce rapport est celui du bureau ABIDJAN" in api.json()["detail"]  # type: ignore[attr-defined]
    assert portal.submissions() == []


def test_an_office_never_sees_another_offices_returns(portal: Portal) -> None:
    upload(portal.signed_in("ipec"), SAMPLES / "IPEC_1997-Q3.xlsx")
    dakar = portal.signed_in("dakar")
    upload(dakar, SAMPLES / "DAKAR_1997-Q3.xlsx")
    notice = re.compile(r'<p class="notice bad">([^<]*)</p>')
    missing = notice.findall(dakar.get("/returns/99").text)
    assert missing == ["There is no submission #99."]
    for path in ["/returns/1", "/returns/1/annotated"]:
        answer = dakar.get(path)
        assert answer.status_code == 404
        assert notice.findall(answer.text) == ["There is no submission #1."]  # as for one that does not exist
    listing = dakar.get("/returns?office=IPEC").text
    assert "IPEC_1997-Q3.xlsx" not in listing and "DAKAR_1997-Q3.xlsx" in listing
    assert api_get(portal, "dakar", "/api/returns/1").status_code == 404
    assert api_get(portal, "dakar", "/api/returns/2").status_code == 200


def api_get(portal: Portal, name: str, path: str) -> object:
    return portal.client().get(path, headers={"Authorization": f"Bearer {portal.tokens[name]}"})


ROLE_MATRIX = {  # path -> the status for office, hq, admin
    "/returns": (200, 200, 200),
    "/status": (403, 200, 200),
    "/conflicts": (403, 200, 200),
    "/reports": (403, 200, 200),
    "/reports/export?format=json": (403, 200, 200),
    "/reports/paper?first=1997&last=1997&format=json": (403, 200, 200),
    "/accounts": (403, 403, 200),
    "/rules/start-after-end": (200, 200, 200),
    "/rules/no-such-rule": (404, 404, 404),
}


def test_the_role_matrix(portal: Portal) -> None:
    upload(portal.signed_in("dakar"), SAMPLES / "DAKAR_1997-Q3.xlsx")
    clients = [portal.signed_in(name) for name in ("dakar", "desk", "admin")]
    found = {path: tuple(c.get(path).status_code for c in clients) for path in ROLE_MATRIX}
    assert found == ROLE_MATRIX


# --- HQ ---------------------------------------------------------------------------------------------


def test_hq_sees_the_status_grid_as_status_computes_it(portal: Portal, samples: Path) -> None:
    hq = portal.signed_in("desk")
    for name in ("DAKAR_1997-Q3.xlsx", "IPEC_1997-Q3.xlsx"):
        upload(hq, samples / name)  # HQ may submit for any office
    page = hq.get("/status").text
    states = dict(
        re.findall(
            r'<th scope="row">([A-Z]+)<br>.*?</th>\s*<td class="state-[a-z-]+" data-state="([a-z-]+)"', page
        )
    )
    command = CliRunner().invoke(main, ["status", "--store", portal.store, "--format", "json"])
    document = json.loads(command.stdout)
    expected = {o["office"]: o["quarters"]["1997-Q3"]["state"] for o in document["offices"]}
    assert states == expected
    assert (states["DAKAR"], states["IPEC"], states["LIMA"]) == ("late", "quarantined", "missing")
    totals = dict(re.findall(r'<tr><th scope="row">([A-Za-z ]+)</th><td class="number">(\d+)</td>', page))
    assert totals == {"Expected": "14", "Received": "2", "On time": "0", "Late": "1", "Quarantined": "1",
                      "Missing": "12"}  # fmt: skip


def test_hq_downloads_the_report_and_the_exports(portal: Portal, samples: Path, tmp_path: Path) -> None:
    hq = portal.signed_in("desk")
    upload(hq, samples / "DAKAR_1997-Q3.xlsx")
    paper = hq.get("/reports/paper?first=1997&last=1997&format=json&lang=fr")
    assert paper.status_code == 200
    command = CliRunner().invoke(main, ["report", "--store", portal.store, "--from", "1997", "--to", "1997",
                                        "--lang", "fr", "-o", str(tmp_path / "r.json")])  # fmt: skip
    assert command.exit_code == 0, command.output
    from_portal, from_command = paper.json(), json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    for document in (from_portal, from_command):
        document.pop("generated_at")  # the second each was written in
    assert from_portal == from_command
    for fmt, kind in [("html", "text/html"), ("xlsx", "spreadsheetml"), ("docx", "wordprocessingml")]:
        answer = hq.get(f"/reports/paper?first=1997&last=1997&format={fmt}")
        assert answer.status_code == 200 and kind in answer.headers["content-type"], fmt
    zipped = hq.get("/reports/export?format=csv")
    assert zipped.headers["content-disposition"] == 'attachment; filename="tcstandards-export-csv.zip"'
    assert hq.get("/reports/export?format=iati").headers["content-type"] == "application/xml"
    assert hq.get("/reports/paper?first=1997&last=1997&format=pdf").status_code == 400
    assert hq.get("/reports/paper?first=1997&last=1997&view=donor&code=NOWHERE").status_code == 422


def test_admins_see_the_accounts_and_the_ledger_of_actions(portal: Portal) -> None:
    upload(portal.signed_in("dakar"), SAMPLES / "DAKAR_1997-Q3.xlsx")
    page = portal.signed_in("admin").get("/accounts").text
    assert all(name in page for name in ACCOUNTS)
    assert re.search(
        r'<td>dakar</td><td>submitted a return</td><td><a href="/returns/1">#1</a></td><td>merged</td>', page
    )
    assert re.search(r"<td>dakar</td><td>signed in</td>", page)


# --- the JSON API -------------------------------------------------------------------------------------


def test_the_api_needs_a_valid_token(portal: Portal) -> None:
    client = portal.client()
    sample = SAMPLES / "DAKAR_1997-Q3.xlsx"
    for headers in [
        {},
        {"Authorization": "Bearer nonsense"},
        {"Authorization": f"Basic {portal.tokens['dakar']}"},
    ]:
        answer = client.post(
            "/api/returns", files=[("file", (sample.name, sample.read_bytes()))], headers=headers
        )
        assert answer.status_code == 401 and answer.headers["www-authenticate"].startswith("Bearer")
        assert client.get("/api/returns/1", headers=headers).status_code == 401
        assert client.get("/api/status?period=1997-Q3", headers=headers).status_code == 401
    assert portal.submissions() == []


def test_the_api_submits_and_answers_the_same_json_as_validate_against_the_store(
    portal: Portal, samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(samples)
    command = ["validate", "--format", "json", "--store", portal.store, "IPEC_1997-Q3.xlsx"]
    expected = json.loads(CliRunner().invoke(main, command).stdout)  # what HQ's store says of it now
    answer = api_upload(portal.client(), portal.tokens["ipec"], samples / "IPEC_1997-Q3.xlsx")
    assert answer.status_code == 201  # type: ignore[attr-defined]
    body = answer.json()  # type: ignore[attr-defined]
    assert (body["submission"], body["outcome"]) == (1, "quarantined")
    assert body["report"]["summary"] == expected["summary"]
    assert body["report"]["returns"][0]["findings"] == expected["returns"][0]["findings"]
    again = api_upload(portal.client(), portal.tokens["ipec"], samples / "IPEC_1997-Q3.xlsx")
    assert (again.status_code, again.json()["outcome"], again.json()["submission"]) == (200, "duplicate", 1)  # type: ignore[attr-defined]
    stored = api_get(portal, "ipec", "/api/returns/1").json()  # type: ignore[attr-defined]
    assert stored["submission"]["submitted_by"] == "ipec"
    assert [(f["rule"], f["location"]) for f in stored["findings"]] == [
        (f["rule"], f["location"]) for f in expected["returns"][0]["findings"]
    ]


def test_the_status_api_is_for_hq(portal: Portal) -> None:
    api_upload(portal.client(), portal.tokens["dakar"], SAMPLES / "DAKAR_1997-Q3.xlsx")
    assert api_get(portal, "dakar", "/api/status?period=1997-Q3").status_code == 403  # type: ignore[attr-defined]
    answer = api_get(portal, "desk", "/api/status?period=1997-Q3")
    command = CliRunner().invoke(
        main, ["status", "--store", portal.store, "--period", "1997-Q3", "--format", "json"]
    )
    assert answer.json() == json.loads(command.stdout)  # type: ignore[attr-defined]
    assert api_get(portal, "admin", "/api/status?period=1997-T3").status_code == 400  # type: ignore[attr-defined]


def test_the_openapi_description_lists_the_api_only(portal: Portal) -> None:
    paths = portal.client().get("/api/openapi.json").json()["paths"]
    assert sorted(paths) == ["/api/returns", "/api/returns/{submission_id}", "/api/status"]


# --- bad input and abuse --------------------------------------------------------------------------------


def test_an_upload_over_the_limit_is_refused_before_it_is_stored(tmp_path: Path, password_hash: str) -> None:
    small = make_portal(tmp_path, password_hash, max_upload_bytes=1024 * 1024)
    big = ("DAKAR_1997-Q3.xlsx", b"x" * (2 * 1024 * 1024))
    api = small.client().post("/api/returns", files=[("file", big)],
                              headers={"Authorization": f"Bearer {small.tokens['dakar']}"})  # fmt: skip
    assert api.status_code == 413 and "larger than the portal accepts (1 MB)" in api.json()["detail"]
    client = small.signed_in("dakar")
    form = client.post("/returns", data={"csrf": csrf_of(client)}, files=[("file", big)])
    assert form.status_code == 413
    chunked = small.client().post(
        "/api/returns",
        content=iter([PART_HEAD] + [b"x" * 65536] * 40),  # no Content-Length: counted as it arrives
        headers={
            "Authorization": f"Bearer {small.tokens['dakar']}",
            "Content-Type": "multipart/form-data; boundary=b",
        },
    )
    assert chunked.status_code == 413
    assert small.submissions() == []


PART_HEAD = b'--b\r\nContent-Disposition: form-data; name="file"; filename="DAKAR_1997-Q3.xlsx"\r\n\r\n'


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../outside/DAKAR_1997-Q3.xlsx", "DAKAR_1997-Q3.xlsx"),
        ("..\\..\\DAKAR_1997-Q3.xlsx", "DAKAR_1997-Q3.xlsx"),
        ("/etc/passwd", "passwd"),
        ("DAKAR 1997-Q3 <b>.xlsx", "DAKAR_1997-Q3_b.xlsx"),
        ("..", "upload-1"),
        ("", "upload-1"),
    ],
)
def test_the_uploaded_name_never_becomes_a_path(given: str, kept: str) -> None:
    from tcstandards.portal.submit import safe_name

    assert safe_name(given, 1) == kept


def test_a_hostile_name_lands_nowhere_but_the_ledger(portal: Portal, tmp_path: Path) -> None:
    client = portal.signed_in("dakar")
    upload(client, SAMPLES / "DAKAR_1997-Q3.xlsx", names=["../../outside/DAKAR_1997-Q3.xlsx"])
    assert [s["file_name"] for s in portal.submissions()] == ["DAKAR_1997-Q3.xlsx"]
    assert not (tmp_path.parent / "outside").exists() and not (tmp_path / "outside").exists()


def test_nothing_the_user_typed_is_rendered_unescaped(portal: Portal, tmp_path: Path) -> None:
    data = base()
    data["projects"][0]["project_code"] = "<script>alert(1)</script>"
    data["finance"][0]["country_code"] = '<img src=x onerror="alert(1)">'
    path = write_xlsx(data, tmp_path / "DAKAR_1997-Q3.xlsx")
    client = portal.signed_in("dakar")
    upload(client, path)
    page = client.get("/returns/1").text
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; is not one of the codes" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is not in the expected form" in page
    assert "<img src=x" not in page and "<script>alert" not in page
    assert "<script" not in client.get("/returns?office=<script>&period=<b>").text


def test_bad_requests_get_a_sentence_not_a_traceback(portal: Portal, tmp_path: Path) -> None:
    client = portal.signed_in("dakar")
    nothing = client.post("/returns", data={"csrf": csrf_of(client)})  # no file at all
    assert nothing.status_code == 400 and "Choose the file of the return first." in nothing.text
    one, two = SAMPLES / "DAKAR_1997-Q3.xlsx", SAMPLES / "IPEC_1997-Q3.xlsx"
    answer = upload(client, one, two)
    assert answer.status_code == 400 and "These files make 2 returns" in answer.text  # type: ignore[attr-defined]
    assert client.get("/template?period=1997-T3").status_code == 400
    assert client.get("/returns/abc").status_code == 400
    assert portal.submissions() == []


@pytest.mark.slow
def test_every_hostile_file_gets_the_finding_validate_gives(tmp_path: Path, password_hash: str) -> None:
    from test_hostile import CASES

    checked = []
    for number, (name, case) in enumerate(CASES.items()):
        folder = tmp_path / f"case-{number}"
        folder.mkdir()
        built = case.build(folder)
        if case.findings is None:  # a folder named like a file: nothing a browser can upload
            continue
        files = sorted(built.iterdir()) if built.is_dir() else [built]
        fresh = make_portal(folder, password_hash)  # a store of its own: two cases may have the same bytes
        answer = api_upload(fresh.client(), fresh.tokens["dakar"], *files)
        assert answer.status_code == 201, (name, answer.text)  # type: ignore[attr-defined]
        report = answer.json()["report"]  # type: ignore[attr-defined]
        assert [
            (f["rule"], f["location"]) for r in report["returns"] for f in r["findings"]
        ] == case.findings, name
        checked.append(name)
    assert len(checked) == len(CASES) - 1


# --- the users command ------------------------------------------------------------------------------


def test_the_users_commands(tmp_path: Path) -> None:
    store = str(tmp_path / "hq.sqlite")
    runner = CliRunner()
    added = runner.invoke(main, ["users", "add", "aminata", "--role", "office", "--office", "dakar",
                                 "--store", store], input=f"{PASSWORD}\n")  # fmt: skip
    assert (added.exit_code, added.stdout) == (0, "account aminata added: office, office DAKAR\n")
    again = runner.invoke(
        main, ["users", "add", "aminata", "--role", "hq", "--store", store], input=f"{PASSWORD}\n"
    )
    assert (again.exit_code, again.stderr) == (
        2,
        "tcstandards: error: there is already an account named aminata\n",
    )
    short = runner.invoke(
        main, ["users", "add", "b", "--role", "hq", "--store", store, "--lang", "fr"], input="short\n"
    )
    assert (short.exit_code, short.stderr) == (
        2,
        "tcstandards : erreur : le mot de passe est trop court : au moins 10 caractères\n",
    )
    nowhere = runner.invoke(
        main,
        ["users", "add", "c", "--role", "office", "--office", "NOWHERE", "--store", store],
        input=f"{PASSWORD}\n",
    )
    assert "--office NOWHERE is not in the offices codelist" in nowhere.stderr and nowhere.exit_code == 2
    empty = runner.invoke(main, ["users", "add", "d", "--role", "hq", "--store", store], input="")
    assert empty.exit_code == 2 and "no password on standard input" in empty.stderr
    token = runner.invoke(main, ["users", "token", "aminata", "--store", store])
    assert token.exit_code == 0 and re.fullmatch(r"[A-Za-z0-9_-]{43}\n", token.stdout)
    with open_store(store) as opened:
        account = opened.account("aminata")
        assert account is not None and account.token_hash == accounts.token_hash(token.stdout.strip())
        assert account.password_hash.startswith("$argon2id$")
    listed = runner.invoke(main, ["users", "list", "--store", store, "--format", "json"])
    assert [
        (a["name"], a["role"], a["office"], a["token"]) for a in json.loads(listed.stdout)["accounts"]
    ] == [("aminata", "office", "DAKAR", True)]
    changed = runner.invoke(
        main, ["users", "password", "aminata", "--store", store], input="another long one\n"
    )
    assert (changed.exit_code, changed.stdout) == (0, "account aminata: new password set\n")
    with open_store(store, write=True) as opened:
        assert accounts.sign_in(opened, "aminata", "another long one", None) is not None
        assert accounts.sign_in(opened, "aminata", PASSWORD, None) is None
    assert runner.invoke(main, ["users", "disable", "aminata", "--store", store]).exit_code == 0
    assert runner.invoke(main, ["users", "disable", "nobody", "--store", store]).exit_code == 2
    with open_store(store) as opened:
        assert opened.account_by_token(accounts.token_hash(token.stdout.strip())) is None
        actions = [e.action for e in reversed(opened.events())]
        assert actions == ["account-added", "token-issued", "password-changed", "signed-in", "sign-in-failed",
                           "account-disabled"]  # fmt: skip
    missing = runner.invoke(main, ["users", "list", "--store", str(tmp_path / "none.sqlite")])
    assert missing.exit_code == 2


def test_serve_says_what_is_wrong_before_it_starts(tmp_path: Path) -> None:
    answer = CliRunner().invoke(main, ["serve", "--store", str(tmp_path)])
    assert answer.exit_code == 2 and "is a folder, not a file" in answer.stderr


def test_an_older_store_gets_the_portals_tables(tmp_path: Path) -> None:
    store = tmp_path / "old.sqlite"
    with open_store(str(store), create=True):
        pass
    conn = sqlite3.connect(store)
    assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master")} >= {"accounts", "events", "uploads"}
    conn.close()


def test_every_answer_carries_the_security_headers(portal: Portal) -> None:
    client = portal.signed_in("dakar")
    upload(client, SAMPLES / "DAKAR_1997-Q3.xlsx")
    for answer in [client.get("/returns/1"), client.get("/template"), portal.client().get("/api/returns/1"),
                   portal.client().get("/sign-in")]:  # fmt: skip
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert client.get("/returns/1").headers["cache-control"] == "no-store"


def test_the_history_says_who_submitted_through_the_portal(portal: Portal) -> None:
    upload(portal.signed_in("dakar"), SAMPLES / "DAKAR_1997-Q3.xlsx")
    said = CliRunner().invoke(main, ["history", "--store", portal.store, "--lang", "fr"]).stdout
    assert "DAKAR_1997-Q3.xlsx (par le portail, par dakar)" in said


def test_a_file_that_is_no_return_is_refused_and_not_recorded(portal: Portal, tmp_path: Path) -> None:
    notes = tmp_path / "meeting notes.docx"
    notes.write_bytes(b"PK\x03\x04 not a return")
    client = portal.signed_in("dakar")
    page = upload(client, notes)
    assert page.status_code == 422  # type: ignore[attr-defined]
    assert "This file is not a return of an office and a quarter" in page.text  # type: ignore[attr-defined]
    assert (
        "This kind of file is not a return (.docx). Returns are .xlsx, .xlsm, .ods, .csv or .json files."
        in (
            page.text  # type: ignore[attr-defined]
        )
    )
    api = api_upload(portal.client(), portal.tokens["dakar"], notes, lang="fr")
    assert api.status_code == 422  # type: ignore[attr-defined]
    body = api.json()  # type: ignore[attr-defined]
    assert body["detail"].startswith("Ce fichier n'est pas le rapport d'un bureau pour un trimestre")
    assert [f["rule"] for r in body["report"]["returns"] for f in r["findings"]] == ["file-unsupported"]
    assert portal.submissions() == []


def test_a_replaced_or_repeated_submission_says_so(portal: Portal, tmp_path: Path) -> None:
    client = portal.signed_in("dakar")
    upload(client, SAMPLES / "DAKAR_1997-Q3.xlsx")
    again = upload(client, SAMPLES / "DAKAR_1997-Q3.xlsx")
    assert again.headers["location"] == "/returns/1?outcome=duplicate"  # type: ignore[attr-defined]
    repeated = client.get(again.headers["location"]).text  # type: ignore[attr-defined]
    assert "You had already sent this exact file (received " in repeated
    data = base()
    data["projects"][0]["title"] = "A corrected title"
    upload(client, write_xlsx(data, tmp_path / "DAKAR_1997-Q3.xlsx"))
    assert "Merged, then replaced by a later version: submission #2." in client.get("/returns/1").text
    assert "Download your workbook" not in client.get("/returns/2").text  # no finding: nothing to annotate


def test_a_bad_token_is_told_apart_from_none(portal: Portal) -> None:
    none = portal.client().get("/api/returns/1")
    bad = portal.client().get("/api/returns/1", headers={"Authorization": "Bearer stale"})
    assert none.json()["detail"].startswith("An API token is needed")
    assert bad.json()["detail"].startswith("This API token is not valid")
    kept = api_get(portal, "dakar", "/api/returns/1")
    assert kept.status_code == 404  # type: ignore[attr-defined]


def test_the_api_gives_stored_findings_with_the_keys_of_a_report(portal: Portal) -> None:
    api_upload(portal.client(), portal.tokens["ipec"], SAMPLES / "IPEC_1997-Q3.xlsx")
    finding = api_get(portal, "ipec", "/api/returns/1").json()["findings"][0]  # type: ignore[attr-defined]
    assert "column" in finding and "col" not in finding


def test_a_view_needs_its_code_and_names_its_file(portal: Portal) -> None:
    hq = portal.signed_in("desk")
    upload(hq, SAMPLES / "DAKAR_1997-Q3.xlsx")
    for query in ["view=donor", "code=NOR"]:
        answer = hq.get(f"/reports/paper?first=1997&last=1997&format=json&{query}")
        assert answer.status_code == 400 and "give its code together" in answer.text
    view = hq.get("/reports/paper?first=1997&last=1997&format=json&view=country&code=SEN")
    assert view.headers["content-disposition"] == (
        'attachment; filename="tcstandards-report-country-SEN-1997-Q1-1997-Q4-en.json"'
    )


def test_an_enabled_account_signs_in_again(portal: Portal) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["users", "disable", "dakar", "--store", portal.store]).exit_code == 0
    assert sign_in(portal.client(), "dakar").status_code == 401  # type: ignore[attr-defined]
    enabled = runner.invoke(main, ["users", "enable", "dakar", "--store", portal.store])
    assert enabled.exit_code == 0 and enabled.stdout.startswith("account dakar enabled: it can sign in again")
    assert sign_in(portal.client(), "dakar").status_code == 303  # type: ignore[attr-defined]


def test_serve_says_a_port_in_use_before_it_starts(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        answer = CliRunner().invoke(
            main, ["serve", "--store", str(tmp_path / "hq.sqlite"), "--port", str(port)]
        )
    assert answer.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in answer.stderr and "the portal is at" not in answer.stderr


def test_every_sentence_of_the_portal_is_in_three_languages_and_used() -> None:
    from tcstandards.common.i18n import catalogue

    folder = Path(__file__).resolve().parent.parent / "tcstandards" / "portal"
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in [*folder.glob("*.py"), *folder.glob("templates/*.html")]
    )
    found = re.findall(r'"((?:[a-z-]+\.)+[a-z0-9-]+)"', text)
    used = {k for k in found if not k.endswith((".html", ".json", "-"))}  # files; prefixes ("rule.help-" ~)
    prefixes = set(re.findall(r'say\("([a-z.-]+[.-])" ~', text)) | {"error."}  # error.<code> of the library
    messages = catalogue("portal")["messages"]
    kinds = {key.split(".")[0] for key in messages}
    assert sorted(k for k in used if k.split(".")[0] in kinds and k not in messages) == []
    assert [k for k, v in messages.items() if set(v) != {"en", "fr", "es"}] == []
    unused = [k for k in messages if k not in used and not any(k.startswith(p) for p in prefixes)]
    assert unused == []


def test_a_database_that_fails_is_503_and_never_shows_its_address(portal: Portal) -> None:
    client = portal.client()
    token = csrf_of(client, "/sign-in")
    with open_store(portal.store, write=True) as store:
        store.conn.exec_driver_sql("DROP TABLE events")  # type: ignore[attr-defined]  # damaged by hand
    answer = client.post("/sign-in", data={"name": "dakar", "password": PASSWORD, "csrf": token, "next": "/"})
    assert answer.status_code == 503 and answer.headers["retry-after"] == "60"
    assert "The portal cannot reach its database just now." in answer.text
    assert portal.store not in answer.text and "events" not in answer.text


def test_the_status_range_takes_years_as_its_hint_says(portal: Portal) -> None:
    hq = portal.signed_in("desk")
    upload(hq, SAMPLES / "DAKAR_1997-Q3.xlsx")
    page = hq.get("/status?first=1997&last=1997").text
    assert re.findall(r"<th>(1997-Q\d)</th>", page) == ["1997-Q1", "1997-Q2", "1997-Q3", "1997-Q4"]
    assert hq.get("/status?first=199&last=1997").status_code == 400

"""The portal in a real browser: headless Chromium (Debian's ``chromium``, driven by Playwright through its
``executable_path``) against ``tcstandards serve`` in its own process.

An office signs in, reads the portal in French, uploads the faulty IPEC sample,
finds each finding at its cell with the rule catalogue's French message,
keeps the errors only, downloads its workbook with the findings on their cells
and signs out; another office's return does not exist for it.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytest.importorskip("uvicorn", reason="the portal extra is not installed: pip install 'tcstandards[portal]'")
pytest.importorskip("httpx", reason="httpx is not installed: pip install 'tcstandards[test]'")
pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install 'tcstandards[test]'"
)

import httpx
from openpyxl import load_workbook
from playwright.sync_api import sync_playwright
from portal_server import PASSWORD, add_account, api_token, running

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip(
        "Chromium is not on this machine (apt install chromium): the browser tests drive Debian's chromium",
        allow_module_level=True,
    )

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "samples" / "returns" / "1997-Q3"
EXPECTED = ROOT / "samples" / "expected" / "1997-Q3" / "IPEC_1997-Q3.findings.json"
RULES = ROOT / "schemas" / "1.1" / "rules.json"
LAUNCH = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
          "--disable-sync"]  # fmt: skip
OFFICE, OTHER = "ipec-desk", "dakar-desk"
CELL, RULE = "Projects!N3", "start-after-end"


@dataclass
class Portal:
    url: str
    returns: Path  # copies of the samples
    other_submission: int  # DAKAR's return, submitted through the API by DAKAR's account


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    folder = tmp_path_factory.mktemp("portal")
    returns = folder / "returns"
    returns.mkdir()
    for name in ("IPEC_1997-Q3.xlsx", "DAKAR_1997-Q3.xlsx"):
        shutil.copyfile(SAMPLES / name, returns / name)
    store = folder / "hq.sqlite"
    add_account(store, OFFICE, "office", "IPEC")
    add_account(store, OTHER, "office", "DAKAR")
    token = api_token(store, OTHER)
    with running(store) as server:
        dakar = returns / "DAKAR_1997-Q3.xlsx"
        answer = httpx.post(
            f"{server.url}/api/returns",
            files={"file": (dakar.name, dakar.read_bytes())},
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        assert (answer.status_code, answer.json()["outcome"]) == (201, "merged"), answer.text
        yield Portal(server.url, returns, answer.json()["submission"])


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A new browser session that asks for English (the portal follows Accept-Language until told)."""
    context = browser.new_context(locale="en-GB", accept_downloads=True)
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def where(page: Any) -> str:
    """The path and query of the page shown."""
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sign_in(page: Any, button: str = "Sign in") -> None:
    page.fill("#name", OFFICE)
    page.fill("#password", PASSWORD)
    page.locator("main form").get_by_role("button", name=button).click()


def findings_table(page: Any) -> list[dict[str, str]]:
    """The rows of the findings table: cell, severity (class and words), message, rule and its title."""
    rows = []
    for row in page.locator("#findings tbody tr").all():
        cells = [cell.inner_text().strip() for cell in row.locator("td").all()]
        title, _, rule = cells[3].partition("\n")  # the rule's title in the language, its id under it
        rows.append({"cell": cells[0], "class": row.get_attribute("class") or "", "severity": cells[1],
                     "message": cells[2], "rule": rule.strip(), "title": title.strip()})  # fmt: skip
    return rows


def catalogue_rule(rule_id: str) -> dict[str, Any]:
    rules: list[dict[str, Any]] = json.loads(RULES.read_text(encoding="utf-8"))["rules"]
    (found,) = [r for r in rules if r["id"] == rule_id]
    return found


def message_pattern(template: str) -> re.Pattern[str]:
    """The catalogue's message with each {fill-in} as any text: its fixed words must all be there."""
    fixed = re.split(r"\{[^{}]*\}", template)
    return re.compile(".+?".join(re.escape(part) for part in fixed))


def test_an_office_uploads_a_faulty_return_and_reads_its_findings_in_french(
    portal: Portal, page: Any, tmp_path: Path
) -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))["findings"]
    errors = sum(1 for f in expected if f["severity"] == "error")
    warnings = sum(1 for f in expected if f["severity"] == "warning")
    assert (errors, warnings) == (9, 2)
    rule = catalogue_rule(RULE)

    page.goto(f"{portal.url}/")
    assert where(page) == "/sign-in?next=/"
    sign_in(page)
    assert where(page) == "/returns"
    page.locator("footer").get_by_role("link", name="Français").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Rapports : IPEC"

    page.set_input_files("#file", str(portal.returns / "IPEC_1997-Q3.xlsx"))
    page.get_by_role("button", name="Vérifier et soumettre").click()
    page.wait_for_url(re.compile(r"/returns/\d+\?outcome=quarantined$"))
    submission = int(urlsplit(page.url).path.rsplit("/", 1)[1])
    assert page.locator("h1").inner_text() == f"Soumission n° {submission} : IPEC_1997-Q3.xlsx"
    assert page.locator("p.notice.bad").inner_text() == (
        f"En quarantaine : {errors} erreurs à corriger. Rien de ce rapport n'est intégré ; "
        "corrigez les cellules ci-dessous et soumettez-le à nouveau."
    )

    table = findings_table(page)
    assert [(r["cell"], r["rule"], r["class"]) for r in table] == [
        (f["location"], f["rule"], f["severity"]) for f in expected
    ]
    assert {r["severity"] for r in table} == {"erreur", "avertissement"}
    (row,) = [r for r in table if r["cell"] == CELL and r["rule"] == RULE]
    assert rule["title"]["fr"] == "Début après la fin"
    assert (row["severity"], row["title"]) == ("erreur", rule["title"]["fr"])
    assert "vient après" in rule["message"]["fr"] and "vient après" in row["message"]
    assert message_pattern(rule["message"]["fr"]).fullmatch(row["message"]), row["message"]
    (value,) = [f["value"] for f in expected if f["location"] == CELL and f["rule"] == RULE]
    assert f"({value})" in row["message"]  # the start date as the office wrote it: 1999-02-01

    page.select_option("#severity", "error")
    page.locator("#severity").locator("xpath=ancestor::form").get_by_role("button").click()
    page.wait_for_url(re.compile(rf"/returns/{submission}\?severity=error$"))
    assert page.locator("#severity option:checked").inner_text() == f"erreurs seulement ({errors})"
    only_errors = findings_table(page)
    assert len(only_errors) == errors and len(table) == errors + warnings
    assert only_errors == [r for r in table if r["class"] == "error"]  # the warnings are gone, nothing else

    with page.expect_download() as started:
        page.get_by_role("link", name="Télécharger votre classeur avec chaque constat sur sa cellule").click()
    download = started.value
    assert download.suggested_filename == "IPEC_1997-Q3-annotated.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    comment = load_workbook(saved)["Projects"]["N3"].comment
    assert comment is not None and comment.author == "tcstandards"
    on_the_cell = [r for r in table if r["cell"] == CELL]
    assert [r["rule"] for r in on_the_cell] == ["implementation-not-started", RULE]
    assert comment.text.splitlines() == [f"[erreur] {r['rule']} : {r['message']}" for r in on_the_cell]

    page.locator("header").get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/sign-in\?out=1$"))
    assert page.locator("p.notice.good").inner_text() == "Vous êtes déconnecté."
    assert page.locator("h1").inner_text() == "Connexion"  # signing out keeps the language
    page.goto(f"{portal.url}/returns")
    assert where(page) == "/sign-in?next=/returns"
    page.goto(f"{portal.url}/returns/{submission}")
    assert where(page) == f"/sign-in?next=/returns/{submission}"


def test_another_offices_return_does_not_exist_for_an_office(portal: Portal, page: Any) -> None:
    page.goto(f"{portal.url}/sign-in")
    sign_in(page)
    assert where(page) == "/returns"
    other = portal.other_submission
    for path in (f"/returns/{other}", f"/returns/{other}/annotated"):
        answer = page.goto(f"{portal.url}{path}")
        assert answer is not None and answer.status == 404, path
        assert page.locator("h1").inner_text() == "Error 404"
        assert page.locator("p.notice.bad").inner_text() == f"There is no submission #{other}."
    page.goto(f"{portal.url}/returns")
    assert page.locator(f'a[href="/returns/{other}"]').count() == 0
    assert "DAKAR" not in page.locator("main table").inner_text()  # only IPEC's own returns are listed


def test_the_language_chosen_on_the_sign_in_page_is_kept_after_signing_in(portal: Portal, page: Any) -> None:
    """docs/portal.md: the footer of the sign-in page switches the language, and signing in keeps it."""
    page.goto(f"{portal.url}/returns")
    assert where(page) == "/sign-in?next=/returns"
    page.locator("footer").get_by_role("link", name="Français").click()
    assert page.locator("h1").inner_text() == "Connexion"
    sign_in(page, "Se connecter")
    assert where(page) == "/returns"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Rapports : IPEC"


def test_choosing_a_language_on_the_sign_in_page_keeps_the_page_asked_for(portal: Portal, page: Any) -> None:
    """Sent to sign in from a page, the office still lands on that page after switching the language."""
    page.goto(f"{portal.url}/template")
    assert where(page) == "/sign-in?next=/template"
    page.locator("footer").get_by_role("link", name="Español").click()
    assert page.locator("h1").inner_text() == "Iniciar sesión"
    assert page.locator('input[name="next"]').get_attribute("value") == "/template"

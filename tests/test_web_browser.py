"""The agents' workspace in Chromium, used as a person uses it: clicks, keys, what is on screen.

One seeded workspace (tests/webapp.py: mails run through the real pipeline, a team of two
agents, a supervisor and an admin, uvicorn on a free port) and one browser serve the whole
module; each test opens contexts of its own, logged in as someone, and works on messages no
other test touches, so the tests also pass one at a time. What a test checks beyond the screen
(the approved text, the audit log) it reads from the store.

Every context sends requests for other hosts to a trap (webapp.OutsideTrap) that records them:
the hostile mails' test proves that nothing left.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator

import locatedoc
import pytest
from conftest import ROOT, require
from PIL import Image
from webapp import (
    CHROMIUM,
    HOSTILE,
    PASSWORD,
    SUBJECTS,
    OutsideTrap,
    Sessions,
    Workspace,
    launch_chromium,
    log_in,
    running_workspace,
)

from rpa.models import DraftStatus

ARTIFACTS = ROOT / "tests" / "artifacts"
POLICY = locatedoc.POLICY_NUMBER
# How far the drawn box's centre may stand from where the value was printed, as a share of the
# page shown: the extraction's own margin (tests/test_locations.py) plus a pixel or two of layout.
ACROSS, DOWN = 0.012, 0.008


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (make test installs Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python is not installed in the virtual environment")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def workspace(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    with running_workspace(tmp_path_factory.mktemp("browser")) as served:
        yield served


@pytest.fixture(scope="module")
def trap() -> Iterator[OutsideTrap]:
    with OutsideTrap() as outside:
        yield outside


@pytest.fixture(scope="module")
def sessions(browser: object, workspace: Workspace, trap: OutsideTrap) -> Sessions:
    return Sessions(browser, workspace, trap)


@pytest.fixture
def page_as(sessions: Sessions) -> Iterator[Callable]:
    """`page_as("alice")`: a new page in a context of its own, logged in as alice."""
    yield sessions.page_as
    sessions.close_all()


@pytest.fixture
def stranger(sessions: Sessions) -> Iterator[object]:
    """A page in a context of its own, logged in as nobody."""
    yield sessions.new_context().new_page()
    sessions.close_all()


def expect(target):  # noqa: ANN001, ANN201 - Playwright's assertions, imported once the browser is there
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def open_message(page, subject: str) -> None:  # noqa: ANN001
    """From the queue, search for the message and open it by its subject, as an agent does."""
    page.goto("/queue")
    page.get_by_label("Search").fill(subject)
    expect(page.locator("td.subject").filter(has_not_text=subject)).to_have_count(0)
    page.locator("td.subject").get_by_role("link", name=subject, exact=True).click()
    expect(page.locator("h1#subject")).to_have_text(subject)


# -- 1. logging in -------------------------------------------------------------------


def test_an_agent_logs_in_and_a_wrong_password_shows_an_error(stranger) -> None:  # noqa: ANN001
    page = stranger
    log_in(page, "alice", "not the right password")
    expect(page.get_by_role("alert")).to_have_text("Wrong user name or password.")
    expect(page.get_by_label("User name")).to_have_value("alice")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/queue$"))
    expect(page.get_by_role("banner")).to_contain_text("alice agent")
    expect(page.get_by_role("alert")).to_have_count(0)


# -- 2. the queue --------------------------------------------------------------------


def test_the_queue_narrows_to_an_intent_then_to_a_search(page_as: Callable) -> None:
    page = page_as("bob")
    page.goto("/queue")
    subjects, intents = page.locator("td.subject"), page.locator("table.queue tbody td:nth-child(4)")
    expect(subjects.filter(has_text="Constat en PDF")).to_have_count(1)
    assert {"New claim", "Documents sent"} <= set(intents.all_inner_texts())

    page.get_by_label("Intent", exact=True).select_option(label="Documents sent")
    expect(page.locator('nav.counts [aria-current="true"]')).to_contain_text("Documents sent")
    expect(page).to_have_url(re.compile(r"intent=documents_submission"))
    assert set(intents.all_inner_texts()) == {"Documents sent"}
    assert {"Constat en PDF", "Photo du constat"} <= set(subjects.all_inner_texts())

    page.get_by_label("Search").press_sequentially("photo")
    expect(subjects).to_have_text(["Photo du constat"])
    expect(page).to_have_url(re.compile(r"q=photo"))

    page.get_by_label("Search").fill("aucun message ne parle de ceci")
    expect(page.get_by_text("No message matches.")).to_be_visible()


# -- 3. boxes over the pages ---------------------------------------------------------


def _drawn_box(page, field: str) -> tuple[float, float, float, float]:  # noqa: ANN001
    """Where the field's box is drawn, as shares of the page picture it stands on."""
    box = page.locator(f'rect[data-field="{field}"]')
    picture = page.locator("figure.page", has=box).locator("img")
    picture.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    image, drawn = picture.bounding_box(), box.bounding_box()
    return (
        (drawn["x"] - image["x"]) / image["width"],
        (drawn["y"] - image["y"]) / image["height"],
        (drawn["x"] + drawn["width"] - image["x"]) / image["width"],
        (drawn["y"] + drawn["height"] - image["y"]) / image["height"],
    )


def _darkest_inside(page, field: str) -> int:  # noqa: ANN001
    """The darkest grey in the middle of the drawn box, as the screen shows it (ink is dark)."""
    shot = Image.open(io.BytesIO(page.locator(f'rect[data-field="{field}"]').screenshot())).convert("L")
    width, height = shot.size
    return shot.crop((width // 5, height // 4, width * 4 // 5, height * 3 // 4)).getextrema()[0]


@pytest.mark.parametrize(
    ("subject", "filename", "read_by"),
    [("Constat en PDF", "constat.pdf", "text layer"), ("Photo du constat", "photo-constat.png", "OCR")],
    ids=["pdf", "photo"],
)
def test_the_policy_number_is_boxed_where_it_stands_on_the_page(
    page_as: Callable, subject: str, filename: str, read_by: str
) -> None:
    page = page_as("alice")
    open_message(page, subject)
    attachment = page.get_by_role("region", name=filename)
    expect(attachment.get_by_role("img", name=f"Page 1 of {filename}")).to_be_visible()
    if read_by == "OCR":
        expect(attachment.locator("header")).to_contain_text("OCR")
    expect(page.get_by_label("Policy number", exact=True)).to_have_value(POLICY)

    left, top, right, bottom = _drawn_box(page, "policy_number")
    p_left, p_top, p_right, p_bottom = locatedoc.printed_box(POLICY)
    assert abs((left + right) / 2 - (p_left + p_right) / 2) <= ACROSS, ((left, top, right, bottom), read_by)
    assert abs((top + bottom) / 2 - (p_top + p_bottom) / 2) <= DOWN, ((left, top, right, bottom), read_by)
    assert 0.8 <= (right - left) / (p_right - p_left) <= 1.3
    assert 0.8 <= (bottom - top) / (p_bottom - p_top) <= 2.5  # a capital's height up to a line's
    assert _darkest_inside(page, "policy_number") < 100  # the printed number, under the box

    page.locator('[data-field-row="policy_number"]').get_by_role("link", name="page 1").click()
    expect(page.locator('rect[data-field="policy_number"]')).to_have_class(re.compile(r"\bfocus\b"))


# -- 4, 5. correcting, re-drafting, editing, approving --------------------------------


def test_a_corrected_field_shows_as_corrected_and_the_new_draft_uses_it(
    page_as: Callable, workspace: Workspace
) -> None:
    page = page_as("alice")
    open_message(page, SUBJECTS["correction.eml"])
    row = page.locator('[data-field-row="policy_number"]')
    value = row.get_by_label("Policy number")
    read = value.input_value()
    value.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("hab-7777-22")
    row.get_by_role("button", name="Save").click()
    expect(row).to_contain_text("✓ checked")
    expect(row).to_contain_text(f"Corrected by alice · rpa read {read}")
    expect(row.get_by_label("Policy number")).to_have_value("HAB-7777-22")
    expect(page.locator("#reply")).to_have_value(re.compile(re.escape(f"contrat n° {read}")))

    page.get_by_role("button", name=re.compile(r"^Re-draft")).click()
    expect(page.get_by_role("status")).to_have_text("A new draft was written from the facts in force.")
    expect(page.locator("#reply")).to_have_value(re.compile(r"contrat n° HAB-7777-22"))
    assert "HAB-7777-22" in workspace.store.draft_for(workspace.ids["correction.eml"]).body


def test_the_agent_s_edit_of_the_reply_is_what_gets_approved(page_as: Callable, workspace: Workspace) -> None:
    page = page_as("alice")
    open_message(page, SUBJECTS["edit.eml"])
    reply = page.get_by_label("Reply to the customer (edit before approving)")
    reply.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nP.S. Un expert vous appellera demain matin.")
    edited = reply.input_value()
    page.get_by_role("button", name="Approve a", exact=True).click()

    draft_panel = page.locator("#draft")
    expect(draft_panel).to_contain_text("Approved · alice")
    expect(draft_panel.locator(".reply-text")).to_contain_text("P.S. Un expert vous appellera demain matin.")
    expect(draft_panel).to_contain_text("Edited by alice before approval.")
    expect(page.get_by_label("Reply to the customer (edit before approving)")).to_have_count(0)
    draft = workspace.store.draft_for(workspace.ids["edit.eml"])
    assert (draft.status, draft.reviewed_by, draft.final_body) == (DraftStatus.APPROVED, "alice", edited)


# -- 6. approve and next, keyboard only ---------------------------------------------------


def test_approve_and_next_goes_through_three_messages_with_the_keyboard_only(
    page_as: Callable, workspace: Workspace
) -> None:
    page = page_as("bob")
    page.goto("/queue")
    page.keyboard.press("/")
    expect(page.get_by_label("Search")).to_be_focused()
    page.keyboard.type("Suivi de dossier")
    subjects = page.locator("td.subject")
    expect(subjects).to_have_count(3)
    order = subjects.all_inner_texts()
    assert sorted(order) == ["Suivi de dossier 1", "Suivi de dossier 2", "Suivi de dossier 3"]
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    page.keyboard.press("o")

    heading = page.locator("h1#subject")
    expect(heading).to_have_text(order[0])
    page.keyboard.press("n")
    expect(heading).to_have_text(order[1])
    page.keyboard.press("n")
    expect(heading).to_have_text(order[2])
    page.keyboard.press("e")
    expect(page.locator("#reply")).to_be_focused()
    page.keyboard.press("Control+Enter")

    expect(page.get_by_text("No message matches.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/queue\?q=Suivi"))
    for source in ("suivi-1.eml", "suivi-2.eml", "suivi-3.eml"):
        draft = workspace.store.draft_for(workspace.ids[source])
        assert (draft.status, draft.reviewed_by) == (DraftStatus.APPROVED, "bob"), source


# -- 7. rejecting --------------------------------------------------------------------


def test_r_asks_for_a_reason_and_rejects_with_it(page_as: Callable, workspace: Workspace) -> None:
    page = page_as("alice")
    open_message(page, SUBJECTS["reject.eml"])
    page.keyboard.press("r")
    dialog = page.get_by_role("dialog", name="Reject the draft")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Why? (the team sees your reason)")).to_be_focused()
    page.keyboard.type("Le contrat est résilié depuis janvier.")
    dialog.get_by_role("button", name="Reject", exact=True).click()

    expect(page.locator("#draft")).to_contain_text(
        "Rejected by alice: Le contrat est résilié depuis janvier."
    )
    expect(dialog).to_be_hidden()
    draft = workspace.store.draft_for(workspace.ids["reject.eml"])
    assert (draft.status, draft.reject_reason) == (
        DraftStatus.REJECTED,
        "Le contrat est résilié depuis janvier.",
    )


# -- 8. two agents on one message ---------------------------------------------------------

# Both requests leave at the same moment `at` (the two pages share the browser's clock).
_SUBMIT_AT = """([selector, at]) => {
  setTimeout(() => { const b = document.querySelector(selector); b.form.requestSubmit(b); }, at - Date.now());
}"""
_POST_AT = """([url, fields, at]) => {
  window.__answer = new Promise((resolve) => setTimeout(async () => {
    const answer = await fetch(url, {method: "POST", body: new URLSearchParams(fields)});
    const page = new DOMParser().parseFromString(await answer.text(), "text/html");
    resolve({status: answer.status, title: page.querySelector("h1")?.textContent.trim(),
             detail: page.querySelector("[role=alert]")?.textContent.trim()});
  }, at - Date.now()));
}"""


@pytest.mark.slow
def test_a_held_message_is_read_only_for_another_agent_and_only_one_approval_counts(
    page_as: Callable, workspace: Workspace
) -> None:
    message_pk = workspace.ids["shared.eml"]
    alice, bob = page_as("alice"), page_as("bob")
    open_message(alice, SUBJECTS["shared.eml"])
    expect(alice.locator("#claim-state")).to_contain_text("You hold this message")
    open_message(bob, SUBJECTS["shared.eml"])
    expect(bob.locator("#claim-state")).to_have_text("alice is reviewing this message: you see it read-only.")
    expect(bob.get_by_label("Reply to the customer (edit before approving)")).to_have_count(0)
    expect(bob.get_by_role("button", name=re.compile(r"^Approve"))).to_have_count(0)
    expect(bob.get_by_label("Intent")).to_be_disabled()

    draft_id = alice.locator("#approve-form input[name=draft_id]").input_value()
    bob_csrf = bob.locator("input[name=csrf_token]").first.input_value()
    at = alice.evaluate("Date.now()") + 400
    alice.evaluate(_SUBMIT_AT, ["[data-approve]", at])
    bob.evaluate(
        _POST_AT,
        [f"/messages/{message_pk}/approve", {"csrf_token": bob_csrf, "draft_id": draft_id, "body": "x"}, at],
    )
    refused = bob.evaluate("() => window.__answer")

    expect(alice.locator("#draft")).to_contain_text("Approved · alice")
    assert refused["status"] == 409, refused
    assert refused["title"] in ("Someone else is on it", "This changed meanwhile"), refused
    # Refused by alice's claim, or (when alice's approval committed first) by the draft's new state.
    assert re.search(r"being reviewed by alice|is approved|changed meanwhile", refused["detail"]), refused
    bob.reload()
    expect(bob.locator("#draft")).to_contain_text("Approved · alice")
    approvals = [row for row in workspace.store.audit_log("draft", int(draft_id)) if row.action == "approved"]
    assert [row.actor for row in approvals] == ["alice"]


# -- 9. a supervisor gives a message to an agent -----------------------------------------


def test_a_supervisor_gives_a_message_to_an_agent_who_then_holds_it(page_as: Callable) -> None:
    sam = page_as("sam")
    open_message(sam, SUBJECTS["assign.eml"])
    sam.get_by_label("Give to").select_option("bob")
    sam.get_by_role("button", name="Give", exact=True).click()
    expect(sam.locator("#claim-state")).to_have_text("bob is reviewing this message: you see it read-only.")

    bob = page_as("bob")
    bob.goto("/queue")
    bob.get_by_label("Assigned to").select_option(label="Me")
    row = bob.locator("table.queue tbody tr", has_text=SUBJECTS["assign.eml"])
    expect(row.locator("td").last).to_have_text("bob you")
    row.get_by_role("link", name=SUBJECTS["assign.eml"]).click()
    expect(bob.locator("#claim-state")).to_contain_text("You hold this message")
    expect(bob.locator("#claim-state")).to_contain_text("Given to you by sam.")
    expect(bob.get_by_label("Reply to the customer (edit before approving)")).to_be_editable()


# -- 10. the supervisors' dashboard ------------------------------------------------------


def _store_counts(workspace: Workspace) -> dict[str, int]:
    """What the store holds: messages, and their drafts' reviews (an approval kept an edit or not)."""
    store = workspace.store
    counts = {"Messages in": 0, "Approved unchanged": 0, "Approved after an edit": 0, "Rejected": 0}
    for message_pk in store.message_ids():
        counts["Messages in"] += 1
        draft = store.message(message_pk).draft
        if draft is None:
            continue
        if draft.status in (DraftStatus.APPROVED, DraftStatus.SENDING, DraftStatus.SENT):
            counts["Approved after an edit" if draft.final_body is not None else "Approved unchanged"] += 1
        elif draft.status == DraftStatus.REJECTED:
            counts["Rejected"] += 1
    return counts


def test_the_dashboard_shows_the_counts_the_store_holds(page_as: Callable, workspace: Workspace) -> None:
    sam = page_as("sam")
    sam.goto("/queue")
    sam.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(sam.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    expected = _store_counts(workspace)
    cards = {
        "Messages in": "messages_in",
        "Approved unchanged": "approved_unchanged",
        "Approved after an edit": "approved_edited",
        "Rejected": "rejected",
    }
    for name, figure in cards.items():
        expect(sam.locator(f'[data-figure="{figure}"]')).to_have_text(str(expected[name]))
    # Each day's column of the daily chart has a title with all its numbers, shown on hover:
    # "05/12 — Messages in: 4; Approved unchanged: 0; ...". Summed over the window.
    daily = sam.locator("svg.chart-stacked").first
    expect(daily).to_be_visible()
    shown: dict[str, int] = {}
    for title in daily.locator("rect.slot > title").all_text_contents():
        for name, number in re.findall(r"([^—;:]+): (\d+)", title.split(" — ", 1)[1]):
            shown[name.strip()] = shown.get(name.strip(), 0) + int(number)
    assert shown == expected
    sam.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)


# -- 11. hostile mails ------------------------------------------------------------------

_WATCH_CSP = """window.__blocked = [];
document.addEventListener("securitypolicyviolation",
  (event) => window.__blocked.push(`${event.violatedDirective} ${event.blockedURI}`));"""


@pytest.mark.slow
def test_hostile_mails_run_no_script_and_reach_no_other_host(
    page_as: Callable, workspace: Workspace, trap: OutsideTrap
) -> None:
    page = page_as("sam")
    context, host = page.context, workspace.host
    dialogs, errors, outside, blocked = [], [], [], []
    trapped_before = len(trap.requests)
    context.add_init_script(_WATCH_CSP)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console", lambda message: "Content Security Policy" in message.text and blocked.append(message.text)
    )

    def only_this_host(route) -> None:  # noqa: ANN001
        url = route.request.url
        if url.startswith(("data:", "about:")) or url.split("/")[2] == host:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_this_host)

    def inert(expected_title: str) -> None:
        page.wait_for_load_state("networkidle")
        assert page.title() == f"{expected_title} · rpa"
        for frame in page.frames:
            assert frame.evaluate("window.__pwned") is None, frame.url
            blocked.extend(frame.evaluate("window.__blocked || []"))

    page.goto("/queue")
    for subject in HOSTILE.values():
        expect(page.locator("td.subject").get_by_role("link", name=subject, exact=True)).to_be_visible()
    expect(page.locator("td.customer", has_text="<img src=x onerror=window.__pwned=1")).to_have_count(1)
    inert("Queue")

    for source, subject in HOSTILE.items():
        page.goto(f"/messages/{workspace.ids[source]}")
        expect(page.locator("h1#subject")).to_have_text(subject)
        formatted = page.locator("details.formatted summary")
        if formatted.count():
            formatted.click()  # loads the sanitised HTML, in its sandboxed frame (or says there is none)
            shown = page.locator("details.formatted .formatted-body").locator("iframe.mail-frame, p.empty")
            expect(shown).to_have_count(1)
            if page.locator("iframe.mail-frame").count():
                expect(page.frame_locator("iframe.mail-frame").get_by_text("Bonjour")).to_be_visible()
        inert(subject)
    expect(page.get_by_role("heading", name="<img src=x onerror=alert(1)>.pdf")).to_be_visible()
    expect(page.get_by_role("img", name="Page 1 of <img src=x onerror=alert(1)>.pdf")).to_be_visible()
    expect(page.get_by_role("region", name="dessin.svg").get_by_role("img")).to_have_count(0)

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "hostile-report.json").write_text(
        json.dumps({"csp_blocked": blocked, "outside": outside, "trapped": trap.requests}, indent=2)
    )
    assert dialogs == [] and errors == []
    assert outside == [] and trap.requests[trapped_before:] == []
    # The sanitiser left the CSP nothing to block (the next test has it block what slips through).
    assert blocked == []


def test_the_content_security_policy_blocks_what_slips_into_a_page(
    page_as: Callable, workspace: Workspace, trap: OutsideTrap
) -> None:
    """Should customer HTML ever reach the page unsanitised, the browser still runs and fetches none of it."""
    page = page_as("alice")
    page.context.add_init_script(_WATCH_CSP)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    trapped_before = len(trap.requests)
    page.goto("/queue")
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML("beforeend",
        `<img src="http://evil.example/slipped.png" onerror="window.__pwned=1;alert(1)">
         <div style="background:url(http://evil.example/slipped-bg)">x</div>`)"""
    )
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.__pwned=1";
        document.body.append(s); }"""
    )
    expect(page.locator("main img[src^='http://evil.example']")).to_have_count(1)
    page.wait_for_function("() => window.__blocked.length >= 4")
    blocked = page.evaluate("window.__blocked")
    assert any(entry.startswith("img-src http://evil.example/slipped.png") for entry in blocked), blocked
    assert any(entry.startswith("script-src-attr") for entry in blocked), blocked
    assert any(entry.startswith("script-src-elem inline") for entry in blocked), blocked
    assert any(entry.startswith("style-src-attr inline") for entry in blocked), blocked
    assert page.evaluate("window.__pwned") is None and dialogs == []
    assert trap.requests[trapped_before:] == []


# -- 12. screenshots --------------------------------------------------------------------


@pytest.mark.slow
def test_screenshots_of_the_main_screens(
    stranger,  # noqa: ANN001
    page_as: Callable,
    workspace: Workspace,
) -> None:
    """Saved in tests/artifacts/ for a look by eye (the README's are copied from there by hand)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def shoot(page, name: str, *, full_page: bool = False) -> None:  # noqa: ANN001
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=path, full_page=full_page)
        assert Image.open(path).size[0] >= 1280

    stranger.goto("/login")
    shoot(stranger, "login")

    alice = page_as("alice")
    alice.goto("/queue?status=all&intent=claim_new")
    expect(alice.locator("table.queue")).to_be_visible()
    shoot(alice, "queue")

    alice.goto(f"/messages/{workspace.ids['pdf.eml']}")
    expect(alice.locator("rect.box")).not_to_have_count(0)
    alice.wait_for_function("() => [...document.images].every((img) => img.complete && img.naturalWidth)")
    shoot(alice, "item", full_page=True)

    sam = page_as("sam")
    if sam.goto("/dashboard").ok:
        shoot(sam, "dashboard", full_page=True)

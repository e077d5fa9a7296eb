"""The web chat page in a real headless Chromium (Debian package) through Playwright.

Screenshots go to test-artifacts/ (desktop and a 390 px phone viewport).
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from server_helpers import ARTIFACTS, CRISIS

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists() and not shutil.which("chromium"),
                                reason="needs the Debian chromium package (apt-get install -y chromium)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@contextmanager
def _page(browser, server, *, phone: bool, locale: str = "en-US"):
    """The chat page in a fresh browser context (closed afterwards), and the requests it sent anywhere else."""
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 860}
    context = browser.new_context(viewport=viewport, locale=locale, is_mobile=phone, has_touch=phone,
                                  device_scale_factor=2 if phone else 1)
    try:
        outside: list[str] = []
        context.on("request", lambda req: None if req.url.startswith(server.url) else outside.append(req.url))
        page = context.new_page()
        page.goto(server.url + "/")
        # a locator wait, not wait_for_function("..."): a string predicate that has to poll is eval'd in the page,
        # and the page's CSP (script-src 'self') blocks eval whenever the country list arrives after the first check
        page.locator("#country option").nth(1).wait_for(state="attached")
        yield page, outside
    finally:
        context.close()


def _ask(page, text: str):
    before = page.locator("li.msg.assistant").count()
    page.get_by_label("Your message").fill(text)
    page.keyboard.press("Enter")
    # the new answer by position: `.last` may still be the previous (finished) answer when the wait starts
    answer = page.locator("li.msg.assistant").nth(before)
    answer.and_(page.locator("[data-done='true']")).wait_for(timeout=120_000)
    return answer


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_question_gets_a_streamed_answer_with_sources(browser, server, phone):
    ARTIFACTS.mkdir(exist_ok=True)
    with _page(browser, server, phone=phone) as (page, outside):
        notice = page.locator("#notice")
        assert notice.is_visible() and "not a substitute for professional care" in notice.inner_text()
        answer = _ask(page, "How can I sleep better when I feel stressed?")
        assert int(answer.get_attribute("data-chunks")) >= 1  # arrived as stream deltas
        assert answer.locator(".text").inner_text().strip()
        assert "not a therapist" in answer.locator(".text").inner_text()  # the AI disclosure streamed last
        assert answer.locator(".sources li").count() >= 1
        assert not answer.locator(".help-card").count()
        page.mouse.wheel(0, 2000)
        assert notice.is_visible()  # the AI notice stays in view while scrolling
        page.screenshot(path=str(ARTIFACTS / f"chat-answer-{'phone' if phone else 'desktop'}.png"), full_page=False)
        storage = page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]")
        assert storage == [0, 0, ""]
        assert outside == []


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_crisis_message_shows_the_help_card_for_the_chosen_country(browser, server, phone):
    ARTIFACTS.mkdir(exist_ok=True)
    with _page(browser, server, phone=phone) as (page, outside):
        page.get_by_label("Help lines for").select_option("GB")
        answer = _ask(page, CRISIS)
        card = answer.locator(".help-card")
        assert card.is_visible() and card.get_attribute("role") == "alert"
        hrefs = card.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert "tel:116123" in hrefs  # Samaritans
        assert "tel:999" in hrefs  # UK emergency number
        assert "sms:85258?body=SHOUT" in hrefs  # Shout
        assert "999" in page.locator("#notice").inner_text()
        page.screenshot(path=str(ARTIFACTS / f"chat-crisis-gb-{'phone' if phone else 'desktop'}.png"))

        page.get_by_label("Help lines for").select_option("US")
        answer = _ask(page, "I don't want to be alive anymore")
        hrefs = answer.locator(".help-card a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert "tel:988" in hrefs and "sms:988" in hrefs and "tel:911" in hrefs
        assert outside == []


def test_a_no_to_the_check_in_question_ends_the_crisis_mode_on_the_page(browser, server):
    # "gonna go for a walk" is flagged by the classifier alone (tests/safety/test_check_in.py): the reply asks directly,
    # the page sends that reply back in the history, and a clear "no" is answered without a help card
    ARTIFACTS.mkdir(exist_ok=True)
    with _page(browser, server, phone=True) as (page, outside):
        first = _ask(page, "gonna go for a walk")
        assert first.locator(".help-card").is_visible()
        assert "are you having thoughts of ending your life" in first.locator("div.text").inner_text()
        second = _ask(page, "no, I meant an actual walk lol")
        assert not second.locator(".help-card").count()
        assert "sorry if I misread you" in second.locator("div.text").inner_text()
        page.screenshot(path=str(ARTIFACTS / "chat-check-in-phone.png"))
        assert outside == []


def test_keyboard_only_use(browser, server):
    with _page(browser, server, phone=False) as (page, _):
        assert page.evaluate("document.activeElement.id") == "message"  # ready to type on load
        page.focus(".skip")
        order = []
        for _ in range(6):
            page.keyboard.press("Tab")
            order.append(page.evaluate("document.activeElement.id || document.activeElement.getAttribute('href')"))
        assert order == ["show-help", "new-chat", "tel:911", "country", "message", "send"]
        labelled = page.evaluate("""[...document.querySelectorAll('select, textarea, input')]
            .every(e => e.labels && e.labels.length > 0)""")
        assert labelled
        page.focus("#show-help")
        page.keyboard.press("Enter")
        card = page.locator("li.msg.help .help-card")
        card.wait_for()
        assert page.evaluate("document.activeElement.getAttribute('href')").startswith("tel:")
        page.screenshot(path=str(ARTIFACTS / "chat-help-lines-desktop.png"))


def test_a_crisis_in_arabic_reads_right_to_left_above_the_english_reply(browser, server):
    # mhqa.safety.languages reads "I want to die" in Arabic; the reply's first line is Arabic, and each line of a
    # message takes its own direction (unicode-bidi: plaintext), so that line starts at the right edge
    ARTIFACTS.mkdir(exist_ok=True)
    with _page(browser, server, phone=True) as (page, outside):
        answer = _ask(page, "أريد أن أموت")
        assert answer.locator(".help-card").is_visible()
        text = answer.locator("div.text")
        assert text.inner_text().startswith("شكرًا لأنك أخبرتني")
        # the first line's first character sits at the right of the bubble, an English line's at the left
        edges = text.evaluate("""el => {
            const node = el.firstChild, r = document.createRange(), box = el.getBoundingClientRect();
            r.setStart(node, 0); r.setEnd(node, 1); const ar = r.getBoundingClientRect();
            const i = node.textContent.indexOf("I'm"); r.setStart(node, i); r.setEnd(node, i + 1);
            const en = r.getBoundingClientRect();
            return [box.right - ar.right, en.left - box.left];
        }""")
        assert edges[0] < 12 and edges[1] < 12, edges
        assert page.get_by_label("Your message").get_attribute("dir") == "auto"
        page.screenshot(path=str(ARTIFACTS / "chat-crisis-arabic-phone.png"))
        assert outside == []

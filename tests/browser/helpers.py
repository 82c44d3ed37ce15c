"""What the browser journeys share: the portal's wording in the page's language, signing in,
and moving through a page with the keyboard alone."""

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import formats, translation
from django.utils.html import strip_tags
from playwright.sync_api import Locator, Page, expect

from accounts.tests.factories import PASSWORD
from issues.models import Category

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}


class Wording:
    """The portal's wording in one language, looked up through the catalogue from the English
    source strings rather than copied into the tests: a journey follows a change of wording,
    and in Indonesian it still proves that the page is translated, because a text that would
    come out in English is refused."""

    def __init__(self, language: str):
        self.language = language

    def __call__(self, text, /, **params) -> str:
        """A source string (`"Send report"`) or a lazy one (a choice's label)."""
        return self._in_language(
            lambda: translation.gettext(text) if isinstance(text, str) else str(text), params
        )

    def in_context(self, context: str, text: str, /, **params) -> str:
        """A source string the templates mark with a context (`{% translate "Open" context
        "button: open a report" %}`), where the same English word is translated otherwise."""
        return self._in_language(lambda: translation.pgettext(context, text), params)

    def plain(self, text: str, /, **params) -> str:
        """A string that carries markup, as the page reads once the tags are gone."""
        return strip_tags(self(text, **params))

    def plural(self, singular: str, plural: str, count: int, /, **params) -> str:
        return self._in_language(lambda: translation.ngettext(singular, plural, count), params)

    def label(self, form_class, field: str) -> str:
        return self(form_class.base_fields[field].label)

    def verbose_name(self, model, field: str) -> str:
        return self(model._meta.get_field(field).verbose_name)

    def month(self, month: datetime.date) -> str:
        """A month as the pages and reports name it: "Desember 2026", "December 2026"."""
        with translation.override(self.language):
            return formats.date_format(month, "F Y")

    def category(self, code: str) -> str:
        category = Category.objects.get(code=code)
        return self._in_language(lambda: category.label, {})

    def _in_language(self, render, params: dict) -> str:
        with translation.override(self.language):
            text = str(render())
        if self.language != "en":
            with translation.override("en"):
                english = str(render())
            # A few words read the same in both languages (Email, FKPM); anything else equal to
            # its English source is missing from the catalogue and shows in English.
            assert text != english or _catalogued(english, self.language), (
                f"{english!r} has no {self.language} translation: run `make messages`"
            )
        return text % params if params else text


def _catalogued(msgid: str, language: str) -> bool:
    catalog = translation.trans_real.translation(language)._catalog
    return msgid in catalog or (msgid, 0) in catalog


def open_page(browser, base_url: str, *, language: str, viewport: str, **context_options) -> Page:
    """A fresh browser (its own cookies) on an Indonesian phone or desktop, showing the portal
    in `language`."""
    # The locale stays Indonesian in both languages: the portal ignores Accept-Language, and an
    # Indonesian phone is the usual device whichever language its owner picks.
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="id-ID", **context_options)
    if language != settings.LANGUAGE_CODE:
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
        )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = base_url
    page.viewport_name = viewport
    page.language = language
    page.t = Wording(language)
    return page


def sign_in(page: Page, email: str, *, via_header: bool = False) -> None:
    t = page.t
    if via_header:
        page.goto(page.base_url + "/")
        page.get_by_role("navigation").get_by_role("link", name=t("Sign in")).click()
    else:
        page.goto(page.base_url + "/accounts/login/")
    page.get_by_label(t("Email")).fill(email)
    page.get_by_label(t("Password")).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign In")).click()


def menu(page: Page) -> Locator:
    """The header's menu, opened first where it folds behind its button (signed in, on a
    phone)."""
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    return page.get_by_role("navigation", name=page.t("Main menu"))


def expect_page_response(page: Page):
    """Waits for the response to the next page the tab shows, whatever leads there (a click,
    Enter on a link): its status and headers as the server sent them.

    Its body is not always the server's: Chromium shows a PDF in its own viewer and hands
    Playwright the viewer's HTML instead."""
    return page.expect_response(
        lambda response: (
            response.request.is_navigation_request() and response.frame == page.main_frame
        )
    )


def tab_to(page: Page, target: Locator, *, backwards: bool = False, limit: int = 60) -> int:
    """Press Tab (Shift+Tab backwards) until `target` has the focus, as a keyboard user moves
    through a page; fails if it cannot be reached or does not show where the focus is.
    Returns the number of key presses it took."""
    key = "Shift+Tab" if backwards else "Tab"
    presses = 0
    while not target.evaluate("el => el === document.activeElement"):
        if presses == limit:
            raise AssertionError(f"{target} is not reachable with {key} in {limit} presses")
        page.keyboard.press(key)
        presses += 1
    outline = target.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] != "none" and outline[1] != "0px", f"{target} shows no focus ring"
    return presses


def choose_with_arrows(page: Page, select: Locator, label: str) -> None:
    """Pick an option of the focused <select> with the arrow keys, without opening it."""
    expect(select).to_be_focused()
    labels = select.evaluate("el => [...el.options].map(o => o.label)")
    current = select.evaluate("el => el.selectedIndex")
    wanted = labels.index(label)
    key = "ArrowDown" if wanted > current else "ArrowUp"
    for _ in range(abs(wanted - current)):
        page.keyboard.press(key)
    assert select.evaluate("el => el.options[el.selectedIndex].label") == label


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}-{page.language}-{page.viewport_name}.png"
    page.screenshot(path=str(path), full_page=True)

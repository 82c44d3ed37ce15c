"""A report sent over a weak signal: the send button says the report is on its way at once,
and a second tap while it crosses sends nothing more (js/form-sending.js)."""

import pytest
from playwright.sync_api import expect

from issues.forms import ProblemForm
from issues.models import Problem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Beside the portal's own script, the test's listener on the window hears each submit after
# the form's: it notes whether the submit would have sent the form, and keeps it on the page
# (a report on its way, as over a weak signal, for as long as the test needs).
HOLD_SUBMITS = """() => {
    window.submits = [];
    window.addEventListener("submit", (event) => {
        window.submits.push(!event.defaultPrevented);
        event.preventDefault();
    });
}"""
BUTTON = "document.querySelector('form.problem-form button[type=submit]')"


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_a_report_says_it_is_being_sent_and_a_second_tap_sends_it_once(page, area, photo_path):
    t = page.t
    page.clock.install()  # the test moves the page's time on itself
    page.goto(f"{page.base_url}/lapor/?desa={area.village.code}")
    page.get_by_label(t.label(ProblemForm, "category")).select_option(label=t.category("pencurian"))
    page.get_by_label(t.label(ProblemForm, "title")).fill("Motor hilang di pos ronda")
    page.get_by_label(t.label(ProblemForm, "description")).fill(
        "Sepeda motor hilang dari depan pos ronda RT 03."
    )
    page.get_by_label(t.label(ProblemForm, "photos")).set_input_files(str(photo_path))
    page.get_by_label(t.label(ProblemForm, "consent")).check()
    page.evaluate(HOLD_SUBMITS)

    page.get_by_role("button", name=t("Send report")).click()
    sending = page.get_by_role("button", name=t("Sending…"))
    expect(sending).to_have_attribute("aria-disabled", "true")
    sending.click(force=True)  # the impatient second tap, as the report crosses
    assert page.evaluate("window.submits") == [True, False]

    # A send the browser stopped tells the page nothing: after a while the form works again.
    page.clock.run_for(31_000)
    expect(page.get_by_role("button", name=t("Send report"))).not_to_have_attribute(
        "aria-disabled", "true"
    )
    page.get_by_role("button", name=t("Send report")).click()
    assert page.evaluate("window.submits") == [True, False, True]

    # The report that was on its way arrives, once.
    page.evaluate(f"{BUTTON}.form.submit()")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Thank you, your report was sent"))
    assert Problem.objects.count() == 1

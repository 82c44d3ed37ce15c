"""How a desa page offers its officer's contact details."""

import pytest
from django.urls import reverse

from officers.templatetags.officer_tags import whatsapp_url


@pytest.mark.parametrize(
    "phone, url",
    [
        ("081311112222", "https://wa.me/6281311112222"),
        ("0813-1111-2222", "https://wa.me/6281311112222"),
        ("+62 813 1111 2222", "https://wa.me/6281311112222"),
        ("62 (813) 1111.2222", "https://wa.me/6281311112222"),
        ("022 7654321", ""),  # a landline
        ("0813", ""),
        ("", ""),
        ("08131111222233334444", ""),
    ],
)
def test_a_mobile_number_has_a_whatsapp_link_and_nothing_else_does(phone, url):
    assert whatsapp_url(phone) == url


def test_the_desa_page_links_the_officers_phone_and_whatsapp(client, area, officer):
    officer.officer.phone = "0813-1111-2222"
    officer.officer.save()
    page = client.get(reverse("territory:village_detail", args=[area.village.code]))
    html = page.content.decode()
    assert 'href="tel:0813-1111-2222"' in html
    assert 'href="https://wa.me/6281311112222"' in html
    assert f"Chat dengan {officer.name} lewat WhatsApp" in html


def test_a_residents_own_page_links_their_officers_phone_and_whatsapp(
    client, area, officer, resident
):
    officer.officer.phone = "0813-1111-2222"
    officer.officer.save()
    client.force_login(resident)
    html = client.get(reverse("landing")).content.decode()
    assert 'href="tel:0813-1111-2222"' in html
    assert 'href="https://wa.me/6281311112222"' in html
    assert f"Chat dengan {officer.name} lewat WhatsApp" in html

"""The heart of the portal in a real browser: a resident files an anonymous problem with a
photo and gets a tracking code; the desa's officer takes it through every SARA stage; the
resident confirms through the tracking link."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from issues.models import Problem
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAGES = ["Diverifikasi", "Analisis", "Penanganan", "Evaluasi", "Selesai"]


@pytest.fixture
def photo_path(tmp_path):
    path = tmp_path / "motor.jpg"
    Image.new("RGB", (640, 480), (120, 160, 200)).save(path, "JPEG")
    return path


def file_anonymously(page, area, photo_path) -> tuple[str, str]:
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Laporkan masalah").first.click()
    page.get_by_label("Nama desa atau kelurahan").fill("Cileunyi Kulon")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Desa Cileunyi Kulon").click()
    expect(page.get_by_text("Telepon 110")).to_have_count(2)
    page.get_by_label("Masalah apa?").select_option(label="Pencurian")
    page.get_by_label("Dalam beberapa kata").fill("Motor hilang di pos ronda")
    page.get_by_label("Apa yang terjadi?").fill("Sepeda motor hilang dari depan pos ronda RT 03.")
    page.get_by_label("Di mana?").fill("Pos ronda RT 03 RW 02")
    page.get_by_label("Foto (tidak wajib)").set_input_files(str(photo_path))
    page.get_by_label("Remaja/pemuda").check()
    page.get_by_label("Telepon atau WhatsApp (tidak wajib)").fill("0812 3456 7890")
    page.get_by_label("Saya sudah membaca").check()
    screenshot(page, "problem-form")
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Terima kasih, laporan Anda sudah terkirim"
    )
    screenshot(page, "problem-filed")
    codes = page.locator("strong.code").all_inner_texts()
    return codes[0], codes[1]


def sign_in(page, email: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_a_problem_goes_from_report_to_confirmed_solution(page, area, officer, photo_path):
    reference, code = file_anonymously(page, area, photo_path)
    assert re.fullmatch(r"KMT-\d{4}-\d{6}", reference)
    assert Problem.objects.get(reference=reference).photos.count() == 1

    officer_page = page.context.browser.new_context(viewport=page.viewport_size).new_page()
    officer_page.set_default_timeout(10_000)
    officer_page.base_url = page.base_url
    officer_page.viewport_name = page.viewport_name
    sign_in(officer_page, officer.email)
    officer_page.get_by_role("link", name="Masalah terbuka di desa binaan saya").click()
    officer_page.get_by_role("link", name="Motor hilang di pos ronda").click()
    expect(officer_page.get_by_text("0812 3456 7890")).to_be_visible()
    for stage in STAGES:
        step = officer_page.get_by_role("region", name="Langkah berikutnya dalam siklus SARA")
        step.get_by_label("Langkah berikutnya").select_option(label=stage)
        step.get_by_label("Catatan", exact=False).first.fill(f"Tahap {stage}")
        step.get_by_label("Catatan publik").check()
        step.get_by_role("button", name="Simpan langkah").click()
        expect(officer_page.get_by_text("Status diubah.")).to_be_visible()
    screenshot(officer_page, "problem-officer")

    page.goto(page.base_url + "/lacak/")
    page.get_by_label("Nomor laporan").fill(reference)
    page.get_by_label("Kode pelacakan").fill(code)
    page.get_by_role("button", name="Buka").click()
    expect(page.get_by_text("Tahap Evaluasi")).to_be_visible()
    expect(page.locator(".photos img")).to_have_count(1)
    page.get_by_text("Ya", exact=True).click()
    page.get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text("Terima kasih atas jawaban Anda.")).to_be_visible()
    screenshot(page, "problem-confirmed")
    assert Problem.objects.get(reference=reference).feedback.get().solved is True


def test_the_reporter_marks_the_place_with_the_phones_location(chromium, live_server, area):
    context = chromium.new_context(
        viewport={"width": 360, "height": 740},
        locale="id-ID",
        geolocation={"latitude": -6.9312, "longitude": 107.7205},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/lapor/?desa={area.village.code}")
    page.get_by_role("button", name="Gunakan lokasi saya").click()
    expect(page.get_by_text("Titik dipilih: -6.931200, 107.720500")).to_be_visible()
    # The map loads Leaflet from the portal itself; a click moves the point.
    page.get_by_role("button", name="Tandai lokasi di peta").click()
    expect(page.locator(".leaflet-container")).to_be_visible()
    page.get_by_label("Masalah apa?").select_option(label="Perjudian")
    page.get_by_label("Dalam beberapa kata").fill("Judi sabung ayam")
    page.get_by_label("Apa yang terjadi?").fill("Setiap malam Minggu di kebun belakang balai.")
    page.get_by_label("Saya sudah membaca").check()
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Terima kasih")
    problem = Problem.objects.get(title="Judi sabung ayam")
    assert (float(problem.latitude), float(problem.longitude)) == (-6.9312, 107.7205)
    context.close()


def test_the_form_works_without_javascript(chromium, live_server, area):
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/lapor/")
    page.get_by_label("Nama desa atau kelurahan").fill("Cileunyi")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Desa Cileunyi Wetan").click()
    page.get_by_label("Masalah apa?").select_option(label="Minuman keras")
    page.get_by_label("Dalam beberapa kata").fill("Pesta miras di lapangan")
    page.get_by_label("Apa yang terjadi?").fill("Sekelompok pemuda minum sampai larut malam.")
    page.get_by_label("Saya sudah membaca").check()
    page.get_by_role("button", name="Kirim laporan").click()
    code = page.locator("strong.code").nth(1).inner_text()
    page.get_by_role("link", name="Ikuti laporan saya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pesta miras di lapangan")
    assert len(code) == 11
    context.close()

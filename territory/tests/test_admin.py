from django.db import connection
from django.test.utils import CaptureQueriesContext

from territory.tests.factories import DistrictFactory, VillageFactory

SEARCH = "/admin/autocomplete/"
FIELD = {"app_label": "officers", "model_name": "assignment", "field_name": "village"}


def test_a_desa_name_found_twice_is_told_apart_by_kecamatan_and_code(client, area, operator):
    other = VillageFactory(
        code="32.04.06.2009", name="Cileunyi Kulon", district=DistrictFactory(name="Cimenyan")
    )
    client.force_login(operator)
    response = client.get(SEARCH, {**FIELD, "term": "Cileunyi Kulon"})
    texts = sorted(r["text"] for r in response.json()["results"])
    assert texts == [
        f"Desa Cileunyi Kulon · Kec. Cileunyi · {area.village.code}",
        f"Desa Cileunyi Kulon · Kec. Cimenyan · {other.code}",
    ]


def test_the_search_makes_the_same_queries_for_1_and_for_15_desa(client, area, operator):
    client.force_login(operator)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(SEARCH, {**FIELD, "term": "Desa"}).status_code == 200
        return len(captured)

    VillageFactory(code="32.04.05.2100", name="Desa 0")
    one = queries()
    for n in range(1, 15):
        VillageFactory(code=f"32.04.05.{2100 + n}", name=f"Desa {n}")
    assert queries() == one


def test_the_desa_list_makes_the_same_queries_for_1_and_for_20_desa(client, operator):
    # Session, user, the page of desa with their kecamatan and Polsek joined, the filter's
    # count: the Polsek column must not be read desa by desa.
    client.force_login(operator)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/territory/village/").status_code == 200
        return len(captured)

    VillageFactory()
    one = queries()
    VillageFactory.create_batch(19)
    assert queries() == one

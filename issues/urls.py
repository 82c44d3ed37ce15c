from django.urls import path

from issues.views import filing, photos, public, tracking, work

app_name = "issues"
urlpatterns = [
    path("lapor/", filing.file_problem, name="file"),
    path("lapor/terkirim/", filing.filed, name="filed"),
    path("lacak/", tracking.track_lookup, name="track_lookup"),
    path("lacak/<str:reference>/<str:code>/", tracking.track, name="track"),
    path("lacak/<str:reference>/<str:code>/data/", tracking.track_data, name="track_data"),
    path("lacak/<str:reference>/<str:code>/tarik/", tracking.track_withdraw, name="track_withdraw"),
    path("masalah/", work.problem_list, name="list"),
    path("masalah/<str:reference>/", work.problem_detail, name="detail"),
    path("masalah/<str:reference>/status/", work.problem_transition, name="transition"),
    path("masalah/<str:reference>/catatan/", work.problem_comment, name="comment"),
    path("masalah/<str:reference>/tugaskan/", work.problem_assign, name="assign"),
    path("publik/<str:reference>/", public.public_problem, name="public"),
    path("foto/<int:photo_id>/", photos.photo, name="photo"),
    path("foto/<int:photo_id>/kecil/", photos.photo, {"small": True}, name="photo_small"),
]

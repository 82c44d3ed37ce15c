from django.urls import path

from forums.views import documents, forums, meetings

app_name = "forums"
urlpatterns = [
    path("fkpm/", forums.forum_list, name="list"),
    path("fkpm/baru/", forums.forum_create, name="create"),
    path("fkpm/tindak-lanjut/", meetings.action_item_list, name="action_items"),
    path(
        "fkpm/tindak-lanjut/<int:item_pk>/status/",
        meetings.action_item_status,
        name="action_item_status",
    ),
    path("fkpm/berkas/<int:file_pk>/", documents.meeting_file, name="file"),
    path(
        "fkpm/berkas/<int:file_pk>/kecil/",
        documents.meeting_file,
        {"small": True},
        name="file_small",
    ),
    path("fkpm/<int:pk>/", forums.forum_detail, name="detail"),
    path("fkpm/<int:pk>/publik/", forums.forum_public, name="public"),
    path("fkpm/<int:pk>/ubah/", forums.forum_edit, name="edit"),
    path("fkpm/<int:pk>/jadwal/", forums.schedule_edit, name="schedule"),
    path("fkpm/<int:pk>/anggota/", forums.member_list, name="members"),
    path("fkpm/<int:pk>/anggota/<int:member_pk>/", forums.member_edit, name="member_edit"),
    path("fkpm/<int:pk>/anggota/<int:member_pk>/keluar/", forums.member_leave, name="member_leave"),
    path("fkpm/<int:pk>/kalender.ics", documents.calendar_public, name="calendar_public"),
    path(
        "fkpm/<int:pk>/kalender/<str:token>.ics",
        documents.calendar_private,
        name="calendar_private",
    ),
    path("fkpm/<int:pk>/kalender/baru/", forums.calendar_renew, name="calendar_renew"),
    path("fkpm/<int:pk>/rapat/baru/", meetings.meeting_plan, name="meeting_plan"),
    path("fkpm/<int:pk>/rapat/<int:meeting_pk>/", meetings.meeting_detail, name="meeting"),
    path(
        "fkpm/<int:pk>/rapat/<int:meeting_pk>/catat/",
        meetings.meeting_record,
        name="meeting_record",
    ),
    path(
        "fkpm/<int:pk>/rapat/<int:meeting_pk>/ubah/",
        meetings.meeting_reschedule,
        name="meeting_reschedule",
    ),
    path(
        "fkpm/<int:pk>/rapat/<int:meeting_pk>/batal/",
        meetings.meeting_cancel,
        name="meeting_cancel",
    ),
    path(
        "fkpm/<int:pk>/rapat/<int:meeting_pk>/masalah/",
        meetings.meeting_link_problem,
        name="meeting_link_problem",
    ),
    path(
        "fkpm/<int:pk>/rapat/<int:meeting_pk>/masalah/baru/",
        meetings.meeting_raise_problem,
        name="meeting_raise_problem",
    ),
    path(
        "fkpm/<int:pk>/rapat/<int:meeting_pk>/tindak-lanjut/",
        meetings.action_item_add,
        name="action_item_add",
    ),
    path(
        "fkpm/<int:pk>/rapat/<int:meeting_pk>/berkas/",
        meetings.meeting_add_files,
        name="meeting_files",
    ),
    path(
        "fkpm/<int:pk>/rapat/<int:meeting_pk>/cetak/",
        documents.meeting_print,
        name="meeting_print",
    ),
    path(
        "fkpm/<int:pk>/rapat/<int:meeting_pk>/notulen.pdf",
        documents.meeting_pdf,
        name="meeting_pdf",
    ),
]

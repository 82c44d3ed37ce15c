import datetime

import factory
from django.utils import timezone

from forums.models import ActionItem, Forum, Meeting, Member, Schedule
from territory.tests.factories import VillageFactory


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    village = factory.SubFactory(VillageFactory)
    name = factory.LazyAttribute(lambda forum: f"FKPM {forum.village.name}")
    kind = Forum.Kind.VILLAGE
    established_on = datetime.date(2021, 3, 1)
    decree_number = "141/Kep.12/2021"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    forum = factory.SubFactory(ForumFactory)
    name = factory.Sequence(lambda n: f"Anggota {n}")
    role = Member.Role.MEMBER
    sector = Member.Sector.RT_RW
    gender = Member.Gender.MALE
    joined_on = datetime.date(2024, 1, 1)


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    forum = factory.SubFactory(ForumFactory)
    frequency = Schedule.Frequency.MONTHLY
    weekday = Schedule.Weekday.TUESDAY
    week_of_month = Schedule.WeekOfMonth.SECOND
    time = datetime.time(19, 0)
    place = "Balai desa"
    starts_on = datetime.date(2024, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    forum = factory.SubFactory(ForumFactory)
    # In the last 300 days, after the members joined; distinct times for one forum.
    scheduled_at = factory.Sequence(
        lambda n: (
            timezone.now().replace(second=0, microsecond=0)
            - datetime.timedelta(days=1 + n % 300, minutes=n // 300)
        )
    )
    place = "Balai desa"
    status = Meeting.Status.PLANNED


class HeldMeetingFactory(MeetingFactory):
    status = Meeting.Status.HELD
    minutes = "Dibahas: **ronda malam** di RT 03.\n\n- Ronda dimulai Sabtu\n- Lampu jalan"
    summary = "Forum sepakat menghidupkan ronda malam."
    # Opened by its recorder (the model's default keeps minutes internal): most tests read them.
    minutes_internal = False
    other_men = 4
    other_women = 3


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(HeldMeetingFactory)
    forum = factory.SelfAttribute("meeting.forum")
    what = factory.Sequence(lambda n: f"Pasang lampu jalan di gang {n}")
    owner_name = "Ketua RT 03"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))

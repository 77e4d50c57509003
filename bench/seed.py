"""The data every bench works on: deterministic diaries at the scale of issue 13, seeded quickly
through the import path.

- one patient ("Bea Bench") who has logged every night for 5 years (1,826 nights);
- one clinician with `others` more sharing patients, each with a year of nights (365); more
  clinicians on request (bench.dr1@example.org ...), each shared every patient, as a practice
  whose clinicians share one list (a load run signs each in as a person of their own);
- every account with an unusable password (hashing 500 passwords would dominate the seeding),
  except those given `password` (the clinician, the bench patient and a few more, for runs
  that sign in through the form);
- users, profiles and care links made in bulk;
- the 5-year diary and DISTINCT different year-long diaries written through the import path
  (`diary.services.nights.diary_import`: bulk inserts, then the patient's prompts and dashboard
  state brought up to date); the other patients get a copy of one of those diaries, made by the
  database (INSERT ... SELECT, two statements per distinct diary), since Django's bulk insert
  costs about 0.2 s a year of nights in Python; then their diary states are made and
  `prompts_refresh_stale` brings every patient's prompts and dashboard state up to date, as the
  scheduled job would.

The same `today` always gives the same diaries: every distinct diary draws from a generator
seeded with its number, nights are counted back from last night, and patient n copies diary
n % DISTINCT.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

BENCH_PATIENT = "bench@example.org"
BENCH_CLINICIAN = "bench.dr@example.org"
ONE_YEAR = 365
# make bench's scales (BENCH_SCALE): the clinician's other patients, the bench patient's years.
SCALES = {1: {"patients": 500, "years": 5}, 10: {"patients": 5000, "years": 10}}


def years_of_nights(years: int) -> int:
    """Nights in `years` years of a diary logged every night (a leap day every fourth year)."""
    return years * ONE_YEAR + -(-years // 4)


FIVE_YEARS = years_of_nights(5)  # 1,826
DISTINCT = 25  # different year-long diaries; the other patients copy them

MUSCLES = ["calf"] * 7 + ["foot", "foot", "toes", "thigh_back"]
SIDES = ["left", "left", "right", "both"]
REMEDIES = ["flex_foot", "massage", "walk_or_jiggle", "hot_shower_or_bath", "ice"]
PREVENTION = ["fluids", "stretching", "stationary_bike", "potassium_calcium_foods"]
FIRST_NAMES = ["Ann", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kit", "Lea"]
LAST_NAMES = ["Abbot", "Brook", "Cole", "Dunn", "Ewing", "Frost", "Grant", "Hale", "Irwin", "Jude"]


@dataclass
class Seeded:
    patient: object  # the 5-year diary, shared with the clinician
    clinician: object
    others: list  # the clinician's other patients
    last_night: date


def patient_name(number: int) -> str:
    """The name of bench{number}@example.org."""
    return f"{FIRST_NAMES[number % 12]} {LAST_NAMES[number // 12 % 10]} {number}"


def nights(rng: random.Random, last: date, count: int, cramp_chance: float) -> tuple:
    """`count` nights ending with `last`, oldest first, every one logged: about `cramp_chance`
    of them with one to three cramps, habits, sleep quality and now and then a day that
    suffered."""
    from diary.domain.records import CrampRecord, NightRecord

    made = []
    # Drawn from last night backwards, so that a longer diary from the same generator only
    # adds older nights: the 5-year and the 10-year diaries end with the same 5 years, and
    # their pages compare like with like.
    for offset in range(count):
        night = last - timedelta(days=offset)
        # Some months are worse than others, as in real diaries.
        chance = min(0.95, cramp_chance * (1.5 if (night.month + rng.random()) % 4 < 1 else 1))
        cramps = ()
        if rng.random() < chance:
            cramps = tuple(
                CrampRecord(
                    muscle=rng.choice(MUSCLES),
                    side=rng.choice(SIDES),
                    duration_minutes=rng.choice([0.5, 1, 1, 2, 2, 3, 4, 5, 7, 12]),
                    severity=min(10, max(1, round(rng.gauss(5, 1.8)))),
                    woke=rng.random() < 0.7,
                    remedies=frozenset(rng.sample(REMEDIES, k=rng.choice([1, 1, 2]))),
                    relief=rng.choice(["none", "some", "some", "full", ""]),
                )
                for _ in range(rng.choice([1, 1, 1, 2, 3]))
            )
        made.append(
            NightRecord(
                night=night,
                sleep_quality=rng.choice([None, 2, 3, 3, 4, 4, 5]),
                daytime_impairment=rng.choice(["", "none", "none", "mild", "moderate"])
                if cramps
                else "",
                prevention=frozenset(habit for habit in PREVENTION if rng.random() < 0.3),
                cramps=cramps,
            )
        )
    return tuple(reversed(made))


def _users(specs: list[dict], password: str | None, with_password: int):
    """Accounts in bulk (with their health profiles): the first `with_password` with
    `password` (hashed once: a bench shares one salt), the others unusable."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from diary.models import HealthProfile

    users = []
    now = timezone.now()
    encoded = make_password(password) if password else None
    for number, spec in enumerate(specs):
        user = User(email_verified_at=now, date_joined=now - timedelta(days=6 * 365), **spec)
        if encoded and number < with_password:
            user.password = encoded
        else:
            user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users, batch_size=500)
    if not all(user.pk for user in users):  # SQLite before RETURNING, or another backend
        by_email = User.objects.in_bulk([user.email for user in users], field_name="email")
        users = [by_email[user.email] for user in users]
    HealthProfile.objects.bulk_create(
        [HealthProfile(patient=user) for user in users if user.role == "patient"], batch_size=500
    )
    return users


def _copy_diaries(source, targets: list[int]) -> None:
    """Copies the nights and cramps of patient `source` to each of `targets` in the database."""
    from diary.models import Cramp, Night

    quote = connection.ops.quote_name
    night_table, cramp_table = quote(Night._meta.db_table), quote(Cramp._meta.db_table)
    skip = {"id", "patient_id", "night_id"}
    nights = [quote(f.column) for f in Night._meta.concrete_fields if f.column not in skip]
    cramps = [quote(f.column) for f in Cramp._meta.concrete_fields if f.column not in skip]
    user_table = quote(source._meta.db_table)
    targets_in = ", ".join(["%s"] * len(targets))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {night_table} (patient_id, {', '.join(nights)}) "
            f"SELECT u.id, {', '.join(f'n.{c}' for c in nights)} "
            f"FROM {night_table} n, {user_table} u "
            f"WHERE n.patient_id = %s AND u.id IN ({targets_in})",
            [source.pk, *targets],
        )
        cursor.execute(
            f"INSERT INTO {cramp_table} (night_id, {', '.join(cramps)}) "
            f"SELECT t.id, {', '.join(f'c.{c}' for c in cramps)} "
            f"FROM {cramp_table} c JOIN {night_table} s ON c.night_id = s.id "
            f"JOIN {night_table} t ON t.date = s.date "
            f"WHERE s.patient_id = %s AND t.patient_id IN ({targets_in})",
            [source.pk, *targets],
        )


def _vacuum_analyze() -> None:
    """On PostgreSQL, statistics for the planner, as autovacuum would gather on a live
    database: straight after bulk inserts it has none, and plans every diary query as a scan of
    the table (and the prompts' as a join with every account). And the visibility map it would
    set, without which an index-only scan reads the table's page of every row it finds
    (autovacuum may be off on a developer's server)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM cannot run in a transaction (a test's): the statistics alone, there.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def seed(
    *,
    others: int = 500,
    other_nights: int = ONE_YEAR,
    password: str | None = None,
    signed_in: int = 0,
    refresh: bool = True,
    bench_nights: int = FIVE_YEARS,
    clinicians: int = 1,
) -> Seeded:
    """The bench's patients and clinician (see the module's docstring); a fresh database.
    `password`: the clinician's, the bench patient's and the first `signed_in` other
    patients' (bench0@example.org ...), for runs that sign in through the form.
    `refresh=False` leaves the copied diaries' prompts never evaluated (bench/refresh.py
    times that run itself). `bench_nights`: the bench patient's (5 years). `clinicians`: Dr
    Bench and `clinicians - 1` more (bench.dr1@example.org ...), all with the same password
    and every patient."""
    from accounts.models import CareLink, LinkStatus, Role, User
    from diary.domain.exchange import Diary
    from diary.models import DiaryState
    from diary.services.dates import last_night, patient_today
    from diary.services.nights import diary_import
    from diary.services.prompts import prompts_refresh_stale

    specs = [
        {
            "email": BENCH_CLINICIAN,
            "role": Role.CLINICIAN,
            "full_name": "Dr Bench",
            "practice": "Bench Practice",
            "share_code": "BENCH234",
        },
    ]
    specs += [
        {
            "email": f"bench.dr{number}@example.org",
            "role": Role.CLINICIAN,
            "full_name": f"Dr Bench {number}",
            "practice": "Bench Practice",
        }
        for number in range(1, clinicians)
    ]
    specs += [
        {"email": BENCH_PATIENT, "role": Role.PATIENT, "full_name": "Bea Bench"},
    ]
    specs += [
        {
            "email": f"bench{number}@example.org",
            "role": Role.PATIENT,
            "full_name": patient_name(number),
        }
        for number in range(others)
    ]
    users = _users(specs, password, with_password=clinicians + 1 + signed_in)
    doctors, (patient, *rest) = users[:clinicians], users[clinicians:]
    clinician = doctors[0]
    now = timezone.now()
    CareLink.objects.bulk_create(
        [
            CareLink(
                patient=user,
                clinician=doctor,
                asked_by=Role.PATIENT,
                status=LinkStatus.ACTIVE,
                activated_at=now,
                # Every seventh patient has an appointment coming: the dashboard sorts by it.
                next_appointment=(now + timedelta(days=number % 60)).date()
                if number % 7 == 0
                else None,
            )
            for doctor in doctors
            for number, user in enumerate([patient, *rest])
        ],
        batch_size=500,
    )
    latest = last_night(patient_today(patient))
    diary_import(
        patient=patient, diary=Diary(nights=nights(random.Random(0), latest, bench_nights, 0.4))
    )
    sources = rest[:DISTINCT]
    for number, user in enumerate(sources, start=1):
        rng = random.Random(number)
        # Most patients have a few cramp nights a week; some many (visit prompts), some few.
        chance = rng.choice([0.1, 0.2, 0.3, 0.3, 0.4, 0.5, 0.7])
        diary = Diary(nights=nights(rng, last_night(patient_today(user)), other_nights, chance))
        diary_import(patient=user, diary=diary)
    copies = rest[DISTINCT:]
    with transaction.atomic():
        for index, source in enumerate(sources):
            targets = [user.pk for user in copies[index :: len(sources)]]
            for start in range(0, len(targets), 500):
                _copy_diaries(source, targets[start : start + 500])
        DiaryState.objects.bulk_create(
            [DiaryState(patient=user, version=1) for user in copies], batch_size=500
        )
    _vacuum_analyze()
    if refresh:
        prompts_refresh_stale()  # every patient's prompts and dashboard state, for their today
        _vacuum_analyze()  # and the prompts and states that made
    users = User.objects.in_bulk([clinician.pk, patient.pk])
    return Seeded(users[patient.pk], users[clinician.pk], rest, latest)


def main(argv: list[str]) -> None:
    """Seeds the database DATABASE_URL names (migrated, and empty), for servers to serve:

    python bench/seed.py [--patients 500] [--nights 365] [--password PW] [--signed-in 8]
                         [--clinicians 1]
    """
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--patients", type=int, default=500, help="the clinician's others")
    parser.add_argument("--nights", type=int, default=ONE_YEAR, help="nights each of them")
    parser.add_argument("--password", help="for the clinician and the bench patient")
    parser.add_argument("--signed-in", type=int, default=0, help="other patients with it")
    parser.add_argument("--bench-nights", type=int, default=FIVE_YEARS, help="the bench patient's")
    parser.add_argument("--clinicians", type=int, default=1, help="each shared every patient")
    args = parser.parse_args(argv)
    seeded = seed(
        others=args.patients,
        other_nights=args.nights,
        password=args.password,
        signed_in=args.signed_in,
        bench_nights=args.bench_nights,
        clinicians=args.clinicians,
    )
    print(
        f"seeded {args.patients + 1} patients; the bench patient's id is {seeded.patient.public_id}"
    )


if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    main(sys.argv[1:])

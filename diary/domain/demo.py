"""Deterministic, realistic demo diaries (plain records; seed_demo writes them).

Each patient's diary is drawn from a seeded random generator, so the same `today` always gives
the same diary. The demo patient has about 120 nights, mostly calf cramps, some weeks worse than
others, remedies with mixed relief and a few unlogged nights; the other patients each show one
pattern a clinician should notice (or none), so that every level of prompt shows: urgent (Tom,
lead), today (Uma, Prue, Ria) and visit (Pete, Vera, Walter, Tess, and Pat's statin).
"""

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from diary.domain.records import CrampRecord, NightRecord, TreatmentRecord
from diary.domain.vocabulary import Medication, Muscle, Prevention, RedFlag, Remedy, Side, Symptom

MUSCLES = [Muscle.CALF] * 7 + [Muscle.FOOT, Muscle.FOOT, Muscle.TOES, Muscle.THIGH_BACK]
# How often each remedy brings some or full relief: flexing the foot helps most.
REMEDY_HELPS = {
    Remedy.FLEX_FOOT: 0.8,
    Remedy.MASSAGE: 0.6,
    Remedy.WALK_OR_JIGGLE: 0.65,
    Remedy.HOT_SHOWER_OR_BATH: 0.5,
    Remedy.ICE: 0.3,
}


@dataclass(frozen=True)
class DemoPatient:
    email: str
    full_name: str
    time_zone: str = "Europe/London"
    venous_disease: bool = False
    pregnant: bool = False
    pregnancy_date: date | None = None
    medications: frozenset[str] = frozenset()
    date_of_birth: date | None = None
    nights: tuple[NightRecord, ...] = field(default=())
    treatments: tuple[TreatmentRecord, ...] = field(default=())


def _cramp(rng: random.Random, severity_shift: int = 0) -> CrampRecord:
    remedies = frozenset(rng.sample(sorted(REMEDY_HELPS), k=rng.choice([1, 1, 2])))
    helps = max(REMEDY_HELPS[remedy] for remedy in remedies)
    relief = "full" if rng.random() < helps * 0.6 else ("some" if rng.random() < helps else "none")
    return CrampRecord(
        muscle=rng.choice(MUSCLES),
        side=rng.choice([Side.LEFT, Side.LEFT, Side.RIGHT, Side.BOTH]),
        duration_minutes=rng.choice([0.5, 1, 1, 2, 2, 3, 4, 5, 7]),
        severity=min(10, max(1, round(rng.gauss(5, 1.6)) + severity_shift)),
        woke=rng.random() < 0.7,
        remedies=remedies,
        relief=relief,
    )


def _night(rng: random.Random, night: date, cramp_chance: float, **extra) -> NightRecord:
    prevention = frozenset(p for p in Prevention if rng.random() < 0.35)
    if Prevention.STRETCHING in prevention:
        cramp_chance *= 0.6  # stretching before bed seems to help in this diary
    cramps = ()
    if rng.random() < cramp_chance:
        cramps = tuple(_cramp(rng) for _ in range(rng.choice([1, 1, 1, 2, 2, 3])))
    woke = any(cramp.woke for cramp in cramps)
    return NightRecord(
        night=night,
        sleep_quality=rng.choice([2, 3]) if woke else rng.choice([3, 4, 4, 5]),
        daytime_impairment=rng.choice(["mild", "mild", "none", "moderate"]) if woke else "none",
        prevention=prevention,
        cramps=cramps,
        **extra,
    )


def _diary(seed: str, today: date, days: int, cramp_chance, skip=0.07) -> list[NightRecord]:
    """Nights from today-days to today-1; cramp_chance(week_index, rng) varies by week."""
    rng = random.Random(seed)
    nights = []
    for offset in range(days, 0, -1):
        night = today - timedelta(days=offset)
        chance = cramp_chance(offset // 7, rng)
        if rng.random() < skip and offset > 1:
            continue
        nights.append(_night(rng, night, chance))
    return nights


def _weekly_waves(week: int, rng: random.Random) -> float:
    # Bad spells every few weeks, calmer weeks between; the eight weeks before magnesium (weeks
    # 9-16 back from today) hold as many bad weeks late as early, so its start follows no
    # worse spell than usual.
    return [0.4, 0.2, 0.3, 0.55, 0.25, 0.35, 0.6, 0.7][week % 8]


def _clock(minutes: int) -> time:
    """A time of day from minutes after midnight (past 24:00 runs into the next day)."""
    return (datetime(2000, 1, 1) + timedelta(minutes=minutes)).time()


def _with_sleep_details(rng: random.Random, night: NightRecord) -> NightRecord:
    """The night with sleep details (Consensus Sleep Diary) that fit its cramps: a cramp that
    woke the patient is an awakening, and its minutes are minutes awake."""
    bed = rng.randint(22 * 60, 23 * 60 + 30)
    tried = bed + rng.choice([0, 5, 10, 15, 30])
    woken_by = [cramp for cramp in night.cramps if cramp.woke]
    awakenings = len(woken_by) + rng.choice([0, 0, 1, 1, 2])
    awake = sum(round(cramp.duration_minutes) + rng.randint(10, 30) for cramp in woken_by)
    awake += (awakenings - len(woken_by)) * rng.randint(3, 15)
    final = rng.randint(6 * 60, 7 * 60 + 15) + 24 * 60
    return replace(
        night,
        bed_time=_clock(bed),
        try_sleep_time=_clock(tried),
        sleep_onset_minutes=rng.choice([5, 10, 15, 20, 30, 45]),
        awakenings=awakenings,
        awake_minutes=awake,
        final_wake_time=_clock(final),
        out_of_bed_time=_clock(final + rng.choice([5, 10, 20, 30])),
    )


def _sleep_weeks(seed: str, nights: list[NightRecord], since: date) -> list[NightRecord]:
    """The nights from `since` on with sleep details, most of them (a few left blank)."""
    rng = random.Random(seed)  # its own generator: the cramps drawn before stay the same
    return [
        _with_sleep_details(rng, night) if night.night >= since and rng.random() < 0.85 else night
        for night in nights
    ]


def _replace_night(nights: list[NightRecord], record: NightRecord) -> list[NightRecord]:
    return [n for n in nights if n.night != record.night] + [record]


def _with_cramp_nights(nights: list[NightRecord], dates: list[date], seed: str):
    """The nights on `dates` with one moderate calf cramp each, unless they had cramps."""
    rng = random.Random(seed)
    calf = CrampRecord("calf", "left", 2, 5, True, frozenset({Remedy.FLEX_FOOT}), "some")
    by_date = {night.night: night for night in nights}
    for day in dates:
        night = by_date.get(day) or _night(rng, day, 0)
        if not night.cramps:
            nights = _replace_night(nights, replace(night, cramps=(calf,)))
    return nights


def demo_patients(today: date) -> list[DemoPatient]:
    """The demo patient first, then the others, each with nights up to last night."""
    day = lambda n: today - timedelta(days=n)  # noqa: E731 -- a short local shorthand
    # Magnesium from 9 weeks ago, after which cramps come about a third as often: a response.
    magnesium = TreatmentRecord("Magnesium citrate", "magnesium", day(63), None, "300 mg at night")
    main = _diary(
        "demo.patient",
        today,
        120,
        lambda week, rng: _weekly_waves(week, rng) * (1 if week >= 9 else 0.35),
    )
    # The last five weeks with sleep details, as a patient who took them up recently.
    main = _sleep_weeks("demo.patient.sleep", main, day(35))
    # Pat takes a statin: at least 3 cramp nights in the last 14 raise the visit prompt to review
    # the medicines (medication_review), which the README promises the demo shows.
    main = _with_cramp_nights(main, [day(n) for n in (2, 6, 11)], "demo.patient.statin")

    severe = _diary("uma", today, 60, lambda week, rng: 0.3)
    severe = _replace_night(
        severe,
        NightRecord(
            night=day(2),
            sleep_quality=1,
            daytime_impairment="severe",
            cramps=(CrampRecord("calf", "right", 15, 9, True, frozenset({"flex_foot"}), "none"),),
        ),
    )

    toxin = _diary("tom", today, 45, lambda week, rng: 0.15)
    toxin = _replace_night(
        toxin,
        replace(
            _night(random.Random("tom-lead"), day(6), 0),
            toxin_exposure=True,
            toxin_substance="lead (sanding old paint)",
        ),
    )
    toxin = _replace_night(
        toxin,
        NightRecord(night=day(3), cramps=(CrampRecord("calf", "left", 3, 6, True),)),
    )

    persistent = _diary("pete", today, 42, lambda week, rng: 0.95)
    venous = _diary("vera", today, 40, lambda week, rng: 0.3)
    weak = _diary("walter", today, 30, lambda week, rng: 0.35)
    weak = _replace_night(
        weak,
        replace(
            _night(random.Random("walter-weak"), day(4), 1.0),
            symptoms=frozenset({Symptom.MUSCLE_WEAKNESS}),
        ),
    )
    tired = _diary("tess", today, 30, lambda week, rng: 0.2)
    for n in (3, 8):
        tired = _replace_night(
            tired,
            NightRecord(
                night=day(n),
                sleep_quality=1,
                daytime_impairment="moderate",
                cramps=(CrampRecord("foot", "left", 2, 6, True, frozenset({"massage"}), "some"),),
            ),
        )
    quiet = _diary("quinn", today, 50, lambda week, rng: 0.05, skip=0.2)

    # Pregnant, with long cramps in one calf: "Contact a doctor today".
    pregnant = _diary("prue", today, 35, lambda week, rng: 0.2)
    for n, minutes in ((5, 40), (2, 60)):
        pregnant = _replace_night(
            pregnant,
            NightRecord(
                night=day(n),
                sleep_quality=2,
                cramps=(CrampRecord("calf", "left", minutes, 7, True, frozenset({"massage"})),),
            ),
        )
    # A swollen, warm calf ticked as a warning sign last night: "Contact a doctor today".
    swollen = _diary("ria", today, 40, lambda week, rng: 0.25)
    swollen = _replace_night(
        swollen,
        replace(
            _night(random.Random("ria-calf"), day(1), 1.0),
            red_flags=frozenset({RedFlag.LEG_SWOLLEN}),
        ),
    )

    def patient(email, name, nights, **profile):
        return DemoPatient(
            email, name, nights=tuple(sorted(nights, key=lambda n: n.night)), **profile
        )

    return [
        patient(
            "demo.patient@example.org",
            "Pat Demo",
            main,
            date_of_birth=date(1956, 4, 12),
            medications=frozenset({Medication.STATIN}),
            treatments=(magnesium,),
        ),
        patient("demo.uma@example.org", "Uma Severe", severe, date_of_birth=date(1948, 9, 3)),
        patient("demo.tom@example.org", "Tom Lead", toxin, date_of_birth=date(1971, 1, 30)),
        patient(
            "demo.pete@example.org", "Pete Persistent", persistent, time_zone="America/New_York"
        ),
        patient("demo.vera@example.org", "Vera Veins", venous, venous_disease=True),
        patient("demo.walter@example.org", "Walter Weak", weak, date_of_birth=date(1944, 6, 21)),
        patient("demo.tess@example.org", "Tess Tired", tired, time_zone="Australia/Sydney"),
        patient("demo.quinn@example.org", "Quinn Quiet", quiet),
        patient(
            "demo.prue@example.org",
            "Prue Pregnant",
            pregnant,
            pregnant=True,
            pregnancy_date=today + timedelta(days=70),
        ),
        patient("demo.ria@example.org", "Ria Swollen", swollen, date_of_birth=date(1962, 2, 8)),
    ]

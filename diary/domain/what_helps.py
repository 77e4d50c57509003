"""What seems to help: remedies tried during a cramp against cramps with no remedy, and habits
before bed compared fairly with the nights without them.

- **Remedies.** Every cramp ends by itself, so "eased after it" is no evidence that a remedy
  helped. A remedy's figure is the share of its cramps that eased fully, with a 95% Wilson
  interval, beside the same figure for cramps where no remedy was tried. A remedy is "helpful"
  only when its whole interval lies above the no-remedy interval; with fewer than 7 cramps
  without a remedy there is nothing to compare with. Cramps with no relief given count in
  neither.
- **Habits.** People stretch after bad nights, so a plain comparison blames the habit for the
  cramps that caused it. The risk ratio of a cramp night with the habit (done that evening)
  against without is a Mantel-Haenszel ratio stratified by whether the previous night was a
  cramp night (only nights whose previous night was logged count), with the Greenland-Robins
  95% interval. "We can't tell yet" while the interval holds 1 or the ratio cannot be formed.
  These are associations in one diary, not proof.

No figure below MIN_EVIDENCE tries or nights either way. docs/treatments.md works an example of
each by hand. Plain Python: records in, figures out.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from diary.domain.records import CrampRecord, NightRecord
from diary.domain.vocabulary import Prevention, Relief, Remedy

MIN_EVIDENCE = 7
Z_95 = 1.96  # standard normal quantile for a two-sided 95% interval
FEWER, MORE, UNCLEAR = "fewer", "more", "unclear"  # HabitEffect.direction
NO_REMEDY = "none"  # RemedyEffect.remedy of the cramps where no remedy was tried


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of the share successes / trials, 95% by default: (low, high),
    both within 0..1. Raises ValueError when trials < 1 or successes is outside 0..trials."""
    if trials < 1 or not 0 <= successes <= trials:
        raise ValueError(f"{successes} successes of {trials} trials is not a share.")
    share = successes / trials
    z2 = z * z
    centre = (share + z2 / (2 * trials)) / (1 + z2 / trials)
    margin = z / (1 + z2 / trials) * math.sqrt(share * (1 - share) / trials + z2 / (4 * trials**2))
    # At a share of 0 or 1 that end is exactly the share; floats would miss it by a hair.
    low = 0.0 if successes == 0 else centre - margin
    high = 1.0 if successes == trials else centre + margin
    return low, high


def _check(first: date, last: date) -> None:
    if first > last:
        raise ValueError(f"The range starts ({first}) after it ends ({last}).")


# Remedies


@dataclass(frozen=True)
class RemedyEffect:
    remedy: str  # a Remedy value, or NO_REMEDY
    tries: int  # cramps on which it was tried (or none was) whose relief was given
    eased: int  # of those, cramps that eased fully
    share: float | None  # eased / tries; None below MIN_EVIDENCE tries: "not enough tries yet"
    helpful: bool = False  # its interval lies wholly above the no-remedy interval

    # The interval is worked out from the counts, so that it can never disagree with them.
    @property
    def low(self) -> float | None:
        """Lower end of the share's 95% Wilson interval; None when there is no share."""
        return None if self.share is None else wilson_interval(self.eased, self.tries)[0]

    @property
    def high(self) -> float | None:
        """Upper end of the share's 95% Wilson interval; None when there is no share."""
        return None if self.share is None else wilson_interval(self.eased, self.tries)[1]


@dataclass(frozen=True)
class Remedies:
    """Each remedy in vocabulary order, and the cramps with no remedy to compare them with."""

    effects: tuple[RemedyEffect, ...]
    no_remedy: RemedyEffect

    @property
    def comparable(self) -> bool:
        """Enough cramps without a remedy (MIN_EVIDENCE) to compare a remedy with."""
        return self.no_remedy.share is not None


def _effect(remedy: str, cramps: list[CrampRecord], no_remedy_high: float | None):
    eased = sum(cramp.relief == Relief.FULL for cramp in cramps)
    share = eased / len(cramps) if len(cramps) >= MIN_EVIDENCE else None
    helpful = (
        share is not None
        and no_remedy_high is not None
        and wilson_interval(eased, len(cramps))[0] > no_remedy_high
    )
    return RemedyEffect(remedy, len(cramps), eased, share, helpful)


def remedy_effects(nights: Iterable[NightRecord], first: date, last: date) -> Remedies:
    """How often cramps eased fully after each remedy over the nights first..last, and after
    no remedy; cramps with no relief given count in neither."""
    _check(first, last)
    cramps = [
        cramp
        for night in nights
        if first <= night.night <= last
        for cramp in night.cramps
        if cramp.relief
    ]
    no_remedy = _effect(NO_REMEDY, [cramp for cramp in cramps if not cramp.remedies], None)
    effects = tuple(
        _effect(remedy, [cramp for cramp in cramps if remedy in cramp.remedies], no_remedy.high)
        for remedy in Remedy.values
    )
    return Remedies(effects, no_remedy)


# Habits


@dataclass(frozen=True)
class Stratum:
    """Nights alike in what came before them: with and without the habit that evening."""

    cramp_nights_with: int
    nights_with: int
    cramp_nights_without: int
    nights_without: int


def mantel_haenszel(strata: Iterable[Stratum], z: float = Z_95):
    """The Mantel-Haenszel risk ratio over the strata with its Greenland-Robins interval:
    (ratio, low, high), or None when it cannot be formed (no stratum holds nights both with
    and without the habit, or no cramp night on one side of those that do).

    With a, n1 the cramp nights and nights with the habit in a stratum, c, n0 without, N = n1 +
    n0: R = sum(a n0 / N), S = sum(c n1 / N), ratio = R / S, and
    Var(ln ratio) = sum((n1 n0 (a + c) - a c N) / N^2) / (R S)."""
    r = s = spread = 0.0
    for stratum in strata:
        a, n1 = stratum.cramp_nights_with, stratum.nights_with
        c, n0 = stratum.cramp_nights_without, stratum.nights_without
        n = n1 + n0
        if not (n1 and n0):
            continue  # a stratum without both sides compares nothing
        r += a * n0 / n
        s += c * n1 / n
        spread += (n1 * n0 * (a + c) - a * c * n) / n**2
    if not (r and s):
        return None
    ratio = r / s
    margin = z * math.sqrt(spread / (r * s))
    return ratio, ratio * math.exp(-margin), ratio * math.exp(margin)


@dataclass(frozen=True)
class HabitEffect:
    habit: str
    after_cramp_night: Stratum  # nights whose previous night was a cramp night
    after_quiet_night: Stratum  # nights whose previous night was logged without cramps

    @property
    def strata(self) -> tuple[Stratum, Stratum]:
        return (self.after_cramp_night, self.after_quiet_night)

    @property
    def nights_with(self) -> int:
        return sum(stratum.nights_with for stratum in self.strata)

    @property
    def cramp_nights_with(self) -> int:
        return sum(stratum.cramp_nights_with for stratum in self.strata)

    @property
    def nights_without(self) -> int:
        return sum(stratum.nights_without for stratum in self.strata)

    @property
    def cramp_nights_without(self) -> int:
        return sum(stratum.cramp_nights_without for stratum in self.strata)

    @property
    def enough(self) -> bool:
        return self.nights_with >= MIN_EVIDENCE and self.nights_without >= MIN_EVIDENCE

    @property
    def rate_with(self) -> float | None:
        """The share of cramp nights with the habit, 0..1; None: "not enough nights yet"."""
        return self.cramp_nights_with / self.nights_with if self.enough else None

    @property
    def rate_without(self) -> float | None:
        return self.cramp_nights_without / self.nights_without if self.enough else None

    def _ratio_interval(self):
        return mantel_haenszel(self.strata) if self.enough else None

    @property
    def ratio(self) -> float | None:
        """The Mantel-Haenszel ratio; None without enough nights or when it cannot be formed."""
        found = self._ratio_interval()
        return None if found is None else found[0]

    @property
    def ratio_low(self) -> float | None:
        found = self._ratio_interval()
        return None if found is None else found[1]

    @property
    def ratio_high(self) -> float | None:
        found = self._ratio_interval()
        return None if found is None else found[2]

    @property
    def direction(self) -> str | None:
        """FEWER or MORE cramp nights with the habit when the whole 95% interval lies below or
        above 1; UNCLEAR when it holds 1 or cannot be formed; None without enough nights."""
        if not self.enough:
            return None
        found = self._ratio_interval()
        if found is None:
            return UNCLEAR
        _ratio, low, high = found
        if high < 1:
            return FEWER
        return MORE if low > 1 else UNCLEAR


def _stratum(pairs: list[tuple[bool, bool]]) -> Stratum:
    """(habit done, cramp night) for each night of one stratum."""
    return Stratum(
        cramp_nights_with=sum(done and cramped for done, cramped in pairs),
        nights_with=sum(done for done, _ in pairs),
        cramp_nights_without=sum(not done and cramped for done, cramped in pairs),
        nights_without=sum(not done for done, _ in pairs),
    )


def habit_effects(nights: Iterable[NightRecord], first: date, last: date) -> list[HabitEffect]:
    """For each prevention habit (vocabulary order), the nights first..last whose previous
    night was logged (it may lie before `first`), split by whether that night was a cramp
    night, each with and without the habit that evening."""
    _check(first, last)
    by_date = {night.night: night for night in nights if night.night <= last}
    counted = [
        (night, by_date[night.night - timedelta(days=1)].is_cramp_night)
        for day, night in sorted(by_date.items())
        if day >= first and day - timedelta(days=1) in by_date
    ]
    effects = []
    for habit in Prevention.values:
        pairs = [
            (after_cramps, habit in night.prevention, night.is_cramp_night)
            for night, after_cramps in counted
        ]
        effects.append(
            HabitEffect(
                habit,
                after_cramp_night=_stratum([(d, c) for after, d, c in pairs if after]),
                after_quiet_night=_stratum([(d, c) for after, d, c in pairs if not after]),
            )
        )
    return effects

"""Monthly mean daily global horizontal irradiation of an EnergyPlus weather file (EPW) you supply.

This is how the shipped monthly tables of `simulator/weather/monthly.py` are derived from a typical year:
each month's global horizontal radiation (EPW field 14, Wh/m² in the hour ending at the time stamp) summed
over the file's hours of that month, divided by the month's days in the file, in kWh/m²/day. It also prints
the annual sum and each month's mean dry-bulb temperature (field 7). Nothing is downloaded: give the file.

    .venv/bin/python scripts/epw_monthly_ghi.py PRT_Lisboa.085360_INETI.epw --place lisbon

With `--place`, the shipped table of that place is compared month by month; the exit code is 1 when a month
differs by more than half the table's last digit (0.005 kWh/m²/day), 0 when every month agrees. A file that
is not a complete EPW (8 header lines, then 8,760 or 8,784 hourly rows of at least 14 numeric fields, no
missing radiation) is refused with the line at fault and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

HEADER_LINES = 8
GHI_FIELD, TEMPERATURE_FIELD = 13, 6  # 0-based: field 14 global horizontal radiation, field 7 dry bulb
MISSING_GHI = 9999.0  # the EPW code for a missing radiation value
TOLERANCE = 0.005  # half the last digit of the shipped tables [kWh/m²/day]


class EpwError(ValueError):
    """The file is not a complete EPW typical year; the message names the file and the line."""


@dataclass(frozen=True)
class MonthlyGhi:
    """What one EPW says per month (January first)."""

    location: str
    ghi_kwh_m2_day: tuple[float, ...]
    days: tuple[int, ...]
    temperature_c: tuple[float, ...]

    @property
    def annual_kwh_m2(self) -> float:
        return sum(g * d for g, d in zip(self.ghi_kwh_m2_day, self.days, strict=True))


def monthly_ghi(path: str | Path) -> MonthlyGhi:
    """Sum the file's hourly global horizontal radiation per month and divide by the month's days."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="latin-1").splitlines()
    except OSError as exc:
        raise EpwError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(lines) < HEADER_LINES or not lines[0].startswith("LOCATION"):
        raise EpwError(f"{path}: line 1: an EPW starts with a LOCATION line and 8 header lines")
    rows = [(n, line) for n, line in enumerate(lines[HEADER_LINES:], HEADER_LINES + 1) if line.strip()]
    if len(rows) not in (8760, 8784):
        raise EpwError(
            f"{path}: {len(rows)} hourly rows after the header; a typical year has 8,760 (8,784 in a leap year)"
        )
    wh, temp_sum, hours = [0.0] * 12, [0.0] * 12, [0] * 12
    days: list[set[int]] = [set() for _ in range(12)]
    for n, line in rows:
        fields = line.split(",")
        try:
            month, day = int(fields[1]), int(fields[2])
            ghi, temperature = float(fields[GHI_FIELD]), float(fields[TEMPERATURE_FIELD])
        except (IndexError, ValueError):
            raise EpwError(
                f"{path}: line {n}: expected month, day and numeric fields 7 and 14, got {line[:60]!r}"
            ) from None
        if not (1 <= month <= 12 and 1 <= day <= 31):
            raise EpwError(f"{path}: line {n}: month {month}, day {day} out of range")
        if ghi == MISSING_GHI or not 0 <= ghi <= 1500:
            raise EpwError(f"{path}: line {n}: global horizontal radiation {ghi:g} Wh/m² is missing or out of 0-1500")
        wh[month - 1] += ghi
        temp_sum[month - 1] += temperature
        hours[month - 1] += 1
        days[month - 1].add(day)
    empty = [m + 1 for m in range(12) if not hours[m]]
    if empty:
        raise EpwError(f"{path}: no hours for month(s) {empty}")
    n_days = tuple(len(d) for d in days)
    return MonthlyGhi(
        location=lines[0].split(",")[1] if "," in lines[0] else "",
        ghi_kwh_m2_day=tuple(w / d / 1000.0 for w, d in zip(wh, n_days, strict=True)),
        days=n_days,
        temperature_c=tuple(t / h for t, h in zip(temp_sum, hours, strict=True)),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("epw", help="an EnergyPlus weather file (typical year)")
    parser.add_argument("--place", help="compare with this shipped table of simulator/weather/monthly.py")
    args = parser.parse_args(argv)
    try:
        result = monthly_ghi(args.epw)
    except EpwError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.epw}: {result.location}")
    print("month  GHI kWh/m²/day  days  dry bulb °C")
    for m, (g, d, t) in enumerate(zip(result.ghi_kwh_m2_day, result.days, result.temperature_c, strict=True), 1):
        print(f"{m:5d}  {g:14.2f}  {d:4d}  {t:11.1f}")
    print(f"annual global horizontal irradiation: {result.annual_kwh_m2:,.0f} kWh/m²")
    print("table: (" + ", ".join(f"{g:.2f}" for g in result.ghi_kwh_m2_day) + ")")
    if not args.place:
        return 0
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from simulator.weather.monthly import PLACES

    if args.place not in PLACES:
        print(f"error: --place {args.place!r} is not shipped; allowed: {', '.join(PLACES)}", file=sys.stderr)
        return 2
    shipped = PLACES[args.place].ghi_kwh_m2_day
    off = [(m, s, g) for m, (s, g) in enumerate(zip(shipped, result.ghi_kwh_m2_day, strict=True), 1)
           if abs(s - g) > TOLERANCE]  # fmt: skip
    for m, s, g in off:
        print(f"month {m}: shipped {s:.2f}, file {g:.2f} kWh/m²/day")
    print(f"{args.place}: {'agrees with' if not off else 'differs from'} the file in {12 - len(off)} of 12 months")
    return 1 if off else 0


if __name__ == "__main__":
    sys.exit(main())

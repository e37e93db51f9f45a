"""Long-term monthly mean daily global horizontal irradiation of the shipped locations [kWh/m²/day].

The offline weather model draws each day's clear-sky index around the month's mean, so these tables set
how sunny a month is on average. Each table names its source; only a table checked against its source is
`verified`, and the run warns for the others (give measured or typical-year weather, `[weather] source =
"csv"` or `"epw"`, or `monthly_ghi_kwh_m2_day` for a study).

- Lisbon (verified): the INETI typical year for Lisboa (WMO 085360), EnergyPlus weather file
  `PRT_Lisboa.085360_INETI.epw` (INETI synthetic series from Instituto de Meteorologia 1951–80 climate data,
  global radiation a master parameter; as distributed with EnergyPlus and in the `sinergym` 3.3.1 package on
  PyPI). Each value is the file's global horizontal radiation summed over the month / days in the month
  (annual 1,648 kWh/m²); the file's monthly mean dry-bulb temperatures are 10.6, 11.5, 12.8, 14.6, 17.3, 20.1,
  22.3, 22.6, 21.3, 17.8, 13.6, 11.0 °C. It is a station-based typical year of an older period and lower than
  the hand-entered PVGIS-style table it replaces (1,822 kWh/m²/a, not verified), so PV from it sits at the
  conservative end of recent satellite-based estimates. Reproduce it with
  `scripts/epw_monthly_ghi.py PRT_Lisboa.085360_INETI.epw --place lisbon` (exit 0: every month agrees).
- Porto (not verified): no published monthly figures for Porto could be read here. The table keeps the
  month-by-month Porto/Lisbon ratio of the hand-entered PVGIS-style tables that came before (Porto below Lisbon
  every month, as its latitude and wetter climate say) and puts it on Lisbon's verified INETI basis: Porto's
  hand value × Lisbon's INETI value / Lisbon's hand value. An assumption: the run warns. Checkable typical
  years exist for the same station network: EnergyPlus `PRT_Porto.085450_INETI.epw` (and the IWEC year
  `PRT_Porto.085450_IWEC.epw`, Porto airport, WMO 085450); no copy of either could be read here. To verify,
  run `scripts/epw_monthly_ghi.py PRT_Porto.085450_INETI.epw --place porto`, put the printed table here and
  set `verified=True`.
- Grenoble (verified): Climate.OneBuilding.org's typical year for Grenoble Alpes-Isère airport,
  `FRA_AR_Grenoble.Alpes.Isere.AP.074860_TMYx.2007-2021.epw` (WMO 074860, Saint-Étienne-de-Saint-Geoirs,
  386 m, about 37 km north-west of the city centre; each month chosen from NCEI ISD/ERA5 2007–2021). Each
  value is the file's global horizontal radiation summed over the month / days in the month (annual
  1,381 kWh/m²), the same derivation as Lisbon's. The file was read from a public copy (GitHub
  `dm4bem/model-steady-state-smart_cities_group_5`, commit 1ebd79c) and its 8,760 hourly GHI, DNI and DHI
  values transcribed; the transcription was checked against the file's own physics: GHI = DNI·cos(zenith) +
  DHI holds for every hour (zenith from pvlib at the hour's end, the file's convention: median residual
  0 W/m², 99th percentile 17 W/m², none above 25 W/m² with the sun higher than 15°), which a mistyped value
  would break. Reproduce it from the file with
  `scripts/epw_monthly_ghi.py FRA_AR_Grenoble.Alpes.Isere.AP.074860_TMYx.2007-2021.epw --place grenoble`.
  The hand-entered PVGIS-style table it replaces (not verified) was within 0.3 kWh/m²/day of it every month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class MonthlyIrradiation:
    """A place and its mean daily global horizontal irradiation per month (January first) [kWh/m²/day]."""

    name: str
    latitude: float
    longitude: float
    ghi_kwh_m2_day: tuple[float, ...]
    source: str
    verified: bool = False  # True only when the values were checked against the named source


_TMYX_GRENOBLE = (
    "Climate.OneBuilding.org typical year for Grenoble Alpes-Isere airport (WMO 074860, TMYx 2007-2021, NCEI "
    "ISD/ERA5), EnergyPlus weather file FRA_AR_Grenoble.Alpes.Isere.AP.074860_TMYx.2007-2021: monthly mean of "
    "the daily global horizontal radiation; verified"
)
_GRENOBLE_TMYX = (1.25, 2.33, 3.57, 5.16, 5.52, 6.08, 6.48, 5.43, 4.16, 2.72, 1.54, 1.11)
_INETI_LISBOA = (
    "INETI typical year for Lisboa (WMO 085360), EnergyPlus weather file PRT_Lisboa.085360_INETI: "
    "monthly mean of the daily global horizontal radiation (INETI synthetic series, Instituto de Meteorologia "
    "1951-80 climate data); verified"
)
_LISBON_INETI = (2.04, 2.88, 3.82, 5.19, 6.37, 6.89, 7.35, 6.77, 4.92, 3.47, 2.42, 1.95)
# The hand-entered PVGIS-style tables (not verified) that set Porto's month-by-month ratio to Lisbon
_LISBON_HAND = (2.4, 3.3, 4.7, 5.8, 6.9, 7.6, 7.8, 7.0, 5.5, 3.9, 2.7, 2.2)
_PORTO_HAND = (2.0, 2.8, 4.2, 5.3, 6.3, 7.0, 7.2, 6.4, 4.9, 3.3, 2.2, 1.8)
_PORTO = tuple(round(p * i / h, 2) for p, i, h in zip(_PORTO_HAND, _LISBON_INETI, _LISBON_HAND, strict=True))
_PORTO_SOURCE = (
    "assumption: hand-entered PVGIS-style Porto/Lisbon ratio per month applied to Lisbon's INETI typical year, "
    "not verified (check against PRT_Porto.085450_INETI with scripts/epw_monthly_ghi.py)"
)

PLACES: dict[str, MonthlyIrradiation] = {
    "lisbon": MonthlyIrradiation("Lisbon", 38.72, -9.14, _LISBON_INETI, _INETI_LISBOA, verified=True),
    "porto": MonthlyIrradiation("Porto", 41.15, -8.61, _PORTO, _PORTO_SOURCE),
    "grenoble": MonthlyIrradiation("Grenoble", 45.19, 5.72, _GRENOBLE_TMYX, _TMYX_GRENOBLE, verified=True),
}
NEAREST_KM = 100.0  # a shipped table stands for places within this distance (assumption)


def nearest_place(latitude: float, longitude: float) -> tuple[MonthlyIrradiation | None, float]:
    """The shipped place closest to the location and its distance [km] (None when there are none)."""
    best = min(PLACES.values(), key=lambda p: _km(latitude, longitude, p.latitude, p.longitude))
    return best, _km(latitude, longitude, best.latitude, best.longitude)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, Earth radius 6,371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))

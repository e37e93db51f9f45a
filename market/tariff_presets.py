"""Tariff options a policymaker can compare by name: price shapes, to be made revenue-neutral by `tariff_design`.

Each preset fixes the calendar and the price ratios; its level is set later so that the households'
baseline consumption earns the same as under the current tariff. Ratios are assumptions unless a
comment names a source.
"""

from __future__ import annotations

from market.tariff_cpp import CppTariff
from market.tariff_simple import TouTariff

_VAZIO = 0.10  # reference off-peak price; only the ratios matter once the designer scales the level

TOU_RATIO = 2.0  # assumption: a round peak/off-peak ratio near Portugal's bi-horário spread
TOU3_RATIOS = {"vazio": 1.0, "cheias": 1.5, "ponta": 2.5}  # assumption
CPP_CRITICAL_RATIO = 5.8  # EDF Tempo red HP / blue HC = 75.62 / 12.96 c€/kWh (1001infos, ../shared/DOMAIN.md)

PRESETS: dict[str, TouTariff | CppTariff] = {
    "tou": TouTariff(
        calendar="pt_bi_horario_daily",
        energy_eur_per_kwh={"vazio": _VAZIO, "fora_de_vazio": _VAZIO * TOU_RATIO},
        source=f"preset: ERSE bi-horário daily cycle; peak/off-peak ratio {TOU_RATIO} (assumption); revenue-neutral",
    ),
    "tou3": TouTariff(
        calendar="pt_tri_horario_daily",
        energy_eur_per_kwh={p: _VAZIO * r for p, r in TOU3_RATIOS.items()},
        source="preset: ERSE tri-horário daily cycle; ratios 1 : 1.5 : 2.5 (assumption); revenue-neutral",
    ),
    "cpp": CppTariff(
        base=TouTariff(
            calendar="pt_bi_horario_daily",
            energy_eur_per_kwh={"vazio": _VAZIO, "fora_de_vazio": _VAZIO * TOU_RATIO},
        ),
        critical_energy_eur_per_kwh=_VAZIO * CPP_CRITICAL_RATIO,
        window_start="18:00",
        window_end="20:30",
        source=(
            "preset: bi-horário base; critical 18:00–20:30 (ERSE winter evening ponta) at 5.8 × vazio "
            "(Tempo red HP / blue HC); ≤ 22 weekday events Nov–Mar (Tempo); revenue-neutral"
        ),
    ),
}

"""PV export is paid (feed-in or net metering) and the CO₂ KPIs follow the carbon intensity."""

from __future__ import annotations

import math

import pytest

from simulator.runner import run
from simulator.scenario import scenario_from_dict
from tests.conftest import quickstart_dict


def _sunny_pv(export, **top):
    data = quickstart_dict(start="2016-06-14", horizon_days=1, **top)
    data["households"] = {**data["households"], "pv": {"share": 0.5, "kwp_min": 4.0, "kwp_max": 6.0}}
    data["tariffs"]["bi_horario"]["export_eur_per_kwh"] = export
    return run(scenario_from_dict(data))


def test_a_feed_in_price_pays_every_exported_kwh():
    result = _sunny_pv(0.05)
    agents = result.agents
    assert agents["export_kwh"].sum() > 1.0
    assert agents["export_credit_eur"].to_numpy() == pytest.approx(0.05 * agents["export_kwh"].to_numpy())
    assert result.kpis["pv_export_paid_eur"] == pytest.approx(0.05 * agents["export_kwh"].sum())


def test_net_metering_credits_exports_at_the_import_price_and_lowers_bills():
    unpaid, net = _sunny_pv(0.0), _sunny_pv("net_metering")
    assert math.isnan(unpaid.kpis["pv_export_paid_eur"])
    credit = net.agents["export_credit_eur"]
    # bi-horário prices are 0.10–0.20 €/kWh: every exported kWh is credited within that range
    exported = net.agents["export_kwh"]
    assert (credit >= 0.10 * exported - 1e-9).all() and (credit <= 0.20 * exported + 1e-9).all()
    assert net.agents["bill_eur"].sum() == pytest.approx(unpaid.agents["bill_eur"].sum() - credit.sum())


def test_co2_is_imported_energy_times_the_places_intensity():
    result = run(scenario_from_dict(quickstart_dict(horizon_days=1)))  # Lisbon: Portugal's 2023 mean, 86 g/kWh
    assert result.kpis["co2_kg"] == pytest.approx(result.kpis["energy_kwh"] * 0.086)
    expected = 100 * (result.kpis["energy_kwh"] / result.kpis["baseline_energy_kwh"] - 1)
    assert result.kpis["co2_change_pct"] == pytest.approx(expected)
    other = run(scenario_from_dict(quickstart_dict(horizon_days=1, carbon={"g_per_kwh": 300, "source": "test"})))
    assert other.kpis["co2_kg"] == pytest.approx(other.kpis["energy_kwh"] * 0.3)

"""Plain names for KPIs: what a councillor, a student or the docs call each code name, with unit and explanation.

One mapping, read by the comparison report, the GUI and the documentation. `plain(name)` falls back to the
KPI registry's unit and definition (`simulator.kpi.KPIS`) for a KPI without a plain entry, so every KPI has one.
`per_run` marks totals over the simulated period (they grow with the horizon; the report says so).
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.kpi.registry import KPIS


@dataclass(frozen=True)
class PlainKpi:
    """A KPI as a reader meets it: a short label, its unit, one sentence, and which direction is better."""

    name: str
    label: str
    unit: str
    explanation: str
    better: str = ""  # "lower", "higher" or "" (neither: context)
    per_run: bool = False  # a total over the simulated period (€, kWh, h), not a rate or a peak


def _p(name: str, label: str, unit: str, explanation: str, better: str = "", per_run: bool = False) -> PlainKpi:
    return PlainKpi(name, label, unit, explanation, better, per_run)


PLAIN: dict[str, PlainKpi] = {
    p.name: p
    for p in (
        _p("peak_reduction_pct", "Cut in the district's peak demand", "%",
           "How much lower the highest demand of the district is than without the new tariff.", "higher"),
        _p("peak_kw", "Peak demand of the district", "kW",
           "The highest power the district drew from the grid in any 15 minutes.", "lower"),
        _p("baseline_peak_kw", "Peak demand without the new tariff", "kW",
           "The same households on today's flat tariff, with no one reacting to prices."),
        _p("baseline_peak_hour", "Time of day of today's peak", "h",
           "Clock time at which the district's demand peaks on the flat tariff (19.5 = 19:30)."),
        _p("peak_to_average_ratio", "Peak over average demand", "×",
           "The peak divided by the average demand; closer to 1 means a flatter, cheaper-to-serve load.", "lower"),
        _p("load_factor", "Load factor", "0–1",
           "Average demand divided by the peak; 1 would be perfectly flat.", "higher"),
        _p("energy_kwh", "Electricity drawn from the grid", "kWh",
           "All the energy the district imported over the simulated days.", per_run=True),
        _p("energy_shifted_kwh", "Electricity moved to other hours", "kWh",
           "Energy that smart home controllers (HEMS) moved in time, e.g. a dishwasher started at night.",
           per_run=True),
        _p("household_energy_saved_kwh", "Electricity saved by households", "kWh",
           "Consumption avoided, not just moved, against today's tariff.", per_run=True),
        _p("household_base_moved_kwh", "Everyday use moved to cheap hours", "kWh",
           "Everyday use (not appliance cycles) people or their HEMS took out of dear hours and used in the "
           "day's cheapest hours instead; it is still used and paid for.", per_run=True),
        _p("transformer_overload_hours", "Hours with an overloaded transformer", "h",
           "Hours in which a neighbourhood transformer carried more than its rating, summed over transformers.",
           "lower", per_run=True),
        _p("baseline_transformer_overload_hours", "Overload hours without the new tariff", "h",
           "The same, for today's flat tariff.", per_run=True),
        _p("voltage_violation_hours", "Hours with voltage out of limits", "h",
           "Hours in which some home's voltage left the legal band (±10 %).", "lower", per_run=True),
        _p("losses_kwh", "Grid losses", "kWh", "Energy lost as heat in cables and transformers.", "lower",
           per_run=True),
        _p("bill_mean_eur", "Average household bill", "€",
           "What the average household pays over the simulated days.", "lower", per_run=True),
        _p("bill_change_mean_eur", "Average change of household bills", "€",
           "Against today's flat tariff over the simulated days; negative means households save.", "lower",
           per_run=True),
        _p("bill_change_p10_eur", "Bill change of the 10 % who gain most", "€",
           "One household in ten saves at least this much (over the simulated days).", per_run=True),
        _p("bill_change_p90_eur", "Bill change of the 10 % who lose most", "€",
           "One household in ten pays at least this much more (over the simulated days).", "lower", per_run=True),
        _p("households_worse_off_pct", "Households that pay more", "%",
           "Share of households whose bill is higher than on today's flat tariff.", "lower"),
        _p("bills_total_eur", "All household bills", "€", "What all households paid together.", per_run=True),
        _p("dso_revenue_eur", "Grid operator's revenue", "€",
           "Network charges in the bills: what the distribution system operator (DSO) earns.", per_run=True),
        _p("baseline_dso_revenue_eur", "Grid operator's revenue without the new tariff", "€",
           "The same on today's flat tariff.", per_run=True),
        _p("retailer_revenue_eur", "Retailers' revenue", "€",
           "What the electricity retailers keep of the bills (energy and standing charges).", per_run=True),
        _p("participation_rate_pct", "Households that reacted to prices", "%",
           "Share of households that changed their use at least once, by hand or through a smart controller.",
           "higher"),
        _p("active_response_rate_pct", "Peak-day alerts acted on", "%",
           "Of the critical-peak alerts households received, the share they acted on by hand.", "higher"),
        _p("requests_sent", "Critical-peak alerts sent", "alerts",
           "Household-days with a critical-peak alert, announced the day before.", per_run=True),
        _p("opt_outs", "Households that left the programme", "households",
           "Households that went back to today's tariff during the simulated days.", "lower"),
        _p("tokens_issued", "Reward tokens issued", "tokens",
           "Tokens given for measured savings (the Digital Social Market of Sharing Cities Lisbon).",
           per_run=True),
        _p("tokens_redeemed", "Reward tokens redeemed", "tokens", "Tokens households exchanged for rewards.",
           per_run=True),
        _p("engagement_mean_end", "Engagement at the end", "0–1",
           "How engaged the average household is at the end (0 = not at all, 1 = fully).", "higher"),
        _p("grid_non_converged_steps", "Grid calculations that failed", "steps",
           "Quarter-hours in which the grid calculation found no solution (should be 0).", "lower"),
    )
}  # fmt: skip


def plain(name: str) -> PlainKpi:
    """The plain entry of KPI `name`; for a KPI without one, its code name, unit and definition."""
    if name in PLAIN:
        return PLAIN[name]
    k = KPIS.get(name)
    label = name.replace("_", " ").removesuffix(" pct").removesuffix(" eur").removesuffix(" kwh")
    return PlainKpi(name, label[:1].upper() + label[1:], k.unit if k else "", k.definition if k else "")

"""Write the small network files the tests, tutorials and `scenarios/own_grid*.toml` import.

The grid is Kerber's rural cable network "Landnetz Kabel 1" (G. Kerber, "Aufnahmefähigkeit von
Niederspannungsverteilnetzen für die Einspeisung aus Photovoltaikkleinanlagen", TU München 2011), as
pandapower ships it (`pandapower.networks.create_kerber_landnetz_kabel_1`): one 0.25 MVA 10/0.4 kV
transformer, 8 house connections. Written twice: as a pandapower JSON net and as a MATPOWER case
(pandapower's `to_mpc`, printed as a MATPOWER version-2 `.m` file), so the two importers can be
checked against each other.

    .venv/bin/python scripts/make_grid_files.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandapower as pp
import pandapower.networks as pn
from pandapower.converter.matpower.to_mpc import to_mpc

OUT = Path(__file__).resolve().parent.parent / "scenarios" / "data" / "grids"
NAME = "kerber_landnetz_kabel_1"


def _matrix(rows: np.ndarray, columns: int) -> str:
    return "\n".join("\t" + "\t".join(f"{v:.10g}" for v in row[:columns]) + ";" for row in rows)


def write_m(net: pp.pandapowerNet, path: Path) -> None:
    """A MATPOWER version-2 case: bus (13 columns), gen (21), branch (13)."""
    mpc = to_mpc(net)["mpc"]
    text = (
        f"function mpc = {path.stem}\n"
        f"% {NAME}: Kerber (TU Munich 2011) rural cable LV grid, written by scripts/make_grid_files.py\n"
        "mpc.version = '2';\n"
        f"mpc.baseMVA = {mpc['baseMVA']:g};\n"
        f"mpc.bus = [\n{_matrix(mpc['bus'], 13)}\n];\n"
        f"mpc.gen = [\n{_matrix(mpc['gen'], 21)}\n];\n"
        f"mpc.branch = [\n{_matrix(mpc['branch'], 13)}\n];\n"
    )
    path.write_text(text, encoding="utf-8")


def main() -> None:
    """Write the JSON net and the MATPOWER case."""
    OUT.mkdir(parents=True, exist_ok=True)
    net = pn.create_kerber_landnetz_kabel_1()
    net.name = NAME
    net.load["name"] = [f"house {i + 1}" for i in range(len(net.load))]
    pp.to_json(net, str(OUT / f"{NAME}.json"))
    pp.runpp(net)
    write_m(net, OUT / f"{NAME}.m")
    print(f"wrote {OUT / NAME}.json and .m ({len(net.load)} loads, {len(net.trafo)} transformer)")


if __name__ == "__main__":
    main()

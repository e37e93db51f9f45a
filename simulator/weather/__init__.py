"""Weather: solar irradiance and air temperature on the scenario's steps, from a file or a calibrated model.

`[weather]` picks the source: `stochastic` (the offline default: a daily clear-sky index drawn around each
month's mean irradiation for the location, `monthly.py`), `csv` (measured or typical-year series in the
time-series CSV convention) or `epw` (an EnergyPlus typical-year file, read by pvlib offline). PV output
per kWp follows from the irradiance (`pv.py`); electric heating follows the temperature where a file gives it.
"""

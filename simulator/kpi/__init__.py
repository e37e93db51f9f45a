"""Key performance indicators: the registry and the KPI modules it loads, equity and calibration."""

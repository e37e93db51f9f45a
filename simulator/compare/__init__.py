"""Tariff comparison: several tariff options on the same households and seed, table and report."""

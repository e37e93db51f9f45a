"""Planning (SEPS): PV hosting capacity and peak cut per substation, with its report."""

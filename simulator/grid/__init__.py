"""Grid model and power flow: the pandapower network of a scenario, its build and the solvers."""

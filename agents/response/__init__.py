"""How households respond to prices, information and targets: the behaviour model fitted on the evidence register.

One module per lever: `price` (peak response with diminishing returns to the price ratio, and the
enabling technology as its own term), `information` (real-time feedback, usage statements and their
frequency, peer comparison relative to the household's own recent use, targets), `persistence`
(attention renewed by each contact, habit formed while treated, decaying once treatment stops) and
`flexibility` (appliance flexibility defaults with sources). Every number comes from
`parameters.toml`, written by `scripts/fit_behaviour.py` from the studies in `evidence/`.
"""

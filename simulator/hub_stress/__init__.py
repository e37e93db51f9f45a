"""Hub stress: replaying many hub requests against the market hub to measure it."""

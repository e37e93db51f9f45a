"""A retailer platform (RP): the flexibility its clients declared, aggregated for the hub and activated by priority.

Seed 001 ("Load Shifting"): customers declare which loads are flexible, for which time frame and with which
priority; the RP aggregates this for the hub and, on activation, selects the HEMS to act. Here each client
declares one flexible block at a time (a later declaration replaces it); priority 1 is used first.
A platform holds declarations only of clients whose data may reach its retailer (`may_hold`: its own
consenting clients, from `AccessControl.may_receive`); a declaration for anyone else is dropped, so a
household that declined consent takes no part in retailer-managed flexibility.
"""

from __future__ import annotations

import numpy as np

from market.messages import (
    AvailabilityAnswer,
    AvailabilityQuery,
    FlexibilityActivation,
    FlexibilityBlock,
    FlexibilityFeedback,
    HemsActivation,
    HemsFeedback,
    client_ids,
    frozen_floats,
)


class RetailerPlatform:
    """Declared flexibility of one retailer's clients, as arrays indexed by client row."""

    def __init__(self, retailer_id: str, n_clients: int, may_hold: np.ndarray | None = None) -> None:
        self.retailer_id = retailer_id
        self.may_hold = np.ones(n_clients, dtype=bool) if may_hold is None else np.asarray(may_hold, dtype=bool)
        self.flex_p_kw = np.zeros(n_clients)
        self.start_s = np.zeros(n_clients)
        self.end_s = np.zeros(n_clients)
        self.priority = np.zeros(n_clients, dtype=np.int64)
        self.load_kind = np.zeros(n_clients, dtype=np.int64)
        self.load_kinds: list[str] = []

    def declare(
        self,
        ids: np.ndarray,
        p_kw: float | np.ndarray,
        start_s: float | np.ndarray,
        end_s: float | np.ndarray,
        priority: int | np.ndarray = 1,
        load_kind: str = "appliance",
    ) -> None:
        """Clients `ids` offer `p_kw` less consumption of `load_kind` in [start_s, end_s) at `priority`."""
        ids = np.asarray(ids, dtype=np.int64)
        keep = self.may_hold[ids]
        if not keep.all():
            ids = ids[keep]
            p_kw, start_s, end_s, priority = (np.asarray(v)[keep] if np.ndim(v) else v
                                              for v in (p_kw, start_s, end_s, priority))  # fmt: skip
        if load_kind not in self.load_kinds:
            self.load_kinds.append(load_kind)
        self.flex_p_kw[ids] = p_kw
        self.start_s[ids] = start_s
        self.end_s[ids] = end_s
        self.priority[ids] = priority
        self.load_kind[ids] = self.load_kinds.index(load_kind)

    def _available(self, ids: np.ndarray, start_s: float, end_s: float) -> np.ndarray:
        ok = (self.flex_p_kw[ids] > 0) & (self.start_s[ids] <= start_s) & (self.end_s[ids] >= end_s)
        return ids[ok]

    def availability(self, query: AvailabilityQuery) -> AvailabilityAnswer:
        """The declared flexibility covering the query's window, summed per load kind and priority."""
        ids = self._available(query.client_ids, query.start_s, query.end_s)
        blocks = []
        keys = self.load_kind[ids] * 1_000_000 + self.priority[ids]
        for key in np.unique(keys):
            members = ids[keys == key]
            kind, prio = divmod(int(key), 1_000_000)
            blocks.append(
                FlexibilityBlock(
                    self.load_kinds[kind],
                    float(self.flex_p_kw[members].sum()),
                    query.start_s,
                    query.end_s,
                    prio,
                    members.size,
                )
            )
        total = float(self.flex_p_kw[ids].sum())
        return AvailabilityAnswer(query.request_id, self.retailer_id, total, tuple(blocks))

    def select(self, activation: FlexibilityActivation) -> HemsActivation:
        """Clients to activate: by priority, then declared size (largest first), until `p_kw` is covered."""
        ids = self._available(activation.client_ids, activation.start_s, activation.end_s)
        order = np.lexsort((-self.flex_p_kw[ids], self.priority[ids]))
        ids = ids[order]
        p = self.flex_p_kw[ids]
        enough = int(np.searchsorted(np.cumsum(p), activation.p_kw - 1e-9)) + 1
        chosen = ids[:enough]
        return HemsActivation(
            activation.request_id, client_ids(chosen), frozen_floats(p[:enough]), activation.start_s, activation.end_s
        )

    def aggregate(self, activation: FlexibilityActivation, feedback: HemsFeedback) -> FlexibilityFeedback:
        """The HEMS feedback summed into one message for the hub."""
        return FlexibilityFeedback(
            activation.request_id,
            self.retailer_id,
            activation.p_kw,
            float(np.sum(feedback.delivered_p_kw)),
            int(feedback.client_ids.size),
        )

"""Access control and consent, the pilot's own method: every operation on client data checks rights first.

Seed 004 ("Correctness"): each operation that handles sensitive data or triggers sensitive actions is
prepended with a check that the stakeholder is allowed to do so; the hub never relays client data to
the wrong retailer. Rules applied here:

- DSO: reads any client's data (it owns the metering data); the only party that triggers grid actions
  (tariffs, load information, flexibility requests, emergency orders).
- Retailer: individual data only of clients in its portfolio *who consented*; aggregates of its portfolio;
  submits data only for its own consenting clients. What reaches its platform about single clients (declared
  flexibility, availability queries, activations, area messages) is limited the same way (`may_receive`).
- Regulator, researcher: aggregated data only.
- Aggregates (any party but the DSO): all requested rows must be the party's to aggregate (a retailer's
  portfolio; anyone's for third parties); the aggregate is then taken over the *distinct consenting* rows
  only, and released only if there are at least `min_aggregate_clients` of them (never fewer than
  `market.disclosure.MIN_GROUP_SIZE`). A repeated id counts once, and a non-consenting row is left out
  (denied) rather than hidden in the sum, so no pair of aggregates differs by one declining household.
- HEMS (the client): its own row only.

A household that has not consented never has its data leave the hub except to the DSO.
Every denial is logged (`denials`) and counted; nothing is raised inside a run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from market.disclosure import MIN_GROUP_SIZE
from market.errors import AccessDenied, HubConfigError
from market.messages import ClientIds, client_ids


class Stakeholder(StrEnum):
    """The roles the market hub serves."""

    DSO = "dso"
    RETAILER = "retailer"
    REGULATOR = "regulator"
    RESEARCHER = "researcher"
    HEMS = "hems"


@dataclass(frozen=True, slots=True)
class Party:
    """A stakeholder instance: its role and id (a retailer id, or a client row for a HEMS)."""

    role: Stakeholder
    id: str = ""

    def __str__(self) -> str:
        return f"{self.role}:{self.id}" if self.id else str(self.role)


DSO = Party(Stakeholder.DSO)


class Operation(StrEnum):
    """What a party wants to do with client rows."""

    READ_INDIVIDUAL = "read_individual"
    READ_AGGREGATE = "read_aggregate"
    SUBMIT_DATA = "submit_data"
    TRIGGER_ACTION = "trigger_action"


@dataclass(frozen=True, slots=True, eq=False)
class Decision:
    """The rows an operation may touch and how many were denied, with the reason for the denial."""

    allowed: ClientIds
    n_denied: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Denial:
    """One logged denial."""

    time_s: float
    party: str
    operation: str
    n_clients: int
    reason: str


@dataclass(slots=True)
class AccessControl:
    """Portfolios and consents, the rights check, and the log of denials (and, optionally, disclosures)."""

    retailer_ids: tuple[str, ...]
    retailer_of: np.ndarray
    consent: np.ndarray
    min_aggregate_clients: int = MIN_GROUP_SIZE
    record_disclosures: bool = False
    denials: list[Denial] = field(default_factory=list)
    denied_by_reason: Counter[str] = field(default_factory=Counter)
    disclosures: list[tuple[Party, ClientIds]] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.retailer_of = np.asarray(self.retailer_of, dtype=np.int64)
        self.consent = np.asarray(self.consent, dtype=bool)
        if self.retailer_of.shape != self.consent.shape:
            raise HubConfigError(
                f"retailer_of and consent differ in length ({self.retailer_of.size} vs {self.consent.size})"
            )
        if self.retailer_of.size and self.retailer_of.max() >= len(self.retailer_ids):
            raise HubConfigError(f"retailer_of names retailer {self.retailer_of.max()}; only {self.retailer_ids}")
        if self.min_aggregate_clients < MIN_GROUP_SIZE:
            raise HubConfigError(
                f"min_aggregate_clients {self.min_aggregate_clients} is below the disclosure rule's {MIN_GROUP_SIZE}"
            )
        self._index = {r: i for i, r in enumerate(self.retailer_ids)}

    @property
    def n_clients(self) -> int:
        """Number of client rows."""
        return int(self.retailer_of.size)

    def retailer_index(self, retailer_id: str) -> int:
        """Index of a retailer, or a `HubConfigError` naming the known ones."""
        try:
            return self._index[retailer_id]
        except KeyError:
            raise HubConfigError(f"unknown retailer {retailer_id!r}; known: {list(self.retailer_ids)}") from None

    def portfolio(self, retailer_id: str) -> ClientIds:
        """The client rows of one retailer."""
        return client_ids(np.flatnonzero(self.retailer_of == self.retailer_index(retailer_id)))

    def split_by_retailer(self, ids: np.ndarray) -> dict[str, ClientIds]:
        """Client rows grouped by their retailer (retailers with none are left out)."""
        if len(ids) == 0:
            return {}
        owners = self.retailer_of[ids]
        order = np.argsort(owners, kind="stable")
        owners_sorted = owners[order]
        bounds = np.flatnonzero(np.diff(owners_sorted)) + 1
        groups = np.split(ids[order], bounds)
        starts = np.concatenate(([0], bounds))
        return {self.retailer_ids[owners_sorted[s]]: client_ids(g) for s, g in zip(starts, groups, strict=True)}

    def check(self, party: Party, operation: Operation, ids: np.ndarray, time_s: float) -> Decision:
        """The rows `party` may touch with `operation`; denials are logged, disclosures recorded."""
        ids = np.asarray(ids, dtype=np.int64)
        if ids.size and (ids.min() < 0 or ids.max() >= self.n_clients):
            raise HubConfigError(f"client rows must be in 0 … {self.n_clients - 1} (got {ids.min()} … {ids.max()})")
        if operation is Operation.READ_AGGREGATE:
            ids = np.unique(ids)  # an aggregate covers each client once
        mask, reason = self._rights(party, operation, ids)
        allowed = client_ids(ids[mask])
        n_denied = int(ids.size - allowed.size)
        if n_denied:
            self._deny(party, operation, n_denied, reason, time_s)
        if self.record_disclosures and operation is Operation.READ_INDIVIDUAL and allowed.size:
            self.disclosures.append((party, allowed))
        return Decision(allowed, n_denied, reason if n_denied else "")

    def require(self, party: Party, operation: Operation, ids: np.ndarray, time_s: float) -> ClientIds:
        """Like `check`, but raise `AccessDenied` if any row is denied (for callers outside a run)."""
        decision = self.check(party, operation, ids, time_s)
        if decision.n_denied:
            raise AccessDenied(str(party), str(operation), decision.reason)
        return decision.allowed

    def may_receive(self, retailer_id: str, ids: np.ndarray) -> ClientIds:
        """The rows whose individual data may reach retailer `retailer_id`'s platform: its own consenting clients."""
        ids = np.asarray(ids, dtype=np.int64)
        keep = (self.retailer_of[ids] == self.retailer_index(retailer_id)) & self.consent[ids]
        return client_ids(ids[keep])

    @property
    def n_denied(self) -> int:
        """Number of denied operations (an operation denied for some rows counts once)."""
        return len(self.denials)

    def _deny(self, party: Party, operation: Operation, n: int, reason: str, time_s: float) -> None:
        self.denials.append(Denial(time_s, str(party), str(operation), n, reason))
        self.denied_by_reason[reason] += 1

    def _rights(self, party: Party, op: Operation, ids: np.ndarray) -> tuple[np.ndarray, str]:
        role = party.role
        everything = np.ones(ids.size, dtype=bool)
        if role is Stakeholder.DSO:
            return everything, ""
        if role is Stakeholder.HEMS:
            own = ids == _client_row(party)
            ok = own if op in (Operation.READ_INDIVIDUAL, Operation.SUBMIT_DATA) else np.zeros(ids.size, dtype=bool)
            return ok, "a HEMS reaches its own client's data only"
        if role is Stakeholder.RETAILER:
            own = self.retailer_of[ids] == self.retailer_index(party.id)
            if op is Operation.READ_INDIVIDUAL:
                ok = own & self.consent[ids]
                return ok, "outside the retailer's portfolio or without the client's consent"
            if op is Operation.READ_AGGREGATE:
                return self._aggregate(own, ids), "aggregate outside the retailer's portfolio or too small"
            if op is Operation.TRIGGER_ACTION:
                return np.zeros(ids.size, dtype=bool), "only the DSO triggers grid actions"
            return own & self.consent[ids], "client outside the retailer's portfolio or without consent"
        if op is Operation.READ_AGGREGATE:
            return self._aggregate(everything, ids), (
                f"aggregates need at least {self.min_aggregate_clients} distinct consenting clients"
            )
        return np.zeros(ids.size, dtype=bool), f"a {role} gets aggregated data only"

    def _aggregate(self, ok: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Every row must be allowed; then the consenting rows (distinct: `check` made them so), if enough."""
        consenting = ok & self.consent[ids]
        if ok.all() and consenting.sum() >= self.min_aggregate_clients:
            return consenting
        return np.zeros(ok.size, dtype=bool)


def _client_row(party: Party) -> int:
    try:
        return int(party.id)
    except ValueError:
        raise HubConfigError(f"a HEMS party needs its client row as id (got {party.id!r})") from None


def retailer(retailer_id: str) -> Party:
    """The party of a retailer (and its platform)."""
    return Party(Stakeholder.RETAILER, retailer_id)


def hems(client_row: int) -> Party:
    """The party of one client's HEMS."""
    return Party(Stakeholder.HEMS, str(client_row))


def consent_mask(n_clients: int, share: float, rng: np.random.Generator) -> np.ndarray:
    """A consent flag per client with `share` of them consenting, drawn from `rng`."""
    return rng.random(n_clients) < share


CONSENT_STREAM = 0xC0_45E7  # spawn key of the consent draw under the scenario's seed (not a model stream)


def household_consent(seed: int, n_households: int, share: float) -> np.ndarray:
    """Which households consent (`households.consent_share` of them), the same draw for the hub and the exports."""
    seq = np.random.SeedSequence(seed, spawn_key=(CONSENT_STREAM,))
    return consent_mask(n_households, share, np.random.default_rng(seq))


def round_robin_portfolio(n_clients: int, retailers: Sequence[str]) -> np.ndarray:
    """Client i belongs to retailer i mod n (the stress test's even split)."""
    return np.arange(n_clients, dtype=np.int64) % max(len(retailers), 1)

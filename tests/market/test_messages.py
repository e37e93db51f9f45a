import dataclasses

import numpy as np
import pytest

import market.messages as m


def test_client_ids_are_copied_and_read_only():
    source = np.array([3, 1, 2])
    ids = m.client_ids(source)
    source[0] = 99
    assert ids.tolist() == [3, 1, 2]
    with pytest.raises(ValueError):
        ids[0] = 5


def test_messages_are_frozen_with_slots_and_named():
    msg = m.FlexibilityRequest("area", m.client_ids([1, 2]), 3.0, 10.0, 20.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        msg.p_kw = 4.0
    assert not hasattr(msg, "__dict__")
    kinds = [
        c.kind for c in vars(m).values() if isinstance(c, type) and issubclass(c, m.Message) and c is not m.Message
    ]
    assert len(kinds) == len(set(kinds)) >= 18


def test_units_are_in_the_field_names():
    unitless = {
        "kind",
        "area",
        "client_ids",
        "retailer_id",
        "calendar_id",
        "request_id",
        "aggregate",
        "covered",
        "blocks",
        "n_clients",
        "n_denied",
        "n_delivered",
        "load_kind",
        "priority",
    }
    for cls in vars(m).values():
        if dataclasses.is_dataclass(cls):
            for f in dataclasses.fields(cls):
                assert f.name in unitless or f.name.endswith(("_s", "_kw", "_kwh", "_pct", "_eur_per_kwh")), (
                    cls,
                    f.name,
                )

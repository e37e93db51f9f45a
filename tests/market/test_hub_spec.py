import pytest
from pydantic import ValidationError

from market.hub_spec import HubSpec, UniformLatencySpec
from market.latency import Uniform


def _fields(model_cls, seen=None):
    seen = seen if seen is not None else set()
    if model_cls in seen:
        return
    seen.add(model_cls)
    for name, f in model_cls.model_fields.items():
        yield model_cls, name, f
        for sub in getattr(f.annotation, "__args__", ()) or (f.annotation,):
            if isinstance(sub, type) and hasattr(sub, "model_fields"):
                yield from _fields(sub, seen)


def test_every_field_is_described():
    for cls, name, f in _fields(HubSpec):
        assert f.description, f"{cls.__name__}.{name} has no description"


def test_defaults_cite_the_pilot_retailer_delay():
    spec = HubSpec()
    assert spec.components.platform.service.model() == Uniform(0.100, 0.110)


def test_unknown_keys_bad_bands_and_components_are_refused():
    with pytest.raises(ValidationError, match="extra"):
        HubSpec.model_validate({"hubb": {}})
    with pytest.raises(ValidationError, match="low_s must be <= high_s"):
        UniformLatencySpec(low_s=0.2, high_s=0.1)
    with pytest.raises(ValidationError, match="unknown component 'router'"):
        HubSpec.model_validate({"faults": [{"component": "router", "down_at_s": 1, "restart_at_s": 2}]})
    with pytest.raises(ValidationError, match="restart_at_s must be >= down_at_s"):
        HubSpec.model_validate({"faults": [{"component": "hub", "down_at_s": 5, "restart_at_s": 2}]})


def test_spec_is_frozen_and_reads_toml_shaped_dicts():
    spec = HubSpec.model_validate(
        {"components": {"hub": {"service": {"kind": "lognormal", "median_s": 0.01}, "capacity": 3}}}
    )
    assert spec.components.hub.capacity == 3
    with pytest.raises(ValidationError):
        spec.consent_share = 0.5

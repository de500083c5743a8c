"""The hit schema Spidermon validates every nightly hit against: generated from the Hit
dataclass, it accepts what the pipeline exports and refuses broken hits."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import jsonschema
import pytest

from pipelines.items import EXPORT_FIELDS, Hit
from pipelines.ops.hit_schema import hit_schema

VALIDATOR = jsonschema.Draft7Validator(hit_schema())


def exported(**change: Any) -> dict[str, Any]:
    hit = Hit(
        url="https://films-hd.tumblr.com/post/1/watch",
        platform="tumblr",
        blog="films-hd",
        title="Watch Iron Man 3 (2013) Full Movie",
        fetched_at="2026-12-03T02:31:00+00:00",
        outbound_urls=["https://t.umblr.com/redirect?z=x"],
        fake_stream=True,
        matched_title="Iron Man 3",
        score=87,
        verdict="fake_stream",
    )
    data = {name: value for name, value in asdict(hit).items() if name in EXPORT_FIELDS}
    return {**data, **change}


def test_every_exported_field_is_required_and_typed() -> None:
    schema = hit_schema()
    assert schema["required"] == list(EXPORT_FIELDS)
    assert all(schema["properties"][name].get("type") for name in EXPORT_FIELDS)


def test_an_exported_hit_is_valid() -> None:
    assert list(VALIDATOR.iter_errors(exported())) == []


@pytest.mark.parametrize(
    "change",
    [
        {"platform": "myspace"},
        {"verdict": "suspicious"},
        {"score": 140},
        {"url": "javascript:alert(1)"},
        {"lure_urls": ["file:///etc/passwd"]},
        {"tags": "one,two"},
        {"fake_stream": "yes"},
        {"published": 2013},
    ],
)
def test_a_broken_hit_is_refused(change: dict[str, Any]) -> None:
    assert list(VALIDATOR.iter_errors(exported(**change)))


def test_a_hit_missing_a_field_is_refused() -> None:
    data = exported()
    del data["verdict"]
    assert [error.validator for error in VALIDATOR.iter_errors(data)] == ["required"]

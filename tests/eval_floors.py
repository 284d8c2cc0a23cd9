"""The pinned eval floors check shared by the seed and dev tests."""
from __future__ import annotations


def assert_floors(result, floors: dict[str, float], field_floors: dict[str, float]) -> None:
    """Every figure of `result` (a `warledger.evaluate` score) at or above its pinned floor."""
    reached = {"core_f1": result["core_f1"], "core_field_accuracy": result["core_field_accuracy"],
               "statement_f1": result["kinds"]["statement"]["f1"],
               "fusion_bcubed_f1": result["fusion_bcubed"]["f1"]}
    for name, floor in floors.items():
        assert reached[name] >= floor, f"{name} fell to {reached[name]} (floor {floor})"
    for name, floor in field_floors.items():
        accuracy = result["fields"][name]["accuracy"]
        assert accuracy >= floor, f"{name} accuracy fell to {accuracy} (floor {floor})"

"""Build the bundled offline map layer: low-resolution country outlines as GeoJSON.

The layer in ``static/world-110m.geojson`` was made once from the npm package ``world-atlas`` 2.0.2
(``countries-110m.json``, Natural Earth 1:110m admin-0 boundaries; Natural Earth is public domain,
world-atlas is ISC) with::

    python -m warledger.serve.outlines /tmp/world-atlas/countries-110m.json \
        src/warledger/serve/static/world-110m.geojson

TopoJSON stores shared arcs once, delta- and quantize-encoded; this decodes them into plain polygons
(rounded to ``precision`` decimals to keep the file small) so the page needs no TopoJSON library.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _decode_arcs(topology: dict, precision: int) -> list[list[list[float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points, x, y = [], 0, 0
        for position in arc:
            if transform:  # quantized: positions are deltas from the previous point
                x, y = x + position[0], y + position[1]
                lon = x * transform["scale"][0] + transform["translate"][0]
                lat = y * transform["scale"][1] + transform["translate"][1]
            else:
                lon, lat = position[0], position[1]
            points.append([round(lon, precision), round(lat, precision)])
        arcs.append(points)
    return arcs


def _ring(arc_indexes: list[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    ring: list[list[float]] = []
    for index in arc_indexes:
        # A negative index (~i) means arc i walked backwards.
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])  # consecutive arcs share their joining point
    return ring


def topojson_to_geojson(topology: dict, object_name: str = "countries", precision: int = 2) -> dict:
    """Convert one geometry collection of a TopoJSON topology into a GeoJSON FeatureCollection."""
    arcs = _decode_arcs(topology, precision)
    features = []
    for geometry in topology["objects"][object_name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            coordinates = [_ring(r, arcs) for r in geometry["arcs"]]
        elif kind == "MultiPolygon":
            coordinates = [[_ring(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
        else:  # null geometries carry no outline
            continue
        features.append({"type": "Feature", "properties": {"name": geometry.get("properties", {}).get("name")},
                         "geometry": {"type": kind, "coordinates": coordinates}})
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str]) -> None:
    source, target = Path(argv[0]), Path(argv[1])
    geojson = topojson_to_geojson(json.loads(source.read_text(encoding="utf-8")))
    target.write_text(json.dumps(geojson, separators=(",", ":")), encoding="utf-8")
    print(f"{target}: {len(geojson['features'])} countries, {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])

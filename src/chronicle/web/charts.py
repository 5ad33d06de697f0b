"""Charts as plain SVG geometry, computed on the server: the events timeline, the actor network
and the map of event places. Functions return shapes (numbers and strings); the templates
draw them, escaping every label. No chart library, no JavaScript needed to see them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
import sys
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

__all__ = ["EVENT_TYPES", "entity_timeline", "map_view", "network", "place_points", "places_svg", "timeline",
           "world_svg"]

LOGGER = logging.getLogger(__name__)

# PLOVER's 16 event types, from cooperation to conflict: the order of the legend and the colours
EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
               "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")

MAP_W, MAP_H = 960, 480


def _day(value: str | None) -> dt.date | None:
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _css(value: str) -> str:
    """A class-name suffix for a value from the data (event types are A-Z; anything else is OTHER)."""
    return value if value.isascii() and value.replace("_", "").isalnum() else "OTHER"


def _type_order(t: str) -> int:
    return EVENT_TYPES.index(t) if t in EVENT_TYPES else len(EVENT_TYPES)


def timeline(rows: list[dict[str, Any]], width: int = 900, height: int = 180) -> dict[str, Any]:
    """Stacked bars of events per day (per week or month over long spans) by type."""
    days = [(d, r["type"], int(r["n"])) for r in rows if (d := _day(r["day"])) is not None]
    undated = sum(int(r["n"]) for r in rows) - sum(n for _, _, n in days)
    if not days:
        return {"bars": [], "undated": undated, "types": [], "ticks": [], "width": width, "height": height,
                "unit": "day", "max": 0}
    first, last = min(d for d, _, _ in days), max(d for d, _, _ in days)
    span = (last - first).days + 1
    unit = "day" if span <= 200 else "week" if span <= 1400 else "month"

    def bucket(d: dt.date) -> dt.date:
        if unit == "week":
            return d - dt.timedelta(days=d.weekday())
        if unit == "month":
            return d.replace(day=1)
        return d

    counts: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for d, t, n in days:
        counts[bucket(d)][t] += n
    start, end = bucket(first), bucket(last)
    slots: list[dt.date] = []
    cur = start
    while cur <= end:
        slots.append(cur)
        cur = (cur + dt.timedelta(days=1 if unit == "day" else 7) if unit != "month"
               else (cur.replace(day=28) + dt.timedelta(days=4)).replace(day=1))
    top = max(sum(c.values()) for c in counts.values())
    left, bottom, plot_h = 32, 22, height - 22 - 8
    bw = (width - left - 4) / len(slots)
    bars: list[dict[str, Any]] = []
    for i, slot in enumerate(slots):
        y: float = height - bottom
        for t in sorted(counts.get(slot, {}), key=_type_order):
            n = counts[slot][t]
            h = plot_h * n / top
            y -= h
            bars.append({"x": round(left + i * bw + 0.5, 1), "y": round(y, 1), "w": round(max(bw - 1, 1), 1),
                         "h": round(h, 1), "type": t, "n": n, "label": f"{slot.isoformat()} ({unit})"})
    bars_svg = Markup("".join(
        f'<rect class="bar t-{_css(str(b["type"]))}" x="{b["x"]}" y="{b["y"]}" width="{b["w"]}" height="{b["h"]}">'
        f'<title>{escape(b["label"])} · {escape(b["type"])}: {b["n"]}</title></rect>' for b in bars))
    step = max(1, len(slots) // 6)
    ticks = [{"x": round(left + i * bw + bw / 2, 1), "label": slots[i].isoformat()[: 7 if unit == "month" else 10]}
             for i in range(0, len(slots), step)]
    present = sorted({t for _, t, _ in days}, key=_type_order)
    return {"bars": bars, "svg": bars_svg, "undated": undated, "types": present, "ticks": ticks, "width": width,
            "height": height, "unit": unit, "max": top, "base": height - bottom, "left": left}


def entity_timeline(events: list[dict[str, Any]], name: str, width: int = 900) -> dict[str, Any]:
    """The events of one entity on a time axis: a row for events as actor, one as recipient."""
    pts = []
    for e in events:
        d = _day(e.get("date") or e.get("published"))
        if d is None:
            continue
        rows = [r for r, who in (("actor", e.get("actor_name")), ("recipient", e.get("recipient_name")))
                if who == name]
        pts += [(d, r, e) for r in rows]
    if not pts:
        return {"points": [], "ticks": [], "width": width, "height": 90}
    first, last = min(p[0] for p in pts), max(p[0] for p in pts)
    span = max((last - first).days, 1)
    left, right = 90, 12
    points = []
    for d, row, e in pts:
        x = left + (width - left - right) * ((d - first).days / span if last != first else 0.5)
        points.append({"x": round(x, 1), "y": 30 if row == "actor" else 66, "type": e["type"], "row": row,
                       "label": f"{d.isoformat()} {e['type']}: {e.get('actor') or '?'} → {e.get('recipient') or '?'}",
                       "href": f"/articles/{quote(e['article_id'], safe='')}#evt-{e['id']}"})
    ticks = []
    for i in range(5):
        d = first + dt.timedelta(days=round(span * i / 4))
        ticks.append({"x": round(left + (width - left - right) * i / 4, 1), "label": d.isoformat(),
                      "anchor": "end" if i == 4 else "middle"})
    svg = Markup("".join(
        f'<a href="{escape(p["href"])}"><circle class="dot t-{_css(p["type"])}" cx="{p["x"]}" cy="{p["y"]}" r="5">'
        f'<title>{escape(p["label"])}</title></circle></a>' for p in points))
    return {"points": points, "svg": svg, "ticks": ticks, "width": width, "height": 96}


def network(net: dict[str, Any], size: int = 520, max_nodes: int = 24) -> dict[str, Any]:
    """Nodes on a circle (heaviest at the top, going clockwise), edges as curves so that A → B
    and B → A stay apart, widths by event count."""
    nodes = net["nodes"][:max_nodes]
    keep = {n["id"] for n in nodes}
    edges = [e for e in net["edges"] if e["source"] in keep and e["target"] in keep]
    cx = cy = size / 2
    radius = size / 2 - 90
    pos: dict[str, tuple[float, float]] = {}
    top_n = max((n["n"] for n in nodes), default=1)
    out_nodes = []
    for i, n in enumerate(nodes):
        a = -math.pi / 2 + 2 * math.pi * i / max(len(nodes), 1)
        x, y = cx + radius * math.cos(a), cy + radius * math.sin(a)
        pos[n["id"]] = (x, y)
        anchor = "start" if math.cos(a) > 0.2 else "end" if math.cos(a) < -0.2 else "middle"
        lx, ly = cx + (radius + 12) * math.cos(a), cy + (radius + 12) * math.sin(a) + 4
        out_nodes.append({"id": n["id"], "n": n["n"], "x": round(x, 1), "y": round(y, 1),
                          "r": round(4 + 8 * math.sqrt(n["n"] / top_n), 1), "lx": round(lx, 1), "ly": round(ly, 1),
                          "anchor": anchor})
    radii = {n["id"]: n["r"] for n in out_nodes}
    top_e = max((e["n"] for e in edges), default=1)
    out_edges = []
    for e in edges:
        (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
        if e["source"] == e["target"]:
            d = f"M{x1:.1f},{y1:.1f} c -30,-40 30,-40 0,0"
        else:
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2
            dx, dy = x2 - x1, y2 - y1
            # bend to the right of the direction of travel, so A → B and B → A stay apart
            qx, qy = mx - dy * 0.15, my + dx * 0.15
            # stop at the target's rim, so the arrowhead shows
            r = radii[e["target"]] + 2
            tx, ty = x2 - qx, y2 - qy
            length = math.hypot(tx, ty) or 1.0
            x2, y2 = x2 - tx / length * r, y2 - ty / length * r
            d = f"M{x1:.1f},{y1:.1f} Q{qx:.1f},{qy:.1f} {x2:.1f},{y2:.1f}"
        out_edges.append({"d": d, "w": round(1 + 5 * e["n"] / top_e, 1), "n": e["n"],
                          "source": e["source"], "target": e["target"]})
    return {"nodes": out_nodes, "edges": out_edges, "size": size, "by": net["by"],
            "hidden": max(len(net["nodes"]) - len(nodes), 0)}


def project(lat: float, lon: float) -> tuple[float, float]:
    """Equirectangular projection onto the map's 960 x 480 frame."""
    return (lon + 180) * MAP_W / 360, (90 - lat) * MAP_H / 180


def map_view(points: list[dict[str, Any]], pad: float = 40, min_w: float = 240) -> str:
    """The SVG viewBox that frames the points (2:1, like the map), or the whole world."""
    if not points:
        return f"0 0 {MAP_W} {MAP_H}"
    x0, x1 = min(p["x"] for p in points) - pad, max(p["x"] for p in points) + pad
    y0, y1 = min(p["y"] for p in points) - pad, max(p["y"] for p in points) + pad
    w = max(x1 - x0, 2 * (y1 - y0), min_w)
    h = w / 2
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = min(w, MAP_W), min(h, MAP_H)
    x = min(max(cx - w / 2, 0), MAP_W - w)
    y = min(max(cy - h / 2, 0), MAP_H - h)
    for p in points:  # dots keep their size on screen however far the map zooms in
        p["r"] = round(p["r"] * w / MAP_W, 2)
    return f"{x:.1f} {y:.1f} {w:.1f} {h:.1f}"


def places_svg(points: list[dict[str, Any]]) -> Markup:
    """The map's dots as SVG markup (after ``map_view`` sized them), each with its label."""
    return Markup("".join(
        f'<circle class="place" cx="{p["x"]}" cy="{p["y"]}" r="{p["r"]}"><title>{escape(p["name"] or "?")} '
        f'({escape(p["country"] or "-")}): {p["n"]} event{"s" if p["n"] != 1 else ""}</title></circle>'
        for p in points))


def place_points(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    top = max((int(r["n"]) for r in rows), default=1)
    out = []
    for r in rows:
        x, y = project(float(r["lat"]), float(r["lon"]))
        out.append({"x": round(x, 1), "y": round(y, 1), "r": round(2.5 + 9 * math.sqrt(int(r["n"]) / top), 1),
                    "n": int(r["n"]), "name": r["name"], "country": r["country"]})
    return out


# --- the world's outline, from the world-atlas npm package installed by `make setup` ----------

def atlas_path() -> Path | None:
    """Where world-atlas's countries-110m.json is: $CHRONICLE_WEB_ASSETS, else the venv's
    share/chronicle/web-assets (where `make setup` installs it with npm)."""
    roots = [os.environ.get("CHRONICLE_WEB_ASSETS"), os.path.join(sys.prefix, "share", "chronicle", "web-assets")]
    for root in roots:
        if root:
            p = Path(root) / "node_modules" / "world-atlas" / "countries-110m.json"
            if p.is_file():
                return p
    return None


def _rings(topo: dict[str, Any]) -> list[tuple[str, list[list[list[tuple[float, float]]]]]]:
    """TopoJSON countries decoded to (name, polygons of rings of (lon, lat))."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(idx: list[int]) -> list[tuple[float, float]]:
        pts: list[tuple[float, float]] = []
        for i in idx:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(a[1:] if pts else a)
        return pts

    out = []
    for g in topo["objects"]["countries"]["geometries"]:
        name = (g.get("properties") or {}).get("name", "")
        if g["type"] == "Polygon":
            polys = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        out.append((name, [[ring(r) for r in poly] for poly in polys]))
    return out


@lru_cache(maxsize=1)
def world_svg() -> str:
    """The basemap as a standalone SVG document: country outlines when world-atlas is installed,
    else only a graticule (the map still places events by latitude and longitude)."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_W} {MAP_H}" '
             f'width="{MAP_W}" height="{MAP_H}">',
             f'<rect width="{MAP_W}" height="{MAP_H}" fill="#eef3f7"/>', '<g stroke="#d5dee6" stroke-width="0.5">']
    for lon in range(-180, 181, 30):
        x, _ = project(0, lon)
        parts.append(f'<line x1="{x:.0f}" y1="0" x2="{x:.0f}" y2="{MAP_H}"/>')
    for lat in range(-60, 61, 30):
        _, y = project(lat, 0)
        parts.append(f'<line x1="0" y1="{y:.0f}" x2="{MAP_W}" y2="{y:.0f}"/>')
    parts.append("</g>")
    path = atlas_path()
    if path is None:
        LOGGER.warning("world-atlas not installed (make setup installs it with npm): the map has no outlines")
    else:
        topo = json.loads(path.read_text(encoding="utf-8"))
        parts.append('<g fill="#ffffff" stroke="#9aa9b5" stroke-width="0.5">')
        for name, polys in _rings(topo):
            d = []
            for poly in polys:
                for r in poly:
                    if len(r) < 3:
                        continue
                    pts = [project(lat, lon) for lon, lat in r]
                    d.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
            parts.append(f'<path d="{"".join(d)}"><title>{escape(name)}</title></path>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)

"""The parallel approval flow chart (并联审批流程图) of a plan, as an accessible SVG.

Left to right: joint acceptance, one column per lane of items that run in parallel, joint delivery. Arrows show
who waits for whom; the critical path is drawn bold.
"""

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 210, 72, 56, 20, 24
END_W = 120
CHARS_PER_LINE = 13
PRIMARY, CRITICAL, MUTED = "#0b4f9c", "#c62828", "#52606d"
FONTS = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"


def _lines(text: str, limit: int = CHARS_PER_LINE) -> list[str]:
    if len(text) <= limit:
        return [text]
    return [text[:limit], text[limit : 2 * limit - 1] + ("…" if len(text) > 2 * limit - 1 else "")]


def _box(x: int, y: int, title: str, subtitle: str, *, critical: bool, width: int = BOX_W) -> str:
    stroke = CRITICAL if critical else PRIMARY
    parts = [
        f'<rect x="{x}" y="{y}" width="{width}" height="{BOX_H}" rx="8" fill="#fff" stroke="{stroke}" '
        f'stroke-width="{3 if critical else 1.5}"/>'
    ]
    lines = _lines(title) if width == BOX_W else [title]
    top = y + (22 if len(lines) > 1 else 30)
    for index, line in enumerate(lines):
        parts.append(
            f'<text x="{x + width / 2}" y="{top + index * 18}" text-anchor="middle" font-size="15" '
            f'font-weight="600" fill="#1f2933">{escape(line)}</text>'
        )
    parts.append(
        f'<text x="{x + width / 2}" y="{y + BOX_H - 12}" text-anchor="middle" font-size="12" fill="{MUTED}">'
        f"{escape(subtitle)}</text>"
    )
    return "".join(parts)


def _arrow(x1: float, y1: float, x2: float, y2: float, *, critical: bool) -> str:
    colour = CRITICAL if critical else MUTED
    middle = (x1 + x2) / 2
    return (
        f'<path d="M{x1},{y1} C{middle},{y1} {middle},{y2} {x2 - 2},{y2}" fill="none" stroke="{colour}" '
        f'stroke-width="{2.5 if critical else 1.5}" marker-end="url(#{"arrow-critical" if critical else "arrow"})"/>'
    )


def flow_svg(flow: dict, *, title: str) -> str:
    """SVG for a plan's `flow` (nodes, edges, lanes, critical_path, days)."""
    lanes = flow["lanes"] or [[]]
    nodes = {n["code"]: n for n in flow["nodes"]}
    rows = max(len(lane) for lane in lanes) or 1
    height = MARGIN * 2 + rows * BOX_H + (rows - 1) * GAP_Y
    width = MARGIN * 2 + END_W * 2 + len(lanes) * (BOX_W + GAP_X) + GAP_X
    position: dict[str, tuple[int, int]] = {}
    for lane_index, lane in enumerate(lanes):
        x = MARGIN + END_W + GAP_X + lane_index * (BOX_W + GAP_X)
        offset = (rows - len(lane)) * (BOX_H + GAP_Y) / 2
        for row, code in enumerate(lane):
            position[code] = (x, int(MARGIN + offset + row * (BOX_H + GAP_Y)))
    centre_y = height / 2 - BOX_H / 2
    start_x, end_x = MARGIN, width - MARGIN - END_W
    critical = set(flow["critical_path"])
    critical_edges = set(zip(flow["critical_path"], flow["critical_path"][1:], strict=False))
    waiting = {e["to"] for e in flow["edges"]}
    awaited = {e["from"] for e in flow["edges"]}

    body = [_box(start_x, int(centre_y), _("综合窗口受理"), _("一次提交"), critical=False, width=END_W)]
    body.append(
        _box(
            end_x,
            int(centre_y),
            _("综合窗口出件"),
            _("共 %(days)d 个工作日") % {"days": flow["days"]},
            critical=False,
            width=END_W,
        )
    )
    for code, (x, y) in position.items():
        node = nodes[code]
        subtitle = _("%(department)s · %(days)d 个工作日") % {
            "department": node["department"]["name"],
            "days": node["days"],
        }
        body.append(_box(x, y, node["name"], subtitle, critical=code in critical))
        if code not in waiting:
            body.append(
                _arrow(
                    start_x + END_W,
                    centre_y + BOX_H / 2,
                    x,
                    y + BOX_H / 2,
                    critical=code == (flow["critical_path"] or [None])[0],
                )
            )
        if code not in awaited:
            body.append(
                _arrow(
                    x + BOX_W,
                    y + BOX_H / 2,
                    end_x,
                    centre_y + BOX_H / 2,
                    critical=code == (flow["critical_path"] or [None])[-1],
                )
            )
    for edge in flow["edges"]:
        (x1, y1), (x2, y2) = position[edge["from"]], position[edge["to"]]
        body.append(
            _arrow(
                x1 + BOX_W, y1 + BOX_H / 2, x2, y2 + BOX_H / 2, critical=(edge["from"], edge["to"]) in critical_edges
            )
        )

    description = _("%(title)s：%(count)d 个事项分 %(lanes)d 批并联办理，关键路径 %(days)d 个工作日。") % {
        "title": title,
        "count": len(nodes),
        "lanes": len(flow["lanes"]),
        "days": flow["days"],
    }
    markers = "".join(
        f'<marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        for name, colour in (("arrow", MUTED), ("arrow-critical", CRITICAL))
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="flow-title flow-desc" font-family="{FONTS}">'
        f'<title id="flow-title">{escape(title)}</title><desc id="flow-desc">{escape(description)}</desc>'
        f"<defs>{markers}</defs>{''.join(body)}</svg>"
    )

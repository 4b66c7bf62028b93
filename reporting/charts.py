"""The geometry of the restitution's charts, drawn as inline SVG by the templates (no script):
the same picture in the browser and in the PDF. Labels stay objects (strands, territories) so
each edition writes them in its own language."""

from dataclasses import dataclass

from exchanges.selectors import DirectionCount, KeyFigures
from partners.models import Territory

# Narrow enough that the labels (14 units) stay legible at 360 px, 9 pt or more in print.
WIDTH = 420


@dataclass(frozen=True)
class Bar:
    label: object
    value: int
    y: int  # top of the bar
    length: int

    @property
    def text_y(self) -> int:
        return self.y + 13

    @property
    def value_x(self) -> int:
        return BarChart.label_width + self.length + 6


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    width: int = WIDTH
    label_width = 170
    bar_height = 18

    @property
    def all_equal(self) -> bool:
        """Every bar the same: the chart would say nothing a sentence does not."""
        return len({bar.value for bar in self.bars}) <= 1

    @property
    def bar_x(self) -> int:
        return self.label_width

    @property
    def axis_height(self) -> int:
        return self.height


def bar_chart(items: list[tuple[object, int]], *, row: int = 30) -> BarChart:
    """Horizontal bars, one per item, scaled on the largest value."""
    longest = WIDTH - BarChart.label_width - 40
    top = max((value for _label, value in items), default=0) or 1
    bars = [
        Bar(label=label, value=value, y=6 + i * row, length=round(longest * value / top))
        for i, (label, value) in enumerate(items)
    ]
    return BarChart(bars=bars, height=6 + len(items) * row)


@dataclass(frozen=True)
class BalanceRow:
    kind: str  # "travel": delegations crossing; "local": exchanges without a delegation
    left: DirectionCount
    right: DirectionCount
    y: int  # baseline of the row's captions
    left_length: int
    right_length: int

    @property
    def bar_y(self) -> int:
        return self.y + 6

    @property
    def text_y(self) -> int:
        return self.y + 20

    @property
    def left_x(self) -> int:
        return BalanceChart.center - self.left_length

    @property
    def left_value_x(self) -> int:
        return BalanceChart.center - self.left_length - 6

    @property
    def right_value_x(self) -> int:
        return BalanceChart.center + self.right_length + 6


@dataclass(frozen=True)
class BalanceChart:
    """A two-way bar: the first territory's delegations go left, its partner's go right."""

    left_territory: Territory
    right_territory: Territory
    rows: list[BalanceRow]
    height: int
    width: int = WIDTH
    center = WIDTH // 2
    bar_height = 20


def balance_chart(figures: KeyFigures, territories: list[Territory]) -> BalanceChart | None:
    """The direction balance between two partner territories (None for any other number)."""
    if len(territories) != 2:
        return None
    first, second = territories
    counts = {(d.visiting and d.visiting.pk, d.host.pk): d for d in figures.by_direction}
    pairs = [
        ("travel", counts.get((first.pk, second.pk)), counts.get((second.pk, first.pk))),
        ("local", counts.get((None, first.pk)), counts.get((None, second.pk))),
    ]
    pairs = [(kind, left, right) for kind, left, right in pairs if left and right]
    longest = BalanceChart.center - 40
    top = max((max(left.count, right.count) for _k, left, right in pairs), default=0) or 1
    rows = [
        BalanceRow(
            kind=kind,
            left=left,
            right=right,
            y=16 + i * 52,
            left_length=round(longest * left.count / top),
            right_length=round(longest * right.count / top),
        )
        for i, (kind, left, right) in enumerate(pairs)
    ]
    return BalanceChart(
        left_territory=first, right_territory=second, rows=rows, height=16 + len(rows) * 52
    )

"""What a template may do: templates are files the team edits, so they are rendered in a
sandbox that also bounds the work. `{% include %}`, `{% import %}` and `{% extends %}` are
refused (a template is one document); a document takes at most MAX_SECONDS to render and
MAX_OUTPUT characters of XML per part; `range`, `*` and `**` cannot build huge values.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError, safe_range

MAX_SECONDS = 20.0  # per document
MAX_OUTPUT = 20_000_000  # characters of XML per rendered part (a real one is under 1 MB)
MAX_ITEMS = 1_000_000  # characters or items a `*` may build
MAX_EXPONENT = 64
_CHUNK = 512  # rendered pieces between two looks at the clock
FORBIDDEN = {nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from … import",
             nodes.Extends: "extends"}


class TooCostly(Exception):
    """Rendering went over a bound (French message)."""


class _Clock:
    deadline = float("inf")


def _range(*args: int) -> Iterator[int]:
    """The sandbox's `range` (at most 100,000 items), which also watches the clock: nested
    loops cannot run for hours without writing anything."""
    for index, value in enumerate(safe_range(*args)):
        if index % _CHUNK == 0 and time.monotonic() > _Clock.deadline:
            raise TooCostly(f"le remplissage dépasse {MAX_SECONDS:.0f} secondes")
        yield value


class BoundedEnvironment(SandboxedEnvironment):
    """A sandbox whose `*` and `**` refuse to build huge values."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"exposant trop grand ({right})")
        if operator == "*":
            sized, count = (left, right) if isinstance(left, (str, list, tuple)) else (
                right, left)
            if isinstance(sized, (str, list, tuple)) and isinstance(count, int) and \
                    len(sized) * count > MAX_ITEMS:
                raise SecurityError("valeur trop grande")
        return super().call_binop(context, operator, left, right)


def environment(kind: type[BoundedEnvironment] = BoundedEnvironment,
                **options: Any) -> BoundedEnvironment:
    """The bounded sandbox (of class ``kind``), its `range` watching the clock."""
    env = kind(**options)
    env.globals["range"] = _range
    return env


def forbidden_tag(ast: nodes.Template) -> str | None:
    """The first tag a template may not use (include, import, extends), None when none."""
    for kind, tag in FORBIDDEN.items():
        if ast.find(kind) is not None:
            return tag
    return None


def render_bounded(template: jinja2.Template, context: Mapping[str, object],
                   started: float) -> str:
    """`template` rendered for `context`, within MAX_OUTPUT characters and MAX_SECONDS from
    `started` (time.monotonic()); TooCostly when over."""
    _Clock.deadline = started + MAX_SECONDS
    pieces: list[str] = []
    size = 0
    try:
        for count, piece in enumerate(template.generate(context), 1):
            pieces.append(piece)
            size += len(piece)
            if size > MAX_OUTPUT:
                raise TooCostly(f"le document dépasse {MAX_OUTPUT // 1_000_000} millions de "
                                "caractères")
            if count % _CHUNK == 0 and time.monotonic() > _Clock.deadline:
                raise TooCostly(f"le remplissage dépasse {MAX_SECONDS:.0f} secondes")
    except RecursionError:
        raise TooCostly("une macro s'appelle elle-même sans fin") from None
    finally:
        _Clock.deadline = float("inf")
    return "".join(pieces)

"""The theme (`styles/theme.toml`): fonts, sizes and colours shared by the CSS and the DOCX.

A site without its own `styles/theme.toml` gets the default theme shipped with Plainpress.

Loaded once and validated: a colour that is not `#rrggbb`, a size that is not a number, or a
text colour whose contrast against the background is under WCAG 2.2 AAA (7:1) is an error.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from pipeline.settings.config import Config
from pipeline.settings.styles import project_file
from pipeline.errors import ConfigError
from pipeline.model import Loc

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
TEXT_COLOURS = ("text", "heading", "link", "muted")
MIN_CONTRAST = 7.0


@dataclass(frozen=True, slots=True)
class Theme:
    """Validated theme tables (plain dicts: templates index them by name)."""

    fonts: dict
    colors: dict
    article: dict
    handout: dict
    handout_large: dict
    path: str

    def stack(self, script: str = "latin") -> list[str]:
        """Font families to try, in order, for a script (`latin`, `arabic`, `cjk`)."""
        first = {"arabic": [self.fonts["arabic"]], "cjk": [self.fonts["cjk"]]}.get(script, [])
        return [*first, self.fonts["latin"], self.fonts["fallback"], self.fonts["arabic"],
                self.fonts["cjk"]]


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.2 definition)."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio between two `#rrggbb` colours (1 to 21)."""
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def load(config: Config) -> Theme:
    """Read and check the theme named by `[tool.plainpress] theme`."""
    path = project_file(config.root, config.theme)  # the site's, else the default
    shown = config.theme
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the theme: {exc.strerror}", Loc(shown),
                          hint="set `theme` in [tool.plainpress] to a file under styles/") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the theme is not valid TOML: {exc}", Loc(shown)) from exc
    for table in ("fonts", "colors", "article", "handout", "handout_large"):
        if not isinstance(data.get(table), dict):
            raise ConfigError(f"the theme has no [{table}] table", Loc(shown))
    for name in ("latin", "fallback", "arabic", "cjk"):
        if not isinstance(data["fonts"].get(name), str):
            raise ConfigError(f"[fonts] needs `{name}` (a font family name)", Loc(shown))
    for name, value in data["colors"].items():
        if not isinstance(value, str) or not _HEX.match(value):
            raise ConfigError(f"colour `{name}` = {value!r} is not #rrggbb", Loc(shown))
    for name in TEXT_COLOURS:
        ratio = contrast(data["colors"][name], data["colors"]["background"])
        if ratio < MIN_CONTRAST:
            raise ConfigError(f"colour `{name}` has contrast {ratio:.1f}:1 on the background",
                              Loc(shown), hint=f"text needs at least {MIN_CONTRAST}:1; darken it")
    for table in ("article", "handout", "handout_large"):
        for name, value in data[table].items():
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ConfigError(f"[{table}] `{name}` must be a number", Loc(shown))
    return Theme(data["fonts"], data["colors"], data["article"], data["handout"],
                 data["handout_large"], shown)

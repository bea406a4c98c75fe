"""Fonts for images: DejaVu Sans for Latin text, an installed CJK font as per-glyph fallback."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from matplotlib import font_manager

log = logging.getLogger(__name__)

LATIN_FAMILY = "DejaVu Sans"

# Simplified-Chinese faces first: the A-share index names are simplified Chinese.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
)
_CJK_FILE_HINTS = ("cjk", "sourcehan", "wqy", "notosanssc", "droidsansfallback")


def _known_family(names: tuple[str, ...]) -> str | None:
    available = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in names if name in available), None)


def _register_system_cjk_fonts() -> None:
    for path in font_manager.findSystemFonts():
        if any(hint in Path(path).name.casefold() for hint in _CJK_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError) as exc:
                log.debug("cannot load font %s: %s", path, exc)


@functools.cache
def cjk_family() -> str | None:
    """Return the installed CJK font family to fall back on, or None (with a warning)."""
    # matplotlib caches its font list; fonts installed after that cache was built need addfont.
    family = _known_family(CJK_FAMILIES)
    if family is None:
        _register_system_cjk_fonts()
        family = _known_family(CJK_FAMILIES)
    if family is None:
        log.warning(
            "no CJK font found (install fonts-noto-cjk); Chinese names in images will not "
            "render as glyphs, rendering with %s only",
            LATIN_FAMILY,
        )
    return family


def font_families() -> list[str]:
    """Return the family list for image text: Latin first, the CJK font as fallback."""
    cjk = cjk_family()
    return [LATIN_FAMILY, cjk] if cjk else [LATIN_FAMILY]


def font_files_for(families: list[str]) -> list[str]:
    """Return the font files matplotlib resolves for a family list, in fallback order."""
    return [
        font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
        for name in families
    ]

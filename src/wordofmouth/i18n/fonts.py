"""The font every PDF embeds: Noto Sans (SIL Open Font License), installed from the
package registry with the project (fontpkg-noto-sans), never a system font. It covers
Latin, Cyrillic and the hryvnia sign, so 'Клініка Коваль · 9 843,55 ₴' prints as written."""

from __future__ import annotations

from functools import lru_cache

import fontpkg_noto_sans
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "WomSans"
BOLD = "WomSans-Bold"


@lru_cache(maxsize=1)
def register() -> str:
    """Register the font with reportlab (once per process); returns its name. The package
    ships the variable font, whose default instance is the regular weight: bold text uses
    the same outlines (reportlab cannot pick a weight from a variable font)."""
    path = fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf"
    pdfmetrics.registerFont(TTFont(REGULAR, str(path)))
    pdfmetrics.registerFont(TTFont(BOLD, str(path)))
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, name)
    return REGULAR

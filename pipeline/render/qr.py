"""A QR code for the handout, as inline SVG (sharp at any print resolution), made by segno.

The SVG carries a `<title>` (WeasyPrint turns it into the Figure's `/Alt`) and `role="img"`
with `aria-label` for browsers. Quiet zone of 4 modules, as the QR standard asks.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape


def qr_svg(url: str, alt: str, size_mm: float) -> Markup:
    """An inline `<svg>` QR code of `url`, `size_mm` wide, labelled with `alt`."""
    import segno

    code = segno.make(url, error="m", micro=False)
    modules = code.symbol_size(scale=1, border=4)[0]
    path = code.svg_inline(scale=1, border=4, dark="#000", light=None, omitsize=True)
    inner = re.search(r"<path[^>]*/>", path).group(0)
    label = escape(alt)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" role="img" aria-label="{label}" '
        f'viewBox="0 0 {modules} {modules}" width="{size_mm}mm" height="{size_mm}mm">'
        f'<title>{label}</title><rect width="{modules}" height="{modules}" fill="#fff"/>'
        f'{inner}</svg>')

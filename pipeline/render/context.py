"""What every renderer shares within one worker: config, theme, compiled templates, labels.

Built once per worker process and reused for every job, so templates are compiled and the
theme is read once.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import jinja2
from markupsafe import Markup

from pipeline.settings.config import Config
from pipeline.errors import ConfigError, SourceError
from pipeline.model import Loc
from pipeline.settings.styles import style_dirs
from pipeline.settings.theme import Theme
from pipeline.settings.labels import Field, Labels, css_string, page_counter


@dataclass
class RenderContext:
    """Shared, read-only rendering state for one project."""

    config: Config
    theme: Theme
    page_size: str
    pdf: object = field(default=None, compare=False, repr=False)
    """The process's `PdfRenderer`, shared by the editions (set by `render.Renderers`)."""

    @cached_property
    def env(self) -> jinja2.Environment:
        env = jinja2.Environment(
            # The site's styles/ first, then the package's defaults: a site overrides one file.
            loader=jinja2.FileSystemLoader([str(p) for p in style_dirs(self.config.root)]),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",),
                                                default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=False,
        )
        # No `jinja2.ext.i18n`: its `_()` marks a translation as safe markup and fills it in
        # with `%`. Templates get `_` = `Labels` with their values (plain text, autoescaped).
        env.filters["kind"] = lambda node: type(node).__name__
        env.filters["css_string"] = lambda text: Markup(css_string(text))
        return env

    def template(self, name: str) -> jinja2.Template:
        return self.env.get_template(f"templates/{name}")

    def css(self, name: str, script: str, **extra: str) -> str:
        """A stylesheet from `styles/css/<name>.css.j2`, filled in from the theme."""
        key = (name, script, tuple(sorted(extra.items())))
        cache = self.__dict__.setdefault("_css", {})
        if key not in cache:
            fonts = ", ".join(f'"{family}"' for family in self.theme.stack(script))
            cache[key] = self.env.get_template(f"css/{name}.css.j2").render(
                t=self.theme, fonts=fonts, page_size=self.page_size,
                fonts_arabic=", ".join(f'"{f}"' for f in self.theme.stack("arabic")),
                fonts_cjk=", ".join(f'"{f}"' for f in self.theme.stack("cjk")), **extra)
            if "</" in cache[key]:
                raise ConfigError(f"styles/css/{name}.css.j2 produces `</`, which would end the "
                                  "page's <style> element", Loc(f"styles/css/{name}.css.j2"))
        # Theme CSS is project configuration, not source text: it is inserted as is.
        return Markup(cache[key])

    def asset_data_url(self, src: str) -> str:
        """An image as a data: URL, so the published HTML page stands on its own. Its type
        comes from its bytes (the reader checked that they are PNG, JPEG or GIF), never from
        its name."""
        from pipeline.read.reader import IMAGE_TYPES

        data = (self.config.root / src).read_bytes()
        kind = next((kind for magic, kind in IMAGE_TYPES.items() if data.startswith(magic)),
                    None)
        if kind is None:
            raise SourceError(Loc(src), "the image changed while it was being rendered and is "
                              "no longer a PNG, JPEG or GIF", hint="build again")
        return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"

    @staticmethod
    def page_counter(labels: Labels) -> str:
        """The @page `content` value of the page-number label (CSS strings and counters)."""
        return Markup(page_counter(labels.parts("Page {page} of {pages}", page=Field("page"),
                                                pages=Field("pages"))))


def project_path(root: Path, src: str) -> str:
    """The URL WeasyPrint sees for a project file (resolved by our URL fetcher), the same
    wherever the project is on disk."""
    from pipeline.render.pdf.fetcher import site_url
    return site_url(Path(src).as_posix())

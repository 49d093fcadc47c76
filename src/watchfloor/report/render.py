"""Rendering the SITREP: one self-contained HTML file, Markdown with images beside it, PDF.

Document text is untrusted. HTML is rendered with autoescape on and a Content Security
Policy that allows no script and no request (images are data: URIs); Markdown escapes
every value (no raw HTML, no link from document text); the PDF is WeasyPrint's
rendering of the same HTML, allowed to read data: URIs only.
"""

from __future__ import annotations

import base64
import re
import urllib.parse
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from watchfloor.report.sitrep_model import Chart, ReportError

if TYPE_CHECKING:
    from watchfloor.report.sitrep_model import Sitrep

ImageFormat = Literal["svg", "png"]
MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
PANGO_HINT = (
    "PDF output needs WeasyPrint and the Pango library: on Debian or Ubuntu "
    "`apt-get install libpango-1.0-0 libpangoft2-1.0-0`, on macOS `brew install pango`; "
    "or write .html and print it to PDF from a browser"
)


def md_escape(value: object) -> str:
    """A value as inert Markdown text: one line, its markup characters escaped.

    >>> md_escape("<script>x</script> *bold* [link](javascript:x)")
    '\\\\<script\\\\>x\\\\</script\\\\> \\\\*bold\\\\* \\\\[link\\\\](javascript:x)'
    """
    if isinstance(value, Markup):
        return str(value)
    return MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def _finalize(value: object) -> object:
    return "" if value is None else md_escape(value)


def _url(value: str) -> Markup:
    """A web address safe inside Markdown's <...> link form."""
    return Markup(urllib.parse.quote(value, safe=":/?#@!$&'*+,;=%~-._"))


@cache
def environment(markdown: bool) -> Environment:
    """The Jinja2 environment: autoescaped HTML, or Markdown escaped by `finalize`."""
    if markdown:
        env = Environment(
            loader=PackageLoader("watchfloor.report", "templates"),
            autoescape=False,
            finalize=_finalize,
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
        env.filters["trusted"] = Markup
        env.filters["url"] = _url
        return env
    return Environment(
        loader=PackageLoader("watchfloor.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
    )


def stylesheet() -> str:
    """The SITREP's CSS (inlined into the HTML)."""
    return (
        resources.files("watchfloor.report").joinpath("templates", "sitrep.css").read_text("utf-8")
    )


def data_uri(chart: Chart, images: ImageFormat = "svg") -> str:
    """A chart as a data: URI, SVG when there is one and it is asked for, else PNG.

    >>> data_uri(Chart("c", "t", "a", None, b"png"))
    'data:image/png;base64,cG5n'
    """
    if images == "svg" and chart.svg is not None:
        return "data:image/svg+xml;base64," + base64.b64encode(chart.svg).decode("ascii")
    return "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")


def render_html(sitrep: Sitrep, *, images: ImageFormat = "svg") -> str:
    """The SITREP as one HTML page with everything inline: styles, charts, map."""
    template = environment(False).get_template("sitrep.html.j2")
    return template.render(
        sitrep=sitrep,
        css=Markup(stylesheet()),
        image_src=lambda chart: data_uri(chart, images),
    )


def render_markdown(sitrep: Sitrep, images: dict[str, str]) -> str:
    """The SITREP as Markdown; `images` maps chart names to the relative paths of their PNGs."""
    template = environment(True).get_template("sitrep.md.j2")
    return template.render(
        sitrep=sitrep,
        images={name: _url(path) for name, path in images.items()},
        anchor=lambda name: Markup(f'<a id="{name}"></a>'),
    )


def write_html(sitrep: Sitrep, path: Path) -> list[Path]:
    """Write the self-contained HTML file."""
    _write(path, render_html(sitrep))
    return [path]


def write_markdown(sitrep: Sitrep, path: Path) -> list[Path]:
    """Write the Markdown file and its PNG pictures in `<name>_files/` beside it."""
    folder = path.parent / f"{path.stem}_files"
    written: list[Path] = []
    relative: dict[str, str] = {}
    for name, chart in sitrep.charts.items():
        image = folder / f"{name}.png"
        _write(image, chart.png)
        written.append(image)
        relative[name] = f"{folder.name}/{image.name}"
    _write(path, render_markdown(sitrep, relative))
    return [path, *written]


def write_pdf(sitrep: Sitrep, path: Path) -> list[Path]:
    """Write the PDF (A4, numbered pages), rendered by WeasyPrint from the HTML."""
    html = render_html(sitrep, images="png")
    weasyprint = _weasyprint()
    fetcher = weasyprint.URLFetcher(allowed_protocols=["data"])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(path)
    except OSError as e:
        raise ReportError(f"cannot write {path}: {e}") from e
    return [path]


def _weasyprint() -> Any:
    """WeasyPrint, imported on first use: it needs Pango, which a system may lack."""
    try:
        import weasyprint
    except (ImportError, OSError) as e:
        raise ReportError(f"{PANGO_HINT} ({type(e).__name__}: {e})") from e
    return weasyprint


def _write(path: Path, content: str | bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    except OSError as e:
        raise ReportError(f"cannot write {path}: {e}") from e

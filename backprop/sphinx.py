"""A Sphinx (and Jupyter Book) directive that puts a scene of the lesson into a page.

    .. backprop::
       :scene: backward          (default: backward; `backprop list` names them)
       :network: seed            (a preset, or a spec file's path relative to the page)
       :theme: print             (dark, light, print, high-contrast, or a theme file's path relative
                                  to the page)
       :quality: low             (low, medium, high, 4k)
       :still:                   (the annotated network as a picture; the default is the video)
       :video:                   (the video, said explicitly; an error together with :still:)

Add `"backprop.sphinx"` to `extensions` in conf.py (Jupyter Book: `sphinx: extra_extensions:` in
_config.yml, and the directive as a ```{backprop} fence). Renders are cached by their inputs
(`backprop.output.cache`; `backprop_cache_dir` in conf.py, or $BACKPROP_CACHE), so a rebuild renders
only what changed. A video comes with its captions as WebVTT, the one `<track>` format browsers play.
Needs the docs extra: `pip install 'backprop-manim[docs]'`.
"""

from __future__ import annotations

import html
import os
import shutil

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from backprop.engine.spec import SpecError
from backprop.output.files import OutputError, write_atomic
from backprop.scenes.catalog import SCENES

QUALITIES = ("low", "medium", "high", "4k")
MEDIA = "_backprop"  # the folder in the built site that holds the videos, captions and stills


def webvtt_beside(srt_path: str) -> str:
    """The WebVTT captions beside a video's .srt (made from it with webvtt-py unless already there)."""
    vtt = os.path.splitext(srt_path)[0] + ".vtt"
    if not os.path.isfile(vtt):
        import webvtt

        write_atomic(vtt, webvtt.from_srt(srt_path).content.encode("utf-8"))
    return vtt


class BackpropDirective(SphinxDirective):
    """`.. backprop::` — a rendered scene: a <video> with its captions track, or a still."""

    has_content = False
    option_spec = {
        "scene": lambda a: directives.choice(a, tuple(SCENES)),
        "network": directives.unchanged_required,
        "theme": directives.unchanged_required,
        "quality": lambda a: directives.choice(a, QUALITIES),
        "still": directives.flag,
        "video": directives.flag,
    }

    def run(self):
        from backprop.output.cache import cached_render

        scene = self.options.get("scene", "backward")
        network = self._page_path(self.options.get("network", "seed"))
        theme = self.options.get("theme")
        still = "still" in self.options
        if still and "video" in self.options:
            raise self.error("backprop: choose :still: or :video:, not both")
        cache_dir = self.config.backprop_cache_dir or None
        try:
            paths = cached_render(scene, network, theme=self._page_path(theme) if theme else None,
                                  quality=self.options.get("quality", "low"), fmt="png" if still else "mp4",
                                  cache_dir=cache_dir)
        except (SpecError, OutputError, ValueError) as e:
            raise self.error(f"backprop: {e}") from None
        if network != self.options.get("network", "seed"):
            self.env.note_dependency(network)  # the page is rebuilt when its spec file changes
        files = [paths[0]] + ([webvtt_beside(paths[1])] if not still else [])
        # The render's cache folder names it, so renders of one scene with other inputs never collide.
        key = os.path.basename(os.path.dirname(paths[0]))
        targets = [f"{MEDIA}/{key}/{os.path.basename(p)}" for p in files]
        self.env.backprop_media = getattr(self.env, "backprop_media", {})
        self.env.backprop_media.setdefault(self.env.docname, set()).update(zip(files, targets))
        what = f"the {scene} scene on the {self.options.get('network', 'seed')} network"
        return [backprop_media(targets=targets, still=still, what=what)]

    def _page_path(self, name: str) -> str:
        """A file named relative to the page (or the source folder, with a leading /); else as given (a preset)."""
        path = self.env.relfn2path(name, self.env.docname)[1]
        return path if os.path.lexists(path) else name  # a FIFO, a folder: read_spec_file says what it is


class backprop_media(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
    """A rendered scene in a page: written as HTML by HTML builders, left out by the others."""


def _visit_html(self, node):
    """<img>, or <video> with its captions track; links relative to the page being written."""
    from sphinx.util.osutil import relative_uri

    page = self.builder.get_target_uri(self.builder.current_docname)
    src = [html.escape(relative_uri(page, target)) for target in node["targets"]]
    if node["still"]:
        alt = html.escape("The annotated network, every gradient on it: " + node["what"])
        self.body.append(f'<img class="backprop-still" src="{src[0]}" alt="{alt}" />')
    else:
        self.body.append(f'<video class="backprop-video" controls preload="metadata" style="max-width: 100%" '
                         f'aria-label="{html.escape(node["what"])}"><source src="{src[0]}" type="video/mp4" />'
                         f'<track kind="captions" src="{src[1]}" srclang="en" label="English" default /></video>')
    raise nodes.SkipNode


def _skip(self, node):
    raise nodes.SkipNode


def _purge(app, env, docname):
    getattr(env, "backprop_media", {}).pop(docname, None)


def _merge(app, env, docnames, other):
    env.backprop_media = getattr(env, "backprop_media", {})
    for docname in docnames:
        if docname in getattr(other, "backprop_media", {}):
            env.backprop_media[docname] = other.backprop_media[docname]


def _copy_media(app, exception):
    """Into the built site: every page's videos, captions and stills (also those of unchanged pages)."""
    if exception is not None or app.builder.format != "html":
        return
    for pairs in getattr(app.env, "backprop_media", {}).values():
        for source, target in pairs:
            dest = os.path.join(app.outdir, target)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if not os.path.isfile(dest) or os.path.getsize(dest) != os.path.getsize(source):
                shutil.copyfile(source, dest)


def setup(app):
    app.add_config_value("backprop_cache_dir", "", "env")
    app.add_node(backprop_media, html=(_visit_html, None), latex=(_skip, None), text=(_skip, None),
                 man=(_skip, None), texinfo=(_skip, None))
    app.add_directive("backprop", BackpropDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _copy_media)
    from backprop.output.cache import package_version

    return {"version": package_version(), "parallel_read_safe": True, "parallel_write_safe": True}

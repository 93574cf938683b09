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
(`backprop.output.material.cache`; `backprop_cache_dir` in conf.py, or $BACKPROP_CACHE), so a rebuild renders
only what changed. A video comes with its poster, its captions and its chapters (WebVTT tracks, inline
as in the course site: `backprop.output.material.player`); a LaTeX (PDF) build prints the annotated network
as vector graphics in its place.
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
from backprop.output.render.files import OutputError
from backprop.scenes.catalog import SCENES
from backprop.story.frame import QUALITIES

MEDIA = "_backprop"  # the folder in the built site that holds the videos, captions and stills


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
        from backprop.output.material.cache import cached_render

        scene = self.options.get("scene", "backward")
        network = self._page_path(self.options.get("network", "seed"))
        theme = self.options.get("theme")
        still = "still" in self.options
        if still and "video" in self.options:
            raise self.error("backprop: choose :still: or :video:, not both")
        cache_dir = self.config.backprop_cache_dir or None
        theme = self._page_path(theme) if theme else None
        quality = self.options.get("quality", "low")
        try:
            paths = cached_render(scene, network, theme=theme, quality=quality, fmt="png" if still else "mp4",
                                  cache_dir=cache_dir, poster=not still)
        except (SpecError, OutputError, ValueError) as e:
            raise self.error(f"backprop: {e}") from None
        if network != self.options.get("network", "seed"):
            self.env.note_dependency(network)  # the page is rebuilt when its spec file changes
        files = [paths[0]] + ([paths[-1]] if not still else [])  # the video and its poster, or the still
        # The render's cache folder names it, so renders of one scene with other inputs never collide.
        key = os.path.basename(os.path.dirname(paths[0]))
        targets = [f"{MEDIA}/{key}/{os.path.basename(p)}" for p in files]
        self.env.backprop_media = getattr(self.env, "backprop_media", {})
        self.env.backprop_media.setdefault(self.env.docname, set()).update(zip(files, targets))
        what = f"the {scene} scene on the {self.options.get('network', 'seed')} network"
        # a LaTeX build prints the still as vector graphics, made when the LaTeX page is written
        printed = {"scene": scene, "network": network, "theme": theme, "cache_dir": cache_dir}
        return [backprop_media(targets=targets, still=still, what=what, video=paths[0], printed=printed)]

    def _page_path(self, name: str) -> str:
        """A file named relative to the page (or the source folder, with a leading /); else as given (a preset)."""
        path = self.env.relfn2path(name, self.env.docname)[1]
        return path if os.path.lexists(path) else name  # a FIFO, a folder: read_spec_file says what it is


class backprop_media(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
    """A rendered scene in a page: HTML builders write the player or the still, LaTeX the vector still,
    the others leave it out."""


def _visit_html(self, node):
    """<img>, or the player (poster, captions and chapters tracks inline); links relative to the page."""
    from sphinx.util.osutil import relative_uri

    from backprop.output.material.player import player_html

    page = self.builder.get_target_uri(self.builder.current_docname)
    src = [relative_uri(page, target) for target in node["targets"]]
    if node["still"]:
        alt = html.escape("The annotated network, every gradient on it: " + node["what"])
        self.body.append(f'<img class="backprop-still" src="{html.escape(src[0])}" alt="{alt}" />')
    else:
        self.body.append(player_html(node["video"], src=src[0], poster=src[1], label=node["what"]))
    raise nodes.SkipNode


def _visit_latex(self, node):
    """The scene's last frame as a vector PDF (`handout_pdf.write_still`), across the text width: a
    video prints as its still, in the print theme unless :theme: says otherwise."""
    from backprop.output.material.cache import cached_render

    printed = node["printed"]
    pdf = cached_render(printed["scene"], printed["network"], theme=printed["theme"] or "print", fmt="pdf",
                        cache_dir=printed["cache_dir"])[0]
    stem = os.path.splitext(os.path.basename(pdf))[0].replace(".", "-")  # LaTeX reads one dot: the extension's
    name = f"{MEDIA}-{os.path.basename(os.path.dirname(pdf))}-{stem}.pdf"
    shutil.copyfile(pdf, os.path.join(self.builder.outdir, name))
    self.body.append("\n\\begin{center}\\includegraphics[width=\\linewidth]{%s}\\end{center}\n" % name)
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
    app.add_node(backprop_media, html=(_visit_html, None), latex=(_visit_latex, None), text=(_skip, None),
                 man=(_skip, None), texinfo=(_skip, None))
    app.add_directive("backprop", BackpropDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _copy_media)
    from backprop.output.material.cache import package_version

    return {"version": package_version(), "parallel_read_safe": True, "parallel_write_safe": True}

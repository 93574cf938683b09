"""HTML pages from the Jinja2 templates in `backprop/output/material/templates/`, every value escaped.

One environment for the course site, the worksheets and the answer keys: a template is a file a
reader can open beside the page it makes, and autoescape keeps a student's id or a course's title
from ever becoming markup.
"""

from __future__ import annotations

import functools

import jinja2

from backprop.language import _, current, ngettext


@functools.cache
def environment() -> jinja2.Environment:
    """Jinja2's i18n extension, its `_()` the catalog of the language spoken when a page is rendered
    (backprop.language.speaking)."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("backprop.output.material", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.i18n"],
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


def render(template: str, **context) -> str:
    """`template` (a file name in templates/) filled with `context`, in the language spoken (`lang`)."""
    return environment().get_template(template).render(lang=current(), **context)

"""HTML pages from the Jinja2 templates in `backprop/output/material/templates/`, every value escaped.

One environment for the course site, the worksheets and the answer keys: a template is a file a
reader can open beside the page it makes, and autoescape keeps a student's id or a course's title
from ever becoming markup.
"""

from __future__ import annotations

import functools

import jinja2


@functools.cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("backprop.output.material", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(template: str, **context) -> str:
    """`template` (a file name in templates/) filled with `context`."""
    return environment().get_template(template).render(**context)

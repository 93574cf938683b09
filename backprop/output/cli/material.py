"""The course-material commands: `slides` (a presentation with a slide at every beat) and `handout`
(printed notes as a PDF)."""

from __future__ import annotations

import os

import click

from backprop.engine.timeline import build_timeline
from backprop.output.cli.errors import UserError, needs_manim
from backprop.output.cli.inputs import lecture_inputs, scene_inputs
from backprop.output.cli.options import language_option, network_option, output_dir_option, quality_option, theme_option
from backprop.output.render.files import check_target, safe_name
from backprop.output.render.request import RenderRequest


@click.command()
@click.argument("scene", required=False, default="backward")
@network_option
@quality_option
@output_dir_option()
@theme_option()
@click.option("--pptx", is_flag=True, help="a PowerPoint file too")
@language_option
def slides(scene, network, quality, output_dir, theme_file, pptx, language):
    """A presentation with a slide at every beat (narration as speaker notes): one offline HTML file."""
    (job,), theme = scene_inputs([scene], network, theme_file)
    presentation = needs_manim("backprop.output.material.slides")
    request = RenderRequest(scene, job.timeline, network=job.network, theme=theme, quality=quality,
                            output_dir=output_dir, language=language)
    for path in presentation.build_slides(request, pptx=pptx):
        click.echo(path)


@click.command()
@click.argument("scene", required=False, default="backward")
@network_option
@theme_option(default="print")
@click.option("--output", type=click.Path(dir_okay=False), help="FILE.pdf (default: media/SCENE-NETWORK.pdf)")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@language_option
def handout(scene, network, theme_file, output, paper, language):
    """Printed notes as a PDF: the network, each beat's last frame (vector) with its sentence, the table."""
    if output is not None and not output.lower().endswith(".pdf"):
        raise UserError(f"output: a handout is a PDF; name it FILE.pdf, not '{output}'")
    if scene == "lecture":
        net, parts, theme = lecture_inputs([scene], network, None, theme_file)
        jobs = [(c.scene, build_timeline(c.network), c.network, c.title) for c in parts]
        from backprop.output.render.lecture import stem as lecture_stem

        stem = lecture_stem(net)
    else:
        (job,), theme = scene_inputs([scene], network, theme_file)
        jobs, stem = [(scene, job.timeline, job.network, "")], f"{safe_name(scene)}-{safe_name(job.network.name)}"
    output = output or os.path.join("media", f"{stem}.pdf")
    check_target(output)
    handout_pdf = needs_manim("backprop.output.material.handout_pdf")
    played = [handout_pdf.play(name, timeline, theme, network=net, title=title, language=language)
              for name, timeline, net, title in jobs]
    click.echo(handout_pdf.write_handout(played, output, paper))

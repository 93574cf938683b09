"""The scene commands: `render` (a video, GIF or still of scenes or the lecture) and `transcript` (every
text a scene shows, with its times)."""

from __future__ import annotations

import json
import os

import click

from backprop.output.cli.errors import UserError, needs_manim
from backprop.output.cli.inputs import lecture_inputs, scene_inputs
from backprop.output.cli.options import (aspect_option, json_option, language_option, network_option, output_dir_option,
                                         param_option, quality_option, theme_option)
from backprop.output.render.progress import Bar
from backprop.output.render.request import RenderRequest


@click.command()
@click.argument("scene_names", metavar="[SCENE]...", nargs=-1)
@network_option
@param_option
@quality_option
@click.option("--format", "fmt_", type=click.Choice(["mp4", "gif", "webm", "mov", "png"]), default="mp4",
              show_default=True, help="png: the last frame, the annotated network")
@output_dir_option()
@theme_option()
@click.option("--transparent", is_flag=True, help="an alpha channel, to lay the video over a slide (webm, mov, png)")
@click.option("--still", metavar="STEP", help="only a PNG of the frame at the end of beat STEP (its number or "
              "caption, as `backprop transcript` lists them)")
@click.option("--poster", is_flag=True, help="also NAME.poster.png beside the video: the network with every gradient")
@click.option("--voice", is_flag=True, help="read each beat's sentence into the sound track (espeak-ng, offline)")
@click.option("--voice-name", metavar="VOICE", help="--voice: an espeak-ng voice (espeak-ng --voices), e.g. en-us")
@click.option("--speed", type=click.IntRange(80, 450), help="--voice: words per minute (default 150)")
@click.option("--narration", metavar="DIR", help="your own recordings as the sound track: DIR/01.wav, 02.mp3, … "
              "one per beat, numbered as `backprop transcript` lists them")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="lecture chapters rendered at once (default: the number of cores)")
@aspect_option("the frame: 854×480, 640×480, 480×480, 480×854 at low quality")
@language_option
@click.pass_context
def render(ctx, scene_names, network, param, quality, fmt_, output_dir, theme_file, transparent, still, poster, voice,
           voice_name, speed, narration, jobs, aspect, language):
    """Render scenes (default: backward) as video or still; prints the written paths."""
    if "lecture" in scene_names:
        if transparent or still is not None or poster or voice or narration or aspect != "16:9":
            raise UserError("scene: the lecture takes no --transparent, --still, --poster, --voice, --narration or "
                            "--aspect; render a scene for those")
        return _render_lecture(scene_names, network, param, quality, fmt_, output_dir, theme_file, jobs, language)
    format_given = ctx.get_parameter_source("fmt_") != click.core.ParameterSource.DEFAULT
    _check_frame_options(fmt_, format_given, transparent, still, poster)
    fmt_ = "png" if still is not None else fmt_
    voice = _narration(fmt_, voice, voice_name, speed, narration)
    scene_jobs, theme = scene_inputs(scene_names or ("backward",), network, theme_file, param, aspect)
    rendering = needs_manim("backprop.output.render.scene")
    requests = [RenderRequest(job.scene, job.timeline, network=job.network, theme=theme, param=job.param,
                              quality=quality, fmt=fmt_, output_dir=output_dir, aspect=aspect,
                              transparent=transparent, still=still, poster=poster, voice=voice, language=language)
                for job in scene_jobs]
    for request in requests:
        rendering.check_targets(request)
    for request in requests:
        with Bar(request.scene, "animations") as bar:
            paths = rendering.render_scene(request, bar=bar)
        for path in paths:
            click.echo(path)


def _check_frame_options(fmt: str, format_given: bool, transparent: bool, still: str | None, poster: bool) -> None:
    """--transparent, --still and --poster against the format, before anything is built."""
    if transparent and fmt in ("mp4", "gif") and not (still is not None and not format_given):
        raise UserError(f"transparent: {fmt} has no alpha channel; use --format webm or mov (or png for a still)")
    if still is not None:
        if not still.strip():
            raise UserError("still: expected a beat number or caption (backprop transcript lists them)")
        if format_given and fmt != "png":
            raise UserError(f"still: writes a PNG; drop --format {fmt}")
        if poster:
            raise UserError("poster: goes beside a video; --still writes one frame already")
    if poster and fmt == "png":
        raise UserError("poster: goes beside a video; --format png is a still already")


def _narration(fmt: str, voice: bool, voice_name: str | None, speed: int | None, recordings: str | None):
    """--voice (with --voice-name, --speed) or --narration, checked: False, or a recordings.Narration."""
    from backprop.output.render.voice import ENGINE, INSTALL, WORDS_PER_MINUTE, available, has_voice

    if not voice and (voice_name or speed):
        raise UserError(f"{'voice-name' if voice_name else 'speed'}: goes with --voice (espeak-ng reading the beats)")
    if voice and recordings:
        raise UserError("narration: your recordings are the narration; leave out --voice")
    if not (voice or recordings):
        return False
    field = "voice" if voice else "narration"
    if fmt in ("gif", "png"):
        raise UserError(f"{field}: a {fmt.upper()} has no sound; use --format mp4, webm or mov")
    from backprop.output.render.recordings import Narration, find_recordings

    if recordings:
        if not os.path.isdir(recordings):
            raise UserError(f"narration: '{recordings}' is not a folder (of recordings 01.wav, 02.mp3, …)")
        find_recordings(recordings)  # every file readable, before anything renders
        return Narration(recordings=recordings)
    if not available():
        raise UserError(f"voice: the speech engine {ENGINE} is not installed; {INSTALL}")
    if voice_name is not None and not has_voice(voice_name):
        raise UserError(f"voice-name: {ENGINE} has no voice '{voice_name}' ({ENGINE} --voices lists them)")
    return Narration(voice_name=voice_name, speed=speed or WORDS_PER_MINUTE)


def _render_lecture(scene_names, network, param, quality, fmt_, output_dir, theme_file, jobs, language=None):
    from backprop.output.render import lecture

    if fmt_ not in lecture.VIDEO_FORMATS:
        raise UserError(f"format: the lecture is a video ({', '.join(lecture.VIDEO_FORMATS)}), not {fmt_}")
    net, parts, theme = lecture_inputs(scene_names, network, param, theme_file)
    needs_manim("backprop.output.render.scene")  # its absence is a setup problem, said before any chapter starts
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    with Bar("lecture", "chapters") as bar:
        paths = lecture.render(parts, theme, quality, fmt_, output_dir, jobs, lecture.stem(net), bar=bar,
                               language=language)
    for path in paths:
        click.echo(path)


@click.command()
@click.argument("scene", required=False, default="backward")
@network_option
@param_option
@theme_option()
@json_option("machine-readable: every item with start, end, role, px")
@aspect_option("the frame the scene is laid out for")
@language_option
def transcript(scene, network, param, theme_file, as_json, aspect, language):
    """Every text a scene shows, with its times (course notes; the text alternative of a video)."""
    if scene == "lecture":
        net, parts, theme = lecture_inputs([scene], network, param, theme_file)
        needs_manim("backprop.output.render.transcript")
        from backprop.output.render import lecture

        data = lecture.transcript(parts, theme, net, language=language)
        click.echo(json.dumps(data, indent=1, ensure_ascii=False) if as_json else lecture.plain(data), nl=as_json)
        return
    (job,), theme = scene_inputs([scene], network, theme_file, param, aspect)
    played = needs_manim("backprop.output.render.transcript")
    data = played.transcript(job.scene, job.timeline, theme, param=job.param, network=job.network, aspect=aspect,
                             language=language)
    click.echo(json.dumps(data, indent=1, ensure_ascii=False) if as_json else played.plain(data), nl=as_json)

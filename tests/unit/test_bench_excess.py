"""The caption-quality bench's excess: time over silence beyond what reading needs, the captions'
1-s shortest time up counted as reading (a one-word caption held its second is the layout's
rule, captions.md's "at least ~1 s", not a late end); beside it, the letters' time alone."""

from __future__ import annotations

from bench import caption_metrics as cm

VTT = """WEBVTT

00:00:10.000 --> 00:00:11.000
Seconded.
"""


def test_a_one_word_caption_held_its_second_is_no_excess() -> None:
    (held,) = cm.read_cues(VTT)
    # "Seconded." said 10.0-10.3 s: with the 0.25-s tolerance 0.45 s of the second is over
    # silence; its 9 letters need 0.45 s at 20 cps, 0.3 s of it over the speech itself.
    truth = cm.Truth("seconded", [(10.0, 10.3)], [("seconded", 10.0)])
    assert round(cm.caption_excess(held, truth), 3) == 0.3            # 0.45 - (0.45 - 0.3)
    assert round(cm.caption_excess(held, truth, shortest=1.0), 3) == 0.0   # 0.45 - (1.0 - 0.3)
    figures = cm.figures([held], truth)
    assert figures["excess"] == 0.0                 # gated: < 1 % of caption time
    assert round(figures["excess_letters"], 3) == 0.3   # reported beside it

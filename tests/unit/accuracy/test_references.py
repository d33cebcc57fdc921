"""Which reference speaks for a recording, each city's figure, and reading the caption files a
person made (SCC from a CART writer, WebVTT, SRT)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archivist.domain.accuracy.measures import Measure, Reference, by_city, preferred
from archivist.domain.captions import charset, scc
from archivist.domain.captions.cues import Cue
from archivist.domain.captions.reading import CaptionFileError, caption_text, scc_text

AT = datetime(2026, 12, 6, tzinfo=UTC)


def measure(recording_id: int, reference: Reference, errors: int, words: int = 100) -> Measure:
    return Measure(recording_id, reference, "revision 2" if reference is Reference.APPROVED
                   else "council.human.vtt", 1, errors, words, AT)


def test_an_approved_revision_speaks_for_a_recording_before_a_persons_caption_file() -> None:
    human, approved = measure(1, Reference.HUMAN, 20), measure(1, Reference.APPROVED, 5)
    assert preferred([human, approved]) == approved
    assert preferred([human]) == human
    assert preferred([]) is None


def test_a_city_figure_is_the_mean_over_its_recordings_each_counted_once() -> None:
    figures = by_city([("Riverton", measure(1, Reference.APPROVED, 10)),
                       ("Riverton", measure(1, Reference.HUMAN, 30)),
                       ("Riverton", measure(2, Reference.HUMAN, 20, words=50)),
                       ("Eastfield", measure(3, Reference.APPROVED, 0))])
    assert figures["Riverton"].recordings == 2
    assert figures["Riverton"].wer == pytest.approx((0.10 + 0.40) / 2)
    assert figures["Eastfield"].wer == 0.0


def written_scc(*lines: tuple[str, ...]) -> str:
    cues = [Cue(2.0 * i, 2.0 * i + 1.8, tuple(charset.transliterate(x) for x in text))
            for i, text in enumerate(lines)]
    return scc.write(cues)


def test_an_scc_file_reads_back_as_the_words_it_shows() -> None:
    text = written_scc(("Council member Nguyễn —", "present."), ("♪ Café: 50% ♪",),
                       ("Señor Müller, “the” end",))
    assert scc_text(text) == "Council member Nguyen — present. ♪ Café: 50% ♪ Señor Müller, “the” end"


def test_scc_roll_up_from_a_cart_writer_with_backspaces_reads_as_its_words() -> None:
    # Roll-up 2 rows, carriage returns, a backspace correcting "teh" and odd parity as sent.
    cart = ("Scenarist_SCC V1.0\n\n"
            "00:00:01;00\t9425 9425 94ad 94ad 9470 9470 d4e8 e520 c3ef 75ee e3e9 ec80 94ad 94ad "
            "f4e8 e180 9421 9421 e520 f4e5 73f4\n\n"
            "00:00:03;00\t94ad 94ad 9470 9470 c1e4 ea6f 75f2 6eae\n")
    assert scc_text(cart) == "The Council the test Adjourn."


def test_web_captions_read_without_times_markup_or_notes() -> None:
    vtt = ("WEBVTT\n\nNOTE made by CART\n\n1\n00:00:01.000 --> 00:00:03.000 align:start\n"
           "<v Mayor>Good evening &amp; welcome.</v>\n\n00:00:04.000 --> 00:00:05.000\n"
           "[MUSIC]\n")
    assert caption_text(vtt, "vtt") == "Good evening & welcome. [MUSIC]"
    srt = "1\n00:00:01,000 --> 00:00:03,000\nCall to order.\n\n2\n00:00:04,000 --> 00:00:05,000\nRoll call.\n"
    assert caption_text(srt, "srt") == "Call to order. Roll call."


def test_a_file_that_is_not_what_its_name_says_is_refused_clearly() -> None:
    with pytest.raises(CaptionFileError, match="not an SCC file"):
        scc_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n")
    with pytest.raises(CaptionFileError, match="line 3"):
        scc_text("Scenarist_SCC V1.0\n\n00:00:01;00\t94ae zz\n")
    with pytest.raises(CaptionFileError, match="format 'docx'"):
        caption_text("", "docx")

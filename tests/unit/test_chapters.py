"""Chapter rules on what real meetings say (text from recorded council and school-board meetings)."""

from __future__ import annotations

from archivist.domain.models import Segment, Transcript
from archivist.domain.publishing.chapters import find_chapters, sentences, short_title
from tests.fakes import spoken


def said(*lines: tuple[float, str]) -> Transcript:
    """A transcript of utterances without word times, as a hand-made or imported one may be."""
    return Transcript(tuple(Segment(t, t + 6, text) for t, text in lines), duration=900)


COUNCIL = said(
    (2.1, ("Good evening everyone. I would like to call this regular meeting of the city council "
           "to order. Will the clerk please call the roll?")),
    (11.0, ("Council member Anderson. Present. Council member Lopez. Present. Mayor Johnson. "
            "Present.")),
    (22.0, "Thank you. We have a quorum. Please rise for the Pledge of Allegiance."),
    (33.0, ("The first item on the agenda is the approval of the consent agenda. Is there a motion "
            "to approve the consent agenda as presented?")),
    (41.0, "So moved."),
    (42.4, "Second."),
    (44.2, ("It has been moved and seconded. All those in favor say aye. Opposed? The motion "
            "carries unanimously.")),
    (55.0, ("Next we will hear a presentation from the public works director about the street "
            "reconstruction project on Maple Avenue.")),
    (89.0, ("Residents will receive a letter with the details of their assessment, and there will "
            "be a public hearing next month.")),
    (118.4, ("Thank you. Seeing no further questions, we will move on to the public comment "
             "period. Please state your name and address for the record.")),
    (143.0, ("Thank you for your comment. The next item is a resolution approving the purchase of "
             "a new ladder truck for the fire department.")),
    (159.0, ("Is there a motion? Motion to approve the resolution. Second. Any discussion? Hearing "
             "none, all in favor. The resolution is adopted.")),
    (177.0, ("Before we adjourn, I want to remind everyone that the park board will meet on "
             "Thursday at six thirty in the community room.")),
    (185.3, ("Is there a motion to adjourn? So moved. Second. All in favor. This meeting is "
             "adjourned.")),
)


def titles(transcript: Transcript) -> list[tuple[str, str]]:
    return [(m.kind, m.title) for m in find_chapters(transcript)]


def test_a_council_meeting_is_chaptered_by_its_agenda() -> None:
    assert titles(COUNCIL) == [
        ("call_to_order", "Call to order"),
        ("roll_call", "Roll call"),
        ("pledge", "Pledge of Allegiance"),
        ("item", "Approval of the consent agenda"),
        ("motion", "Motion to approve the consent agenda as presented"),
        ("item", "Street reconstruction project on Maple Avenue"),
        ("public_comment", "Public comment"),
        ("item", "Resolution approving the purchase of a new ladder truck…"),
        ("motion", "Motion to approve the resolution"),
        ("adjournment", "Adjournment"),
    ]


def test_each_chapter_keeps_its_time_the_sentence_and_the_rule_that_found_it() -> None:
    item = next(m for m in find_chapters(COUNCIL) if m.title.startswith("Approval"))
    assert item.offset == 33 and isinstance(item.offset, int)
    assert item.said.startswith("The first item on the agenda is")
    assert item.rule == "the chair announces an agenda item"
    assert item.chapter.body == item.said


def test_talk_about_a_future_hearing_or_a_later_adjournment_is_no_chapter() -> None:
    kinds = [m.kind for m in find_chapters(COUNCIL) if 80 <= m.offset < 118 or
             177 <= m.offset < 185]
    assert kinds == []


def test_a_vote_right_after_its_motion_is_one_chapter_with_the_motions_words() -> None:
    marks = [m for m in find_chapters(COUNCIL) if 155 <= m.offset < 180]
    assert [(m.offset, m.title) for m in marks] == [(159, "Motion to approve the resolution")]


def test_a_work_session_without_formal_items_still_gets_its_turns() -> None:
    session = said(
        (2.0, ("Welcome to the work session of the school board. Tonight we will discuss the "
               "budget for the coming school year and the plan for the new elementary school.")),
        (61.0, ("Thank you. Let us turn to the elementary school project. The architect has "
                "prepared three options for the site on Lakeview Drive.")),
        (112.0, ("Seeing no other questions, this work session is adjourned. Thank you all for "
                 "coming.")),
    )
    assert [(m.offset, m.title) for m in find_chapters(session)] == [
        (61, "Elementary school project"), (112, "Adjournment")]


def test_public_hearings_opened_and_closed_and_a_roll_call_vote() -> None:
    hearing = said(
        (300.0, "At this time I will open the public hearing on the proposed assessment roll."),
        (420.0, "Seeing no one else who wishes to speak, I will close the public hearing."),
        (430.0, "Council member Lopez moved to adopt the assessment roll. Is there a second?"),
        (436.0, "Will the clerk call the roll call vote please."),
        (600.0, ("Item number seven, an ordinance amending the zoning code for accessory "
                 "dwelling units.")),
    )
    assert titles(hearing) == [
        ("hearing_open", "Public hearing opened"),
        ("hearing_close", "Public hearing closed"),
        ("roll_call", "Roll call"),
        ("item", "Ordinance amending the zoning code for accessory dwelling…"),
    ]


def test_word_times_place_a_chapter_where_its_sentence_begins() -> None:
    transcript = spoken((10.0, "Thank you all. The next item is the library levy."),
                        word_seconds=0.5)
    [mark] = find_chapters(transcript)
    assert (mark.offset, mark.title) == (11, "Library levy")   # "The" is the fourth word


def test_the_same_item_announced_twice_in_a_row_is_one_chapter() -> None:
    repeated = said((100.0, "The next item is the library levy."),
                    (120.0, "Sorry, again, the next item is the library levy."))
    assert [(m.offset, m.title) for m in find_chapters(repeated)] == [(100, "Library levy")]


def test_the_same_rules_give_the_same_chapters_every_time() -> None:
    assert find_chapters(COUNCIL) == find_chapters(COUNCIL)


def test_sentences_run_across_segments_until_their_full_stop() -> None:
    split = said((5.0, "The next item is the approval"), (8.0, "of the minutes. Thank you."))
    assert [s.text for s in sentences(split)] == [
        "The next item is the approval of the minutes.", "Thank you."]
    assert [m.title for m in find_chapters(split)] == ["Approval of the minutes"]


def test_short_titles_drop_the_lead_in_and_fit_the_limit() -> None:
    assert short_title("a presentation from the director about the Maple Avenue project.") == (
         "Maple Avenue project")
    assert len(short_title("the " + "very long words " * 10)) <= 60

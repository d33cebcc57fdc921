"""The local-agreement policy: what is sent, when, and where the buffer is cut."""

from __future__ import annotations

from archivist.domain.live.agreement import LocalAgreement, cut_point
from archivist.domain.models import Word


def words(text: str, start: float = 0.0, step: float = 0.5) -> list[Word]:
    return [Word(start + i * step, start + i * step + 0.4, w) for i, w in enumerate(text.split())]


def test_a_word_is_sent_once_two_decodes_agree_on_it():
    policy = LocalAgreement()
    assert policy.offer(words("good evening every")) == []
    sent = policy.offer(words("good evening everyone I would"))
    assert [w.word for w in sent] == ["good", "evening"]
    assert [w.word for w in policy.tentative] == ["everyone", "I", "would"]
    sent = policy.offer(words("Good evening, everyone. I would like"))
    assert [w.word for w in sent] == ["everyone.", "I", "would"]


def test_case_and_punctuation_changes_still_agree_and_the_latest_wording_is_sent():
    policy = LocalAgreement()
    policy.offer(words("call the roll"))
    assert [w.word for w in policy.offer(words("Call the roll?"))] == ["Call", "the", "roll?"]


def test_nothing_is_sent_twice_when_a_decode_repeats_the_words_already_sent():
    policy = LocalAgreement()
    policy.offer(words("the clerk will"))
    policy.offer(words("the clerk will call"))
    # The buffer was cut; the next decode hears "will call" again, a little earlier in time.
    again = [Word(0.95, 1.3, "will"), *words("call the roll", start=1.4)]
    assert [w.word for w in policy.offer(again)] == ["call"]
    assert [w.word for w in policy.offer(again)] == ["the", "roll"]


def test_flush_sends_what_is_tentative_once():
    policy = LocalAgreement()
    policy.offer(words("present"))
    assert [w.word for w in policy.flush()] == ["present"]
    assert policy.flush() == []
    assert policy.sent_until == 0.4


def test_the_buffer_is_kept_whole_while_short():
    assert cut_point(words("one. two."), 0.0, 9.0, trim_after=10.0, max_seconds=30.0) is None


def test_the_buffer_is_cut_after_the_last_sentence_sent():
    sent = words("call the roll. council member Anderson.")
    assert cut_point(sent, 0.0, 12.0, trim_after=10.0, max_seconds=30.0) == sent[-1].end
    assert cut_point(sent[:4], 0.0, 12.0, 10.0, 30.0) == sent[2].end


def test_without_a_sentence_end_the_buffer_never_passes_its_limit():
    sent = words("and so on and so on")
    assert cut_point(sent, 0.0, 20.0, 10.0, 30.0) is None
    assert cut_point(sent, 0.0, 30.0, 10.0, 30.0) == sent[-1].end
    # Nothing sent at all (music, noise): keep only the last seconds.
    assert cut_point([], 100.0, 130.0, 10.0, 30.0) == 125.0


def test_flush_until_leaves_the_words_still_being_said():
    policy = LocalAgreement()
    policy.offer(words("the motion carries unani"))
    assert [w.word for w in policy.flush(until=1.2)] == ["the", "motion"]
    assert [w.word for w in policy.tentative] == ["carries", "unani"]


def test_words_sent_and_heard_again_as_context_are_not_sent_again():
    policy = LocalAgreement()
    policy.offer(words("council member Whitaker"))
    assert [w.word for w in policy.flush()] == ["council", "member", "Whitaker"]
    # The next buffer begins with their sound (kept through the pause): decoded again, a little
    # re-timed and re-worded, before the reply.
    again = [Word(0.05, 0.45, "Council"), Word(0.55, 0.95, "member"),
             Word(1.35, 1.6, "Whitaker."), Word(2.6, 3.0, "Present.")]
    assert policy.offer(again) == []
    assert [w.word for w in policy.tentative] == ["Present."]
    assert [w.word for w in policy.offer(again)] == ["Present."]


def test_a_short_word_is_sent_only_once_three_decodes_agree_on_it():
    policy = LocalAgreement(short_letters=3)
    assert policy.offer(words("the roll")) == []
    assert policy.offer(words("the roll call")) == []     # "the": two decodes only
    assert [w.word for w in policy.offer(words("the roll call."))] == ["the", "roll", "call."]


def test_a_short_word_the_decode_before_last_read_otherwise_waits():
    policy = LocalAgreement(short_letters=3)
    policy.offer(words("a roll"))
    policy.offer(words("the roll"))
    assert policy.offer(words("the roll")) == []          # the first of the three said "a"
    assert [w.word for w in policy.offer(words("the roll"))] == ["the", "roll"]
    # Longer words still need only two.
    policy = LocalAgreement(short_letters=3)
    policy.offer(words("council member"))
    assert [w.word for w in policy.offer(words("council member Whitaker"))] == [
        "council", "member"]

"""A meeting's procedure in its words: a roll call's answers, a vote after the call to it, a
motion's steps. Each is a sentence of its own however short, and each has a shape a small model
keeps while it drops the marks ("council member her air present", "motion to approve the
resolution, second, any discussion"): this says where they are in a run of words, by that shape
alone; punctuation judges what they should carry, and roll_call and sentence_stops write them out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from archivist.domain.marks import ENDS, FUNCTION_WORDS, MARKS, plain

# A roll call's answers: each is a sentence of its own, and ends the name before it ("Council
# member Herrera. Present."), however the model wrote them ("council member her air present").
# Counted where one of them comes this many times in a stretch: a roll call is a list, and
# "present" is also a verb.
ANSWERS = frozenset({"present", "here", "aye", "ayes", "nay", "nays", "abstain"})
ROLL_CALL_ANSWERS = 3
# A roll-call vote follows the chair's call ("The clerk will call the roll."): a name (or a
# title and a name), its answer, the next name; nothing else. After the call these count as
# answers too: a vote's yes and no, and "I" and "eye", which sound as "aye" does (how anyone
# unused to votes writes it down: "Herrera? Aye." heard as "her air I"). Each is at most
# VOTE_GAP words after the one before (a title and a name between), with a name before it, and
# there are at least ROLL_CALL_ANSWERS of them: an answer every few words right after the call
# is no prose. Only these words, which are what a vote's answers are in English, however
# spelt: not the other words a small model hears for them (tiny.en hears "Aye" as "high" on
# dev 2108, and "roll" as "rule"), which are its own, and ordinary words in prose.
# A motion's steps are sentences of their own, however short ("Is there a motion? Motion to
# approve the resolution. Second. Any discussion? Hearing none, all in favor."): a model that
# strings them with commas (dev 1001, tiny.en: "motion to approve the resolution, second, any
# discussion hearing on all in favor the resolution is adopted") has lost their sentences,
# though the rest of the recording is read in long ones. "Second" counts only after a motion
# (MOTION_WORDS within SECOND_AFTER words) and not after an article ("the second option").
STEPS = frozenset({("so", "moved"), ("any", "discussion"), ("all", "in", "favor"),
                   ("all", "in", "favour"), ("hearing", "none"), ("seeing", "none"),
                   ("any", "opposed"), ("second",), ("seconded",)})
MOTION_WORDS = frozenset({"motion", "move", "moved"})
SECOND_AFTER = 10
_ARTICLES = frozenset({"the", "a", "an", "every", "one", "per", "this", "that", "its", "our",
                       "their", "his", "her", "my", "your"})
CALLS = frozenset({("call", "the", "roll")})   # "role" is left out: "the role of"
VOTE_ANSWERS = ANSWERS | {"yes", "no", "yea", "yeas", "i", "eye"}
# These carry a sentence on to the words after them ("call the roll on item seven", "and I",
# "the answer is no"); a name heard as other words may end on a pronoun ("her air", "blend
# this" for "Blendis"), so those are not here.
GOES_ON = FUNCTION_WORDS - {"this", "our", "my", "your", "their", "his", "her", "its", "we",
                            "i", "you", "they"}
# No name ends on these ("and I", "say yes or no"), nor on a word that tells a vote rather than
# casts it ("Smith said no": a resident's account).
_NO_NAME_ENDS = GOES_ON | {"said", "says", "voted", "votes"}
VOTE_GAP = 4
# The clerk may say a few words before the first name ("Thank you, Mayor.", a title and a long
# name: "Council member Van der Berg"), so the first answer may be this many words after the
# call.
FIRST_GAP = 8
# The clerk's answer to the call ("Will the clerk call the roll? Yes."), right after it: a
# sentence of its own, but none of the vote's answers.
_REPLIES = frozenset({"yes", "yeah"})
# "I" before one of these (lowercase) is the speaker, not a vote ("I know I said I would"):
# the words that most often follow "I" in speech.
_SPEAKER_AFTER_I = frozenset({
    "am", "was", "have", "had", "will", "would", "can", "could", "should", "shall", "may",
    "might", "must", "do", "did", "dont", "didnt", "cant", "wont", "wouldnt", "think",
    "thought", "know", "knew", "said", "say", "want", "wanted", "hope", "see", "saw",
    "believe", "feel", "felt", "guess", "mean", "meant", "need", "needed", "just", "also",
    "really", "agree", "move", "moved", "second", "like", "love", "went", "go", "get", "got",
    "understand", "heard", "hear", "appreciate", "wonder", "wish", "remember", "asked", "ask",
    "told", "tell", "only", "actually", "still", "never", "always", "call", "called", "look",
    "looked", "take", "took", "make", "made", "come", "came", "support", "oppose", "recall",
    "found", "find", "live", "lived", "work", "worked", "try", "tried", "suppose", "apologize",
    "personally", "definitely", "certainly", "probably", "too"})
# "I" before one of these is the speaker voting ("I vote yes", "I abstain", "I object"), not a
# vote's "Aye": read as one, "smith i vote yes" was written "Smith. I. Vote. Yes.".
_VOTE_VERBS = frozenset({"vote", "votes", "abstain", "object", "concur", "pass", "recuse",
                         "second", "move"})
# No name starts on these: an answer one of them follows is the chair's talk ("yes thank you",
# "no problem", "eye on", "no then") or the vote's end ("lee yes the motion carries", "all in
# favor"), so it is the last answer of a vote. "her" is left out: a name heard as other words
# may start on it ("her air" for "Herrera").
NO_NAME_STARTS = (FUNCTION_WORDS - {"her"}) | {
    "thank", "thanks", "problem", "then", "go", "so", "all", "any", "if", "it", "not", "please",
    "okay", "ok", "now", "what", "there", "again", "too", "sir", "maam", "let", "lets"}


def motion_steps(plain_words: Sequence[str]) -> list[tuple[int, int]]:
    """Where a motion's steps (STEPS) are said in these words (plain): (first index, words)."""
    found: list[tuple[int, int]] = []
    k = 0
    while k < len(plain_words):
        size = next((len(step) for step in STEPS
                     if tuple(plain_words[k:k + len(step)]) == step and (
                         len(step) > 1 or _a_motions_second(plain_words, k))), 0)
        if size:
            found.append((k, size))
        k += size or 1
    return found


def _a_motions_second(plain_words: Sequence[str], k: int) -> bool:
    # After a motion said to its end: not after an article ("the second option") or a word
    # that leaves the motion open ("I move that we, second, the motion").
    return ((k == 0 or plain_words[k - 1] not in _ARTICLES | FUNCTION_WORDS)
            and bool(MOTION_WORDS & set(plain_words[max(0, k - SECOND_AFTER):k])))


def answers(words: Sequence[str]) -> list[int]:
    """The indexes of the words (stripped, as the model gives them) that answer a roll call:
    one of ANSWERS said at least ROLL_CALL_ANSWERS times ("present" once is a verb), and the
    answers of a vote after the call to it, however the model heard them."""
    plain_words = [plain(w) for w in words]
    said = Counter(p for p in plain_words if p in ANSWERS)
    found = {k for k, p in enumerate(plain_words) if said[p] >= ROLL_CALL_ANSWERS}
    for vote in votes(words):
        found.update(vote)
    return sorted(found)


def votes(words: Sequence[str]) -> list[list[int]]:
    """The indexes of each roll-call vote's answers in `words` (stripped, as the model gives
    them): after each of CALLS, the answers (VOTE_ANSWERS) in a roll call's shape, if there are
    enough of them. The call ends a sentence, or the first name follows it with no sentence
    ended between but at that name ("call the roll Her air. I"); a name stands before each
    answer, the first too: a word that is no answer, nor one no name ends on ("the", "and",
    "said": _NO_NAME_ENDS); each answer is at most VOTE_GAP words after the one before (the first
    at most FIRST_GAP after the call); "I" before a word the speaker says after "I" ("I know",
    "I said") is the speaker, and ends the search; and an answer no name follows
    (NO_NAME_STARTS) ends the vote. The clerk's "yes" or "yeah" right after the call is a sentence
    of its own, given with the answers but not counted among them; the chair asking for one of two
    ("answer yes or no") is no answer."""
    plain_words = [plain(w) for w in words]
    found = []
    size = 3
    for start in range(len(plain_words) - size + 1):
        if tuple(plain_words[start:start + size]) not in CALLS:
            continue
        called = start + size - 1
        if words[called].strip()[-1:] in MARKS - ENDS:
            continue   # "Before I call the roll, I want to say": the call goes on
        vote = _vote_after(words, plain_words, called)
        if vote:
            found.append(vote)
    return found


def _vote_after(words: Sequence[str], plain_words: Sequence[str], called: int) -> list[int]:
    """The answers of the vote after the call at `called` (the clerk's reply to the call among
    them, but not counted), or none if fewer than ROLL_CALL_ANSWERS."""
    ended = words[called].strip()[-1:] in ENDS
    vote: list[int] = []
    counted = 0
    last = called
    k = called
    while (k := k + 1) < len(plain_words):
        if k - last > (VOTE_GAP if counted else FIRST_GAP) + 1:
            break
        replied = k == called + 1 and plain_words[k] in _REPLIES
        if plain_words[k] not in VOTE_ANSWERS and not replied:
            if not counted and not ended and words[k].strip()[-1:] in ENDS and not (
                    k + 1 < len(plain_words) and plain_words[k + 1] in VOTE_ANSWERS):
                break   # "call the roll in a moment. Hi": the call's sentence went on
            continue
        if asked(plain_words, k):   # "please answer yes or no": the chair's request
            last = k = k + 2
            continue
        if plain_words[k] == "i" and _speaker(words, plain_words, k):
            break
        if replied:
            if words[k].strip()[-1:] not in MARKS:   # the model's own reading stays
                vote.append(k)
            last = k
            continue
        if k == last + 1 or plain_words[k - 1] in _NO_NAME_ENDS:
            break   # no name before it ("call the roll. I know", "no no", "and I")
        vote.append(k)
        counted += 1
        last = k
        if k + 1 < len(plain_words) and plain_words[k + 1] in NO_NAME_STARTS:
            break   # no name after it: the vote ends here, or it was talk ("yes thank you")
    return vote if counted >= ROLL_CALL_ANSWERS else []


def asked(plain_words: Sequence[str], k: int) -> bool:
    """Whether the answer at `k` is the chair asking for one of two ("answer yes or no", "aye
    or nay"), not an answer."""
    return (k + 2 < len(plain_words) and plain_words[k + 1] == "or"
            and plain_words[k + 2] in VOTE_ANSWERS)


def _speaker(words: Sequence[str], plain_words: Sequence[str], k: int) -> bool:
    """Whether the "I" at `k` is the speaker: a word the speaker says after "I" follows it,
    written lowercase ("I think"; "I Blend" is a name), or a vote's answer or verb ("I vote
    yes", "I abstain": the answer is the word after)."""
    if k + 1 >= len(words):
        return False
    after = plain_words[k + 1]
    return (after in VOTE_ANSWERS or after in _VOTE_VERBS
            or (after in _SPEAKER_AFTER_I and not words[k + 1].strip()[:1].isupper()))

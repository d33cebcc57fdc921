"""Learned vocabulary: names staff typed in place of misheard words, kept per city and given
to the transcriber with the configured ones."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from archivist.domain.errors import ArchivistError
from archivist.domain.models import City, Transcript
from archivist.domain.review.retime import Heard

MAX_TERM = 100
MAX_TERMS = 2000


def merged(*lists: Iterable[str]) -> tuple[str, ...]:
    """The terms of every list, first spelling wins, case-insensitively unique, in order."""
    seen: set[str] = set()
    out: list[str] = []
    for terms in lists:
        for term in terms:
            t = " ".join(str(term).split())
            if t and t.lower() not in seen:
                seen.add(t.lower())
                out.append(t)
    return tuple(out)


def checked(terms: Sequence[object]) -> list[str]:
    """Terms as given, tidied; raises ArchivistError for one that cannot be a term."""
    out = []
    for i, term in enumerate(terms):
        if not isinstance(term, str) or not term.strip():
            raise ArchivistError(f"terms[{i}]: expected a name or term, got {term!r}")
        if len(term) > MAX_TERM:
            raise ArchivistError(f"terms[{i}]: longer than {MAX_TERM} characters")
        out.append(" ".join(term.split()))
    if len(out) > MAX_TERMS:
        raise ArchivistError(f"at most {MAX_TERMS} terms a city")
    return list(merged(out))


def suggestions(before: Transcript, after: Transcript, known: Iterable[str]) -> list[str]:
    """Capitalized words typed in place of different words, not yet in the vocabulary.

    "Villanueva" where the machine heard "villa new eva" is one; a capital added to the first
    word of a sentence is not (the same word, another case). Each line is compared with what
    was said in its time before, so a long meeting costs no more than its lines.
    """
    have = {k.lower() for term in known for k in term.split()}
    heard = Heard(before.segments)
    found: list[str] = []
    for line in after.segments:
        old = [_bare(w.word) for w in heard.between(line.start, line.end)]
        new = [_bare(w) for w in line.text.split()]
        if [w.lower() for w in old] == [w.lower() for w in new]:
            continue
        found.extend(_typed(old, new, have))
    return list(merged(found))


def _typed(old: list[str], new: list[str], have: set[str]) -> list[str]:
    matcher = SequenceMatcher(None, [w.lower() for w in old], [w.lower() for w in new],
                              autojunk=False)
    typed = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag not in ("replace", "insert"):
            continue
        replaced = {w.lower() for w in old[a1:a2]}
        for word in new[b1:b2]:
            # A name: a capital first and lower case in it (McKenzie, O'Brien), not an acronym.
            if (len(word) > 1 and word[0].isupper() and not word.isupper()
                    and word.lower() not in replaced and word.lower() not in have):
                typed.append(word)
    return typed


def _bare(word: str) -> str:
    return word.strip().strip(".,;:!?\"'()[]«»“”‘’-–—>")


def configured(cities: Sequence[City]) -> dict[str, tuple[str, ...]]:
    """Each city's vocabulary as config.yml gives it."""
    return {c.name: c.vocabulary for c in cities}

"""American spelling of the British spellings a Whisper model writes: "All those in favour" is
"All those in favor", "the harbour centre" "the harbor center", "organisation" "organization".

Word by word, from a table of British spellings none of which is also an American word: "rise",
"advise", "promise", "enterprise", "dialogue", "cancellation" and "analyses" (a plural) are not
in it, so they never change. A word keeps its case and the marks around it; a term of the
station's vocabulary (a name it typed: "Harbour Grace"), where it is said, keeps its spelling.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from archivist.domain.errors import ConfigError

if TYPE_CHECKING:
    from archivist.domain.models import Transcript

AMERICAN = "american"
AS_HEARD = "as_heard"   # a Canadian or UK station: as the model wrote them
SPELLINGS = (AMERICAN, AS_HEARD)

# -our words (each form the language has: a rule would reach "hour" and "four"), written -or.
_OUR = """
    favour favours favoured favouring favourable favourably unfavourable unfavourably
    favourite favourites favouritism disfavour
    honour honours honoured honouring honourable honourably dishonour dishonoured
    dishonourable honouree honourees
    labour labours laboured labouring labourer labourers
    neighbour neighbours neighbouring neighbourhood neighbourhoods neighbourly
    colour colours coloured colouring colourful colourless discoloured multicoloured
    behaviour behaviours behavioural misbehaviour
    harbour harbours harboured harbouring harbourmaster harbourfront
    rumour rumours rumoured endeavour endeavours endeavoured endeavouring
    savour savours savoured savouring savoury vapour vapours parlour parlours
    armour armoured armoury flavour flavours flavoured flavouring flavourful
    humour humoured humourless odour odours tumour tumours valour vigour candour
    fervour ardour rancour splendour clamour clamoured clamouring demeanour
"""
# -ise verbs, written -ize in each form: -ise, -ises, -ised, -ising, -isation(s) (a form nobody
# writes, "apologisation", costs an entry and nothing else).
# Each one by one: "rise", "advise", "exercise", "promise", "franchise" are American too.
_ISE = """
    organise reorganise recognise realise apologise authorise prioritise emphasise minimise
    maximise utilise criticise summarise finalise categorise standardise specialise mobilise
    stabilise privatise capitalise subsidise sympathise characterise legalise penalise
    modernise revitalise memorialise normalise optimise harmonise centralise decentralise
    energise familiarise fertilise hospitalise immunise itemise jeopardise localise
    marginalise monetise neutralise patronise publicise rationalise scrutinise socialise
    stigmatise synchronise terrorise unionise urbanise vandalise visualise incentivise
    customise digitise sanitise sterilise globalise industrialise commercialise criminalise
    decriminalise equalise formalise generalise idealise institutionalise internalise
    materialise nationalise naturalise personalise polarise popularise symbolise trivialise
    winterise weaponise agonise antagonise baptise civilise colonise dramatise economise
    fantasise galvanise hypnotise legitimise memorise mesmerise moisturise ostracise oxidise
    plagiarise pulverise theorise vocalise evangelise empathise epitomise computerise
    amortise annualise sensitise demonise
"""
_ISE_ENDINGS = ("e", "es", "ed", "ing", "ation", "ations")
# Everything else, British and American side by side. Not in it: "practice" and "license" are
# the American noun and verb alike, so "practise" and "licence" map to them; "programmed" and
# "fulfilled" are American already; "tonne" (another unit), "disc", "aesthetic", "dialogue"
# and "analogue" are American too.
_PAIRS = """
    centre center  centres centers  centred centered  centring centering
    centrepiece centerpiece  epicentre epicenter  theatre theater  theatres theaters
    metre meter  metres meters  kilometre kilometer  kilometres kilometers
    centimetre centimeter  centimetres centimeters  millimetre millimeter
    millimetres millimeters  litre liter  litres liters  millilitre milliliter
    millilitres milliliters  fibre fiber  fibres fibers  fibreglass fiberglass
    calibre caliber  sabre saber  spectre specter  sombre somber  lustre luster  meagre meager
    licence license  licences licenses  defence defense  defences defenses
    defenceless defenseless  offence offense  offences offenses  pretence pretense
    practise practice  practises practices  practised practiced  practising practicing
    programme program  programmes programs  organiser organizer  organisers organizers
    fertiliser fertilizer  fertilisers fertilizers  sanitiser sanitizer  sanitisers sanitizers
    stabiliser stabilizer  stabilisers stabilizers  organisational organizational
    recognisable recognizable  recognisably recognizably  unrecognisable unrecognizable
    analyse analyze  analysed analyzed  analysing analyzing  analyser analyzer
    paralyse paralyze  paralysed paralyzed  paralysing paralyzing
    catalyse catalyze  catalysed catalyzed
    travelled traveled  travelling traveling  traveller traveler  travellers travelers
    cancelled canceled  cancelling canceling  modelled modeled  modelling modeling
    labelled labeled  labelling labeling  levelled leveled  levelling leveling
    fuelled fueled  fuelling fueling  signalled signaled  signalling signaling
    totalled totaled  totalling totaling  channelled channeled  channelling channeling
    tunnelled tunneled  tunnelling tunneling  dialled dialed  dialling dialing
    equalled equaled  equalling equaling  rivalled rivaled  quarrelled quarreled
    counselled counseled  counselling counseling  counsellor counselor
    counsellors counselors  councillor councilor  councillors councilors
    marvellous marvelous  woollen woolen  panellist panelist  panellists panelists
    jewellery jewelry  jeweller jeweler  jewellers jewelers
    fulfil fulfill  fulfils fulfills  fulfilment fulfillment
    enrol enroll  enrols enrolls  enrolment enrollment  enrolments enrollments
    instalment installment  instalments installments  instil instill  instils instills
    distil distill  distils distills  skilful skillful  skilfully skillfully
    wilful willful  wilfully willfully
    judgement judgment  judgements judgments  acknowledgement acknowledgment
    acknowledgements acknowledgments  ageing aging
    catalogue catalog  catalogues catalogs  catalogued cataloged  cataloguing cataloging
    cheque check  cheques checks  chequebook checkbook  kerb curb  kerbs curbs
    kerbside curbside  tyre tire  tyres tires  aluminium aluminum
    grey gray  greys grays  greyer grayer  greyest grayest  greyish grayish
    plough plow  ploughs plows  ploughed plowed  ploughing plowing
    snowplough snowplow  snowploughs snowplows  mould mold  moulds molds  mouldy moldy
    moulded molded  moulding molding  storey story  storeys stories
    manoeuvre maneuver  manoeuvres maneuvers  manoeuvred maneuvered
    manoeuvring maneuvering  manoeuvrable maneuverable
    paediatric pediatric  paediatrics pediatrics  paediatrician pediatrician
    paediatricians pediatricians  orthopaedic orthopedic  orthopaedics orthopedics
    anaesthetic anesthetic  anaesthetics anesthetics  anaesthesia anesthesia
    anaesthetist anesthetist  anaesthetists anesthetists
    oestrogen estrogen  haemorrhage hemorrhage  leukaemia leukemia  diarrhoea diarrhea
    oesophagus esophagus  foetus fetus  foetal fetal  encyclopaedia encyclopedia
    sulphur sulfur  pyjamas pajamas  moustache mustache  cosy cozy
    artefact artifact  artefacts artifacts  sceptic skeptic  sceptics skeptics
    sceptical skeptical  scepticism skepticism  speciality specialty
    specialities specialties  maths math  aeroplane airplane  aeroplanes airplanes
"""
# American names too, written American only in lowercase: surnames ("Mr. Grey", "Ms. Storey"),
# people's and places' names ("Tyre Nichols"; Tyre, New York; Sulphur Springs, Texas; Sulphur,
# Louisiana) and a company's (Sabre, of Southlake, Texas).
_NAMES_TOO = frozenset(("grey", "greys", "storey", "storeys", "armour", "mould", "tyre",
                        "sulphur", "sabre"))


def _table() -> dict[str, str]:
    """British spelling to American, lowercase."""
    table = {w: w[:w.rfind("our")] + "or" + w[w.rfind("our") + 3:] for w in _OUR.split()}
    table.update({verb[:-3] + "is" + ending: verb[:-3] + "iz" + ending
                  for verb in _ISE.split() for ending in _ISE_ENDINGS})
    pairs = _PAIRS.split()
    table.update(zip(pairs[::2], pairs[1::2], strict=True))
    return table


TABLE = _table()
# American spelling to British, lowercase (each American word has one: the table is one to
# one), for a search in either spelling to find both (domain/search/passages.py).
BRITISH = {us: uk for uk, us in TABLE.items()}
# A word: a run of letters ("neighbour's" is "neighbour", a mark and "s"; "two-storey" two words).
_WORD = re.compile(r"[^\W\d_]+")
_SAID = re.compile(r"\s*\S+")
# How a model's piece that goes on the word before it begins, with no space: "-Front", "'s",
# ",000" (a piece that begins with a space, or with a quote or a bracket, is a word of its own).
_GOES_ON = frozenset("-\u2010\u2011'\u2019,.%")


def american(text: str) -> str:
    """`text` (a word as the model gives it, " favour,", or many) with each British spelling of
    the table written American, in the word's case."""
    return _WORD.sub(lambda found: _american(found.group()), text)


def _american(word: str) -> str:
    lower = word.lower()
    spelled = TABLE.get(lower)
    if spelled is None or word == lower:
        return spelled or word
    if lower in _NAMES_TOO:
        return word
    if word.isupper():
        return spelled.upper()
    if word[0].isupper() and word[1:] == lower[1:]:
        return spelled[0].upper() + spelled[1:]
    return word   # "McFavour": a name, written as its owner writes it


class Spelling:
    """How a station's words are written: `american` (the table's, but for the terms of its
    vocabulary where they are said: the names it typed are its own) or `as_heard` (as the
    model wrote them)."""

    def __init__(self, spelling: str = AMERICAN, vocabulary: Iterable[str] = ()) -> None:
        choice = str(spelling).strip().lower()
        if choice not in SPELLINGS:
            raise ConfigError(f"spelling must be one of {', '.join(SPELLINGS)}, got {spelling!r}")
        self._american = choice == AMERICAN
        terms = ([key for key in map(_key, str(term).split()) if key] for term in vocabulary)
        self._terms = [term for term in terms if term]

    def __call__(self, text: str) -> str:
        """`text` (words and the spaces between them) in the station's spelling."""
        if not self._american:
            return text
        said = _SAID.findall(text)   # each word with the spaces before it
        return "".join(self.words(said)) + text[len("".join(said)):]

    def words(self, words: Sequence[str]) -> list[str]:
        """`words` (as a model gives them: " favour," or "favour,") in the station's spelling;
        a term of the vocabulary said in them ("Harbour Grace's") stays as it is."""
        if not self._american:
            return list(words)
        # A word as written: a model's piece that goes on the word before it ("-Front" after
        # " Harbour", "'s" after " Grace") is part of it, as in the text and the captions.
        written: list[list[int]] = []
        for i, w in enumerate(words):
            if written and w[:1] in _GOES_ON:
                written[-1].append(i)
            else:
                written.append([i])
        # Words without letters or digits ("&", "--") are passed over, in a term as in `words`.
        keys = [_key("".join(words[i] for i in pieces)) for pieces in written]
        spoken = [n for n, key in enumerate(keys) if key]
        said = [keys[n] for n in spoken]
        at: dict[str, list[int]] = {}
        for n, key in enumerate(said):
            at.setdefault(key, []).append(n)
        kept: set[int] = set()
        for term in self._terms:
            for n in at.get(term[0], ()):
                if said[n:n + len(term)] == term:
                    first, last = written[spoken[n]][0], written[spoken[n + len(term) - 1]][-1]
                    kept.update(range(first, last + 1))
        return [w if i in kept else american(w) for i, w in enumerate(words)]

    def transcript(self, transcript: Transcript) -> Transcript:
        """`transcript` with its words, and each segment's text, in the station's spelling: a
        segment's words as its text (a term is kept in the segment it is said in), for the
        captions, which go by the text with the words' times, find the words in it."""
        if not self._american:
            return transcript
        return replace(transcript, segments=tuple(
            replace(s, text=self(s.text), words=tuple(
                replace(w, word=word)
                for w, word in zip(s.words, self.words([w.word for w in s.words]), strict=True)))
            for s in transcript.segments))


# The marks around a word ("(Grace's)," is "Grace's") and a possessive's ending ("Grace's" is
# said where the term "Harbour Grace" is).
_MARKS = string.punctuation + "\u201c\u201d\u2018\u2019"
_POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)
_NOT_KEY = re.compile(r"[\W_]+")


def _key(word: str) -> str:
    """What a word is compared with a vocabulary term's by: its letters and digits, lowercase,
    without a possessive's ending ("Grace's" and "grace," are "grace", "99." is "99",
    "Harbour-Grace" is "harbourgrace"); "" for a word of neither ("&")."""
    return _NOT_KEY.sub("", _POSSESSIVE.sub("", word.strip().strip(_MARKS))).lower()

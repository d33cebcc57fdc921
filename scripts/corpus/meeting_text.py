"""What is said at a synthetic public meeting: the agenda, the people, their words.

Everything comes from one seeded `random.Random`, so a seed is a meeting. The text varies
names, streets, sums, motions and public comment; numbers are spelled out the way a captioner
would hear them read (the truth is what the voice says).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

LANGUAGES = ["en-us", "en-us", "en-gb", "en-gb-x-rp", "en-us-nyc", "en-gb-scotland"]
VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5",
            "Andy", "Annie", "linda", "steph", "paul", "rob", "zac", "edward", "Alex"]
PACES = {"normal": (150, 180), "fast": (215, 250), "slow": (105, 125)}

SURNAMES = ["Anderson", "Lopez", "Nguyen", "Johnson", "Okafor", "Schmidt", "Patel", "Garcia",
            "Kowalski", "Haugen", "Delgado", "Brennan", "Yang", "Larson", "Fischer", "Moreno",
            "Olsen", "Whitaker", "Ramirez", "Lindqvist", "Abdi", "Castillo", "Murphy", "Tanaka",
            "Hoffman", "Bergstrom", "Mensah", "Sullivan", "Novak", "Becker", "Herrera", "Ali"]
GIVEN = ["Maria", "James", "Linda", "Ahmed", "Susan", "Peter", "Grace", "Daniel", "Fatima",
         "Robert", "Karen", "Luis", "Helen", "Thomas", "Amy", "Omar", "Ruth", "Carlos", "Janet",
         "Samuel", "Nora", "Victor", "Irene", "George", "Rosa", "Walter", "Ellen", "Hassan"]
STREETS = ["Maple Avenue", "Oak Street", "Lakeview Drive", "Cedar Lane", "River Road",
           "Elm Street", "Prospect Avenue", "Mill Street", "Hillcrest Drive", "Washington Avenue",
           "Birch Court", "Main Street", "Division Street", "Park Place", "Summit Avenue",
           "Willow Way", "Franklin Street", "County Road Nine", "Pine Ridge Road", "Harbor Drive"]
FUNDS = ["general fund", "capital fund", "state grant", "special assessments"]
PLACES = ["Riverside Park", "the Central Library", "Lincoln Elementary", "the fire station on Mill "
          "Street", "the community center", "the north water tower", "Veterans Memorial Field",
          "the downtown parking ramp", "the senior center", "the public works garage"]
BODIES = {
    "city council": ("Mayor", "council member", "city", [
        "a contract for snow removal", "the purchase of two new dump trucks",
        "an ordinance on short term rentals", "the street reconstruction on {street}",
        "the annual budget amendment", "a liquor license for a restaurant on {street}",
        "the sidewalk repair program", "a grant for {place}", "the water rate increase"]),
    "planning commission": ("Chair", "commissioner", "city", [
        "a conditional use permit for a daycare on {street}", "a variance for a garage on {street}",
        "the preliminary plat for the {surname} Farms subdivision", "rezoning of land along {street}",
        "the comprehensive plan update", "a site plan for apartments at {number} {street}"]),
    "school board": ("Chair", "board member", "district", [
        "the transportation contract", "the new elementary school at {place}",
        "the teacher contract", "the school calendar for next year", "the food service budget",
        "repairs to the roof of {place}", "the boundary change for the north attendance area"]),
    "park board": ("President", "commissioner", "park district", [
        "the playground at {place}", "the trail along {street}", "summer program fees",
        "a new shelter at Riverside Park", "the tree planting plan", "the pool repairs"]),
    "county board": ("Chair", "commissioner", "county", [
        "the highway plan for County Road Nine", "the jail medical contract",
        "the solid waste fee", "the levy for next year", "a bridge on {street}",
        "the library funding agreement", "the ambulance service contract"]),
    "zoning board of appeals": ("Chair", "board member", "city", [
        "an appeal for a fence at {number} {street}", "a setback variance at {number} {street}",
        "a sign permit for a business on {street}", "a lot width variance on {street}"]),
    "library board": ("President", "trustee", "library", [
        "the hours at the branch on {street}", "the materials budget", "the roof of {place}",
        "the meeting room policy", "the summer reading program"]),
    "housing authority": ("Chair", "commissioner", "authority", [
        "the rent schedule", "the boiler replacement at the tower on {street}",
        "the waiting list policy", "the capital fund plan", "the lease for {place}"]),
}

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def words(n: int) -> str:
    """A whole number in words, as it is read aloud ("four million two hundred thousand")."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + (" " + words(rest) if rest else "")
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            rest = n % size
            return words(n // size) + " " + name + (" " + words(rest) if rest else "")
    raise AssertionError(n)


def house_number(n: int) -> str:
    """A street number read the way people say it: 1420 -> "fourteen twenty"."""
    if n < 1000 or n % 100 == 0:
        return words(n)
    head, tail = divmod(n, 100)
    return words(head) + " " + ("oh " + ONES[tail] if tail < 10 else words(tail))


@dataclass(frozen=True)
class Speaker:
    """One voice at the meeting: a name, a role, an espeak voice and a speed (words a minute)."""

    name: str
    role: str
    voice: str
    speed: int


@dataclass
class Meeting:
    """The people and the words of one meeting, drawn from a seed."""

    body: str
    pace: str
    rng: random.Random
    chair: Speaker = field(init=False)
    members: list[Speaker] = field(init=False)
    staff: list[Speaker] = field(init=False)
    clerk: Speaker = field(init=False)
    used: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.title, self.member_word, self.unit, self.topics = BODIES[self.body]
        self.chair = self.speaker(self.title)
        self.clerk = self.speaker("clerk")
        self.members = [self.speaker(self.member_word) for _ in range(self.rng.randint(3, 6))]
        self.staff = [self.speaker(role) for role in self.rng.sample(
            ["director of public works", "finance director", "city planner", "city attorney",
             "superintendent", "engineer", "administrator", "parks director"], 3)]

    # -- people ------------------------------------------------------------------------------

    def voice(self) -> str:
        return f"{self.rng.choice(LANGUAGES)}+{self.rng.choice(VARIANTS)}"

    def speed(self) -> int:
        pace = self.pace
        if pace == "mixed":
            pace = self.rng.choice(["normal", "normal", "fast", "slow"])
        low, high = PACES[pace]
        return self.rng.randint(low, high)

    def surname(self) -> str:
        fresh = [s for s in SURNAMES if s not in self.used] or SURNAMES
        name = self.rng.choice(fresh)
        self.used.add(name)
        return name

    def speaker(self, role: str) -> Speaker:
        return Speaker(self.surname(), role, self.voice(), self.speed())

    def resident(self) -> Speaker:
        person = self.speaker("resident")
        return Speaker(f"{self.rng.choice(GIVEN)} {person.name}", "resident", person.voice,
                       person.speed)

    # -- words -------------------------------------------------------------------------------

    def money(self) -> str:
        kind = self.rng.random()
        if kind < 0.4:
            return f"{words(self.rng.randint(2, 95) * 1000)} dollars"
        if kind < 0.8:
            millions, tenths = self.rng.randint(1, 12), self.rng.randint(1, 9)
            return f"{words(millions)} million {words(tenths * 100)} thousand dollars"
        return f"{words(self.rng.randint(120, 980))} dollars"

    def fill(self, text: str) -> str:
        return text.format(street=self.rng.choice(STREETS), place=self.rng.choice(PLACES),
                           surname=self.rng.choice(SURNAMES),
                           number=house_number(self.rng.randint(101, 4890)))

    def opening(self) -> list[tuple]:
        c, roll = self.chair, []
        lines: list[tuple] = [
            ("say", c, self.rng.choice([
                f"Good evening everyone. I call this regular meeting of the {self.body} to order.",
                f"Good evening. Welcome to the meeting of the {self.body}. The time is "
                f"{words(self.rng.randint(5, 7))} {words(self.rng.choice([30, 15, 45]))}, and "
                "I call the meeting to order.",
                f"Welcome, everyone. This meeting of the {self.body} will come to order."])),
            ("say", c, "Will the clerk please call the roll?")]
        for m in self.members:
            roll.append(f"{m.role.capitalize()} {m.name}.")
        lines.append(("say", self.clerk, " ".join(f"{r} Present." for r in roll)
                      + f" {c.role} {c.name}. Present."))
        lines.append(("say", c, "Thank you. We have a quorum."))
        if self.rng.random() < 0.6:
            lines += [("say", c, "Please rise for the Pledge of Allegiance."), ("pause", 14.0)]
        lines += self.consent()
        return lines

    def consent(self) -> list[tuple]:
        c = self.chair
        mover, second = self.rng.sample(self.members, 2)
        return [
            ("say", c, "The first item is the consent agenda. Is there a motion to approve the "
             "consent agenda as presented?"),
            ("say", mover, self.rng.choice(["So moved.", "Move to approve.", "I move approval."])),
            ("say", second, self.rng.choice(["Second.", "I will second that.", "Second."])),
            *self.vote()]

    def vote(self, roll_call: bool = False) -> list[tuple]:
        c = self.chair
        if roll_call:
            ayes = [m for m in self.members if self.rng.random() < 0.8]
            text = " ".join(f"{m.name}? {'Aye' if m in ayes else 'No'}." for m in self.members)
            ayes_n, noes_n = len(ayes), len(self.members) - len(ayes)
            return [("say", c, "The clerk will call the roll."), ("say", self.clerk, text),
                    ("say", c, f"The motion {'carries' if ayes_n > noes_n else 'fails'}, "
                     f"{words(ayes_n)} to {words(noes_n)}.")]
        return [("say", c, self.rng.choice([
            "It has been moved and seconded. All those in favor say aye. Opposed? The motion "
            "carries.",
            "Any discussion? Seeing none, all in favor? Any opposed? Motion carries unanimously.",
            "All those in favor, please say aye. Those opposed, same sign. The ayes have it."]))]

    def item(self, number: int) -> list[tuple]:
        """One agenda item: a staff report, questions, maybe a public hearing, a motion."""
        c, staff = self.chair, self.rng.choice(self.staff)
        topic = self.fill(self.rng.choice(self.topics))
        lines: list[tuple] = [
            ("say", c, f"Item {words(number)} on the agenda is {topic}. We will hear from our "
             f"{staff.role}, {staff.name}.")]
        report = [
            f"The estimated cost is {self.money()}, and about {words(self.rng.randint(2, 9) * 10)}"
            f" percent would be paid from the {self.rng.choice(FUNDS)}.",
            f"Work would begin in {self.rng.choice(['March', 'April', 'May', 'June', 'August'])} "
            f"and take about {words(self.rng.randint(3, 30))} weeks.",
            f"We notified {words(self.rng.randint(12, 400))} property owners within "
            f"{words(self.rng.choice([350, 500, 1000]))} feet, and we received "
            f"{words(self.rng.randint(0, 14))} letters.",
            f"The work on {self.rng.choice(STREETS)} would close one lane between "
            f"{self.rng.choice(STREETS)} and {self.rng.choice(STREETS)} during the day.",
            f"Staff looked at {words(self.rng.randint(2, 4))} options, and the one in your packet "
            "has the lowest cost over twenty years.",
            "Staff recommends approval with the conditions listed in the report.",
        ]
        self.rng.shuffle(report)
        take = [f"Thank you, {c.role.lower()}. This item concerns {topic}.",
                *report[:self.rng.randint(2, 5)]]
        lines += [("say", staff, t) for t in take]
        if self.rng.random() < 0.3:
            lines.append(("pause", float(self.rng.randint(8, 25))))   # slides, papers, silence
        for _ in range(self.rng.randint(0, 3)):
            m = self.rng.choice(self.members)
            lines.append(("say", c, f"Questions from the {self.member_word}s? {m.role.capitalize()} {m.name}."))
            lines.append(("say", m, self.fill(self.rng.choice([
                "How will residents reach their driveways during construction?",
                "What happens if the bids come in higher than the estimate?",
                "Did we hear from the neighbors on {street}?",
                "Is this the same contractor we used at {place}?",
                "Can you explain why the cost went up since last year?",
                "Will this affect the bus routes on {street}?",
                "I would like to know how many trees will be removed."]))))
            lines.append(("say", staff, self.rng.choice([
                "That is a good question. We will keep one lane open and post signs.",
                f"The contract allows us to reject all bids above {self.money()}.",
                f"Yes, we held {words(self.rng.randint(1, 3))} open houses and mailed a survey.",
                "We expect to have that answer for you at the next meeting.",
                "Mostly because of the price of materials, which rose about eight percent."])))
        if self.rng.random() < 0.55:
            lines += self.public_comment(topic)
        mover, second = self.rng.sample(self.members, 2)
        lines += [("say", c, "Is there a motion?"),
                  ("say", mover, self.rng.choice([
                      f"I move to approve {topic}.", f"I move approval of item {words(number)}.",
                      f"I move that we approve {topic} as recommended by staff."])),
                  ("say", second, self.rng.choice(["Second.", "Seconded.", "I will second."]))]
        lines += self.vote(roll_call=self.rng.random() < 0.4)
        return lines

    def public_comment(self, topic: str) -> list[tuple]:
        c = self.chair
        lines: list[tuple] = [("say", c, self.rng.choice([
            "This is a public hearing. Anyone who wishes to speak, please come to the podium and "
            "state your name and address for the record.",
            "We will now take public comment. You have three minutes. Please give your name and "
            "address."]))]
        for _ in range(self.rng.randint(1, 4)):
            r = self.resident()
            lines.append(("pause", float(self.rng.randint(3, 9))))   # walking to the podium
            said = [f"My name is {r.name}, and I live at {house_number(self.rng.randint(101, 4890))} "
                    f"{self.rng.choice(STREETS)}.",
                    self.rng.choice([
                        f"I am concerned about {topic}.", f"I support {topic}.",
                        f"I have lived here for {words(self.rng.randint(3, 45))} years, and I "
                        "have never seen traffic like this.",
                        "My property taxes went up again this year, and I want to know why."]),
                    self.rng.choice([
                        "The children walk to school on this street every morning.",
                        f"Please think about the families near {self.rng.choice(PLACES)}.",
                        "The water in our basement came back after the last storm.",
                        f"I ask you to delay the vote until the {self.unit} holds another meeting.",
                        "Thank you for your time."])]
            lines += [("say", r, s) for s in said]
            lines.append(("say", c, "Thank you."))
        lines.append(("say", c, "Is there anyone else? Seeing no one, I will close the public "
                      "hearing."))
        return lines

    def recess(self, minutes: int) -> list[tuple]:
        c = self.chair
        return [("say", c, f"We will take a {words(minutes)} minute recess."),
                ("pause", float(minutes * 60 - self.rng.randint(0, 40))),
                ("say", c, "We are back in session. The time is "
                 f"{words(self.rng.randint(7, 9))} {words(self.rng.choice([10, 20, 40]))}.")]

    def closing(self) -> list[tuple]:
        c = self.chair
        mover, second = self.rng.sample(self.members, 2)
        return [("say", c, self.rng.choice([
            "That brings us to the end of the agenda. Is there a motion to adjourn?",
            "Is there any other business? Seeing none, I will entertain a motion to adjourn."])),
            ("say", mover, "So moved."), ("say", second, "Second."),
            ("say", c, "All in favor? We are adjourned. Thank you, everyone, and good night.")]

"""A generated corpus of news-like documents, a small share of them about Iraq's militias.

    python bench/corpus_gen.py OUT_DIR [--docs 20000] [--relevant-share 0.05] [--seed 7]

Writes OUT_DIR/NNNNNN.txt files with YAML front matter (title, published, source),
as the ingest reads them, and OUT_DIR/truth.csv (file, relevant, topic). The
relevant ones are attacks, air strikes, arrests, protests, statements and
deadlines, built from templates with real names from the knowledge base (militias,
front groups, bases, cities). The rest is what a news stream is mostly made of:
sports, markets, weather, technology, health, culture, and wars and politics in
other countries, whose words overlap ours ("attack", "strike", "hit", "killed",
"deal"). Some of those are hard for a relevance gate, as a real stream is: one in
ten market or politics stories mentions the United States, Iran or Turkey, and 3%
of all the others are set in Iraq (a match in Baghdad, the heat in Basra, oil
exports) without any violence. The same seed gives the same corpus.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from watchfloor.knowledge import load_knowledge

START = dt.date(2019, 10, 1)
DAYS = 800
OUTLETS = ("Baghdad Wire", "Gulf Monitor", "Two Rivers Review", "Meridian Brief", "Daily Ledger")
NOISE_OUTLETS = ("Meridian Brief", "Daily Ledger", "Harbour Times", "Continental Post")
STATE_SHARE = 0.10  # market and politics stories that mention a state of the knowledge base
THEATRE_SHARE = 0.03  # other stories that are set in Iraq but hold no violence


@dataclass
class Names:
    """Names from the knowledge base that relevant documents use."""

    militias: list[str]
    fronts: list[str]
    bases: list[str]
    cities: list[str]
    states: list[str] = field(default_factory=lambda: ["United States", "Iran", "Turkey"])


def kb_names() -> Names:
    """Militias, front groups, bases and towns from the shipped knowledge base, sorted."""
    kb = load_knowledge()
    actors = sorted(kb.actors.values(), key=lambda a: a.actor_id)
    places = sorted(kb.places.values(), key=lambda p: p.place_id or "")
    return Names(
        militias=[a.name for a in actors if a.kind == "militia" and a.country == "Iraq"]
        or [a.name for a in actors if a.kind == "militia"],
        fronts=[a.name for a in actors if a.kind == "front_group"],
        bases=[p.name for p in places if p.kind in ("airbase", "military_base", "airport")],
        cities=[p.name for p in places if p.kind == "city" and p.country == "Iraq"][:40],
    )


# -- the relevant documents --------------------------------------------------------

RELEVANT: dict[str, tuple[list[str], list[str]]] = {
    "rockets": (
        ["{n} rockets hit {base}", "Rocket barrage targets {base}", "Rockets land near {base}"],
        [
            "{n} Katyusha rockets struck {base} on {weekday} evening, security officials said.",
            "The rockets were fired from a launcher hidden in a truck near {city}.",
            "{casualties}",
            "No group claimed responsibility at first; two days later {front} said on "
            "Telegram that its fighters had carried out the attack.",
            "U.S. officials blamed {militia} for the barrage.",
            "Coalition troops at the base sheltered in bunkers while the alarm sounded.",
            "Iraqi forces later found the launch site in an orchard, with {k} rockets still "
            "in their tubes.",
            "The base's air defences fired at the incoming rockets, witnesses said.",
            "Residents of nearby villages said the blasts shook their windows.",
        ],
    ),
    "drone": (
        ["Drone attack on {base}", "Explosive-laden drone strikes {base}"],
        [
            "An explosive-laden drone hit {base} shortly after midnight on {weekday}, "
            "the Iraqi military said in a statement.",
            "{casualties}",
            "{front} praised the attack in a post on Telegram without claiming it.",
            "Analysts said the drone was likely launched by {militia} or one of its fronts.",
            "It was the {ordinal} drone attack on a base hosting coalition forces this year.",
            "The drone carried several kilograms of explosives and damaged a hangar.",
            "Investigators believe it was launched from an area east of {city}.",
        ],
    ),
    "convoy": (
        ["Roadside bomb hits supply convoy near {city}", "IED strikes logistics convoy"],
        [
            "A roadside bomb exploded as a convoy carrying supplies for the coalition passed "
            "near {city} on {weekday}, police said.",
            "The trucks were driven by Iraqi contractors; {casualties_lower}",
            "Such attacks on convoys have become routine on the highways south of Baghdad.",
            "{front} claimed the bombing in a statement on social media.",
            "The device had been buried at the side of the road and was set off remotely.",
            "The convoy had crossed from the south earlier in the day.",
            "Police closed the road for several hours while they searched for a second device.",
        ],
    ),
    "airstrike": (
        ["U.S. strikes hit {militia} sites", "Air strikes target militia depots near {city}"],
        [
            "U.S. aircraft struck {n} facilities used by {militia} near {city} on {weekday}, "
            "the Pentagon said, in response to recent rocket attacks.",
            "The group said {k} of its fighters were killed and vowed revenge.",
            "Iraq's government condemned the air strikes as a violation of its sovereignty.",
            "Officials said the depots stored drones and rockets.",
            "Satellite images later showed several buildings destroyed.",
            "{militia} said the strikes would not go unanswered.",
            "The strikes came {k} days after a rocket attack on {base}.",
        ],
    ),
    "arrest": (
        ["Counter-terrorism forces arrest {militia} members", "Raid in {city} nets rocket cell"],
        [
            "Iraqi counter-terrorism forces arrested {k} members of {militia} in a raid in "
            "{city} on {weekday} night, officials said.",
            "The men were suspected of preparing rocket attacks on {base}.",
            "Armed supporters of the group surrounded government buildings hours later.",
            "The detainees were handed over to the militia's own security office days later.",
            "Security officials said the cell had launched rockets from farmland near {city}.",
            "The arrests were the first of their kind in months.",
        ],
    ),
    "statement": (
        ["{militia} warns of escalation", "Militia sets deadline for foreign troops"],
        [
            "{militia} said in a statement on {weekday} that foreign troops must leave Iraq, "
            "or face attacks.",
            "The group set a deadline of the end of the year for the withdrawal.",
            "Western officials judge it likely that attacks on {base} will resume if the "
            "deadline passes.",
            "The anniversary of the killing of the group's commanders falls next month.",
            "A spokesman for the group repeated the threat in a televised interview.",
            "The government said it would not accept ultimatums from armed groups.",
        ],
    ),
    "protest": (
        ["Supporters of {militia} protest in {city}", "Crowds storm offices in {city}"],
        [
            "Hundreds of supporters of {militia} protested outside government offices in "
            "{city} on {weekday}, burning tyres and chanting slogans.",
            "Some protesters stormed the building's gate before security forces dispersed them.",
            "{casualties}",
            "The group's leaders called the demonstration a warning.",
            "Riot police fired tear gas to disperse the crowd near the main square of {city}.",
            "The protesters demanded the release of detained members of {militia}.",
        ],
    ),
}
RELEVANT_FILLER = [
    "Tensions between Washington and armed factions in Iraq have risen since early 2020.",
    "The coalition has reduced its presence to a handful of bases.",
    "Iraqi officials have promised to bring those responsible to justice.",
    "Security sources said an investigation was under way.",
    "The prime minister met his security chiefs later in the day.",
    "Parliament voted in January 2020 to ask foreign troops to leave the country.",
    "Several of the armed groups are part of the state-funded Popular Mobilization Forces.",
    "Diplomats have warned that the attacks put the strategic dialogue at risk.",
    "Western embassies advised their staff to limit travel outside the capital.",
    "Iraqi commanders say the launch teams move quickly and are hard to catch.",
    "The armed factions deny receiving orders from abroad.",
    "Local officials said the area had been quiet for several weeks before the incident.",
    "The interior ministry said extra checkpoints would be set up on the main roads.",
    "The government has struggled to rein in the factions since the 2018 election.",
    "Many of the groups fought against the Islamic State group between 2014 and 2017.",
    "Foreign diplomats in Baghdad have urged restraint on all sides.",
    "The coalition says its remaining troops are there to advise and assist Iraqi forces.",
    "Residents said they heard several loud explosions before sirens sounded.",
    "A security official, speaking on condition of anonymity, gave no further details.",
]

# -- the rest of the stream ----------------------------------------------------------

NOISE: dict[str, tuple[list[str], list[str]]] = {
    "sports": (
        ["{team} beat {team2} {score}", "{team} held to a draw", "Late strike lifts {team}"],
        [
            "{team} beat {team2} {score} on {weekday} with a late strike from {person}.",
            "The home side dominated possession but struggled to break down a packed defence.",
            "{person} hit the post twice before the break.",
            "Their attack looked sharper after the coach switched to a back three.",
            "The result leaves them {k} points off the top with {n} games to play.",
            "Fans filled the stadium for the first time since the season began.",
            "The striker's shot deflected off a defender and looped into the net.",
            "The visitors had a goal ruled out for offside in the first half.",
            "The coach said his players had shown character after a difficult month.",
            "Attendance was {n} thousand, a record for the ground.",
        ],
    ),
    "markets": (
        ["Stocks slip as {company} results disappoint", "Oil steadies near {price} dollars"],
        [
            "Shares of {company} fell {pct} percent after quarterly sales missed forecasts.",
            "The benchmark index hit a record high before giving up its gains.",
            "Brent crude settled at {price} dollars a barrel on {weekday}.",
            "Analysts raised their price target for the shares to {price} dollars.",
            "The two companies agreed a merger deal worth {n} billion dollars.",
            "Bond yields edged higher as traders bet on another rate rise.",
            "The currency hit its weakest level in {k} months against the dollar.",
            "Investors will look to the central bank's meeting next week for guidance.",
            "Retail sales rose {pct} percent from a year earlier.",
            "Gold prices were little changed at the close.",
        ],
    ),
    "weather": (
        ["Storm brings floods to {place}", "Heatwave grips {place}", "Snow closes roads"],
        [
            "Heavy rain hit {place} on {weekday}, flooding roads and cutting power to "
            "thousands of homes.",
            "Forecasters expect temperatures to climb to {k} degrees by the weekend.",
            "Emergency crews cleared fallen trees from the main roads overnight.",
            "The storm is expected to weaken as it moves inland.",
            "Farmers said the dry spell had already damaged the harvest.",
            "Schools in the region will stay closed until the water recedes.",
            "The weather service issued an amber warning for wind.",
            "Temperatures are expected to return to normal next week.",
        ],
    ),
    "technology": (
        ["{company} launches new phone", "{company} to cut {n} jobs", "Chip shortage eases"],
        [
            "{company} unveiled its new handset on {weekday}, with a larger battery.",
            "The company said it would cut {n} jobs as demand for computers slows.",
            "Regulators are reviewing the deal over competition concerns.",
            "The update fixes a security flaw that hackers had used to target users.",
            "Sales of electric cars rose {pct} percent in the quarter.",
            "The company's shares rose {pct} percent in early trading.",
            "Engineers said the new design would use less power.",
        ],
    ),
    "health": (
        ["Hospitals report rise in flu cases", "New trial shows promise for {disease}"],
        [
            "Hospitals in {place} reported a rise in {disease} cases this week.",
            "A trial of {n} patients found the drug cut symptoms by a third.",
            "Doctors urged older people to get vaccinated before the winter.",
            "The health ministry said waiting lists had fallen for the first time in a year.",
            "Pharmacies reported shortages of some common medicines.",
            "The study was published in a medical journal on {weekday}.",
            "Experts said more research was needed before the treatment could be approved.",
        ],
    ),
    "culture": (
        ["Festival opens in {place}", "{person} wins book prize", "Museum reopens"],
        [
            "The film festival opened in {place} on {weekday} with a sold-out premiere.",
            "{person} won the prize for a debut novel about a family of fishermen.",
            "The museum reopened after a renovation that took {k} years.",
            "Critics praised the orchestra's performance of a rarely heard symphony.",
            "Tickets for the opening night sold out within hours.",
            "The exhibition will travel to {n} cities next year.",
        ],
    ),
    "world_conflict": (
        ["Gunmen attack village in {country}", "Clashes in {country} leave {k} dead"],
        [
            "Gunmen attacked a village in {country} on {weekday}, killing {k} people, "
            "local officials said.",
            "The army said it had repelled an assault on a checkpoint near the border.",
            "Rebels claimed responsibility for an ambush on a patrol last month.",
            "Aid agencies said thousands had fled the fighting.",
            "A car bomb exploded outside a market in the capital, wounding {n}.",
            "The government declared a state of emergency in two provinces.",
            "Peace talks between the government and the rebels stalled last year.",
        ],
    ),
    "world_politics": (
        ["{country} votes in tight election", "Protests in {country} over fuel prices"],
        [
            "Voters in {country} went to the polls on {weekday} in a close election.",
            "Thousands protested in the capital of {country} against a rise in fuel prices.",
            "The president's party is likely to lose its majority, polls suggest.",
            "Talks on a new trade deal are expected to resume next month.",
            "The opposition leader said the result should be announced without delay.",
            "Turnout was higher than at the last election, officials said.",
            "Police said the demonstrations had been largely peaceful.",
        ],
    ),
}
NOISE_FILLER = [
    "More details are expected later in the week.",
    "A spokesperson declined to comment further.",
    "The figures were published on the government's website.",
    "Officials said the schedule had not changed.",
    "The announcement came after weeks of speculation in the local press.",
    "Opinion polls suggest the public is divided on the issue.",
    "Earlier reports had put the figure considerably lower.",
    "A full statement is due to be published on Friday.",
    "The organisers thanked volunteers for their work over the weekend.",
    "Local radio stations carried the news throughout the morning.",
    "Similar measures were introduced in neighbouring regions last year.",
    "Critics said the plans lacked detail and came too late.",
    "The numbers are expected to be revised next month.",
    "Industry groups welcomed the decision but asked for more clarity.",
    "The company did not respond to a request for comment.",
    "Economists had expected a smaller change.",
    "Several events planned for the weekend have been moved indoors.",
    "A final decision is expected before the end of the year.",
]
NOISE_SLOTS = {
    "team": ["Northbridge", "Calder Town", "Easton Rovers", "Port Marlow", "Redhill City"],
    "person": ["A. Moreno", "J. Okafor", "L. Varga", "S. Lindqvist", "P. Tanaka", "R. Costa"],
    "company": ["Altavio", "Brightwell", "Corvane", "Dunmore Foods", "Elster Motors", "Finlo"],
    "place": ["Valdora", "the north coast", "the eastern provinces", "Lakeside", "the capital"],
    "country": ["Mali", "Colombia", "Myanmar", "Mozambique", "Peru", "Haiti", "Bolivia"],
    "disease": ["flu", "measles", "dengue", "asthma"],
}
STATE_MENTIONS = [
    "Exports to the United States rose for a third month.",
    "Traders also watched talks between Iran and European diplomats.",
    "Turkey raised interest rates again to defend its currency.",
    "The United States and Japan agreed to cut tariffs on farm goods.",
    "Iran's currency hit a record low against the dollar this week.",
    "Turkey's central bank is likely to raise rates again, economists said.",
]
THEATRE_MENTIONS = [
    "In {city}, the national team's coach named his squad for the qualifiers.",
    "Iraq's oil exports rose last month, the oil ministry in {city} said.",
    "Temperatures in {city} passed 50 degrees, and the power grid struggled to keep up.",
    "A book fair opened in {city} with publishers from twelve countries.",
    "Flights between {city} and the Gulf resumed after a two-week pause.",
    "The university in {city} opened a new engineering faculty.",
]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = ("second", "third", "fourth", "fifth", "sixth")


def _slots(rng: random.Random, names: Names) -> dict[str, str]:
    k = rng.randint(2, 9)
    return {
        "n": str(rng.randint(2, 30)),
        "k": str(k),
        "weekday": rng.choice(WEEKDAYS),
        "ordinal": rng.choice(ORDINALS),
        "score": f"{rng.randint(1, 4)}-{rng.randint(0, 3)}",
        "pct": f"{rng.randint(1, 9)}.{rng.randint(0, 9)}",
        "price": str(rng.randint(40, 120)),
        "militia": rng.choice(names.militias),
        "front": rng.choice(names.fronts),
        "base": rng.choice(names.bases),
        "city": rng.choice(names.cities),
        "casualties": rng.choice(
            [
                "There were no casualties, a coalition spokesman said.",
                f"{k} soldiers were wounded, one of them seriously.",
                f"One contractor was killed and {k} people were injured.",
            ]
        ),
        "casualties_lower": rng.choice(["no one was hurt.", f"{k} drivers were injured."]),
        "team2": rng.choice(NOISE_SLOTS["team"]),
        **{slot: rng.choice(values) for slot, values in NOISE_SLOTS.items()},
    }


def _article(
    rng: random.Random, headlines: list[str], sentences: list[str], filler: list[str]
) -> tuple[str, list[str]]:
    """A headline, then the lead sentence and the others shuffled, in paragraphs of 1-3."""
    rest = sentences[1:] + rng.sample(filler, min(len(filler), rng.randint(5, 11)))
    rng.shuffle(rest)
    rest = rest[: rng.randint(max(2, len(rest) - 3), len(rest))]
    paragraphs, current = [], [sentences[0]]
    for sentence in rest:
        if len(current) >= rng.randint(1, 3):
            paragraphs.append(" ".join(current))
            current = []
        current.append(sentence)
    paragraphs.append(" ".join(current))
    return rng.choice(headlines), paragraphs


def document(
    rng: random.Random, names: Names, *, relevant: bool
) -> tuple[str, str, str, dt.date, str]:
    """(topic, title, body, publication day, outlet) of one generated document."""
    slots = _slots(rng, names)
    fill: Callable[[str], str] = lambda text: text.format(**slots)  # noqa: E731
    if relevant:
        topic = rng.choice(sorted(RELEVANT))
        headlines, sentences = RELEVANT[topic]
        title, paragraphs = _article(rng, headlines, sentences, RELEVANT_FILLER)
    else:
        topic = rng.choice(sorted(NOISE))
        headlines, sentences = NOISE[topic]
        title, paragraphs = _article(rng, headlines, sentences, NOISE_FILLER)
        if topic in ("markets", "world_politics") and rng.random() < STATE_SHARE:
            paragraphs.append(rng.choice(STATE_MENTIONS))
        if rng.random() < THEATRE_SHARE:
            paragraphs.insert(1, rng.choice(THEATRE_MENTIONS))
    day = START + dt.timedelta(days=rng.randrange(DAYS))
    outlet = rng.choice(OUTLETS if relevant else NOISE_OUTLETS)
    dateline = f"{day:%B} {day.day} ({outlet}) - "
    body = "\n\n".join(fill(p) for p in paragraphs)
    return topic, fill(title), dateline + body, day, outlet


def generate(
    out: Path, *, docs: int, relevant_share: float, seed: int
) -> list[tuple[str, bool, str]]:
    """Write the corpus to `out`; (file name, relevant, topic) per document."""
    rng = random.Random(seed)
    names = kb_names()
    relevant_at = set(rng.sample(range(docs), round(docs * relevant_share)))
    out.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    truth = []
    for i in range(docs):
        relevant = i in relevant_at
        topic, title, body, day, outlet = document(rng, names, relevant=relevant)
        while body in seen:  # every document distinct, as ingest stores equal texts once
            topic, title, body, day, outlet = document(rng, names, relevant=relevant)
        seen.add(body)
        name = f"{i:06d}.txt"
        front = f'---\ntitle: "{title}"\npublished: {day}\nsource: {outlet}\n---\n'
        (out / name).write_text(front + body + "\n", encoding="utf-8")
        truth.append((name, relevant, topic))
    with (out / "truth.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["file", "relevant", "topic"])
        writer.writerows(truth)
    return truth


def main() -> None:
    """Generate the corpus from the command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("out", type=Path, help="folder to write the documents to")
    parser.add_argument("--docs", type=int, default=20_000, help="how many documents")
    parser.add_argument("--relevant-share", type=float, default=0.05, help="share about Iraq")
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    args = parser.parse_args()
    truth = generate(args.out, docs=args.docs, relevant_share=args.relevant_share, seed=args.seed)
    relevant = sum(1 for _, r, _ in truth if r)
    print(f"wrote {len(truth)} documents to {args.out} ({relevant} relevant)")


if __name__ == "__main__":
    main()

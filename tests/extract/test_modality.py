"""The modality of a clause: asserted, reported, negated, hypothetical, future, ..."""

from __future__ import annotations

import pytest
import yaml
from spacy.language import Language

from tests.conftest import shared_path
from tests.extract.test_judgments import LEXICON, english
from watchfloor.extract.judgments import EstimativeLexicon, lexicon_from
from watchfloor.extract.modality import Modality, clause_modality, sentence_modality

pytestmark = pytest.mark.model


@pytest.fixture(scope="session")
def nlp() -> Language:
    return english()


@pytest.fixture(scope="session")
def lexicon() -> EstimativeLexicon:
    return lexicon_from(yaml.safe_load(LEXICON))


def modality_of(nlp: Language, lexicon: EstimativeLexicon, text: str, word: str) -> Modality:
    doc = nlp(text)
    [token] = [t for t in doc if t.text == word][:1]
    return clause_modality(token, lexicon=lexicon)


CASES = [
    # asserted
    ("Militants fired four rockets at the airport on Tuesday.", "fired", "asserted"),
    ("A drone struck a fuel depot near the border.", "struck", "asserted"),
    ("The group claimed responsibility for two attacks on the convoy.", "attacks", "asserted"),
    ("Gunmen attempted to storm the checkpoint before dawn.", "storm", "asserted"),
    ("The militia did not attack the base but shelled a nearby airfield.", "shelled", "asserted"),
    ("The attack did not cause any casualties.", "attack", "asserted"),
    ("The blast killed not only the driver but also two guards.", "killed", "asserted"),
    ("The rockets that hit the compound were launched from a truck.", "hit", "asserted"),
    (
        "Militias regrouped after the drone strike that killed their commander.",
        "killed",
        "asserted",
    ),
    ("The gunmen kept firing at the checkpoint for an hour.", "firing", "asserted"),
    ("The group forced the contractors to leave the base.", "leave", "asserted"),
    ("The attempt to storm the prison was repelled by guards.", "storm", "asserted"),
    ("The militia set fire to the consulate gate.", "fire", "asserted"),
    ("The fighters stormed the compound and did not harm the guards.", "stormed", "asserted"),
    ("The group is responsible for the attack on the base.", "attack", "asserted"),
    # reported
    ("Police said rockets hit the base late on Monday.", "hit", "reported"),
    ("The militia reportedly ambushed a patrol near the river.", "ambushed", "reported"),
    ("According to local officials, mortars landed inside the camp.", "landed", "reported"),
    ("A spokesman told reporters that the convoy was bombed.", "bombed", "reported"),
    ("Witnesses claimed that a drone exploded over the airport.", "exploded", "reported"),
    ("The group, officials said, fired two rockets.", "fired", "reported"),
    ("Police reported that a rocket had landed near the airport.", "landed", "reported"),
    # negated
    ("No rockets struck the base during the night.", "struck", "negated"),
    ("The group did not claim the bombing.", "claim", "negated"),
    ("The militia denied that it fired the rockets.", "fired", "negated"),
    ("The militia denied firing the rockets.", "firing", "negated"),
    ("Rockets never reached the embassy.", "reached", "negated"),
    ("The fighters failed to capture the bridge.", "capture", "negated"),
    ("Nobody attacked the convoy that week.", "attacked", "negated"),
    ("Investigators found no evidence that the militia planted the bomb.", "planted", "negated"),
    ("The guards were unable to repel the assault.", "repel", "negated"),
    ("Security forces prevented the militia from firing the rockets.", "firing", "negated"),
    ("The army foiled an attack on the power station.", "attack", "negated"),
    # hypothetical
    (
        "The militias could detonate roadside bombs against supply convoys.",
        "detonate",
        "hypothetical",
    ),
    ("The group may begin to fire longer-range missiles.", "fire", "hypothetical"),
    ("If the army strikes, the militias would retaliate.", "strikes", "hypothetical"),
    ("If the army strikes, the militias would retaliate.", "retaliate", "hypothetical"),
    ("Fighters might kidnap foreign contractors.", "kidnap", "hypothetical"),
    ("The commander urged his men to attack the airport.", "attack", "hypothetical"),
    ("Unless the troops withdraw, the group will shell the base.", "withdraw", "hypothetical"),
    ("The proxies could launch attacks on the embassy.", "attacks", "hypothetical"),
    ("It is possible that the group fired the rockets.", "fired", "hypothetical"),
    ("Officials fear a possible attack on the consulate.", "attack", "hypothetical"),
    (
        "The U.S. is considering more aggressive strikes on militia targets.",
        "strikes",
        "hypothetical",
    ),
    ("The militants fired rockets to intimidate the embassy staff.", "intimidate", "hypothetical"),
    ("Perhaps the cell planted the device.", "planted", "hypothetical"),
    ("The militia is capable of attacks on the airport.", "attacks", "hypothetical"),
    # future
    ("The militia will attack the airport next week.", "attack", "future"),
    ("The group plans to strike the embassy.", "strike", "future"),
    ("The brigade is preparing to shell the airbase.", "shell", "future"),
    ("The cleric vowed to take revenge for the killing.", "take", "future"),
    ("The leader threatened to renew attacks on foreign troops.", "renew", "future"),
    ("The leader threatened to renew attacks on foreign troops.", "attacks", "future"),
    ("The faction threatened attacks on the consulate.", "attacks", "future"),
    ("Commanders are going to move the launchers north.", "move", "future"),
    ("The group warned that it would target the convoys.", "target", "future"),
    ("Iran is expected to retaliate within days.", "retaliate", "future"),
    ("Militants are likely to strike again.", "strike", "future"),
    ("The militia is about to fire the rockets.", "fire", "future"),
    ("The group announced plans to bomb the bridge.", "bomb", "future"),
    ("Officials expect further attacks on the supply routes.", "attacks", "future"),
    ("An attack on the embassy is likely before the anniversary.", "attack", "future"),
    ("The group said it would bomb the convoy.", "bomb", "future"),
    ("The fighters are ready for clashes with the army.", "clashes", "future"),
    # estimative
    ("Proxy fighters likely launched the drones from the south.", "launched", "estimative"),
    ("The cell probably planted the device overnight.", "planted", "estimative"),
    ("It is likely that the militia fired the rockets.", "fired", "estimative"),
    ("The group almost certainly staged the raid.", "staged", "estimative"),
    (
        "Unidentified gunmen likely already ambushed a fuel convoy on the highway.",
        "ambushed",
        "estimative",
    ),
    ("The militia is likely to have fired the rockets.", "fired", "estimative"),
    ("The drone was probably launched from a farm.", "launched", "estimative"),
    ("The strike was very likely carried out by a militia cell.", "carried", "estimative"),
    # question
    ("Did the militia fire the rockets?", "fire", "question"),
    ("It remains unclear whether the drone struck the depot.", "struck", "question"),
    ("Will the group attack the embassy?", "attack", "question"),
]


@pytest.mark.parametrize(("text", "word", "status"), CASES)
def test_clause_modality(
    nlp: Language, lexicon: EstimativeLexicon, text: str, word: str, status: str
) -> None:
    found = modality_of(nlp, lexicon, text, word)
    assert found.status == status, found.reason
    assert found.reason


@pytest.mark.parametrize(
    ("text", "word", "cue"),
    [
        ("Militants could detonate a bomb near the gate.", "detonate", "could"),
        ("The cell probably planted the device overnight.", "planted", "likely"),
        ("The group almost certainly staged the raid.", "staged", "almost certain"),
        ("The leader threatened to renew attacks on foreign troops.", "renew", "threatened"),
        ("The militia reportedly ambushed a patrol near the river.", "ambushed", "reportedly"),
        ("The group did not claim the bombing.", "claim", "not"),
        ("Militants are likely to strike again.", "strike", "likely"),
    ],
)
def test_cue_is_the_deciding_word(
    nlp: Language, lexicon: EstimativeLexicon, text: str, word: str, cue: str
) -> None:
    assert modality_of(nlp, lexicon, text, word).cue == cue


def test_reason_names_the_cue_and_the_verb(nlp: Language, lexicon: EstimativeLexicon) -> None:
    found = modality_of(nlp, lexicon, "Militants could detonate a bomb.", "detonate")
    assert found == Modality("hypothetical", "could", "modal 'could' governs 'detonate'")
    assert not found.happened


@pytest.mark.parametrize(
    ("status", "happened"),
    [
        ("asserted", True),
        ("reported", True),
        ("estimative", True),
        ("negated", False),
        ("hypothetical", False),
        ("future", False),
        ("question", False),
    ],
)
def test_happened(status: str, happened: bool) -> None:
    assert Modality(status, None, "").happened is happened  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Two rockets struck the airbase on Sunday.", "asserted"),
        ("Officials said two rockets struck the airbase.", "asserted"),  # the saying happened
        ("The militia is likely behind the attack.", "estimative"),
        ("The militia did not fire the rockets.", "negated"),
        ("The militia will fire more rockets.", "future"),
        ("The militia might fire more rockets.", "hypothetical"),
        ("Did the militia fire the rockets?", "question"),
    ],
)
def test_sentence_modality(
    nlp: Language, lexicon: EstimativeLexicon, text: str, status: str
) -> None:
    sent = next(nlp(text).sents)
    assert sentence_modality(sent, lexicon=lexicon).status == status


def test_default_lexicon_is_the_shipped_one(nlp: Language) -> None:
    doc = nlp("Proxy fighters likely launched the drones.")
    found = clause_modality(doc[3])
    assert (found.status, found.cue) == ("estimative", "likely")


def test_every_seed_sentence_gets_a_modality(nlp: Language, lexicon: EstimativeLexicon) -> None:
    doc = nlp(shared_path("seed", "iraq-proxies-2020.txt").read_text(encoding="utf-8"))
    found = [sentence_modality(sent, lexicon=lexicon) for sent in doc.sents]
    assert len(found) > 100
    assert all(m.reason for m in found)
    statuses = {m.status for m in found}
    assert {"asserted", "estimative", "hypothetical", "future", "negated"} <= statuses

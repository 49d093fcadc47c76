"""Claims of responsibility and attributions, kept apart, each tied to its sentence.

A claim is what a group says of itself ("X claimed responsibility for ..."); an
attribution is what someone else says of it ("the US identified Y as responsible").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from watchfloor.extract.context import DocContext, EntityRef
from watchfloor.extract.events import EventMention
from watchfloor.extract.lexicon import EventLexicon
from watchfloor.extract.modality import clause_modality
from watchfloor.model import Actor, Attribution, Claim, SourceSpan

STOPPED = frozenset({"negated", "hypothetical", "future", "question"})
HEDGES = frozenset({"likely", "probably", "possibly", "almost", "certainly", "unlikely"})
STATEMENT_WORDS = frozenset({"statement", "communique", "communiqué", "declaration", "claim"})


@dataclass
class Responsibility:
    """A claim or an attribution, and the event mentions it concerns."""

    mentions: list[EventMention] = field(default_factory=list)
    claim: Claim | None = None
    attribution: Attribution | None = None


def find_responsibility(
    ctx: DocContext, mentions: list[EventMention], lexicon: EventLexicon
) -> list[Responsibility]:
    """Every claim and attribution in the document, linked to its event mentions."""
    found: list[Responsibility] = []
    by_sentence: dict[int, list[EventMention]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.trigger.sent.start, []).append(mention)
    author = _statement_author(ctx)
    if author is not None:
        found.extend(_own_claims(author, ctx, mentions, lexicon))
    for sent in ctx.doc.sents:
        local = by_sentence.get(sent.start, [])
        for token in sent:
            if _is_claim(token, lexicon):
                found.extend(_claim(token, sent, ctx, local, lexicon))
            elif token.lemma_.lower() in lexicon.cue("attribution_verbs"):
                found.extend(_attribution(token, sent, ctx, local))
            elif token.lower_ == "behind" and token.dep_ == "prep":
                found.extend(_behind(token, sent, ctx, local))
    return found


def _statement_author(ctx: DocContext) -> EntityRef | None:
    """'Statement from Saraya Awliya al-Dam': the group whose own words the document is."""
    for sent in list(ctx.doc.sents)[:4]:
        words = {t.lemma_.lower() for t in sent}
        if not words & STATEMENT_WORDS:
            continue
        for ref in ctx.actors_in(sent):
            before = ctx.text[max(sent.start_char, ref.start_char - 6) : ref.start_char].lower()
            if before.strip() in ("from", "by", "of"):
                return ref
    return None


def _own_claims(
    author: EntityRef, ctx: DocContext, mentions: list[EventMention], lexicon: EventLexicon
) -> list[Responsibility]:
    """Attacks a group's own statement says it carried out are claims, in its voice."""
    found = []
    for mention in mentions:
        if any(a.actor_id == author.actor_id and a.role == "perpetrator" for a in mention.actors):
            mention.in_claimant_voice = True
            claim = Claim(
                claimant_id=str(author.actor_id),
                claimant_name=author.name,
                claimed_on=ctx.published,
                channel=_channel(mention.trigger.sent, lexicon) or _document_channel(ctx, lexicon),
                document_id=ctx.document_id,
                span=mention.span,
            )
            found.append(Responsibility(mentions=[mention], claim=claim))
    return found


def _document_channel(ctx: DocContext, lexicon: EventLexicon) -> str | None:
    return _channel(next(iter(ctx.doc.sents)), lexicon)


def _is_claim(token: Token, lexicon: EventLexicon) -> bool:
    if token.lemma_.lower() not in lexicon.cue("claim_verbs") or token.pos_ != "VERB":
        return False
    objects = lexicon.cue("claim_objects") | lexicon.cue("generic_attack")
    return any(
        _object_lemma(c) in objects for c in token.children if c.dep_ in ("dobj", "nsubjpass")
    )


def _object_lemma(token: Token) -> str:
    """The noun a number stands for: 'claimed three of the attacks' claims attacks."""
    if token.pos_ == "NUM" or token.lower_ in ("some", "several", "most", "all", "both"):
        for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):
            for noun in (c for c in prep.children if c.dep_ == "pobj"):
                return noun.lemma_.lower()
    return token.lemma_.lower()


def _claim(
    verb: Token,
    sent: Span,
    ctx: DocContext,
    local: list[EventMention],
    lexicon: EventLexicon,
) -> list[Responsibility]:
    if clause_modality(verb).status in STOPPED:
        return []
    claimant = _subject_actor(verb, ctx, sent)
    if claimant is None or claimant.actor_id is None:
        return []
    state = _state_of(claimant.actor_id, ctx)
    if state is not None:  # "the Pentagon acknowledged the strike": the United States did
        claimant = replace(claimant, actor_id=state.actor_id, name=state.name)
    dates = [  # the day of the claim; "claimed three of this month's attacks" gives none
        d
        for d in ctx.dates_in(sent)
        if _first_verb(ctx, d.start) == verb.i and d.precision == "day"
    ]
    claim = Claim(
        claimant_id=claimant.actor_id,
        claimant_name=claimant.name,
        claimed_on=dates[0].date if dates else None,
        channel=_channel(sent, lexicon),
        document_id=ctx.document_id,
        span=_span(sent, ctx.document_id),
    )
    return [Responsibility(mentions=_concerned(verb, local), claim=claim)]


def _state_of(actor_id: str, ctx: DocContext) -> Actor | None:
    """The state whose government body (a ministry, a department) an actor is, if any.

    Forces keep their own name (the IRGC claims as the IRGC); a defence ministry
    acknowledging a strike speaks for its state.
    """
    actor = ctx.actors_kb.get(actor_id)
    if actor is None or actor.kind != "government_body":
        return None
    for _ in range(4):
        if actor is None or actor.kind == "state":
            break
        parent = next((r.object for r in actor.relations if r.relation == "part_of"), None)
        actor = ctx.actors_kb.get(parent) if parent else None
    return actor if actor is not None and actor.actor_id != actor_id else None


def _attribution(
    verb: Token, sent: Span, ctx: DocContext, local: list[EventMention]
) -> list[Responsibility]:
    if clause_modality(verb).status in STOPPED:
        return []
    by = _subject_actor(verb, ctx, sent)
    blamed = [
        ref for ref in ctx.actors_in(sent) if ref is not by and _object_of(ctx.doc[ref.root], verb)
    ]
    found = []
    for ref in blamed:
        if ref.actor_id is None:
            continue
        attribution = Attribution(
            actor_id=ref.actor_id,
            actor_name=ref.name,
            by_actor_id=by.actor_id if by is not None else None,
            document_id=ctx.document_id,
            span=_span(sent, ctx.document_id),
        )
        found.append(Responsibility(mentions=_concerned(verb, local), attribution=attribution))
    return found


def _behind(
    token: Token, sent: Span, ctx: DocContext, local: list[EventMention]
) -> list[Responsibility]:
    """'McKenzie said KH was "most likely" behind the attack': blamed, by the speaker, hedged."""
    copula = token.head
    if copula.dep_ in ("acomp", "advmod") and copula.head.lemma_.lower() == "be":
        copula = copula.head  # 'was "most likely" behind': the PP hangs on the hedge
    target = next((c for c in token.children if c.dep_ == "pobj"), None)
    if copula.lemma_.lower() != "be" or target is None:
        return []
    events = [m for m in local if m.trigger.i == target.i or target.is_ancestor(m.trigger)]
    if not events or clause_modality(copula).status in STOPPED:
        return []
    blamed = _subject_actor(copula, ctx, sent)
    if blamed is None or blamed.actor_id is None:
        return []
    speaker = _subject_actor(copula.head, ctx, sent) if copula.dep_ == "ccomp" else None
    hedge = [t.lower_ for t in sent if copula.i <= t.i < token.i and t.lower_ in HEDGES][:1]
    estimative = " ".join(hedge) if hedge else None
    if estimative == "likely" and any(t.lower_ == "most" for t in sent.doc[copula.i : token.i]):
        estimative = "most likely"
    attribution = Attribution(
        actor_id=blamed.actor_id,
        actor_name=blamed.name,
        by_actor_id=speaker.actor_id if speaker is not None else None,
        estimative=estimative,
        document_id=ctx.document_id,
        span=_span(sent, ctx.document_id),
    )
    return [Responsibility(mentions=events, attribution=attribution)]


def _subject_actor(verb: Token, ctx: DocContext, sent: Span) -> EntityRef | None:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "agent")]
    if verb.dep_ == "relcl" and not subjects:
        subjects = [verb.head]
    if subjects and subjects[0].pos_ == "PRON" and verb.dep_ == "ccomp":
        # "The Pentagon said it holds KH responsible": 'it' is the one who said so
        return _subject_actor(verb.head, ctx, sent) if verb.head.pos_ == "VERB" else None
    for subject in subjects:
        span = range(subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge))
        for ref in ctx.actors_in(sent):
            if ref.start_char in span:
                return ref
    return None


def _object_of(root: Token, verb: Token) -> bool:
    """True when the name is what the verb blames (its object, or 'on'/'to' whom)."""
    for ancestor in [root, *root.ancestors]:
        if ancestor.i == verb.i:
            return root.dep_ != "nsubj" or root.head.i != verb.i
        if ancestor.dep_ in ("nsubj", "relcl") and ancestor.head.i == verb.i:
            return False
        if ancestor.pos_ == "VERB":
            return False
    return False


def _concerned(verb: Token, local: list[EventMention]) -> list[EventMention]:
    """The event mentions in the verb's phrase, or the event a relative clause hangs on."""
    inside = [m for m in local if verb.is_ancestor(m.trigger)]
    if inside:
        return inside
    if verb.dep_ in ("relcl", "acl"):
        # "the March 11 barrage on Taji, which the Pentagon blamed on KH": the clause
        # may hang on the place rather than on the event noun.
        for ancestor in list(verb.ancestors)[:3]:
            hung = [m for m in local if m.trigger.i == ancestor.i]
            if hung:
                return hung
    return []


def _first_verb(ctx: DocContext, char: int) -> int | None:
    token = ctx.token_at(char)
    if token is None:
        return None
    for ancestor in token.ancestors:
        if ancestor.pos_ == "VERB":
            return ancestor.i
    return None


def _channel(sent: Span, lexicon: EventLexicon) -> str | None:
    lower = sent.text.lower()
    channels = lexicon.cues.get("channels", {})
    for name, words in channels.items():
        if any(f" {w}" in f" {lower}" for w in words):
            return str(name)
    return None


def _span(sent: Span, document_id: str) -> SourceSpan:
    return SourceSpan(
        document_id=document_id, start=sent.start_char, end=sent.end_char, text=sent.text
    )

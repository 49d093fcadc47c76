"""Statements: who said what, when, through which channel, of which kind, to or about whom.

The rules read spaCy's dependency parse; the words are data (`knowledge/data/statements.yaml`).

- A statement hangs on a trigger: a speech verb ("declared", "warned", "told"), a frame
  ("according to X, ..."), or an ultimatum noun ("a deadline set by X for ...").
  Verbs inside a quotation, claims of responsibility (`extract.responsibility` keeps
  those) and verbs whose clause is negated, hypothetical, future or a question are not.
- The speaker is an actor named in the subject ("A spokesperson for X": X, role
  spokesperson; "Y of X": the person Y for X), in the agent of a passive verb, in the
  object of "according to", or, for "he", "it", "the group", the speaker of the statement
  just before (else the nearest actor before). A conjoined verb shares its head's subject.
  A person's group comes from the subject or from the knowledge base (spokesperson_of,
  leader_of, ...).
- The content is the verb's clause (ccomp, xcomp, object, "as"/"for"/"of" phrases), and
  its quotations; quotes inside quotes stay inside the outer quotation.
- The kind comes from the verb (by lemma, or lemma and preposition: "call on"), then from
  cues in the content, in `refine_order`, where the cue's kind may replace the verb's
  (an "assertion" that speaks of a "humiliating escape" is a victory claim). A demand,
  threat or call with a time limit ("by 5 p.m. on Sunday", "until the end of the year")
  and a sign of force ("or face", "unless", "deadline") is an ultimatum with its deadline.
- The date is one stated in the frame of the verb (not in its content); else, unless an
  adverb says it is earlier ("previously"), the nearest day date of the three sentences
  before (`context`); else the publication date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from watchfloor.extract.context import DocContext, EntityRef
from watchfloor.extract.dates import DateMention
from watchfloor.extract.modality import clause_modality
from watchfloor.knowledge.statements import StatementLexicon
from watchfloor.model import KeyDate, SourceSpan, Statement

STOPPED = frozenset({"negated", "hypothetical", "future", "question"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
CONTENT_DEPS = frozenset({"ccomp", "xcomp", "parataxis", "oprd", "dobj", "attr", "advcl"})
CONTENT_PREPS = frozenset({"as", "for", "of", "about", "against", "to", "that"})
ADDRESSEE_VERBS = frozenset(
    {"tell", "warn", "urge", "instruct", "ask", "congratulate", "inform", "brief", "remind"}
)
CLAUSE_DEPS = frozenset({"ccomp", "parataxis", "xcomp", "oprd"})
CALLING = frozenset({"call", "appeal"})
QUOTING = frozenset({"quote", "cite"})
CONTEXT_SENTENCES = 3
PERIOD_END = re.compile(r"\b(?:the\s+)?end\s+of\s+(?:the|this|next)\s+(year|month|week)\b", re.I)
WITHIN = re.compile(r"\bwithin\s+(\d+|one|two|three|seven|ten|thirty)\s+(day|week|hour)s?\b", re.I)
NUMBERS = {"one": 1, "two": 2, "three": 3, "seven": 7, "ten": 10, "thirty": 30}
QUOTE_PAIRS = {"“": "”", '"': '"', "‘": "’", "'": "'"}


@dataclass(frozen=True)
class Quote:
    """A quotation: the characters between its marks."""

    start: int
    end: int


@dataclass
class _Found:
    """A statement being built: its trigger, regions of text and what was resolved."""

    trigger: Token
    kind: str
    subject: tuple[int, int] | None
    content: tuple[int, int] | None
    addressees: list[tuple[int, int]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def find_statements(ctx: DocContext, lexicon: StatementLexicon) -> list[Statement]:
    """Every statement in the document, in text order, each with its sentence and words."""
    quotes = find_quotes(ctx.text)
    sentences = list(ctx.doc.sents)
    made: list[Statement] = []
    triggers: list[int] = []
    for n, sent in enumerate(sentences):
        for found in _triggers(sent, ctx, lexicon, quotes):
            statement = _build(found, sentences, n, ctx, lexicon, quotes, made)
            if statement is not None:
                made.append(statement)
                triggers.append(found.trigger.idx)
    return _nested(made, triggers)


def find_quotes(text: str) -> list[Quote]:
    """The outermost quotations in the text (quotes inside them stay inside).

    >>> text = 'He said "they call it a \\'repositioning\\', but it is a flight".'
    >>> [text[q.start:q.end] for q in find_quotes(text)]
    ["they call it a 'repositioning', but it is a flight"]
    """
    found: list[Quote] = []
    i = 0
    while i < len(text):
        mark = text[i]
        if mark in QUOTE_PAIRS and _opens(text, i):
            end = _closing(text, i + 1, QUOTE_PAIRS[mark])
            if end is not None:
                inner = text[i + 1 : end].rstrip(",;: ")
                found.append(Quote(i + 1, i + 1 + len(inner)))
                i = end + 1
                continue
        i += 1
    return found


def _opens(text: str, i: int) -> bool:
    if text[i] in '“"':
        return True
    before = text[i - 1] if i else " "
    return (before.isspace() or before in '([“"—-') and i + 1 < len(text) and text[i + 1].isalnum()


def _closing(text: str, start: int, close: str) -> int | None:
    limit = min(len(text), start + 3000)
    for j in range(start, limit):
        if text[j] == close and (close in '”"' or j + 1 == len(text) or not text[j + 1].isalpha()):
            if close in "’'" and j > start and text[j - 1].isspace():
                continue
            return j
        if text[j] == "\n" and text[j + 1 : j + 2] == "\n":
            return None
    return None


def _inside(char: int, quotes: Sequence[Quote]) -> bool:
    return any(q.start <= char < q.end for q in quotes)


# -- triggers -----------------------------------------------------------------------


def _triggers(
    sent: Span, ctx: DocContext, lexicon: StatementLexicon, quotes: Sequence[Quote]
) -> Iterator[_Found]:
    for token in sent:
        if _inside(token.idx, quotes):
            continue
        if token.lower_ in lexicon.frames:
            found = _frame_trigger(token, lexicon)
        elif token.pos_ == "VERB":
            found = _verb_trigger(token, lexicon)
        elif token.pos_ == "NOUN" and token.lemma_.lower() in lexicon.ultimatum_nouns:
            found = _noun_trigger(token)
        else:
            found = None
        if found is not None and clause_modality(_clause_head(token)).status not in STOPPED:
            yield found


def _clause_head(token: Token) -> Token:
    return (
        token
        if token.pos_ == "VERB"
        else next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), token)
    )


def _verb_trigger(verb: Token, lexicon: StatementLexicon) -> _Found | None:
    lemma = verb.lemma_.lower()
    kind = _phrasal(verb, lexicon) or lexicon.kind_of_verb(lemma)
    if kind is None or _claims_responsibility(verb, lexicon):
        return None
    if lemma in lexicon.kinds["denial"].object_verbs and not _objects_denied(verb, lexicon):
        return None
    content = _content_tokens(verb, addressee=lemma in ADDRESSEE_VERBS)
    reported = any(
        t.dep_ in CLAUSE_DEPS or any(c.lower_ in ("as", "to") for c in (t, *t.children))
        for t in content
    )  # "claiming the withdrawal as a victory", "attributed it to"
    if kind == "assertion" and not reported and not _quoted_frame(verb):
        return None  # "adding pressure": no reported words
    if kind == "assertion" and lemma in lexicon.directive_verbs and _directive(verb):
        kind = "demand"
    found = _Found(verb, kind, _subject_range(verb, lexicon), _content_range(content, lexicon))
    found.addressees = _addressees(verb, lemma)
    found.reasons.append(f"speech verb '{verb.text}' ({kind})")
    return found


def _phrasal(verb: Token, lexicon: StatementLexicon) -> str | None:
    preps = lexicon.phrasal.get(verb.lemma_.lower())
    if not preps:
        return None
    return next(
        (preps[c.lower_] for c in verb.children if c.lower_ in preps and c.dep_ in ("prep", "prt")),
        None,
    )


def _claims_responsibility(verb: Token, lexicon: StatementLexicon) -> bool:
    """'X claimed the attack' / 'claimed responsibility' is a claim, not a statement."""
    if verb.lemma_.lower() not in ("claim", "take", "admit"):
        return False
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    has_as = any(
        t.lower_ == "as" and t.head.i in (verb.i, *(o.i for o in objects)) for t in verb.subtree
    )
    return bool(objects) and not has_as and not any(c.dep_ == "ccomp" for c in verb.children)


def _objects_denied(verb: Token, lexicon: StatementLexicon) -> bool:
    objects = set(lexicon.kinds["denial"].objects)
    return any(c.dep_ == "dobj" and c.lemma_.lower() in objects for c in verb.children)


def _quoted_frame(verb: Token) -> bool:
    """'"...," X said': the quotation before or after the verb is its content."""
    sent = verb.sent
    return any(t.is_quote for t in sent) and verb.dep_ in ("ROOT", "parataxis", "ccomp")


def _directive(verb: Token) -> bool:
    """'told soldiers to move': an addressee and an infinitive."""
    addressee = any(c.dep_ in ("dobj", "dative") for c in verb.children)
    infinitive = any(
        c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in verb.children
    )
    return addressee and infinitive


def _frame_trigger(word: Token, lexicon: StatementLexicon) -> _Found | None:
    """'according to X, ...': X says the clause the frame hangs on."""
    follow = lexicon.frames[word.lower_]
    prep = next((c for c in word.children if c.lower_ in follow), None)
    if prep is None and word.i + 1 < len(word.doc) and word.nbor().lower_ in follow:
        prep = word.nbor()
    if prep is None:
        return None
    speaker = list(prep.subtree)
    clause = word.head if word.head.i != word.i else word.sent.root
    content = [t for t in clause.subtree if t.i not in {s.i for s in word.subtree}]
    found = _Found(word, "assertion", _range(speaker), _range_of(content))
    found.reasons.append(f"frame '{word.text} {prep.text}'")
    return found


def _noun_trigger(noun: Token) -> _Found | None:
    """'a deadline set by X for Y to ...', 'X's ultimatum', 'X set a deadline'."""
    for child in noun.children:
        if child.dep_ == "acl":
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            if agent is not None:
                rest = [t for t in child.subtree if t.i not in {a.i for a in agent.subtree}]
                found = _Found(noun, "ultimatum", _range(list(agent.subtree)), _range_of(rest))
                found.reasons.append(f"'{noun.text}' set by a named actor")
                return found
        if child.dep_ == "poss":
            found = _Found(
                noun, "ultimatum", _range(list(child.subtree)), _range(list(noun.subtree))
            )
            found.reasons.append(f"'{noun.text}' of a named actor")
            return found
    head = noun.head
    if noun.dep_ == "dobj" and head.lemma_.lower() in ("set", "give", "issue", "impose"):
        found = _Found(noun, "ultimatum", _subject_range(head, None), _range(list(head.subtree)))
        found.reasons.append(f"'{head.text} ... {noun.text}'")
        return found
    return None


# -- regions of text --------------------------------------------------------------


def _subject_range(verb: Token, lexicon: StatementLexicon | None) -> tuple[int, int] | None:
    """The subject's characters: own subject, a passive's agent, else the head verb's."""
    current: Token | None = verb
    for _ in range(4):
        if current is None:
            return None
        subjects = [
            c for c in current.children if c.dep_ in SUBJECTS and not _is_content(c, current)
        ]
        agents = [a for c in current.children if c.dep_ == "agent" for a in c.children]
        if current.lemma_ in QUOTING:  # "Reuters quoted X as saying", "X was quoted as saying"
            agents = [c for c in current.children if c.dep_ in ("dobj", "nsubjpass")]
        chosen = agents or subjects
        if chosen:
            return _range([t for s in chosen for t in s.subtree])
        if current.dep_ in ("relcl",) and current.head.pos_ in ("NOUN", "PROPN"):
            return _range([current.head])
        if current.dep_ in ("conj", "ccomp") and _is_speech(current, lexicon):
            current = _speech_above(current, lexicon)
        elif (
            current.dep_ in ("conj", "xcomp", "advcl", "pcomp", "prep")
            and current.head is not current
        ):
            current = current.head
        else:
            return None
    return None


def _is_speech(token: Token, lexicon: StatementLexicon | None) -> bool:
    return (
        lexicon is not None
        and token.pos_ == "VERB"
        and lexicon.kind_of_verb(token.lemma_.lower()) is not None
    )


def _speech_above(token: Token, lexicon: StatementLexicon | None) -> Token:
    """The speech verb a conjoined speech verb hangs under, else its head."""
    return next((a for a in token.ancestors if _is_speech(a, lexicon)), token.head)


def _is_content(subject: Token, verb: Token) -> bool:
    """A passive speech verb's subject is what was said ('plans were announced')."""
    return subject.dep_ == "nsubjpass" and verb.lemma_ not in QUOTING


def _content_tokens(verb: Token, *, addressee: bool) -> list[Token]:
    heads = []
    for child in verb.children:
        if child.dep_ in CONTENT_DEPS and not (addressee and child.dep_ == "dobj"):
            if child.dep_ == "advcl" and not any(c.dep_ == "mark" for c in child.children):
                continue  # "speaking on condition of anonymity": manner, not content
            heads.append(child)
        elif (child.dep_ == "prep" and child.lower_ in CONTENT_PREPS) or (
            child.dep_ == "nsubjpass" and verb.lemma_ not in QUOTING
        ):
            heads.append(child)
    return heads


def _content_range(heads: Sequence[Token], lexicon: StatementLexicon) -> tuple[int, int] | None:
    """The reported words, less a conjoined speech verb that shares the subject
    ("said four fighters had been killed and vowed to avenge them": the vow is its own)."""
    cut = {
        t.i
        for h in heads
        for c in h.subtree
        if c.dep_ in ("conj", "ccomp") and _own_speech(c, lexicon)
        for t in [*c.subtree, *(x for x in c.head.children if x.dep_ == "cc" and x.i < c.i)]
    }
    return _range_of([t for h in heads for t in h.subtree if t.i not in cut])


def _own_speech(token: Token, lexicon: StatementLexicon) -> bool:
    """A speech verb with no subject of its own, conjoined inside another's words."""
    return _is_speech(token, lexicon) and not any(c.dep_ in SUBJECTS for c in token.children)


def _addressees(verb: Token, lemma: str) -> list[tuple[int, int]]:
    found = []
    for child in verb.children:
        told = lemma in ADDRESSEE_VERBS and child.dep_ in ("dobj", "dative")
        called = child.dep_ == "prep" and child.lower_ in ("on", "upon") and lemma in CALLING
        if told or called:
            found.append(_range(list(child.subtree)))
    return [r for r in found if r is not None]


def _range(heads: Sequence[Token]) -> tuple[int, int] | None:
    tokens = [t for h in heads for t in (h.subtree if h.dep_ != "" else [h])]
    return _range_of(tokens)


def _range_of(tokens: Sequence[Token]) -> tuple[int, int] | None:
    if not tokens:
        return None
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t) for t in tokens)
    return start, end


def _within(start: int, end: int, region: tuple[int, int] | None) -> bool:
    return region is not None and start < region[1] and end > region[0]


# -- building a statement -----------------------------------------------------------


@dataclass
class _Speaker:
    actor_id: str
    name: str
    role: str | None = None
    on_behalf_of: str | None = None
    anonymous: bool = False
    reason: str = ""


def _build(
    found: _Found,
    sentences: list[Span],
    n: int,
    ctx: DocContext,
    lexicon: StatementLexicon,
    quotes: Sequence[Quote],
    made: list[Statement],
) -> Statement | None:
    sent = sentences[n]
    speaker = _speaker(
        found, sent, sentences[max(0, n - CONTEXT_SENTENCES) : n], ctx, lexicon, made
    )
    if speaker is None:
        return None
    content = found.content
    words = _content_text(ctx.text, content, quotes, sent)
    date, precision, basis = _date(found, sent, sentences, n, ctx, lexicon)
    kind, deadline = _kind_and_deadline(found, ctx, words, sent, date, lexicon)
    plover, cameo = lexicon.codes(kind)
    outlet, outlet_id, channel = _channel(found, sent, ctx, lexicon)
    document_id = ctx.document_id
    return Statement(
        id=f"{document_id}-s{len(made) + 1}",
        document_id=document_id,
        speaker_id=speaker.actor_id,
        speaker_name=speaker.name,
        role=speaker.role,
        on_behalf_of=speaker.on_behalf_of if speaker.on_behalf_of != speaker.actor_id else None,
        anonymous=speaker.anonymous,
        date=date,
        date_precision=precision,
        date_basis=basis,
        kind=kind,
        plover=plover,
        cameo=cameo,
        verb=found.trigger.text,
        channel=channel,
        outlet=outlet,
        outlet_id=outlet_id,
        target_ids=_targets(found, ctx, speaker, outlet_id),
        audience_ids=_actors_in(ctx, found.addressees),
        deadline=deadline,
        condition=_condition(found, ctx, lexicon),
        content=_source(ctx, content, document_id) if content else None,
        quotes=[
            _source(ctx, (q.start, q.end), document_id) for q in _quotes_of(found, quotes, sent)
        ],
        span=_source(ctx, (sent.start_char, sent.end_char), document_id),
        reasons=[*found.reasons, speaker.reason, f"date {basis}"],
    )


def _kind_and_deadline(
    found: _Found,
    ctx: DocContext,
    words: str,
    sent: Span,
    date: dt.date | None,
    lexicon: StatementLexicon,
) -> tuple[str, dt.date | None]:
    """The kind (the verb's, refined by cues) and the time limit, which makes an ultimatum."""
    kind = _refined(found.kind, words, lexicon, found.reasons)
    deadline = _deadline(found, ctx, words, date or ctx.published, lexicon)
    if deadline is not None and kind != "ultimatum" and _is_ultimatum(kind, sent.text, lexicon):
        found.reasons.append(f"a time limit ({deadline}) with a sign of force")
        return "ultimatum", deadline
    if kind == "ultimatum" and deadline is None and found.trigger.pos_ == "VERB":
        return "demand", None
    return kind, deadline


def _source(ctx: DocContext, region: tuple[int, int], document_id: str) -> SourceSpan:
    start, end = region
    return SourceSpan(document_id=document_id, start=start, end=end, text=ctx.text[start:end])


def _content_text(
    text: str, content: tuple[int, int] | None, quotes: Sequence[Quote], sent: Span
) -> str:
    if content is not None:
        return text[content[0] : content[1]]
    inside = [text[q.start : q.end] for q in quotes if sent.start_char <= q.start < sent.end_char]
    return " ".join(inside)


def _quotes_of(found: _Found, quotes: Sequence[Quote], sent: Span) -> list[Quote]:
    region = found.content
    if region is None:
        return []
    return [
        q for q in quotes if _within(q.start - 1, q.end + 1, region) and q.start < sent.end_char + 1
    ]


# -- the speaker ----------------------------------------------------------------------


def _speaker(
    found: _Found,
    sent: Span,
    before: list[Span],
    ctx: DocContext,
    lexicon: StatementLexicon,
    made: list[Statement],
) -> _Speaker | None:
    region = found.subject
    if region is None:
        return None
    refs = _refs_in(ctx, region)
    words = ctx.text[region[0] : region[1]]
    chosen = _choose(refs, ctx) if refs else None
    if chosen is None:
        return _antecedent(words, region, sent, before, ctx, lexicon, made)
    person = ctx.is_person(str(chosen.actor_id))
    group = next((r for r in refs if r is not chosen and not ctx.is_person(str(r.actor_id))), None)
    speaker = _Speaker(
        actor_id=str(chosen.actor_id),
        name=chosen.name or chosen.text,
        role=_role(words, lexicon) or _kb_role(str(chosen.actor_id), ctx)
        if person
        else _role(words, lexicon),
        anonymous=_anonymous(words + " " + _manner(found), lexicon),
        reason=f"speaker '{chosen.text}' in the subject",
    )
    if person:
        speaker.on_behalf_of = group.actor_id if group else _group_of(str(chosen.actor_id), ctx)
    return speaker


def _refs_in(ctx: DocContext, region: tuple[int, int]) -> list[EntityRef]:
    return [
        e
        for e in ctx.entities
        if e.actor_id and e.start_char < region[1] and e.end_char > region[0]
    ]


def _choose(refs: list[EntityRef], ctx: DocContext) -> EntityRef | None:
    """A person first, then a group named as a noun, then a demonym ('American officials')."""

    def rank(ref: EntityRef) -> int:
        if ctx.is_person(str(ref.actor_id)):
            return 0
        token = ctx.doc[ref.root]
        return 2 if token.pos_ == "ADJ" or token.dep_ == "amod" else 1

    return min(refs, key=lambda r: (rank(r), r.start_char)) if refs else None


def _role(words: str, lexicon: StatementLexicon) -> str | None:
    lower = f" {words.lower()} "
    hits: list[tuple[int, int, str]] = []
    for phrase, role in lexicon.role_phrases:
        match = re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", lower)
        if match and not any(s <= match.start() < e for s, e, _ in hits):
            hits.append((match.start(), match.end(), role))
    return min(hits)[2] if hits else None


def _kb_role(actor_id: str, ctx: DocContext) -> str | None:
    actor = ctx.actors_kb.get(actor_id)
    return actor.roles[0] if actor is not None and actor.roles else None


GROUP_RELATIONS = ("spokesperson_of", "leader_of", "commander_of", "member_of")


def _group_of(actor_id: str, ctx: DocContext) -> str | None:
    """The group a person speaks for, from the knowledge base's relations (current ones first)."""
    actor = ctx.actors_kb.get(actor_id)
    if actor is None:
        return None
    day = (ctx.published or dt.date.max).isoformat()
    for relation in GROUP_RELATIONS:
        for ref in actor.relations:
            if ref.relation == relation and (
                ref.until is None or str(ref.until) >= day[: len(str(ref.until))]
            ):
                return ref.object
    return None


def _anonymous(words: str, lexicon: StatementLexicon) -> bool:
    lower = words.lower()
    return any(re.search(rf"\b{re.escape(w)}\b", lower) for w in lexicon.anonymous)


def _manner(found: _Found) -> str:
    """'speaking on condition of anonymity': the verb's manner clauses."""
    verb = found.trigger
    clauses = [c for c in verb.children if c.dep_ in ("advcl", "advmod", "npadvmod")]
    return " ".join(t.text for c in clauses for t in c.subtree)


def _antecedent(
    words: str,
    region: tuple[int, int],
    sent: Span,
    before: list[Span],
    ctx: DocContext,
    lexicon: StatementLexicon,
    made: list[Statement],
) -> _Speaker | None:
    """'He said', 'the group warned': the speaker of the statement before, else an actor before."""
    lower = words.lower().split()
    head = lower[-1] if lower else ""
    person_words = set(lexicon.anaphors.get("person", []))
    group_words = set(lexicon.anaphors.get("group", []))
    roles = {p for p, _ in lexicon.role_phrases}
    if head not in person_words | group_words | roles or len(lower) > 3:
        return None
    earliest = before[0].start_char if before else sent.start_char
    recent = [s for s in made if s.span is not None and s.span.start >= earliest]
    want_person = head in person_words
    for statement in reversed(recent):
        if ctx.is_person(statement.speaker_id) == want_person or head in roles:
            return _Speaker(statement.speaker_id, statement.speaker_name,
                            role=statement.role, on_behalf_of=statement.on_behalf_of,
                            reason=f"'{words}': the speaker of the statement before")  # fmt: skip
    nearby = [e for e in ctx.entities if e.actor_id and earliest <= e.start_char < region[0]]
    for ref in reversed(nearby):
        if ctx.is_person(str(ref.actor_id)) == want_person:
            return _Speaker(str(ref.actor_id), ref.name or ref.text,
                            reason=f"'{words}': the nearest actor before")  # fmt: skip
    return None


# -- kind, time limit and condition ---------------------------------------------------


def _refined(kind: str, words: str, lexicon: StatementLexicon, reasons: list[str]) -> str:
    """The kind a cue in the reported words gives, where it may replace the verb's kind."""
    for cue_kind, pattern in lexicon.cue_patterns:
        if kind not in lexicon.kinds[cue_kind].overrides:
            continue
        match = pattern.search(words)
        if match:
            reasons.append(f"cue '{match.group(0)}' makes it {cue_kind}")
            return cue_kind
    return kind


def _is_ultimatum(kind: str, sentence: str, lexicon: StatementLexicon) -> bool:
    if kind in ("demand", "threat", "call_to_action"):
        return True
    return any(re.search(sign, sentence, re.I) for sign in lexicon.ultimatum_signs)


def _deadline(
    found: _Found, ctx: DocContext, words: str, base: dt.date | None, lexicon: StatementLexicon
) -> dt.date | None:
    """The time limit the statement sets: a date after a deadline word, or a period's end."""
    region = found.content
    if found.kind == "ultimatum" and found.trigger.pos_ == "NOUN":
        own = _noun_date(found.trigger, ctx)
        if own is not None:
            return own
    if region is None:
        return None
    words_pattern = "|".join(
        re.escape(w) for w in sorted(lexicon.deadline_words, key=len, reverse=True)
    )
    before = re.compile(rf"\b(?:{words_pattern})\b[^;,]{{0,25}}$", re.I)
    for mention in ctx.dates:
        if region[0] <= mention.start < region[1] and before.search(
            ctx.text, max(region[0], mention.start - 40), mention.start
        ):
            return mention.date_end if mention.precision != "day" else mention.date
    return _relative_deadline(words, base)


def _noun_date(noun: Token, ctx: DocContext) -> dt.date | None:
    """'March 15, a deadline ...' (apposition) or 'a deadline of March 15'."""
    near = [noun.head] if noun.dep_ == "appos" else []
    near += [t for t in noun.subtree if t.dep_ == "pobj"]
    for token in near:
        for mention in ctx.dates:
            if mention.start <= token.idx < mention.end and mention.precision == "day":
                return mention.date
    return None


def _relative_deadline(words: str, base: dt.date | None) -> dt.date | None:
    if base is None:
        return None
    end = PERIOD_END.search(words)
    if end is not None:
        unit, nxt = end.group(1).lower(), "next" in end.group(0).lower()
        if unit == "year":
            return dt.date(base.year + nxt, 12, 31)
        if unit == "month":
            year, month = divmod(base.year * 12 + base.month - 1 + nxt, 12)
            return dt.date(year, month + 1, calendar.monthrange(year, month + 1)[1])
        return base + dt.timedelta(days=6 - base.weekday() + 7 * nxt)
    within = WITHIN.search(words)
    if within is not None:
        count = (
            int(within.group(1)) if within.group(1).isdigit() else NUMBERS[within.group(1).lower()]
        )
        days = {"day": count, "week": 7 * count, "hour": -(-count // 24)}[within.group(2).lower()]
        return base + dt.timedelta(days=days)
    return None


def _condition(found: _Found, ctx: DocContext, lexicon: StatementLexicon) -> str | None:
    """'if the occupation continues', 'or face unspecified consequences'."""
    region = found.content
    if region is None:
        return None
    marks = set(lexicon.condition_marks)
    for token in ctx.doc.char_span(*region, alignment_mode="expand") or []:
        if token.dep_ == "mark" and token.lower_ in marks:
            clause = token.head
            return " ".join(
                ctx.text[
                    clause.left_edge.idx : clause.right_edge.idx + len(clause.right_edge)
                ].split()
            )
    match = re.search(r"\bor (?:else|face)\b[^.;]*", ctx.text[region[0] : region[1]], re.I)
    return " ".join(match.group(0).split()) if match else None


# -- date -----------------------------------------------------------------------------


def _date(
    found: _Found,
    sent: Span,
    sentences: list[Span],
    n: int,
    ctx: DocContext,
    lexicon: StatementLexicon,
) -> tuple[dt.date | None, str, str]:
    """(date, precision, basis): stated in the verb's frame, else from context, else published."""
    stated = [m for m in ctx.dates_in(sent) if _frames(m, found, ctx, lexicon)]
    if stated:
        m = stated[0]
        return m.date, m.precision, "stated"
    if _undated(found.trigger, lexicon):
        return None, "unknown", "unknown"
    earliest = _paragraph_before(ctx.text, sent.start_char)
    before = [
        m for m in ctx.dates
        if earliest <= m.start < sent.start_char and m.precision == "day"
        and (ctx.published is None or m.date <= ctx.published)
    ]  # fmt: skip
    if before:
        return before[-1].date, "day", "context"
    if ctx.published is not None:
        return ctx.published, "unknown", "published"
    return None, "unknown", "unknown"


def _paragraph_before(text: str, char: int) -> int:
    """Where the paragraph before the one holding `char` starts: the context of a date."""
    start = text.rfind("\n", 0, char)
    while start > 0 and text[start - 1] == "\n":
        start -= 1
    return text.rfind("\n", 0, max(start, 0)) + 1 if start > 0 else 0


def _frames(
    mention: DateMention, found: _Found, ctx: DocContext, lexicon: StatementLexicon
) -> bool:
    """Whether the date belongs to the statement's frame, not to what it reports."""
    if _within(mention.start, mention.end, found.content):
        return False
    token = ctx.token_at(mention.start)
    if token is None:
        return False
    trigger = found.trigger
    chain = {trigger.i}
    head = trigger
    while _own_speech(head, lexicon) and head.dep_ in ("conj", "ccomp"):
        head = _speech_above(head, lexicon)
        chain.add(head.i)
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
        chain.add(head.i)
    for ancestor in [token, *token.ancestors]:
        if ancestor.i in chain:
            return True
        if ancestor.pos_ in ("VERB", "AUX") and ancestor.i != token.i:
            return False
    return False


def _undated(trigger: Token, lexicon: StatementLexicon) -> bool:
    words = set(lexicon.undated_adverbs)
    verbs = [trigger, *(c for c in trigger.children if c.dep_ == "acl")]
    return any(c.dep_ == "advmod" and c.lower_ in words for v in verbs for c in v.children)


# -- channel, outlet and targets -------------------------------------------------------


def _frame_text(found: _Found, sent: Span, ctx: DocContext) -> str:
    """The sentence less the reported words: where the channel and the outlet are named."""
    text = ctx.text[sent.start_char : sent.end_char]
    if found.content is None:
        return text
    start, end = found.content
    return (
        ctx.text[sent.start_char : max(sent.start_char, start)]
        + " "
        + ctx.text[min(end, sent.end_char) : sent.end_char]
    )


def _channel(
    found: _Found, sent: Span, ctx: DocContext, lexicon: StatementLexicon
) -> tuple[str | None, str | None, str | None]:
    """(outlet name, outlet actor id, channel kind)."""
    frame = _frame_text(found, sent, ctx)
    outlet, outlet_id, channel = None, None, None
    for ref in ctx.actors_in(sent):
        actor = ctx.actors_kb.get(str(ref.actor_id))
        if actor is not None and actor.kind == "media_outlet" and ref.text in frame:
            outlet, outlet_id = actor.name, actor.actor_id
            break
    if outlet is None:
        for entry in lexicon.outlets:
            names = [entry.name, *entry.aliases]
            if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", frame) for n in names):
                outlet, channel = entry.name, entry.channel
                break
    lower = f" {frame.lower()} "
    for phrase, kind in lexicon.channel_phrases:
        if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", lower):
            return outlet, outlet_id, kind
    return outlet, outlet_id, channel


def _targets(found: _Found, ctx: DocContext, speaker: _Speaker, outlet_id: str | None) -> list[str]:
    """Actors named in the reported words, other than the speaker, its group and the outlet."""
    region = found.content
    if region is None:
        return []
    skip = {speaker.actor_id, speaker.on_behalf_of, outlet_id}
    addressed = set(_actors_in(ctx, found.addressees))
    inside = [
        r.actor_id for r in ctx.entities if r.actor_id and region[0] <= r.start_char < region[1]
    ]
    return [a for a in dict.fromkeys(inside) if a not in skip and a not in addressed]


def _actors_in(ctx: DocContext, regions: Sequence[tuple[int, int]]) -> list[str]:
    ids: list[str] = []
    for region in regions:
        for ref in _refs_in(ctx, region):
            if ref.actor_id and ref.actor_id not in ids:
                ids.append(ref.actor_id)
    return ids


# -- nesting and key dates -------------------------------------------------------------


def _nested(statements: list[Statement], triggers: list[int]) -> list[Statement]:
    """Drop a statement inside another's words by the same speaker; mark who reported the rest."""
    kept: list[Statement] = []
    for statement, char in zip(statements, triggers, strict=True):
        outer = next((o for o in statements if o is not statement and _holds(o, char)), None)
        if outer is None:
            kept.append(statement)
        elif outer.group_id != statement.group_id:
            kept.append(statement.model_copy(update={"reported_by": outer.group_id}))
    return [s.model_copy(update={"id": f"{s.document_id}-s{n}"}) for n, s in enumerate(kept, 1)]


def _holds(outer: Statement, char: int) -> bool:
    content = outer.content
    return content is not None and content.start <= char < content.end


def statement_key_dates(
    statements: Sequence[Statement], key_dates: Sequence[KeyDate]
) -> list[KeyDate]:
    """The key dates with each deadline a statement sets: an existing one gains the speaker.

    >>> s = Statement(id="s1", document_id="d", speaker_id="x", speaker_name="X",
    ...               kind="ultimatum", deadline=dt.date(2020, 3, 15))
    >>> [(k.date.isoformat(), k.kind, k.actor_ids) for k in statement_key_dates([s], [])]
    [('2020-03-15', 'deadline', ['x'])]
    """
    result = list(key_dates)
    for statement in statements:
        if statement.deadline is None:
            continue
        actors = list(dict.fromkeys([statement.speaker_id, statement.group_id]))
        same = next(
            (
                n
                for n, k in enumerate(result)
                if k.date == statement.deadline and k.kind == "deadline"
            ),
            None,
        )
        if same is not None:
            known = result[same]
            result[same] = known.model_copy(
                update={"actor_ids": list(dict.fromkeys([*known.actor_ids, *actors]))}
            )
            continue
        words = statement.content.text if statement.content else statement.verb
        result.append(
            KeyDate(
                date=statement.deadline,
                what=_label(f"deadline set by {statement.speaker_name}: {words}"),
                kind="deadline",
                document_id=statement.document_id,
                actor_ids=actors,
                span=statement.span,
            )
        )
    return result


def _label(words: str, limit: int = 140) -> str:
    plain = " ".join(words.split())
    return plain if len(plain) <= limit else plain[:limit].rsplit(" ", 1)[0] + "…"

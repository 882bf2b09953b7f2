"""English people: the name span without rank or possessive, canonical name, rank as written.

Conventions (NOTES.md): the span is the name as written, initials kept ("Ivan S.
Konev"); `name` is given name + surname without rank or patronymic initial; `rank`
is as written. Place names built on a surname ("Stalingrad") are not people.
"""
from __future__ import annotations

import pytest
from pipeline.nlp import extractor


def _people(mentions_of, text):
    ps = mentions_of(text, "person")
    for p in ps:
        assert text[p["start"]:p["end"]] == p["text"], "offsets must index the original text"
    return ps


def _one(mentions_of, text, span):
    ps = _people(mentions_of, text)
    hits = [p for p in ps if p["text"] == span]
    assert len(hits) == 1, f"expected one person {span!r}, got {[p['text'] for p in ps]}"
    assert hits[0]["start"] == text.index(span)
    return hits[0]


@pytest.mark.parametrize(
    "text,span,name,rank",
    [
        ("General Polkovnik Ivan S. Konev took over the Steppe Front in July.",
         "Ivan S. Konev", "Ivan Konev", "General Polkovnik"),
        ("Generalfeldmarschall Erich von Manstein planned the counterstroke at Kharkov.",
         "Erich von Manstein", "Erich von Manstein", "Generalfeldmarschall"),
        ("Generaloberst Hermann Hoth led the panzer army north from Kotelnikovo.",
         "Hermann Hoth", "Hermann Hoth", "Generaloberst"),
        ("Colonel General Mikhail Kirponos was killed near Lokhvitsa.",
         "Mikhail Kirponos", "Mikhail Kirponos", "Colonel General"),
        ("General der Panzertruppe Walther Nehring commanded the corps on the Vistula.",
         "Walther Nehring", "Walther Nehring", "General der Panzertruppe"),
        ("The 62nd Army under General Vasily Chuikov held the factory district.",
         "Vasily Chuikov", "Vasily Chuikov", "General"),
        ("General-Major Pavel A. Rotmistrov brought his tanks up by night.",
         "Pavel A. Rotmistrov", "Pavel Rotmistrov", "General-Major"),
    ],
)
def test_people_rank_then_name(mentions_of, text, span, name, rank):
    p = _one(mentions_of, text, span)
    assert (p["name"], p["rank"]) == (name, rank)


@pytest.mark.parametrize(
    "text,span,side",
    [
        ("General Polkovnik Ivan S. Konev took over the Steppe Front in July.", "Ivan S. Konev", "SU"),
        ("Generaloberst Hermann Hoth led the panzer army north from Kotelnikovo.", "Hermann Hoth", "DE"),
        ("General der Panzertruppe Walther Nehring commanded the corps on the Vistula.", "Walther Nehring", "DE"),
    ],
)
def test_people_side_from_rank(mentions_of, text, span, side):
    assert _one(mentions_of, text, span)["side"] == side


@pytest.mark.parametrize(
    "text,span,name,rank,start",
    [
        ("Major General Ivan Panfilov’s 316th Rifle Division held the Volokolamsk road.",
         "Ivan Panfilov", "Ivan Panfilov", "Major General", 14),
        ("Colonel Ivan Yakubovsky’s 91st Tank Brigade entered Fastov at dawn.",
         "Ivan Yakubovsky", "Ivan Yakubovsky", "Colonel", 8),
        ("On 3 March General Major Ivan D. Chernyakhovsky’s 60th Army took Lgov.",
         "Ivan D. Chernyakhovsky", "Ivan Chernyakhovsky", "General Major", 25),
    ],
)
def test_people_possessive_before_formation_curly_apostrophe(mentions_of, text, span, name, rank, start):
    p = _one(mentions_of, text, span)
    assert (p["start"], p["end"], p["name"], p["rank"]) == (start, start + len(span), name, rank)


def test_people_bare_possessive_before_formation(mentions_of):
    text = "Chuikov’s 8th Guards Army forced the Dnieper south of Zaporozhye."
    p = _one(mentions_of, text, "Chuikov")
    assert (p["start"], p["end"], p["name"], p["rank"]) == (0, 7, "Vasily Chuikov", None)


def test_people_after_formation_with_of(mentions_of):
    text = "The 13th Army of General Pukhov held the line at Ponyri."
    p = _one(mentions_of, text, "Pukhov")
    assert p["rank"] == "General"


def test_people_surname_repeat_takes_full_name(mentions_of):
    text = ("General-Major Pavel A. Rotmistrov brought his tanks up by night. "
            "At Prokhorovka Rotmistrov lost half of them.")
    ps = _people(mentions_of, text)
    assert [(p["text"], p["name"], p["rank"]) for p in ps] == [
        ("Pavel A. Rotmistrov", "Pavel Rotmistrov", "General-Major"),
        ("Rotmistrov", "Pavel Rotmistrov", None),
    ]


def test_people_surname_is_not_matched_inside_place_name(mentions_of):
    text = "The siege of Stalingrad dragged on. Stalin approved the plan on 13 November."
    ps = _people(mentions_of, text)
    assert [(p["text"], p["start"], p["name"]) for p in ps] == [("Stalin", 36, "Joseph Stalin")]


@pytest.mark.parametrize(
    "text",
    [
        "The siege of Stalingrad dragged on into the winter.",
        "The orders came from Moscow; German troops still held Kursk and Orel.",
        "Operation Uranus began in thick fog.",
        "The Soviet 40th Army and the Hungarian 2nd Army faced each other on the Don.",
    ],
)
def test_people_places_and_units_are_not_people(mentions_of, text):
    assert _people(mentions_of, text) == []


def test_people_rank_is_not_part_of_span(mentions_of):
    text = "Marshal of the Soviet Union Semyon Timoshenko inspected the Southwestern Front."
    p = _one(mentions_of, text, "Semyon Timoshenko")
    assert p["rank"] == "Marshal of the Soviet Union"
    assert p["side"] == "SU"


def test_people_bare_surname_known_to_the_knowledge_base(mentions_of):
    text = "Konev’s troops crossed the river; a week later Konev was promoted."
    ps = _people(mentions_of, text)
    assert [(p["text"], p["start"], p["name"]) for p in ps] == [("Konev", 0, "Ivan Konev"), ("Konev", 47, "Ivan Konev")]


@pytest.mark.parametrize(
    "text,span,name,rank",
    [
        ("General Ivan Kh. Bagramyan commanded the 11th Guards Army.", "Ivan Kh. Bagramyan", "Ivan Bagramyan",
         "General"),
        ("Marshal Rodion Ya. Malinovsky commanded the 2nd Ukrainian Front.", "Rodion Ya. Malinovsky",
         "Rodion Malinovsky", "Marshal"),
    ],
)
def test_people_two_letter_patronymic_initial(mentions_of, text, span, name, rank):
    ps = _people(mentions_of, text)
    assert [(p["text"], p["name"], p["rank"]) for p in ps] == [(span, name, rank)]


@pytest.mark.parametrize("text,expected", [
    # the statistical NER is taken only with context or the knowledge base behind it
    ("According to historian Maxwell Orrin, the attack failed.", ["Maxwell Orrin"]),
    ("Torvald Sennet wrote that the bridge was lost.", ["Torvald Sennet"]),
    ("Brannock's official figures give 2,000 dead.", ["Brannock"]),
    ("The Lodeyno Pocket was closed in March.", []),
    ("Operation Belaya Zarya opened the winter campaign.", []),
    ("Poland's official data give 2,000 dead.", []),
])
def test_a_name_of_the_statistical_ner_needs_context(text, expected):
    _, mentions = extractor("en").extract(text)
    assert [m.text for m in mentions if m.type == "person"] == expected

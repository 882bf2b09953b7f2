"""Entities across documents and languages."""
from pipeline.batch import process_text
from pipeline.reconcile import entities


def test_people_and_formations_meet_across_languages():
    en = process_text("en.txt", "General Konstantin K. Rokossovsky's Central Front and the 2nd Tank Army "
                                "attacked; Rokossovsky reported to Stalin.", "en")
    zh = process_text("zh.txt", "羅科索夫斯基指揮中央方面軍,斯大林下令第2坦克集團軍出擊。", "zh-Hant")
    ents = entities.resolve([en, zh])
    by_id = {e.id: e for e in ents}
    roko = [m.entity for r in (en, zh) for m in r.mentions if m.type == "person" and "Rokossovsky" in m.name]
    assert len(roko) >= 3 and len(set(roko)) == 1
    assert set(by_id[roko[0]].aliases) == {"en", "zh"}
    stalin = {m.entity for r in (en, zh) for m in r.mentions if m.type == "person" and m.name == "Joseph Stalin"}
    assert len(stalin) == 1


def test_different_people_with_one_surname_stay_apart():
    rec = process_text("a.txt", "General Vasily I. Kuznetsov led the 1st Shock Army while Colonel General "
                                "Fyodor I. Kuznetsov commanded the Northwestern Front.", "en")
    ents = entities.resolve([rec])
    names = sorted(e.name for e in ents if e.type == "person")
    assert names == ["Fyodor Kuznetsov", "Vasily Kuznetsov"]


def test_entity_ids_are_stable_across_runs():
    text = "The 65th Army under Batov crossed the Don."
    a = entities.resolve([process_text("a.txt", text, "en")])
    b = entities.resolve([process_text("a.txt", text, "en")])
    assert [e.id for e in a] == [e.id for e in b]

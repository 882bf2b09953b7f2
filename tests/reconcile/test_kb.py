"""Integrity of the knowledge base (models/kb) and behaviour of its loader."""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from pipeline.reconcile.kb import (DEFAULT_ROOT, ECHELONS, SIDES, KBCommand, KnowledgeBase, fold_surname,
                                   formation_id_prefix, load_kb)

FILES = ("people.json", "formations.json", "places.json")

CANONICAL = [
    "Joseph Stalin", "Konstantin Rokossovsky", "Vasily Kuznetsov", "Andrey Vlasov", "Pavel Batov",
    "Ivan Chistyakov", "Herman Tarasov", "Aleksei Rodin", "Vladimir Kryukov", "Günther von Kluge",
    "Walter Weiss", "Joachim Peiper", "Erwin Rommel", "Issa Pliyev", "Mikhail Yefremov", "Richard Ruoff",
    "Walter Model", "Ivan Shvetsov", "Adolf Hitler", "Georg-Hans Reinhardt", "Andrey Yeryomenko",
    "Georgy Zhukov",
]

# characters that exist only in one script (a Simplified form inside a Traditional entry, or back)
SIMPLIFIED_ONLY = set("军团师罗尔维诺马乌兰亚缅叶卢库苏赖莱兹济谢东别乔伦华顿聂装卫击战骑机劳贝")
TRADITIONAL_ONLY = set("軍團師羅爾維諾馬烏蘭亞緬葉盧庫蘇賴萊茲濟謝東別喬倫華頓聶裝衛擊戰騎機勞貝")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.fixture(scope="module")
def raw() -> dict[str, dict]:
    return {f: json.loads((DEFAULT_ROOT / f).read_text(encoding="utf-8")) for f in FILES}


# ----------------------------------------------------------------------------- file format

def test_files_are_versioned_utf8_json_with_two_space_indent(raw):
    for fname, data in raw.items():
        assert data["version"] == "1"
        text = (DEFAULT_ROOT / fname).read_text(encoding="utf-8")
        assert text == json.dumps(data, ensure_ascii=False, indent=2) + "\n", f"{fname} is not canonically formatted"


def test_default_load_is_cached(kb):
    assert load_kb() is kb
    assert load_kb(DEFAULT_ROOT) is kb


def test_ids_unique_and_lower_snake(kb):
    for items in (kb.people, kb.formations, kb.places):
        ids = [x.id for x in items]
        dupes = [i for i, n in Counter(ids).items() if n > 1]
        assert not dupes
        for i in ids:
            assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", i), i


def test_coverage(kb):
    assert len(kb.people) >= 150
    assert len(kb.formations) >= 150
    assert len(kb.places) >= 80
    sides = Counter(p.side for p in kb.people)
    assert sides["SU"] >= 80 and sides["DE"] >= 50
    assert {"HU", "RO", "IT", "FI", "ROA"} <= set(sides)


# ----------------------------------------------------------------------------- people

def test_every_command_references_an_existing_formation(kb):
    fids = {f.id for f in kb.formations}
    dangling = [(p.id, c.formation) for p in kb.people for c in p.commands if c.formation not in fids]
    assert not dangling


def test_people_fields(kb):
    for p in kb.people:
        assert p.name == p.expected_name, p.id
        if p.surname_first:
            assert p.name == f"{p.surname} {p.given}", p.id
        assert p.side in SIDES
        assert p.zh_hans and p.zh_hant, p.id
        assert p.surname not in p.variants and p.name not in p.variants, p.id
        assert p.given not in p.given_variants, p.id
        if p.side == "SU" and p.patronymic:
            assert re.search(r"[\u0400-\u04ff]", p.original or ""), p.id
        for c in p.commands:
            assert c.from_ is None or c.to is None or c.from_[:4] <= c.to[:4], (p.id, c)


def test_people_ids_start_with_the_surname(kb):
    for p in kb.people:
        assert p.id.startswith(fold_surname(p.bare_surname).replace("-", "_").replace(" ", "_")), p.id


def test_chinese_scripts_are_not_mixed(kb):
    for p in kb.people:
        for s in [*p.zh_hans, *p.zh_full_hans]:
            assert not (set(s) & TRADITIONAL_ONLY), (p.id, s)
        for s in [*p.zh_hant, *p.zh_full_hant]:
            assert not (set(s) & SIMPLIFIED_ONLY), (p.id, s)
    for f in kb.formations:
        for s in f.names.zh_hans:
            assert not (set(s) & TRADITIONAL_ONLY), (f.id, s)
        for s in f.names.zh_hant:
            assert not (set(s) & SIMPLIFIED_ONLY), (f.id, s)
    for pl in kb.places:
        for s in pl.zh_hans:
            assert not (set(s) & TRADITIONAL_ONLY), (pl.id, s)
        for s in pl.zh_hant:
            assert not (set(s) & SIMPLIFIED_ONLY), (pl.id, s)


@pytest.mark.parametrize("name", CANONICAL)
def test_canonical_names_exist(kb, name):
    assert [p for p in kb.people if p.name == name], name


def test_several_kuznetsovs_are_kept_apart(kb):
    kuz = {p.id: p for p in kb.people_by_surname("Kuznetsov")}
    assert {"kuznetsov_vasily", "kuznetsov_fyodor"} <= set(kuz)
    assert kuz["kuznetsov_vasily"].name == "Vasily Kuznetsov"
    assert kuz["kuznetsov_fyodor"].name == "Fyodor Kuznetsov"


def test_khryukin_and_kryukov_are_different_people(kb):
    khryukin = kb.person("khryukin_timofey")
    kryukov = kb.person("kryukov_vladimir")
    assert khryukin.name == "Timofey Khryukin" and kryukov.name == "Vladimir Kryukov"
    assert fold_surname("Kryukov") not in {fold_surname(v) for v in [khryukin.surname, *khryukin.variants]}
    assert fold_surname("Khryukin") not in {fold_surname(v) for v in [kryukov.surname, *kryukov.variants]}
    assert not set(khryukin.chinese_names) & set(kryukov.chinese_names)
    assert [p.id for p in kb.people_by_surname("Khryukin")] == ["khryukin_timofey"]
    assert [p.id for p in kb.people_by_surname("Kryukov")] == ["kryukov_vladimir"]


def test_stalin(kb):
    stalin = kb.person("stalin_joseph")
    assert {"Iosif Stalin", "Josef Stalin"} <= set(stalin.variants)
    assert "斯大林" in stalin.zh_hans and "史達林" in stalin.zh_hant


def test_tarasov_given_variants(kb):
    assert {"German", "Gherman"} <= set(kb.person("tarasov_herman").given_variants)


# ----------------------------------------------------------------------------- look-ups

@pytest.mark.parametrize("query, pid", [
    ("rokossovskiy", "rokossovsky_konstantin"), ("Rokossovskii", "rokossovsky_konstantin"),
    ("Rokossowski", "rokossovsky_konstantin"), ("ROKOSSOVSKI", "rokossovsky_konstantin"),
    ("Eremenko", "yeryomenko_andrey"), ("Jeremenko", "yeryomenko_andrey"), ("Schukow", "zhukov_georgy"),
    ("Kluge", "kluge_gunther"), ("von Kluge", "kluge_gunther"), ("Schoerner", "schorner_ferdinand"),
    ("Schörner", "schorner_ferdinand"), ("Weiß", "weiss_walter"), ("Pliev", "pliyev_issa"),
    ("Budenny", "budyonny_semyon"), ("Chuikov", "chuikov_vasily"), ("Fretter-Pico", "fretter_pico_maximilian"),
])
def test_people_by_surname(kb, query, pid):
    assert pid in [p.id for p in kb.people_by_surname(query)]


@pytest.mark.parametrize("text, pid", [
    ("羅科索夫斯基", "rokossovsky_konstantin"), ("罗科索夫斯基", "rokossovsky_konstantin"),
    ("康斯坦丁·罗科索夫斯基", "rokossovsky_konstantin"), ("康斯坦丁・羅科索夫斯基", "rokossovsky_konstantin"),
    ("史達林", "stalin_joseph"), ("葉廖門科", "yeryomenko_andrey"), ("古德林", "guderian_heinz"),
    ("派佩爾", "peiper_joachim"), ("普利耶夫", "pliyev_issa"), ("隆美爾", "rommel_erwin"),
    ("賴因哈特", "reinhardt_georg_hans"), ("萊因哈特", "reinhardt_georg_hans"), ("什韋佐夫", "shvetsov_ivan"),
])
def test_people_by_chinese(kb, text, pid):
    assert pid in [p.id for p in kb.people_by_chinese(text)]


def test_all_chinese_names(kb):
    names = kb.all_chinese_names()
    assert names["罗科索夫斯基"] == ["rokossovsky_konstantin"]
    assert set(names["库兹涅佐夫"]) >= {"kuznetsov_vasily", "kuznetsov_fyodor"}
    for p in kb.people:
        for s in p.chinese_names:
            assert p.id in names[s]


def test_commanders_of(kb):
    central = kb.commanders_of("su_front_central")
    assert [p.id for p, _ in central if _.from_ == "1943-02"] == ["rokossovsky_konstantin"]
    assert [p.id for p, _ in kb.commanders_of("su_front_central", on="1943-03-01")] == ["rokossovsky_konstantin"]
    mitte_1943 = [p.id for p, _ in kb.commanders_of("de_army_group_mitte", on="1943-03")]
    assert mitte_1943 == ["kluge_gunther"]
    assert "kryukov_vladimir" in [p.id for p, _ in kb.commanders_of("su_corps_cavalry_guards_2", on="1943-03")]
    assert "khryukin_timofey" in [p.id for p, _ in kb.commanders_of("su_army_air_8")]
    with pytest.raises(KeyError):
        kb.commanders_of("su_army_999")


@pytest.mark.parametrize("key, fid", [
    (("DE", "army_group", None, None, False, "Mitte"), "de_army_group_mitte"),
    (("DE", "army_group", None, None, False, "Centre"), "de_army_group_mitte"),
    (("DE", "army_group", None, None, False, "Süd"), "de_army_group_sud"),
    (("DE", "army_group", None, None, False, "South Ukraine"), "de_army_group_sudukraine"),
    (("SU", "front", None, None, False, "Central"), "su_front_central"),
    (("SU", "front", None, None, False, "West"), "su_front_west"),
    (("SU", "front", None, None, False, "Western"), "su_front_west"),
    (("SU", "front", None, None, False, "Kalinin"), "su_front_kalinin"),
    (("SU", "front", 1, None, False, "Ukrainian"), "su_front_1st_ukrainian"),
    (("SU", "front", None, None, False, "1st Ukrainian"), "su_front_1st_ukrainian"),
    (("SU", "army", 65, None, False, None), "su_army_65"),
    (("SU", "army", 2, "tank", False, None), "su_army_tank_2"),
    (("SU", "army", 1, "tank", True, None), "su_army_tank_guards_1"),
    (("SU", "army", 3, "shock", False, None), "su_army_shock_3"),
    (("SU", "corps", 2, "cavalry", True, None), "su_corps_cavalry_guards_2"),
    (("DE", "army", 2, "panzer", False, None), "de_army_panzer_2"),
    (("DE", "group", 3, "panzer", False, None), "de_army_panzer_3"),
    (("DE", "army", 4, "armoured", False, None), "de_army_panzer_4"),
    (("DE", "army", 2, None, False, None), "de_army_2"),
    (("DE", "army", None, None, False, "Kempf"), "de_army_kempf"),
    (("DE", "army_group", None, None, False, "Kempf"), "de_army_kempf"),
    (("ROA", "army", None, None, False, "Russian Liberation Army"), "roa_army_russian_liberation_army"),
    (("HU", "army", 2, None, False, None), "hu_army_2"),
])
def test_formation_by_key(kb, key, fid):
    f = kb.formation_by_key(*key)
    assert f is not None and f.id == fid


def test_formation_by_key_unknown_or_ambiguous(kb):
    assert kb.formation_by_key("SU", "army", 999) is None
    assert kb.formation_by_key("DE", "division", 1, "panzer") is None  # not the 1st SS Panzer Division
    assert kb.formation_by_key("SU", "front", 1) is None  # 1st Baltic / Belorussian / Ukrainian ...


# ----------------------------------------------------------------------------- formations and places

def test_formation_fields(kb):
    for f in kb.formations:
        assert f.echelon in ECHELONS and f.side in SIDES
        assert f.names.en, f.id
        assert f.names.zh_hans, f.id
        assert f.names.zh_hant, f.id
        if f.name is not None:
            assert f.id.startswith(f"{formation_id_prefix(f.side)}_{f.echelon}_"), f.id
        else:
            parts = [formation_id_prefix(f.side), f.echelon, *([f.branch] if f.branch else []),
                     *(["guards"] if f.guards else []), str(f.number)]
            assert f.id == "_".join(parts), f.id


def test_required_formations_present(kb):
    for fid in ["su_front_west", "su_front_kalinin", "su_front_bryansk", "su_front_central", "su_front_voronezh",
                "su_front_southwest", "su_front_south", "su_front_stalingrad", "su_front_don",
                "su_front_north_caucasus", "su_front_transcaucasus", "su_front_leningrad", "su_front_volkhov",
                "su_front_northwest", "su_front_karelian", "su_front_reserve", "su_front_steppe",
                "su_front_1st_baltic", "su_front_3rd_baltic", "su_front_1st_belorussian",
                "su_front_3rd_belorussian", "su_front_1st_ukrainian", "su_front_4th_ukrainian",
                "su_army_shock_5", "su_army_guards_11", "su_army_tank_guards_6", "su_army_tank_2",
                "su_corps_cavalry_guards_1", "su_corps_cavalry_guards_2", "su_corps_cavalry_11",
                "su_corps_airborne_4", "de_army_group_nord", "de_army_group_mitte", "de_army_group_sud",
                "de_army_group_a", "de_army_group_b", "de_army_group_don", "de_army_group_nordukraine",
                "de_army_group_sudukraine", "de_army_group_kurland", "de_army_group_weichsel",
                "de_army_2", "de_army_4", "de_army_6", "de_army_8", "de_army_9", "de_army_11", "de_army_16",
                "de_army_17", "de_army_18", "de_army_panzer_1", "de_army_panzer_4", "hu_army_2", "ro_army_3",
                "ro_army_4", "it_army_8", "roa_army_russian_liberation_army"]:
        assert kb.has_formation(fid), fid
    for n in range(1, 71):
        assert kb.has_formation(f"su_army_{n}")
    roa = kb.formation("roa_army_russian_liberation_army")
    assert roa.side == "ROA" and roa.name == "Russian Liberation Army"
    assert "Russische Befreiungsarmee" in roa.names.de and "俄罗斯解放军" in roa.names.zh_hans
    assert "俄羅斯解放軍" in roa.names.zh_hant
    kalinin = kb.formation("su_front_kalinin").names.zh_hant
    assert "加里寧方面軍" in kalinin and ("加裏寧方面軍" in kalinin or "加裡寧方面軍" in kalinin)
    assert {"中央集團軍群", "中央集團軍羣"} <= set(kb.formation("de_army_group_mitte").names.zh_hant)
    assert "第4裝甲軍團" in kb.formation("de_army_panzer_4").names.zh_hant
    assert "第2戰車軍團" in kb.formation("su_army_tank_2").names.zh_hant
    assert "Panzergruppe 3" in kb.formation("de_army_panzer_3").names.de


def test_places(kb):
    for pl in kb.places:
        assert pl.zh_hans and pl.zh_hant, pl.id
        assert pl.name not in pl.variants
    for name in ["Moscow", "Sevsk", "Trubchevsk", "Novgorod-Seversky", "Dnieper", "Desna", "Bobruisk",
                 "Velikiye Luki", "Vop", "Königsberg"]:
        assert kb.places_by_name(name), name
    assert [p.id for p in kb.places_by_name("Dniepr")] == ["dnieper"]
    assert "bobruisk" in [p.id for p in kb.places_by_name("博布魯伊斯克")]


def test_formations_by_name(kb):
    assert [f.id for f in kb.formations_by_name("Heeresgruppe Mitte")] == ["de_army_group_mitte"]
    assert [f.id for f in kb.formations_by_name("2nd tank army")] == ["su_army_tank_2"]


# ----------------------------------------------------------------------------- broken data

@pytest.fixture()
def kb_copy(tmp_path) -> Path:
    for f in FILES:
        shutil.copy(DEFAULT_ROOT / f, tmp_path / f)
    return tmp_path


def _edit(path: Path, fn) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def test_copy_loads(kb_copy):
    assert len(load_kb(kb_copy).people) == len(load_kb().people)


def test_dangling_command_is_rejected(kb_copy):
    def add(data):
        data["people"][0]["commands"].append({"formation": "su_army_999", "from": "1943", "to": None})
    _edit(kb_copy / "people.json", add)
    with pytest.raises(ValueError, match=r"su_army_999") as exc:
        load_kb(kb_copy)
    assert "people.json" in str(exc.value)


def test_duplicate_id_is_rejected(kb_copy):
    _edit(kb_copy / "formations.json", lambda d: d["formations"].append(dict(d["formations"][0])))
    with pytest.raises(ValueError, match=r"formations\.json.*duplicate id 'su_front_west'"):
        load_kb(kb_copy)


@pytest.mark.parametrize("field, value, message", [
    ("side", "XX", "side"), ("id", "Bad-Id", "lower_snake"), ("unknown_field", 1, "unknown_field"),
])
def test_invalid_person_is_rejected(kb_copy, field, value, message):
    def bad(data):
        data["people"][1][field] = value
    _edit(kb_copy / "people.json", bad)
    with pytest.raises(ValueError, match=message) as exc:
        load_kb(kb_copy)
    assert "people.json" in str(exc.value) and "people[1]" in str(exc.value)


def test_invalid_date_is_rejected(kb_copy):
    def bad(data):
        zhukov = next(p for p in data["people"] if p["id"] == "zhukov_georgy")
        zhukov["commands"][0]["from"] = "spring 1942"
    _edit(kb_copy / "people.json", bad)
    with pytest.raises(ValueError, match=r"people\.json.*zhukov_georgy.*spring 1942"):
        load_kb(kb_copy)


def test_invalid_echelon_is_rejected(kb_copy):
    _edit(kb_copy / "formations.json", lambda d: d["formations"][0].update(echelon="platoon"))
    with pytest.raises(ValueError, match=r"formations\.json.*su_front_west.*echelon"):
        load_kb(kb_copy)


def test_command_dates():
    c = KBCommand.model_validate({"formation": "su_army_16", "from": "1941-08", "to": "1942-07"})
    assert c.covers("1942") and c.covers("1941-08-15") and not c.covers("1942-08")
    assert c.model_dump() == {"formation": "su_army_16", "from": "1941-08", "to": "1942-07"}
    with pytest.raises(ValueError):
        KBCommand.model_validate({"formation": "su_army_16", "from": "1943", "to": "1942"})
    with pytest.raises(ValueError):
        KBCommand.model_validate({"formation": "su_army_16", "from": "1943-13"})


# ----------------------------------------------------------------------------- the war in China 1937-45

CHINA_SIDES = ("CN", "CN_CCP", "JP", "MK", "MN")


def test_china_coverage(kb):
    people = Counter(p.side for p in kb.people if p.side in CHINA_SIDES)
    formations = Counter(f.side for f in kb.formations if f.side in CHINA_SIDES)
    assert sum(people.values()) >= 200 and sum(formations.values()) >= 200
    assert set(people) == set(CHINA_SIDES) and set(formations) == set(CHINA_SIDES)
    assert people["CN"] >= 100 and people["CN_CCP"] >= 30 and people["JP"] >= 35
    assert sum(len(p.commands) for p in kb.people if p.side in CHINA_SIDES) >= 150


def test_china_formations_present(kb):
    for n in range(1, 13):
        assert kb.has_formation(f"cn_front_{n}"), n
    for n in [*range(1, 18), *range(19, 41)]:
        assert kb.has_formation(f"cn_army_group_{n}"), n
    for n in range(1, 101):
        assert kb.has_formation(f"cn_corps_{n}"), n
    for fid in ["cn_division_57", "cn_division_200", "cn_division_new_38", "cn_corps_new_1", "cn_group_1",
                "jp_army_group_north_china", "jp_army_group_central_china", "jp_army_group_central_china_expeditionary",
                "jp_army_group_china_expeditionary", "jp_army_group_shanghai_expeditionary", "jp_army_kwantung_army",
                "jp_army_mongolia_garrison_army", "jp_army_11", "jp_division_6", "jp_division_23",
                "ccp_army_eighth_route_army", "ccp_army_new_fourth_army", "ccp_division_115", "ccp_division_120",
                "ccp_division_129", "ccp_brigade_detachment_1", "mk_army_xingan_army", "mn_division_cavalry_6"]:
        assert kb.has_formation(fid), fid
    assert not kb.has_formation("cn_army_group_18")   # the 18th Army Group is the Eighth Route Army
    assert "第十八集團軍" in kb.formation("ccp_army_eighth_route_army").names.zh_hant


@pytest.mark.parametrize("fid, hant, hans, en", [
    ("cn_front_5", ["第五戰區", "第5戰區"], ["第五战区", "第5战区"], ["5th War Area", "Fifth War Area"]),
    ("cn_army_group_20", ["第二十集團軍", "第20集團軍"], ["第二十集团军"], ["20th Army Group"]),
    ("cn_corps_10", ["第十軍", "第10軍"], ["第十军", "第10军"], ["10th Corps", "10th Army", "Tenth Army"]),
    ("cn_division_200", ["第200師", "第二百師", "第二〇〇師"], ["第200师"], ["200th Division"]),
    ("jp_army_group_north_china", ["華北方面軍", "北支那方面軍"], ["华北方面军"], ["North China Area Army"]),
    ("jp_army_group_china_expeditionary", ["支那派遣軍", "中國派遣軍"], ["中国派遣军"], ["China Expeditionary Army"]),
    ("jp_army_kwantung_army", ["關東軍"], ["关东军"], ["Kwantung Army"]),
    ("jp_division_23", ["第23師團", "第二十三師團", "23師團"], ["第23师团"], ["23rd Division"]),
    ("ccp_division_115", ["第一一五師", "一一五師", "第115師"], ["八路军一一五师"], ["115th Division"]),
    ("ccp_army_new_fourth_army", ["新四軍"], ["新四军"], ["New Fourth Army"]),
])
def test_china_formation_names(kb, fid, hant, hans, en):
    f = kb.formation(fid)
    assert set(hant) <= set(f.names.zh_hant) and set(hans) <= set(f.names.zh_hans) and set(en) <= set(f.names.en)


def test_numbered_chinese_formations_have_both_numerals(kb):
    for f in kb.formations:
        if f.side in ("CN", "JP") and f.number is not None and f.branch is None:
            assert any(str(f.number) in s for s in f.names.zh_hant), f.id
            assert any(not re.search(r"\d", s) for s in f.names.zh_hant), f.id


@pytest.mark.parametrize("key, fid", [
    (("CN", "front", 5), "cn_front_5"), (("CN", "army_group", 20), "cn_army_group_20"),
    (("CN", "corps", 74), "cn_corps_74"), (("CN", "division", 57), "cn_division_57"),
    (("CN", "group", 1), "cn_group_1"), (("JP", "army", 11), "jp_army_11"), (("JP", "division", 6), "jp_division_6"),
    (("JP", "army_group", None, None, False, "North China Area Army"), "jp_army_group_north_china"),
    (("JP", "army", None, None, False, "Kwantung Army"), "jp_army_kwantung_army"),
    (("JP", "group", None, None, False, "Chahar Expeditionary Force"), "jp_group_chahar_expeditionary_force"),
    (("CN_CCP", "army", None, None, False, "Eighth Route Army"), "ccp_army_eighth_route_army"),
    (("CN_CCP", "division", 129), "ccp_division_129"),
    (("CN", "division", 38, "new"), "cn_division_new_38"),
])
def test_china_formation_by_key(kb, key, fid):
    f = kb.formation_by_key(*key)
    assert f is not None and f.id == fid


def test_formation_id_prefix():
    assert formation_id_prefix("CN_CCP") == "ccp" and formation_id_prefix("JP") == "jp"
    assert formation_id_prefix("SU") == "su"


@pytest.mark.parametrize("text, pid", [
    ("薛岳", "xue_yue"), ("薛", "xue_yue"), ("錫九", "hao_mengling"), ("锡九", "hao_mengling"), ("郝", "hao_mengling"),
    ("郝夢齡", "hao_mengling"), ("蔣介石", "chiang_kai_shek"), ("蒋中正", "chiang_kai_shek"), ("介石", "chiang_kai_shek"),
    ("李宗仁", "li_zongren"), ("德鄰", "li_zongren"), ("閻錫山", "yan_xishan"), ("衛立煌", "wei_lihuang"),
    ("張自忠", "zhang_zizhong"), ("戴安澜", "dai_anlan"), ("朱德", "zhu_de"), ("八", None),
    ("岡村寧次", "okamura_yasuji"), ("冈村宁次", "okamura_yasuji"), ("岡村", "okamura_yasuji"), ("畑俊六", "hata_shunroku"),
    ("板垣征四郎", "itagaki_seishiro"), ("西尾壽造", "nishio_toshizo"), ("西尾寿造", "nishio_toshizo"),
    ("橫山勇", "yokoyama_isamu"), ("横山勇", "yokoyama_isamu"), ("小松原道太郎", "komatsubara_michitaro"),
    ("安岡正臣", "yasuoka_masaomi"), ("東久邇宮稔彥", "higashikuni_naruhiko"), ("閑院宮載仁", "kanin_kotohito"),
    ("閒院宮載仁", "kanin_kotohito"), ("乔巴山", "choibalsan_khorloogiin"), ("喬巴山", "choibalsan_khorloogiin"),
])
def test_china_people_by_chinese(kb, text, pid):
    ids = [p.id for p in kb.people_by_chinese(text)]
    assert (pid in ids) if pid else not ids


def test_chinese_name_fields(kb):
    for p in kb.people:
        if p.side in ("CN", "CN_CCP", "MK"):
            assert p.surname_first and p.name == f"{p.surname} {p.given}", p.id
            assert p.zh_full_hant and p.original == p.zh_full_hant[0], p.id
            # the surname list holds the surname (or, for a surname that is a common word, the full name)
            assert all(any(f.startswith(s) for s in p.zh_hant) for f in p.zh_full_hant), p.id
        if p.side == "JP":
            assert not p.surname_first and p.name == f"{p.given} {p.surname}", p.id
            assert p.zh_full_hant[0].startswith(tuple(p.zh_hant)), p.id
        assert bool(p.zh_courtesy_hans) == bool(p.zh_courtesy_hant), p.id
    assert kb.person("komatsubara_michitaro").name == "Michitarō Komatsubara"
    assert kb.person("itagaki_seishiro").name == "Seishirō Itagaki"
    assert kb.person("kanin_kotohito").name == "Kotohito Kan'in"
    assert kb.person("chiang_kai_shek").name == "Chiang Kai-shek"
    assert kb.person("xue_yue").name == "Xue Yue"
    assert kb.person("choibalsan_khorloogiin").name == "Khorloogiin Choibalsan"


def test_accessors_for_chinese_names(kb):
    full = kb.chinese_full_names()
    assert full["薛岳"] == ["xue_yue"] and full["岡村寧次"] == ["okamura_yasuji"]
    assert "薛" not in full and "岡村" not in full                    # surnames are not full names
    assert full["康斯坦丁·罗科索夫斯基"] == ["rokossovsky_konstantin"]
    courtesy = kb.courtesy_names()
    assert courtesy["錫九"] == ["hao_mengling"] and courtesy["伯陵"] == ["xue_yue"]
    hao = kb.person("hao_mengling")
    assert hao.courtesy_names == ["锡九", "錫九"] and "錫九" in hao.chinese_names
    assert hao.chinese_surnames == ["郝"] and hao.chinese_full_names == ["郝梦龄", "郝夢齡"]


@pytest.mark.parametrize("text, pid", [
    ("Xue Yue", "xue_yue"), ("Yue Xue", "xue_yue"), ("Hsueh Yueh", "xue_yue"), ("Li Tsung-jen", "li_zongren"),
    ("Chiang Kai-shek", "chiang_kai_shek"), ("Chiang Kaishek", "chiang_kai_shek"), ("Jiang Jieshi", "chiang_kai_shek"),
    ("Seishiro Itagaki", "itagaki_seishiro"), ("Itagaki Seishirō", "itagaki_seishiro"),
    ("Konstantin Rokossovsky", "rokossovsky_konstantin"), ("Mao Tse-tung", "mao_zedong"),
])
def test_people_by_full_name(kb, text, pid):
    assert [p.id for p in kb.people_by_full_name(text)] == [pid]


def test_surname_first_variants_index_the_surname_not_the_given_name(kb):
    assert kb.people_by_surname("Tsung-jen") == []        # 'Li Tsung-jen' is surname first
    assert "li_zongren" in [p.id for p in kb.people_by_surname("Li")]
    assert [p.id for p in kb.people_by_surname("Okamura")] == ["okamura_yasuji"]
    assert [p.id for p in kb.people_by_surname("Tojo")] == ["tojo_hideki"]


def test_china_commanders_of(kb):
    assert [p.id for p, _ in kb.commanders_of("cn_front_9", on="1942")] == ["xue_yue"]
    assert [p.id for p, _ in kb.commanders_of("cn_front_9", on="1938-10")] == ["chen_cheng"]
    assert [p.id for p, _ in kb.commanders_of("jp_army_group_china_expeditionary", on="1943-05")] == ["hata_shunroku"]
    assert [p.id for p, _ in kb.commanders_of("jp_army_group_china_expeditionary", on="1945-03")] == ["okamura_yasuji"]
    assert [p.id for p, _ in kb.commanders_of("jp_army_kwantung_army", on="1941")] == ["umezu_yoshijiro"]
    assert [p.id for p, _ in kb.commanders_of("ccp_division_115", on="1937-09")] == ["lin_biao"]
    assert "zhukov_georgy" in [p.id for p, _ in kb.commanders_of("su_army_group_1", on="1939-08")]


def test_invalid_name_order_is_rejected(kb_copy):
    def bad(data):
        data["people"][1]["name_order"] = "family_first"
    _edit(kb_copy / "people.json", bad)
    with pytest.raises(ValueError, match="name_order"):
        load_kb(kb_copy)

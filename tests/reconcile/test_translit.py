"""Chinese transliterations linked to knowledge-base people by sound (pipeline/reconcile/translit.py,
names.link_chinese).

The phonetic matcher never reads the knowledge base's Chinese names (only its Latin surnames,
variants and given names), so every test here runs it on a knowledge base whose Chinese names
were deleted: it must find the person from the sound alone.  The leave-one-out test measures
precision and recall of `names.link_chinese` over every person of the knowledge base with that
person's Chinese names removed (all the others kept); the thresholds asserted are the measured
values less a small margin for future knowledge-base growth.

Measured (212 people; fuzz.ratio, ACCEPT 0.90, MARGIN 0.08):
  surnames   leave-one-out: 220 of 228 spellings linked, all to the right person (P 1.000, R 0.965);
             the 7 spellings namesakes share (Kuznetsov x3, Shvetsov x2, Schmidt x2): none guessed
  full names leave-one-out: 205 of 212 (P 1.000, R 0.967); namesakes told apart by the given name
  variant spellings not in the knowledge base (VARIANTS + HARD_VARIANTS): 60 of 68, none wrong
  negatives: none of NOT_PEOPLE (Chinese names, places, people the knowledge base lacks); 2 of the
  144 OTHER_PEOPLE surnames; none of the 321 place spellings of the knowledge base
  speed: ~0.2 ms a name with cold caches (index ~11 ms, once per knowledge base)
"""
from __future__ import annotations

import json
import re
import time
from collections import Counter

import pytest

from pipeline import resources
from pipeline.reconcile import names, translit
from pipeline.reconcile.kb import KnowledgeBase, load_kb

_ZH_FIELDS = ("zh_hans", "zh_hant", "zh_full_hans", "zh_full_hant")


def _without_chinese(kb: KnowledgeBase, ids: set[str] | None = None) -> KnowledgeBase:
    """A copy of `kb` whose people in `ids` (default: everybody) have no Chinese names."""
    people = [p.model_copy(update={f: [] for f in _ZH_FIELDS}) if ids is None or p.id in ids else p
              for p in kb.people]
    return KnowledgeBase(version="1", people=people, formations=kb.formations, places=kb.places)


def _surname_spellings(p) -> list[str]:
    return list(dict.fromkeys([*p.zh_hans, *(translit.to_simplified(s) for s in p.zh_hant)]))


def _full_spellings(p) -> list[str]:
    return list(dict.fromkeys([*p.zh_full_hans, *(translit.to_simplified(s) for s in p.zh_full_hant)]))


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.fixture(scope="module")
def bare_kb(kb) -> KnowledgeBase:
    """The knowledge base with every Chinese name deleted."""
    return _without_chinese(kb)


@pytest.fixture
def linked_to(monkeypatch):
    """`linked_to(kb)`: names.link_chinese answering from `kb` instead of the default one."""
    def _use(kb_):
        monkeypatch.setattr(names, "knowledge_base", lambda: kb_)
        return names.link_chinese
    return _use


# ----------------------------------------------------------------------------- the table

def test_table_is_simplified_and_well_formed():
    raw = resources.lexicon("zh", "translit")
    assert set(raw) == {"_doc", "version", "chars", "multi", "de", "place_endings", "feminine_endings"}
    for section in ("chars", "multi", "de"):
        for ch, opts in raw[section].items():
            assert translit.to_simplified(ch) == ch, f"{section}: {ch} is not Simplified"
            assert opts and len(set(opts)) == len(opts), f"{section}: {ch} {opts}"
            assert all(re.fullmatch(r"[a-z]+", o) for o in opts), f"{section}: {ch} {opts}"
    assert all(len(k) == 1 for k in raw["chars"]) and all(len(k) > 1 for k in raw["multi"])
    path = resources.models_path("lexicon", "zh", "translit.json")
    assert json.loads(path.read_text(encoding="utf-8")) == raw


@pytest.mark.parametrize("char, first", [
    ("斯基", "sky"), ("夫", "v"), ("科", "ko"), ("耶", "ye"), ("维", "vi"), ("奇", "ch"), ("茨", "ts"),
    ("什", "sh"), ("谢", "se"), ("克", "k"), ("尔", "r"), ("德", "d"), ("特", "t"), ("曼", "man"),
    ("施", "sh"), ("因", "in"), ("诺", "no"), ("罗", "ro"), ("洛", "lo"), ("列", "le"), ("林", "lin"),
    ("扬", "yan"), ("延", "yen"), ("米", "mi"), ("哈", "kha"), ("赫", "kh"),
])
def test_table_reads_the_xinhua_correspondences(char, first):
    t = translit._table()
    opts = t["multi"].get(char) or t["chars"][char]
    assert opts[0] == first


def test_table_covers_every_character_of_the_knowledge_bases_chinese_names(kb):
    """... of the transliterated names: Chinese and Japanese names are written in characters
    and never read by sound (their sides have no reading language)."""
    table = translit._table()["chars"]
    missing = {ch for p in kb.people if translit._SIDE_LANGS.get(p.side, ("ru", "de"))
               for s in p.chinese_names for ch in translit.to_simplified(s)
               if re.match(r"[\u3400-\u9fff]", ch) and ch not in table}
    assert not missing


def test_chinese_and_japanese_names_are_not_matched_by_sound(kb):
    for side in ("CN", "CN_CCP", "JP", "MK"):
        assert translit._SIDE_LANGS[side] == ()
    # an unknown spelling is never linked to a Chinese or Japanese person by its sound
    assert all(p.side not in ("CN", "CN_CCP", "JP", "MK") for p, _ in translit.match("薛月", kb=kb, limit=10))
    assert all(p.side not in ("CN", "CN_CCP", "JP", "MK") for p, _ in translit.match("冈村宁", kb=kb, limit=10))


# ----------------------------------------------------------------------------- keys and readings

@pytest.mark.parametrize("latin, lang, chinese", [
    ("Rokossovsky", "ru", "罗科索夫斯基"), ("Rokossowski", "ru", "罗科索夫斯基"),
    ("Rokossovskiy", "ru", "罗科索夫斯基"), ("Zhukov", "ru", "朱可夫"), ("Weichs", "de", "魏克斯"),
    ("Heinrici", "de", "海因里齐"), ("Bagramyan", "ru", "巴格拉米扬"),
    ("Kempf", "de", "肯普夫"), ("Yeryomenko", "ru", "叶廖缅科"), ("Guderian", "de", "古德里安"),
    ("Halder", "de", "哈尔德"), ("Kusnezow", "ru", "库兹涅佐夫"), ("Reiter", "ru", "赖特尔"),
])
def test_a_name_and_its_chinese_reading_share_a_phonetic_key(latin, lang, chinese):
    reading_keys = {translit.phonetic_key(r) for r in translit.latin_readings(chinese, lang=lang)}
    assert translit.key_variants(latin, lang) & reading_keys


@pytest.mark.parametrize("latin, lang, chinese", [
    ("Schörner", "de", "舍尔纳"), ("Eremenko", "ru", "叶廖缅科"), ("Hitler", "de", "希特勒"),
    ("Chernyakhovskiy", "ru", "切尔尼亚霍夫斯基"), ("Tschernjachowski", "ru", "切尔尼亚霍夫斯基"),
    ("Schukow", "ru", "朱可夫"), ("Heinrichs", "de", "海因里希斯"),
])
def test_a_name_and_its_chinese_reading_sound_alike(latin, lang, chinese):
    """Spellings whose sound Chinese renders only roughly (ö as e, Duden sch for ж): one edit apart."""
    reading_keys = [translit.phonetic_key(r) for r in translit.latin_readings(chinese, lang=lang)]
    best = max(translit.SCORER(r, k) for r in reading_keys for k in translit.key_variants(latin, lang))
    assert best >= 0.8


def test_latin_readings():
    readings = translit.latin_readings("罗科索夫斯基")
    assert readings[0] == "rokosovsky"
    assert 1 <= len(readings) <= translit.BEAM
    assert len({translit.phonetic_key(r) for r in readings}) == len(readings)   # one per key
    assert translit.latin_readings("羅科索夫斯基") == readings                   # Traditional
    assert translit.latin_readings("康斯坦丁·罗科索夫斯基") == readings            # the surname
    assert translit.latin_readings("曼施坦因", lang="de")[0] == "manshtain"
    assert translit.latin_readings("王明")                                      # pinyin fallback
    long_name = "克诺贝尔斯多夫斯基斯基科科科夫"
    assert len(translit.latin_readings(long_name)) <= translit.BEAM
    assert translit.latin_readings("") == [] and translit.latin_readings("Zhukov") == []


# ----------------------------------------------------------------------------- variant spellings

# Chinese spellings the knowledge base does not have (other transliterations, older or Taiwanese
# forms, the brief's examples), each with the person it must be linked to by sound.
VARIANTS = {
    "罗柯索夫斯基": "rokossovsky_konstantin", "朱科夫": "zhukov_georgy", "茹科夫": "zhukov_georgy",
    "华西列夫斯基": "vasilevsky_aleksandr", "瓦西列夫斯基": "vasilevsky_aleksandr",
    "叶廖明科": "yeryomenko_andrey", "叶列缅科": "yeryomenko_andrey", "巴格拉米昂": "bagramyan_ivan",
    "崔科夫": "chuikov_vasily", "曼斯泰因": "manstein_erich", "曼斯坦": "manstein_erich",
    "莫代尔": "model_walter", "摩德尔": "model_walter", "华图京": "vatutin_nikolai",
    "科聂夫": "konev_ivan", "柯涅夫": "konev_ivan", "梅列兹科夫": "meretskov_kirill",
    "切尔尼雅霍夫斯基": "chernyakhovsky_ivan", "伏罗希罗夫": "voroshilov_kliment", "哥沃罗夫": "govorov_leonid",
    "罗特米斯特洛夫": "rotmistrov_pavel", "列留申科": "lelyushenko_dmitry", "克卢格": "kluge_gunther",
    "霍普纳": "hoepner_erich", "凯泰尔": "keitel_wilhelm", "哈尔德尔": "halder_franz",
    "布劳齐奇": "brauchitsch_walther", "哥利科夫": "golikov_filipp", "契斯佳科夫": "chistyakov_ivan",
    "赫鲁什乔夫": "khrushchev_nikita", "赫鲁雪夫": "khrushchev_nikita", "耶尔沙科夫": "yershakov_filipp",
    "卡萨科夫": "kazakov_mikhail", "沙波什尼可夫": "shaposhnikov_boris", "史大林": "stalin_joseph",
    "史达林": "stalin_joseph", "安托内斯库": "antonescu_ion", "托尔布兴": "tolbukhin_fyodor",
    "索柯洛夫斯基": "sokolovsky_vasily", "曼托伊菲尔": "manteuffel_hasso", "隆梅尔": "rommel_erwin",
    "希姆勒": "himmler_heinrich", "格伦": "gehlen_reinhard", "菲久宁斯基": "fedyuninsky_ivan",
    "科斯洛夫": "kozlov_dmitry", "萨哈罗夫": "zakharov_georgy", "潘菲罗夫": "panfilov_ivan",
    "里亚贝谢夫": "ryabyshev_dmitry", "贝尔扎林": "berzarin_nikolai", "克拉夫钦科": "kravchenko_andrey",
    "伦杜里克": "rendulic_lothar", "蒂佩尔斯基尔希": "tippelskirch_kurt", "加里波第": "gariboldi_italo",
    "屈希勒": "kuchler_georg", "伏拉索夫": "vlasov_andrey", "克雷斯特": "kleist_ewald", "包路斯": "paulus_friedrich",
    "康斯坦丁·罗柯索夫斯基": "rokossovsky_konstantin", "瓦西里·库兹涅措夫": "kuznetsov_vasily",
    "费奥多尔·库兹涅措夫": "kuznetsov_fyodor",
}
# measured misses, the right person first but below ACCEPT (irregular or shortened renderings:
# 古德林 0.84, 瓦杜丁 0.85, 卡杜科夫 0.86, 哈佩 0.89, 龙德施泰特 0.81, 塞德利茨 0.80) or not even
# first (丘列涅夫, 薛尔纳): counted in the recall, not asserted one by one
HARD_VARIANTS = {
    "古德林": "guderian_heinz", "瓦杜丁": "vatutin_nikolai", "卡杜科夫": "katukov_mikhail", "哈佩": "harpe_josef",
    "龙德施泰特": "rundstedt_gerd", "塞德利茨": "seydlitz_kurzbach_walther", "丘列涅夫": "tyulenev_ivan",
    "薛尔纳": "schorner_ferdinand",
}


@pytest.mark.parametrize("chinese, person_id", sorted(VARIANTS.items()))
def test_variant_spelling_is_linked_by_sound(chinese, person_id, kb, bare_kb, linked_to):
    hit = translit.best_match(chinese, kb=bare_kb)
    assert hit is not None, translit.match(chinese, kb=bare_kb)
    assert hit[0].id == person_id
    assert translit.ACCEPT <= hit[1] <= 1.0
    # through names.link_chinese on the real knowledge base: not an exact hit, so with a confidence
    if not kb.people_by_chinese(chinese):
        person, confidence = linked_to(kb)(chinese)
        assert person is not None and person.id == person_id and confidence is not None


def test_variant_spellings_recall(bare_kb):
    cases = {**VARIANTS, **HARD_VARIANTS}
    right = wrong = 0
    for chinese, pid in cases.items():
        hit = translit.best_match(chinese, kb=bare_kb)
        if hit is not None:
            right += hit[0].id == pid
            wrong += hit[0].id != pid
    assert wrong == 0
    assert right / len(cases) >= 0.85


# ----------------------------------------------------------------------------- leave-one-out

@pytest.fixture(scope="module")
def leave_one_out(kb):
    """For every person: the knowledge base without that person's Chinese names (and their
    namesakes', who share them), and what names.link_chinese answers there for each of their
    Chinese surname and full-name spellings."""
    shared = Counter(p.surname for p in kb.people)
    rows = []   # (person, spelling, kind, answer, confidence, surname shared by namesakes)
    real = names.knowledge_base
    try:
        for p in kb.people:
            held_out = _without_chinese(kb, {q.id for q in kb.people if q.surname == p.surname})
            names.knowledge_base = lambda: held_out
            kinds = (("surname", _surname_spellings(p)), ("full", _full_spellings(p)))
            if not translit._SIDE_LANGS.get(p.side, ("ru", "de")):      # Chinese and Japanese names
                kinds = (("characters", _surname_spellings(p) + _full_spellings(p)),)
            for kind, spellings in kinds:
                for s in spellings:
                    person, conf = names.link_chinese(s)
                    rows.append((p, s, kind, person, conf, shared[p.surname] > 1))
    finally:
        names.knowledge_base = real
    return rows


def _precision_recall(rows):
    accepted = [r for r in rows if r[3] is not None]
    right = sum(1 for r in accepted if r[3].id == r[0].id)
    return right / max(1, len(accepted)), right / max(1, len(rows)), [r[:2] + (r[3].id,) for r in accepted
                                                                        if r[3].id != r[0].id]


def test_leave_one_out_surnames(leave_one_out):
    rows = [r for r in leave_one_out if r[2] == "surname" and not r[5]]
    assert len(rows) >= 220
    precision, recall, wrong = _precision_recall(rows)
    assert not wrong
    assert precision >= 0.98 and recall >= 0.95, (precision, recall)
    # every accepted phonetic link carries its confidence; exact links do not exist here
    assert all(r[4] is not None and translit.ACCEPT <= r[4] <= 1 for r in rows if r[3] is not None)


def test_leave_one_out_namesakes_are_not_guessed_from_the_surname(leave_one_out):
    rows = [r for r in leave_one_out if r[2] == "surname" and r[5]]
    assert {r[0].surname for r in rows} >= {"Kuznetsov", "Shvetsov", "Schmidt"}
    assert all(r[3] is None for r in rows)


def test_leave_one_out_full_names(leave_one_out):
    rows = [r for r in leave_one_out if r[2] == "full"]
    precision, recall, wrong = _precision_recall(rows)
    assert not wrong
    assert precision >= 0.98 and recall >= 0.95, (precision, recall)
    # namesakes told apart by their given names
    for r in rows:
        if r[0].surname in ("Kuznetsov", "Shvetsov", "Schmidt") and r[0].given in ("Vasily", "Fyodor", "Ivan",
                                                                                   "Rudolf", "Arthur"):
            assert r[3] is not None and r[3].id == r[0].id, r[:2]


def test_leave_one_out_names_in_characters_are_never_linked_by_sound(leave_one_out):
    """A Chinese or Japanese name the knowledge base lacks is never linked to anyone by sound
    (at most exactly, to another person the knowledge base writes so: 蒋 is also Jiang Dingwen)."""
    rows = [r for r in leave_one_out if r[2] == "characters"]
    assert len(rows) >= 400
    assert all(r[4] is None for r in rows), [r[:2] + (r[3].id,) for r in rows if r[4] is not None][:5]


# ----------------------------------------------------------------------------- negatives

NOT_PEOPLE = [
    # Chinese people: not transliterations at all
    "季明", "王明", "李明", "张伟", "刘伯承", "朱德", "林彪", "彭德怀", "周恩来", "毛泽东", "蒋介石", "陈毅",
    "粟裕", "叶剑英", "徐向前", "贺龙", "聂荣臻", "罗荣桓", "博古", "杨靖宇", "左权", "卫立煌", "薛岳",
    "白崇禧", "李宗仁", "汤恩伯", "胡宗南", "孙立人", "戴安澜",
    # places
    "斯摩棱斯克", "斯大林格勒", "莫斯科", "列宁格勒", "维亚兹马", "库尔斯克", "哈尔科夫", "明斯克", "基辅",
    # Soviet and German people the knowledge base does not have, some sounding like people it has
    "图哈切夫斯基", "叶戈罗夫", "布柳赫尔", "莫洛托夫", "贝利亚", "米高扬", "卡冈诺维奇", "马林科夫", "布尔加宁",
    "伏龙芝", "叶若夫", "维辛斯基", "戈尔什科夫", "里宾特洛甫", "戈培尔", "鲍曼", "海德里希", "施佩尔", "邓尼茨",
    "雷德尔", "凯塞林", "施图登特", "斯科尔兹内", "米尔希", "乌德特", "加兰德", "哈特曼", "卡纳里斯", "贝克",
    "弗罗姆", "施陶芬贝格", "维茨莱本", "布隆贝格", "弗里奇", "阿巴库莫夫", "别洛乌索夫", "卡尔波夫", "科罗廖夫",
    "奥尔洛夫", "李德",
    # a woman's form of a knowledge-base surname
    "诺维科娃", "波波娃",
]


@pytest.mark.parametrize("chinese", NOT_PEOPLE)
def test_not_accepted_as_a_person(chinese, kb, linked_to):
    assert translit.best_match(chinese, kb=kb) is None, translit.match(chinese, kb=kb)[:2]
    person, confidence = linked_to(kb)(chinese)
    if kb.people_by_chinese(chinese):      # a Chinese person the knowledge base lists: only the exact link
        assert confidence is None and person is not None and person.side in ("CN", "CN_CCP"), (chinese, person)
    else:
        assert (person, confidence) == (None, None)


# transliterated surnames of Soviet and German people the knowledge base does not have: the
# realistic source of false links (an unknown officer whose name sounds like a known one)
OTHER_PEOPLE = """
伊万诺夫 斯米尔诺夫 库兹明 瓦西里耶夫 索洛维约夫 沃尔科夫 列别杰夫 科瓦廖夫 伊林 古谢夫 季托夫 库利科夫 奥尔洛夫
安德烈耶夫 马卡罗夫 尼基京 扎伊采夫 索罗金 雅科夫列夫 格里戈里耶夫 罗曼诺夫 沃罗比约夫 谢尔盖耶夫 亚历山德罗夫
德米特里耶夫 科罗廖夫 费奥多罗夫 米哈伊洛夫 别洛乌索夫 梅德韦杰夫 叶尔绍夫 尼古拉耶夫 奥西波夫 斯捷潘诺夫 谢苗诺夫
乌斯季诺夫 巴拉诺夫 卡拉什尼科夫 丹尼洛夫 日林 科马罗夫 阿列克谢耶夫 基里洛夫 马克西莫夫 波利亚科夫 索博列夫
特罗菲莫夫 马尔蒂诺夫 叶梅利亚诺夫 特卡琴科 舍甫琴科 邦达连科 格列奇科 日马琴科 沙罗欣 马利宁 特鲁凡诺夫
茹拉夫廖夫 谢尔巴科夫 扎哈尔琴科 巴拉诺夫斯基 科涅耶夫 叶尔马科夫 阿尔捷米耶夫 切列潘诺夫 格拉西缅科 伊萨科夫
库兹涅奇科夫 罗季奥诺夫 沙赫拉明 卢钦斯基 普拉东诺夫 奇尔科夫 米赫耶夫 丘尔金 格卢什科 波诺马连科 尤马舍夫
科特利亚罗夫 斯韦什尼科夫 别利亚耶夫 巴尔苏科夫 克里沃诺索夫
克吕韦尔 瓦格纳 穆勒 施耐德 菲舍尔 韦伯 迈尔 贝克尔 舒尔茨 霍夫曼 科赫 里希特 克莱因 沃尔夫 施罗德 诺伊曼 施瓦茨
齐默尔曼 布劳恩 朗格 施密茨 克劳斯 莱曼 柯尼希 福尔曼 施特默尔曼 利布 耶舍内克 布格多夫 瓦利蒙特 施韦彭堡 泽克特
格赖芬贝格 佐登施特恩 特雷斯科 舒伦堡 马克斯 格德勒 奥尔布里希特 施蒂夫 布施曼 赫尔 哈泽 巴赫 菲宾格 黑格尔 赖希
施莱歇尔 格赖姆 德斯洛赫 普夫卢格拜尔 洛尔 科勒 施佩勒 德斯勒 魏斯曼 洪堡 豪费 普里斯 克拉默 魏因克内希特
""".split()


def test_other_people_are_rarely_taken_for_known_ones(bare_kb):
    accepted = {s: hit[0].id for s in OTHER_PEOPLE if (hit := translit.best_match(s, kb=bare_kb))}
    # measured: 2 of 144 (基里洛夫 Kirillov ~ Krylov 0.92, 科涅耶夫 Koneyev ~ Konev 0.99);
    # at ACCEPT 0.85 it would be 8 (+ 沃罗比约夫 Vorobyov ~ Voronov, 巴拉诺夫 Baranov ~ Badanov ...)
    assert len(accepted) <= 0.03 * len(OTHER_PEOPLE), accepted


def test_place_names_are_rarely_accepted(kb):
    places = [s for pl in kb.places for s in [*pl.zh_hans, *pl.zh_hant]]
    accepted = {s: hit[0].id for s in places if (hit := translit.best_match(s, kb=kb))}
    # measured: none (at ACCEPT 0.85: 6, among them 柏林 Berlin ~ Boldin, 加里宁 Kalinin ~ Galanin)
    assert len(accepted) <= 0.01 * len(places), accepted


# ----------------------------------------------------------------------------- acceptance rules

def test_shared_surname_spelling_is_ambiguous(bare_kb, linked_to, kb):
    """库兹涅措夫 sounds exactly like three Kuznetsovs: listed, never accepted."""
    results = translit.match("库兹涅措夫", kb=bare_kb)
    assert {p.surname for p, _ in results[:3]} == {"Kuznetsov"}
    assert translit.decide(results) is None
    assert linked_to(kb)("库兹涅措夫") == (None, None)
    person, conf = linked_to(kb)("F库兹涅措夫")           # a Latin initial tells them apart
    assert person.id == "kuznetsov_fyodor" and conf is not None


def test_decide_needs_threshold_and_margin(kb):
    a, b = kb.person("zhukov_georgy"), kb.person("chuikov_vasily")
    assert translit.decide([(a, 0.95), (b, 0.70)]) == (a, 0.95)
    assert translit.decide([(a, 0.95), (b, 0.95 - translit.MARGIN / 2)]) is None
    assert translit.decide([(a, translit.ACCEPT - 0.01)]) is None
    assert translit.decide([(a, 0.9), (a, 0.9)]) == (a, 0.9)     # the same person twice is no rival
    assert translit.decide([]) is None


def test_match_scores_are_sorted_confidences(bare_kb):
    results = translit.match("罗柯索夫斯基", kb=bare_kb)
    assert results[0][0].id == "rokossovsky_konstantin"
    scores = [c for _, c in results]
    assert scores == sorted(scores, reverse=True) and all(0 <= c <= 1 for c in scores)
    assert translit.match("Rokossovsky", kb=bare_kb) == [] and translit.match("", kb=bare_kb) == []


def test_side_restricts_the_candidates(bare_kb):
    assert translit.best_match("罗柯索夫斯基", side="DE", kb=bare_kb) is None
    assert translit.best_match("罗柯索夫斯基", side="SU", kb=bare_kb)[0].id == "rokossovsky_konstantin"
    assert translit.best_match("弗拉索夫", side="SU", kb=bare_kb)[0].id == "vlasov_andrey"   # ROA
    assert translit.best_match("曼斯泰因", side="de", kb=bare_kb)[0].id == "manstein_erich"


def test_blocking_loses_no_decision_on_people(kb, monkeypatch):
    spellings = [s for p in kb.people for s in _surname_spellings(p)]
    blocked = {s: translit.decide(translit.match(s, kb=kb)) for s in spellings}

    def everyone(self, rlang, rkeys, people_ok):
        keys, persons = [], []
        for (rl, _), (ks, ps, _) in self.blocks.items():
            for k, i in zip(ks, ps):
                if rl == rlang and (people_ok is None or people_ok(i)):
                    keys.append(k)
                    persons.append(i)
        return keys, persons

    monkeypatch.setattr(translit._Index, "candidates", everyone)
    for s in spellings:
        assert translit.decide(translit.match(s, kb=kb)) == blocked[s], s


# ----------------------------------------------------------------------------- link_chinese

def test_a_different_given_name_is_someone_else(bare_kb):
    assert translit.best_match("格奥尔基·朱可夫", kb=bare_kb)[0].id == "zhukov_georgy"
    assert translit.best_match("尼古拉·朱可夫", kb=bare_kb) is None        # another Zhukov
    assert translit.best_match("卡尔·古斯塔夫·曼纳海姆", kb=bare_kb)[0].id == "mannerheim_carl_gustaf"


def test_link_chinese(kb, linked_to):
    link = linked_to(kb)
    assert link("羅科索夫斯基") == (kb.person("rokossovsky_konstantin"), None)        # exact: no confidence
    person, conf = link("罗柯索夫斯基")
    assert person.id == "rokossovsky_konstantin" and translit.ACCEPT <= conf <= 1
    assert link("库兹涅佐夫") == (None, None)                 # the KB's spelling of three people
    assert link("瓦西里·库兹涅佐夫")[0].id == "kuznetsov_vasily"
    assert link("季明") == (None, None)
    assert link("罗柯索夫斯基", side="DE") == (None, None)


# ----------------------------------------------------------------------------- speed

def test_under_5_ms_per_name(kb):
    spellings = [s for p in kb.people for s in [*_surname_spellings(p), *_full_spellings(p)]]
    spellings += [s for pl in kb.places for s in pl.zh_hans]
    translit.match("朱可夫", kb=kb)                    # the index, built once per knowledge base
    translit._readings.cache_clear()
    translit.to_simplified.cache_clear()
    translit.phonetic_key.cache_clear()
    start = time.perf_counter()
    for s in spellings:
        translit.match(s, kb=kb)
    per_name_ms = (time.perf_counter() - start) / len(spellings) * 1000
    assert per_name_ms < 5, per_name_ms

"""Garbled text: corrupt spans (stray symbols, fused numbers, missing numerals, unreadable
dates, lines broken mid-clause) and the safe recovery of fused dates (321日 -> XXXX-03-21).

The component runs after the date component on the normalized text; spans are
checked against the ORIGINAL text, in Traditional and Simplified input alike.
A recovered date is emitted only when its reading is certain; otherwise the number
is corrupt and no date is given.  Normal punctuation, years, unit numbers, ordinary
counts and English parentheses are never corrupt.  The last section tests the
`corrupt_text` check on those spans (it lives here, not in tests/checks/, because
two test modules named test_corruption.py collide under pytest's default import mode).
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from pipeline import checks
from pipeline.checks import DocumentView, make_flags, run_document_checks
from pipeline.checks import corruption as corruption_check  # noqa: F401  (registers the check)
from pipeline.extract import base, corruption, dates  # noqa: F401  (registers the factories)
from pipeline.nlp import to_mentions


def _pipeline(corruption_doc, lang: str):
    def run(text: str, *, seed: list[base.Candidate] | None = None):
        """-> (corrupt spans as dicts, date mentions as dicts), in original offsets."""
        view, doc = corruption_doc(lang, text, seed)
        cands = base.candidates(doc)
        corrupt = []
        for c in sorted((c for c in cands if c.type == "corrupt"), key=lambda c: c.start):
            s, e = view.to_original(c.start, c.end)
            corrupt.append({"start": s, "end": e, "text": text[s:e], "rule": c.rule, **c.fields})
        found = [m.model_dump() for m in to_mentions(view, [c for c in cands if c.type != "corrupt"])
                 if m.type == "date"]
        for d in corrupt + found:
            assert text[d["start"]:d["end"]] == d["text"], "offsets must index the original text"
        return corrupt, found

    return run


@pytest.fixture(scope="module")
def zh(corruption_doc):
    return _pipeline(corruption_doc, "zh")


@pytest.fixture(scope="module")
def en(corruption_doc):
    return _pipeline(corruption_doc, "en")


def _texts(spans):
    return [s["text"] for s in spans]


# --------------------------------------------------------------------------- corrupt spans
@pytest.mark.parametrize("text,span,reason", [
    # junk symbol runs replacing text
    ("德軍第1裝甲集|:.7||取得聯繫,隨後向東推進。", "|:.7||", "stray symbols"),
    ("德军第1装甲集|:.7||取得联系,随后向东推进。", "|:.7||", "stray symbols"),
    ("蘇軍第5集|:軍之一部已被切斷與外界的聯繫。", "|:", "stray symbols"),
    ("部队在河边:.集结,等待命令。", ":.", "stray symbols"),
    # a single stray symbol between Chinese characters
    ("敵人發動反攻+部隊在該地區的防線已經崩潰。", "+", "stray symbol"),
    ("切斷了它與[的聯繫,並將它包圍起來。", "[", "stray symbol"),
    ("切断了它与后方的联系]并将它包围起来。", "]", "stray symbol"),
    ("西方面軍沿奧廖爾-庫~發起攻擊。", "~", "stray symbol"),
    ("这一攻势于4月底:7,就停了下来。", ":7", "stray symbols"),
    ("在他的左翼,謝爾蓋已經.伊率領的騎兵到達河邊。", ".", "stray symbol"),
    # numbers
    ("兩個騎兵軍正沿公路追擊德軍第師,形勢危急。", "第師", "missing number"),
    ("坦克部队随后追击敌第集团军的后卫。", "第集团军", "missing number"),
    ("北方的5集團軍(第12、214365團軍)發起攻擊。", "214365團軍", "fused numbers"),
    ("北方的部队(第7、81923师)发起攻击。", "81923师", "fused numbers"),
    # unreadable dates
    ("將他們包圍5日和19日這兩天,戰鬥打得非常激烈。", "5日和19日", "unreadable date"),
    # encoding damage
    ("部队于\ufffd\ufffd到达前线。", "\ufffd\ufffd", "encoding damage"),
])
def test_corrupt_span(zh, text, span, reason):
    _assert_one_span(zh, text, span, reason)


def _assert_one_span(run, text, span, reason):
    """`span` (its first occurrence) is the one corrupt span with that text, with `reason` and a note."""
    corrupt, _ = run(text)
    hits = [c for c in corrupt if c["text"] == span]
    assert len(hits) == 1, f"expected corrupt {span!r}, got {_texts(corrupt)}"
    assert hits[0]["start"] == text.index(span)
    assert hits[0]["reason"] == reason
    assert hits[0]["note"]


# --------------------------------------------------------------------------- really garbled (both languages)
@pytest.mark.parametrize("lang,text,span,reason", [
    # a year run together with a count (the text dates itself to that year)
    ("zh", "1942年夏,德軍在19425000人的攻勢中損失慘重。", "19425000", "fused numbers"),
    ("zh", "1942年夏,德军在19425000人的攻势中损失惨重。", "19425000", "fused numbers"),
    ("en", "In the summer of 1942 the army lost 19425000 men.", "19425000", "fused numbers"),
    # a numeral missing before its counter or noun
    ("zh", "這一仗敵軍約人傷亡,我方損失較小。", "約人", "missing number"),
    ("zh", "这一仗敌军约人伤亡,我方损失较小。", "约人", "missing number"),
    ("zh", "守軍共有 名官兵,堅守了十天。", "共有 名", "missing number"),
    ("zh", "此戰擊毀敵軍坦克共計輛,繳獲火炮多門。", "共計輛", "missing number"),
    ("en", "By nightfall the brigade had suffered the loss of  men and two guns.", "of  men", "missing number"),
    ("en", "The division still had approximately tanks in working order.", "approximately tanks", "missing number"),
    # a numeral cut off at the end of the text (trailing white space or not)
    ("zh", "戰事延續了很久,直到雙方簽訂停戰協定,時間是19", "19", "cut numeral"),
    ("zh", "战事延续了很久,直到双方签订停战协定,时间是19\n", "19", "cut numeral"),
    ("en", "The fighting went on for months, until the last strongpoint fell in the spring of 19", "19",
     "cut numeral"),
    ("en", "The fighting went on for months, until the last strongpoint fell in April 194\n", "194", "cut numeral"),
    # letters printed for digits
    ("zh", "敵軍遺屍3OOO具,我軍傷亡甚重。", "3OOO", "letters for digits"),
    ("zh", "l943年春,日军再度进攻。", "l943", "letters for digits"),
    ("en", "Some 2O,000 prisoners were marched to the rear.", "2O,000", "letters for digits"),
    ("en", "The town changed hands twice in l943.", "l943", "letters for digits"),
    # printed page or line numbers inside a sentence
    ("en", "The two armies then met on the open steppe south of the river and\n87\nfought for three days.",
     "87", "page or line number"),
    ("zh", "援軍在渡過黃河以後,沿著鐵路線晝夜兼程向南急進,終於\n359\n在第三天趕到城下。", "359", "page or line number"),
    # encoding damage and junk
    ("en", "The commander of the L\u00c3\u00a9gion was wounded.", "\u00c3\u00a9", "encoding damage"),
    ("zh", "部隊在\u00e8\u00bf\u2122\u00e4\u00b8\u00aa地區集結。", "\u00e8\u00bf\u2122\u00e4\u00b8", "encoding damage"),
    ("en", "The line held until the 4th|:.^| were relieved.", "|:.^|", "stray symbols"),
    ("en", "The guns opened fire~#^ at dawn.", "~#^", "stray symbols"),
    # an article followed by a preposition: the word after it was lost
    ("en", "The column halted at the of the bridge.", "the of", "missing word"),
])
def test_garbled_classes(zh, en, lang, text, span, reason):
    _assert_one_span(zh if lang == "zh" else en, text, span, reason)


@pytest.mark.parametrize("lang,text,reading", [
    ("zh", "敵軍遺屍3OOO具。", "3000"),
    ("zh", "苏军俘虏1O,000人。", "10,000"),
    ("en", "The offensive began in l944.", "1944"),
    ("en", "About 1o,5OO men crossed.", "10,500"),
])
def test_letters_for_digits_are_recovered(zh, en, lang, text, reading):
    corrupt, _ = (zh if lang == "zh" else en)(text)
    assert len(corrupt) == 1
    assert corrupt[0]["recovered"] == reading and reading in corrupt[0]["note"]


def test_fused_year_needs_a_year_of_the_text(zh, en):
    # no date of 1942 in the text: 19425000 may be an ungrouped count, not a fused one
    assert zh("1939年秋,敵軍投入19425000人。")[0] == []
    assert en("In 1939 the army numbered 19425000 men.")[0] == []


@pytest.mark.parametrize("lang,text", [
    # ASCII and full-width colons of infobox labels, with grouped figures
    ("zh", "傷亡與損失\n陣亡:12,304\n被俘：8,517\n合計:27,610人[2]"),
    ("zh", "伤亡与损失\n阵亡:12,304\n被俘：8,517\n合计:27,610人[2]"),
    ("zh", "兵力\n6月1日:73,200人[4]\n1943年:12,950人陣亡、受傷或失蹤[7]\n日方資料: 9,800人傷亡[1]"),
    ("zh", "師數:12\n軍數：3\n死亡:12,受傷:30\n"),
    # '|' of wiki tables and lists, footnote markers with page numbers
    ("zh", "參戰方\n蘇聯|芬蘭|德國\n指揮官||將領\n總數:81,000人[1][5]:33"),
    ("zh", "参战方\n苏联|芬兰|德国\n合计:81,000人[1]:33,另有[2]。"),
    # line breaks inside infobox entries and lists, and between a heading and its text
    ("zh", "兵力\n步兵12個師,騎兵3個旅,炮兵2個團 約80,000人,坦克200輛,飛機150架\n損失\n不詳"),
    ("zh", "結果\n\n  • 守軍雖然擊退了敵人的三次進攻,但由於彈藥耗盡最終放棄了整座城市\n參戰方\n\n中華民國"),
    ("zh", "  • 守军虽然击退了敌人的三次进攻,但由于弹药耗尽最终放弃了整座城市\n另一支部队则在河对岸坚守,直到援军赶到。"),
    # a line break inside a word: a wrap, nothing lost
    ("zh", "第二天清晨,守軍設在城北的炮兵陣地遭到敵機的連續轟炸,城內的國\n軍指揮部被迫轉移到江邊。"),
    ("zh", "第二天清晨,守军设在城北的炮兵阵地遭到敌机的连续轰炸,城内的国\n军指挥部被迫转移到江边。"),
    # complete text ending with a figure after a label, or with a full stop
    ("zh", "損失\n被俘:12,304"),
    ("zh", "戰事延續了很久,直到雙方簽訂停戰協定,時間是1945年。"),
    # English infobox lines, footnotes, table residue
    ("en", "- Strength1: 40,000 men\n- Casualties1: 3,200 killed[1]:51\n- Combatant2: Romania|Hungary\n| Army || Commander |"),
    ("en", "Losses: 12,304 killed; 8,517 captured.[2][3]\n----\n<hr>"),
    ("en", "The fighting went on for months, until the last strongpoint fell in April 1945"),
    ("en", "The fighting went on for months, until the last strongpoint fell on April 30 "),
    ("en", "Strength\n12\ndivisions"),
])
def test_web_text_is_not_corrupt(zh, en, lang, text):
    corrupt, _ = (zh if lang == "zh" else en)(text)
    assert corrupt == [], _texts(corrupt)


def test_fused_list_note_gives_a_reading(zh):
    corrupt, _ = zh("北方的5集团军(第12、214365团军)发起攻击。")
    assert "21、43、65" in corrupt[0]["note"] and "not certain" in corrupt[0]["note"]


def test_line_broken_mid_clause(zh):
    text = ("第四裝甲集團軍和第九集團軍下屬的攻擊部隊也接到了新的命令,要求他們迅速向南運動並且\n"
            "切斷蘇軍的退路。\n"
            "第二天,戰鬥再次打響。")
    corrupt, _ = zh(text)
    assert _texts(corrupt) == ["運動並且\n切"]


def test_hard_wrapped_text_is_not_corrupt(zh):
    # every line ends mid-clause: the text was wrapped at a fixed width, nothing is lost
    lines = ["德軍的攻勢在三月中旬逐漸增強,北面的裝甲部隊已經渡過河流並且向南",
             "推進,蘇軍的防線在幾個地方被突破,預備隊被迫從莫斯科以西調來以便",
             "堵住缺口,但是由於道路泥濘和補給困難,這些部隊到達得太晚了,因此",
             "整個戰線的局勢變得非常危急。"]
    corrupt, _ = zh("\n".join(lines))
    assert corrupt == []


# --------------------------------------------------------------------------- recovered dates
NARRATIVE = ("3月5日,德軍開始集結。\n"
             "321日,整個德軍的戰線上出現了變化。他們於325前進攻到河邊。\n"
             "322前,德軍的部隊已經進入了陣地。局勢又起了很大變化。318。蘇軍開始後撤。"
             "在森林中被圍的部隊已於326被解救出來。")


@pytest.mark.parametrize("span,value,mod", [
    ("321日", "XXXX-03-21", None),
    ("325", "XXXX-03-25", None),    # 325前進 = "advanced before": 前 is not a modifier here
    ("322", "XXXX-03-22", "before"),
    ("318", "XXXX-03-18", None),
    ("326", "XXXX-03-26", None),
])
def test_fused_date_recovered(zh, span, value, mod):
    corrupt, found = zh(NARRATIVE)
    assert corrupt == []
    start = NARRATIVE.index(span)
    hits = [d for d in found if d["start"] == start]
    assert len(hits) == 1, f"expected a date at {span!r}, got {[d['text'] for d in found]}"
    assert hits[0]["text"] == span and hits[0]["value"] == value
    assert hits[0]["recovered"] is True
    assert hits[0]["mod"] == mod


def test_fused_date_simplified_with_year(zh):
    text = "1942年3月5日,德军开始集结。321日,整个德军的战线上出现了变化。"
    _, found = zh(text)
    assert {d["text"]: d["value"] for d in found} == {"1942年3月5日": "1942-03-05", "321日": "1942-03-21"}


def test_narrative_month_from_most_dates(zh):
    # no month before the fused number: the month most of the text's dates use
    text = "。310,朱可夫擔任了司令員。3月12日,部隊出發。3月中旬,戰鬥平息。4月1日,雪融化了。"
    corrupt, found = zh(text)
    assert corrupt == []
    assert [d["value"] for d in found if d["text"] == "310"] == ["XXXX-03-10"]


def test_out_of_sequence_is_corrupt_not_a_date(zh):
    # 224 would be 2月24日 in a March narrative: no date, a corrupt span
    text = "3月20日,蘇軍再次進攻。並切斷了蘇軍部隊與後方的聯繫。224。德軍從東西兩面發起進攻。"
    corrupt, found = zh(text)
    assert _texts(corrupt) == ["224"]
    assert corrupt[0]["reason"] == "unreadable date" and "2月24日" in corrupt[0]["note"]
    assert [d["text"] for d in found] == ["3月20日"]


def test_fused_day_without_month_context_is_corrupt(zh):
    corrupt, found = zh("321日,整个德军的战线上出现了变化。")
    assert _texts(corrupt) == ["321日"] and found == []


def test_two_readings_are_corrupt(zh):
    # 111日 is 1月11日 or 11月1日: not certain even in a January text
    corrupt, found = zh("1月5日,部队出发。他们于111日到达河边。")
    assert _texts(corrupt) == ["111日"]
    assert [d["text"] for d in found] == ["1月5日"]


def test_dates_inside_a_garbled_pair_are_dropped(zh):
    text = "將他們包圍3日和23日這兩天,戰鬥打得非常激烈。"
    s = text.index("23日")
    seed = [base.Candidate("date", s, s + 3, {"value": "XXXX-03-23"}, "test.seed")]
    corrupt, found = zh(text, seed=seed)
    assert _texts(corrupt) == ["3日和23日"] and found == []


# --------------------------------------------------------------------------- not corrupt, not dates
@pytest.mark.parametrize("text", [
    "1943年3月21日,第65集團軍轉入防禦。",
    "第3集团军于3月21日渡过顿河,歼敌30000人,缴获坦克120辆。",
    "苏军共有30,000人,德军约1,325,000人。",
    "德军第6集团军共有22个师,约33万人。第9、第10和第11师参加了战斗,第1339团也参加了。",
    "約瑟夫.斯大林簽署了命令。康斯坦丁.羅科索夫斯基指揮中央方面軍。",
    "3日和4日这两天,战斗非常激烈。",
    "伤亡3~5千人,部队从莫斯科-维亚兹马一线后撤。",
    "战斗持续了120日之久。经过100日的围困,城市终于陷落。日军第16师团损失惨重。",
    "第二次世界大战(1939-1945)是规模最大的战争。他说:「我们必须坚守!」【注释】见下文。",
    "战役分为三个阶段:第一阶段,从11月19日至11月30日;第二阶段,12月。",
    "据统计,苏军约20000军队和300架飞机参战。",
    "1942年12月,顿河方面军收紧了包围圈。310高地上的战斗持续了一整天。",
    "网址为www.example.com,邮箱是test@example.com。图1.2展示了部署。",
    "第一章\n战争的开始\n1941年6月22日,德军入侵苏联。",
    "苏军在斯大林格勒的反攻……德军陷入包围。。。随后,。德军撤退。",
])
def test_not_corrupt(zh, text):
    corrupt, found = zh(text)
    assert corrupt == [], _texts(corrupt)
    assert not any(d.get("recovered") for d in found), found


@pytest.mark.parametrize("text", [
    "3月5日,部队集结。随后歼敌325人,缴获322辆坦克。",   # counts
    "3月5日,部队集结。第322师和第325团随后到达。",        # unit numbers
    "3月5日,部队集结。于325公里外的河边。",               # a distance
    "于325,部队到达河边。",                                # no dates around: a bare number is no date
])
def test_bare_numbers_are_not_dates(zh, text):
    corrupt, found = zh(text)
    assert corrupt == [] and [d for d in found if d.get("recovered")] == []


# --------------------------------------------------------------------------- English
@pytest.mark.parametrize("text,span,start", [
    ("The 4th Panzer Army|:.7|| contact with the 9th Army was restored.", "|:.7||", 19),
    ("Losses were 3,000 men \ufffd\ufffd in the first week.", "\ufffd\ufffd", 22),
    ("Then the th Army crossed the river.", "th", 9),
    ("The general\u00e2\u20ac\u2122s staff moved east.", "\u00e2\u20ac\u2122", 11),
])
def test_english_corrupt(en, text, span, start):
    corrupt, _ = en(text)
    assert _texts(corrupt) == [span]
    assert corrupt[0]["start"] == start


@pytest.mark.parametrize("text", [
    "The 21st Army (Chistyakov) attacked on 25 February 1943 (see map 3).",
    "Losses were about 15,000 men; see https://example.org/a?b=1&c=2 or mail x@y.com.",
    "| Army | Commander |\n|:---|:---|\n| 65th | Batov |",
    "The third army and the 2nd Tank Army advanced 455 miles (700 km) [sic].",
    "Use a || b in code; the ratio 3:5 was noted. Temperature ~5 degrees, 3.5 km.",
    "St. Petersburg lies on the Neva; the St Lawrence does not.",
])
def test_english_not_corrupt(en, text):
    corrupt, _ = en(text)
    assert corrupt == [], _texts(corrupt)


# --------------------------------------------------------------------------- the corrupt_text check
def _view(name, text, lang, spans, mentions=()):
    view = DocumentView(name, text, list(mentions), lang)
    view.corrupt = spans          # what pipeline.nlp hands over (records.CorruptSpan in a real run)
    return view


@pytest.fixture(scope="module")
def spans_of(corruption_doc):
    """`spans_of(text, lang)`: the corrupt spans of a text, in original offsets, as the extractor
    would record them."""
    def run(text: str, lang: str):
        view, doc = corruption_doc(lang, text)
        out = []
        for c in base.of_type(doc, "corrupt"):
            s, e = view.to_original(c.start, c.end)
            out.append(SimpleNamespace(start=s, end=e, text=text[s:e], reason=c.fields["reason"],
                                       note=c.fields["note"], rule=c.rule))
        return out

    return run


def _corrupt_findings(view):
    return [f for f in run_document_checks(view) if f.kind == "corrupt_text"]


TEXT_ZH = ("3月5日,德軍開始集結。321日,德軍的戰線上出現了變化。兩個騎兵軍正在追擊德軍第師,"
           "而德軍第4裝甲集|:.7||聯繫。北方的5集團軍(第12、214365團軍)發起攻擊。"
           "並切斷了蘇軍部隊與後方的聯繫。224。德軍從東西兩面發起進攻。1943年,第3集團軍有30000人。")


def test_chinese_end_to_end(spans_of):
    spans = spans_of(TEXT_ZH, "zh-Hant")
    found = _corrupt_findings(_view("zh.txt", TEXT_ZH, "zh-Hant", spans))
    texts = [[e.text for e in f.evidence] for f in found]
    # 第師 and |:.7|| garble one sentence: one flag with both spans (pipeline.checks.corruption)
    assert texts == [["第師", "|:.7||"], ["214365團軍"], ["224"]]
    for f in found:
        for ev in f.evidence:
            assert ev.doc == "zh.txt" and TEXT_ZH[ev.start:ev.end] == ev.text
        assert "unreliable" in f.message and f.severity == "warning"
    # the recovered 321日 is a date, not a flag
    assert not any("321" in t for ts in texts for t in ts)


def test_english_end_to_end(spans_of):
    text = "The 4th Panzer Army|:.7|| contact with the 9th Army (Model) was restored on 3 March 1943."
    found = _corrupt_findings(_view("en.txt", text, "en", spans_of(text, "en")))
    assert [f.evidence[0].text for f in found] == ["|:.7||"]
    assert "stray symbols" in found[0].message


@pytest.mark.parametrize("text,lang", [
    ("1943年3月21日,第3集團軍轉入防禦,歼敌30000人。", "zh-Hant"),
    ("The 21st Army (Chistyakov) attacked on 25 February 1943 (see map 3).", "en"),
])
def test_clean_text_gives_no_flag(spans_of, text, lang):
    assert _corrupt_findings(_view("clean.txt", text, lang, spans_of(text, lang))) == []


def test_message_and_stable_flags():
    text = "德军第4装甲集|:.7||联系。"
    s = text.index("|")
    span = {"start": s, "end": s + 6, "text": "|:.7||", "reason": "stray symbols",
            "note": "a run of junk symbols replaces part of the sentence"}
    view = _view("a.txt", text, "zh-Hans", [span, dict(span)])   # a duplicate gives one flag
    found = _corrupt_findings(view)
    assert len(found) == 1
    assert found[0].message == ("Garbled source text '|:.7||' (stray symbols): a run of junk symbols "
                                "replaces part of the sentence. Values read at this place are unreliable.")
    flags = make_flags(found)
    assert flags[0].kind == "corrupt_text"
    assert flags[0].id == make_flags(_corrupt_findings(view))[0].id


def test_spans_without_note_or_text():
    text = "要求他們\n軍徹底的擊垮。"
    span = SimpleNamespace(start=2, end=6, reason="lost text", rule="zh.corrupt.lost_line")
    found = _corrupt_findings(_view("b.txt", text, "zh-Hant", [span]))
    assert found[0].evidence[0].text == "他們\n軍"
    assert "'他們\\n軍' (lost text)." in found[0].message


def test_no_corrupt_attribute_no_flags():
    view = DocumentView("c.txt", "text", [], "en")
    if hasattr(view, "corrupt"):
        view.corrupt = []
    assert _corrupt_findings(view) == []
    assert "corruption" in checks.DOCUMENT_CHECKS


def test_cut_numeral_and_recovered_reading_reach_the_records_and_flags():
    from pipeline.nlp import extractor

    text = "敵軍遺屍3OOO具,傷者更多。\n戰事延續了很久,直到雙方簽訂停戰協定,時間是19\n"
    spans = extractor("zh-Hant").analyze(text).corrupt
    assert [(s.text, s.recovered) for s in spans] == [("3OOO", "3000"), ("19", None)]
    found = _corrupt_findings(_view("t.txt", text, "zh-Hant", spans))
    assert [[(e.start, e.text) for e in f.evidence] for f in found] == [
        [(text.index("3OOO"), "3OOO")], [(text.rindex("19"), "19")]]
    assert "reads 3000" in found[0].message and "cut numeral" in found[1].message

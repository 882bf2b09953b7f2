"""commander_conflict and cross-source checks, on documents written for the tests."""
from pipeline import checks
from pipeline.batch import process_text


def _view(name, text, lang="en"):
    rec = process_text(name, text, lang)
    return checks.DocumentView(name, text, rec.mentions, lang)


def _kinds(findings):
    return sorted(f.kind for f in findings)


def test_two_commanders_of_one_army_in_the_same_month_conflict():
    doc = _view("a.txt", "On 3 July 1943 Chuikov's 62nd Army held the factory district. "
                         "On 9 July 1943 Shumilov's 62nd Army counterattacked.")
    found = [f for f in checks.run_corpus_checks([doc]) if f.kind == "commander_conflict"]
    assert len(found) == 1
    texts = {e.text for e in found[0].evidence}
    assert {"Chuikov", "Shumilov"} <= texts


def test_the_same_commander_twice_is_no_conflict():
    doc = _view("a.txt", "On 3 July 1943 Chuikov's 62nd Army held. On 9 July Chuikov's 62nd Army attacked.")
    assert not [f for f in checks.run_corpus_checks([doc]) if f.kind == "commander_conflict"]


def test_commanders_in_different_years_of_two_sources_do_not_conflict():
    a = _view("a.txt", "In March 1942 Vlasov's 20th Army attacked towards the west.")
    b = _view("b.txt", "In March 1943 Reiter's 20th Army held the line.")
    assert not [f for f in checks.run_corpus_checks([a, b])
                if f.kind in ("commander_conflict", "cross_source_conflict")]


def test_commanders_in_the_same_month_of_two_sources_conflict_across_sources():
    a = _view("a.txt", "In March 1942 Vlasov's 20th Army attacked towards the west.")
    b = _view("b.txt", "In March 1942 Reiter's 20th Army held the line.")
    found = checks.run_corpus_checks([a, b])
    cross = [f for f in found if f.kind == "cross_source_conflict"]
    assert cross and {e.doc for e in cross[0].evidence} == {"a.txt", "b.txt"}


def test_two_sources_with_different_losses_for_one_formation_conflict():
    a = _view("a.txt", "In the battle the 2nd Tank Army lost 128 tanks.")
    b = _view("b.txt", "In the battle the 2nd Tank Army lost 310 tanks.")
    c = _view("c.txt", "In the battle the 2nd Tank Army lost some 130 tanks.")
    found = [f for f in checks.run_corpus_checks([a, b, c]) if f.kind == "cross_source_conflict"]
    assert len(found) == 1                                  # one flag for the fact, not one per pair
    assert {"a.txt", "b.txt"} <= {e.doc for e in found[0].evidence}
    # 'some 130' allows 128: a and c agree, so without b nothing is flagged
    assert not [f for f in checks.run_corpus_checks([a, c]) if f.kind == "cross_source_conflict"]


def test_two_sources_dating_one_operation_differently_conflict(tmp_path):
    from pipeline import batch
    import json

    (tmp_path / "a.txt").write_text("The 'Rzhev-Vyazma Offensive Operation' (8 January/20 April 1942) "
                                    "was fought by the Kalinin Front.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("勒熱夫-維亞濟馬進攻戰役(1942年1月8日至1942年4月20日)由加里寧方面軍實施。\n",
                                    encoding="utf-8")
    (tmp_path / "c.txt").write_text("The 'Rzhev-Vyazma Offensive Operation' (8 January/30 April 1942) "
                                    "ended in the spring thaw.\n", encoding="utf-8")
    out = tmp_path / "out"
    batch.run([str(tmp_path / n) for n in ("a.txt", "b.txt", "c.txt")], out)
    flags = json.loads((out / "flags.json").read_text(encoding="utf-8"))["flags"]
    cross = [f for f in flags if f["kind"] == "cross_source_conflict"]
    pairs = {frozenset(e["doc"] for e in f["evidence"]) for f in cross}
    assert frozenset({"a.txt", "c.txt"}) in pairs
    assert frozenset({"a.txt", "b.txt"}) not in pairs      # same period, two languages


# --- infobox lists, one person in two spellings, hierarchy (mentions written for the tests) ----

from pipeline.records import DateMention, FormationMention, PersonMention  # noqa: E402


def _listed_view(text, pairs, lang="en"):
    """`pairs`: (person span, canonical name, formation span, echelon, number) in `text`."""
    ms = [DateMention(start=0, end=10, text=text[:10], value="1943-03-01")]
    pos = 0
    for span, name, fspan, echelon, number in pairs:
        s = text.index(span, pos)
        ms.append(PersonMention(start=s, end=s + len(span), text=span, name=name))
        fs = text.index(fspan, s + len(span))
        ms.append(FormationMention(start=fs, end=fs + len(fspan), text=fspan, echelon=echelon, number=number,
                                   side="DE"))
        pos = fs + len(fspan)
    return checks.DocumentView("l.txt", text, ms, lang)


def _conflicts(view):
    return [f for f in checks.run_corpus_checks([view]) if f.kind == "commander_conflict"]


def test_an_infobox_list_giving_one_army_two_commanders_conflicts():
    text = "March 1943\n- Commander1: Otto Weiss, (7th Army), Paul Brandt, (7th Army)"
    view = _listed_view(text, [("Otto Weiss", "Otto Weiss", "7th Army", "army", 7),
                               ("Paul Brandt", "Paul Brandt", "7th Army", "army", 7)])
    assert len(_conflicts(view)) == 1


def test_one_commander_in_two_spellings_is_not_two_commanders():
    text = "March 1943\n- Commander1: Otto Weissmann, (7th Army), Otto Weismann, (7th Army)"
    view = _listed_view(text, [("Otto Weissmann", "Otto Weissmann", "7th Army", "army", 7),
                               ("Otto Weismann", "Otto Weismann", "7th Army", "army", 7)])
    assert _conflicts(view) == []


def test_the_commander_of_the_army_group_over_an_army_is_no_conflict():
    # the knowledge base has Manstein commanding Army Group South, above any army
    text = "March 1943\n- Commander1: Erich von Manstein, (4th Panzer Army), Hermann Hoth, (4th Panzer Army)"
    view = _listed_view(text, [("Erich von Manstein", "Erich von Manstein", "4th Panzer Army", "army", 4),
                               ("Hermann Hoth", "Hermann Hoth", "4th Panzer Army", "army", 4)])
    assert _conflicts(view) == []



def test_a_known_name_written_with_one_other_character_is_a_variant():
    from pipeline.checks import DocumentView
    from pipeline.checks.names import check
    from pipeline.nlp import extractor

    text = "日軍第11軍司令官岡村寧次中將率部進攻。岡村寕次中將隨後下令撤退。"
    _, mentions = extractor("zh-Hant").extract(text)
    found = check([DocumentView("d", text, mentions, "zh-Hant")])
    assert [f.kind for f in found] == ["name_variant"]
    assert {e.text for e in found[0].evidence} == {"岡村寧次", "岡村寕次"}


def test_another_family_name_is_no_variant():
    from pipeline.checks import DocumentView
    from pipeline.checks.names import check
    from pipeline.nlp import extractor

    text = "第五戰區司令長官李宗仁指揮作戰。師長季宗仁率部增援。"
    _, mentions = extractor("zh-Hant").extract(text)
    assert check([DocumentView("d", text, mentions, "zh-Hant")]) == []

"""Reading files: encodings, offsets of the text as read from disk, clear errors."""
import codecs

import pytest

from pipeline import ingest

ZH = "羅科索夫斯基的第65集團軍於1943年3月推進了80公里。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "big5", "gb18030"])
def test_ingest_decodes_chinese_in_common_encodings(tmp_path, encoding):
    text = ZH if encoding != "gb18030" else "罗科索夫斯基的第65集团军于1943年3月推进了80公里。" * 3
    p = tmp_path / "doc.txt"
    p.write_bytes(text.encode(encoding) * (1 if encoding.startswith("utf") else 4))
    src = ingest.read(p)
    assert src.text.startswith(text)
    assert src.lang.startswith("zh")


def test_ingest_keeps_crlf_and_bom_so_offsets_match_a_plain_read(tmp_path):
    p = tmp_path / "doc.txt"
    p.write_bytes(codecs.BOM_UTF8 + "Line one.\r\nOn 6 March 1943.\r\n".encode("utf-8"))
    src = ingest.read(p)
    with open(p, encoding="utf-8", newline="") as f:
        assert src.text == f.read()
    assert src.encoding == "utf-8-sig"


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"   \n\t\n", "empty"),
    (b"\x00\x01\x02\x03binary\x00\x00" * 100, "binary"),
])
def test_ingest_refuses_unreadable_input_with_a_reason(tmp_path, data, words):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(ingest.IngestError, match=words):
        ingest.read(p)


def test_ingest_refuses_files_over_the_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("The 5th Army attacked. " * 100, encoding="utf-8")
    with pytest.raises(ingest.IngestError, match="too large"):
        ingest.read(p, max_bytes=1000)


def test_expand_inputs_takes_files_directories_and_globs(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    for rel in ("d/a.txt", "d/sub/b.md", "d/skip.bin", "c.txt"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    found = ingest.expand_inputs([str(tmp_path / "d"), str(tmp_path / "*.txt"), str(tmp_path / "c.txt")])
    assert [p.name for p in found] == ["a.txt", "b.md", "c.txt"]
    with pytest.raises(FileNotFoundError):
        ingest.expand_inputs([str(tmp_path / "nothing-*.txt")])

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


EN_ACCENTED = ("On 5 March 1943 General Manstein\u2019s \u201cbackhand blow\u201d retook Kharkov; the caf\u00e9 "
               "on the square \u2014 so the na\u00efve r\u00e9sum\u00e9 says \u2014 was 40 km from the front.\n") * 3


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_ingest_decodes_western_single_byte_english(tmp_path, encoding):
    text = EN_ACCENTED if encoding == "cp1252" else EN_ACCENTED.translate(
        {0x2019: "'", 0x201c: '"', 0x201d: '"', 0x2014: "-"})
    p = tmp_path / "doc.txt"
    p.write_bytes(text.encode(encoding))
    src = ingest.read(p)
    assert src.text == text and src.lang == "en"
    assert src.text.encode(src.encoding) == p.read_bytes()        # verified by a round trip


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [EN_ACCENTED, "第65集團軍於1943年3月推進了80公里。The 5th Army.\n" * 4])
def test_ingest_decodes_utf16_without_a_bom(tmp_path, encoding, text):
    p = tmp_path / "doc.txt"
    p.write_bytes(text.encode(encoding))
    src = ingest.read(p)
    assert src.text == text and src.encoding == encoding


def test_binary_with_nuls_is_still_binary(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ingest.IngestError, match="binary"):
        ingest.read(p)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    import os
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ingest.IngestError, match="named pipe"):
        ingest.read(fifo)
    assert ingest.expand_inputs([str(tmp_path)]) == [fifo]     # listed: it gets an error record


def test_broken_and_looping_symlinks_are_listed_and_refused_with_a_reason(tmp_path):
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "loop1.txt").symlink_to(tmp_path / "loop2.txt")
    (tmp_path / "loop2.txt").symlink_to(tmp_path / "loop1.txt")
    found = ingest.expand_inputs([str(tmp_path)])
    assert [p.name for p in found] == ["dangling.txt", "loop1.txt", "loop2.txt"]
    with pytest.raises(ingest.IngestError, match="broken symbolic link"):
        ingest.read(found[0])
    with pytest.raises(ingest.IngestError, match="symbolic link loop"):
        ingest.read(found[1])
    assert ingest.expand_inputs([str(tmp_path / "dangling.txt")]) == [tmp_path / "dangling.txt"]


def test_undecodable_file_names_are_escaped_reversibly():
    for raw in ["caf\udce9.txt", "a\\b\udcff.txt", "\udcc3\udca9t\u00e9.txt"]:
        safe = ingest.safe_name(raw)
        safe.encode("utf-8")                          # storable
        assert "\\x" in safe and ingest.fs_name(safe) == raw
    assert ingest.safe_name("plain \\x41 name.txt") == "plain \\x41 name.txt"

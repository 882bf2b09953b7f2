"""The error catalogue: error records carry a code, and transient vs permanent is the code's."""
import json

import pytest

from pipeline import batch, executors, ingest, store
from pipeline.errors import Code, MusterError, internal, is_transient


def test_every_code_has_a_message_and_the_value_is_the_name():
    for code in Code:
        assert code.value == code.name and str(code) == code.name
        assert isinstance(code.transient, bool) and code.template


def test_messages_are_the_words_muster_wrote_before_codes():
    assert Code.WORKER_LOST.message() == ("worker process died while processing this document "
                                          "(a crash or the out-of-memory killer)")
    e = MusterError(Code.INGEST_TOO_LARGE, detail="10 bytes, the limit is 5")
    assert str(e) == "file too large: 10 bytes, the limit is 5 (raise it with --max-bytes, or split the file)"
    assert internal("extracting", ValueError("x")) == (Code.EXTRACT_INTERNAL,
                                                       "internal error while extracting: ValueError: x")
    assert internal("extracting", MemoryError())[0] is Code.OUT_OF_MEMORY


def test_transience_is_a_property_of_the_code():
    assert is_transient("WORKER_LOST") and is_transient(Code.INGEST_TOO_LARGE)
    assert not is_transient("INGEST_EMPTY") and not is_transient(Code.EXTRACT_INTERNAL)
    assert is_transient(None) and is_transient("NO_SUCH_CODE")     # a record from before codes: again


@pytest.mark.parametrize("data, code", [
    (b"", Code.INGEST_EMPTY), (b"   \n", Code.INGEST_EMPTY), (bytes(range(256)) * 20, Code.INGEST_BINARY),
])
def test_ingest_errors_carry_their_code(tmp_path, data, code):
    p = tmp_path / "x.txt"
    p.write_bytes(data)
    rec = batch.process_file(p)
    assert rec.doc.status == "error" and rec.doc.error_code == code.value


def test_too_large_and_unreadable(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("The 3rd Tank Army advanced 40 km. " * 10, encoding="utf-8")
    with pytest.raises(ingest.IngestError) as e:
        ingest.read_bytes(p, max_bytes=10)
    assert e.value.code is Code.INGEST_TOO_LARGE and str(e.value).startswith("file too large")
    with pytest.raises(ingest.IngestError) as e:
        ingest.read_bytes(tmp_path / "missing.txt")
    assert e.value.code is Code.INGEST_UNREADABLE and str(e.value).startswith("cannot read the file")
    with pytest.raises(ingest.IngestError) as e:
        ingest.read_bytes(tmp_path)
    assert e.value.code is Code.INGEST_NOT_REGULAR


def test_a_failed_task_carries_its_code(tmp_path):
    res = executors.failure(executors.Task(str(tmp_path / "a.txt")), Code.WORKER_LOST)
    assert res["record"].doc.error_code == "WORKER_LOST"
    assert res["record"].doc.error == Code.WORKER_LOST.message()


def _error_run(tmp_path, code, message):
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    (src / "a.txt").write_text("On 5 March 1943 the 3rd Tank Army advanced 40 km.", encoding="utf-8")
    out = tmp_path / "out"
    batch.run([str(src)], out)
    # the stored record becomes an error of `code` for the same bytes
    with store.Store.open(out) as st:
        rec = st.record("a.txt")
        rec.doc.status, rec.doc.error, rec.doc.error_code = "error", message, code
        st.put(rec, content_hash=st.get("a.txt").content_hash)
        assert st.get("a.txt").error_code == code
    return src, out


@pytest.mark.parametrize("code, again", [("WORKER_LOST", True), ("EXTRACT_INTERNAL", False), (None, True)])
def test_a_later_batch_processes_again_only_transient_errors(tmp_path, code, again):
    src, out = _error_run(tmp_path, code, "some words that decide nothing")
    summary = batch.run([str(src)], out)
    assert summary.processed == (1 if again else 0)


def test_the_schema_has_the_code():
    from pipeline.records import DocumentRecord

    assert "error_code" in json.dumps(DocumentRecord.model_json_schema())


def test_store_busy_is_a_catalogued_error(tmp_path):
    with store.Store.open(tmp_path):
        with pytest.raises(store.StoreBusy) as e:
            store.Store.open(tmp_path)
    assert e.value.code is Code.STORE_BUSY and "another muster batch" in str(e.value)

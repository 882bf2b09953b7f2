"""The embedded store: migrations per module, applied once, in order."""
from pipeline import db


def test_migrations_apply_in_order_once_per_module(tmp_path):
    conn = db.connect(tmp_path)
    v1 = ["CREATE TABLE a (x INTEGER)"]
    assert db.migrate(conn, "alpha", v1) == 1
    assert db.migrate(conn, "alpha", v1) == 1                     # nothing re-applied
    v2 = v1 + ["ALTER TABLE a ADD COLUMN y TEXT; CREATE INDEX a_y ON a(y)"]
    assert db.migrate(conn, "alpha", v2) == 2
    assert db.migrate(conn, "beta", ["CREATE TABLE b (z INTEGER)"]) == 1
    cols = [r[1] for r in conn.execute("PRAGMA table_info(a)")]
    assert cols == ["x", "y"]
    conn.close()
    ro = db.connect(tmp_path, readonly=True)
    assert ro.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == 2

"""Bad packages are refused with a clear Chinese message and the database untouched."""

from __future__ import annotations

import json
import struct

import pytest
from sqlalchemy import select, update

from app.models import ChangeEvent
from app.services.context import ServiceContext
from app.services.units import UnitService
from app.sync.exchange import AlreadyImportedError, SyncError, export_package, import_package
from app.sync.package import MAGIC, PackageError

from .helpers import clone, fingerprint_of, introduce, unit_ids


@pytest.fixture
def pair(template, tmp_path):
    a = clone(template, tmp_path / "a.sqlite3", "甲")
    b = clone(template, tmp_path / "b.sqlite3", "乙")
    introduce([a, b])
    rows = unit_ids(a[0])
    UnitService(ServiceContext(a[0])).update(rows[0], address="东风路1号", notes="第一次")
    UnitService(ServiceContext(a[0])).update(rows[1], notes="第二次")
    yield a, b, tmp_path
    a[0].dispose()
    b[0].dispose()


def _package(pair) -> tuple:
    (a_db, a), (b_db, b), folder = pair
    path = folder / "a-to-b.xsync"
    export_package(a_db, a, b.site_id, path)
    return path, b_db, b


def _refused(b_db, b, path, match):
    path_db = b_db.url.removeprefix("sqlite:///")
    before = fingerprint_of(path_db)
    with pytest.raises(PackageError, match=match):
        import_package(b_db, b, path)
    assert fingerprint_of(path_db) == before


def test_a_good_package_imports_once(pair, hash_check_mode):
    path, b_db, b = _package(pair)
    first = import_package(b_db, b, path)
    assert first.new_events == 2 and first.rows == {"units": 2}
    # Again: said to be imported already, and the database file is left byte for byte as it was.
    db_file = b_db.url.removeprefix("sqlite:///")
    before = fingerprint_of(db_file)
    with pytest.raises(AlreadyImportedError, match="该数据包已导入过，未做更改"):
        import_package(b_db, b, path)
    assert fingerprint_of(db_file) == before


def test_every_flipped_byte_is_caught(pair):
    path, b_db, b = _package(pair)
    data = path.read_bytes()
    before = fingerprint_of(b_db.url.removeprefix("sqlite:///"))
    # Every byte of a small package; the property: no single flip gets through.
    step = max(1, len(data) // 400)
    for offset in range(0, len(data), step):
        bad = bytearray(data)
        bad[offset] ^= 0x01
        path.write_bytes(bytes(bad))
        with pytest.raises(PackageError):
            import_package(b_db, b, path)
    assert fingerprint_of(b_db.url.removeprefix("sqlite:///")) == before


@pytest.mark.parametrize("keep", [0, 5, 40, 200, -65, -1])
def test_a_truncated_package_says_it_is_incomplete(pair, keep):
    path, b_db, b = _package(pair)
    data = path.read_bytes()
    path.write_bytes(data[:keep] if keep >= 0 else data[:keep])
    _refused(b_db, b, path, "不完整或已损坏|不是巡察工作台的同步包|签名无效")


def test_a_package_for_another_receiver(pair, template):
    (a_db, a), (b_db, b), folder = pair
    c = clone(template, folder / "c.sqlite3", "丙")
    introduce([(a_db, a), c])
    path = folder / "a-to-c.xsync"
    export_package(a_db, a, c[1].site_id, path)
    _refused(b_db, b, path, "发给另一台计算机")


def test_an_unknown_sender(pair, template):
    (a_db, a), (b_db, b), folder = pair
    stranger = clone(template, folder / "x.sqlite3", "陌生人")
    introduce([stranger, (b_db, b)])
    path = folder / "x-to-b.xsync"
    export_package(stranger[0], stranger[1], b.site_id, path)
    from app.models import SyncPeer

    with b_db.write() as session:  # b forgets the stranger
        session.delete(session.get(SyncPeer, stranger[1].site_id))
    _refused(b_db, b, path, "未知的发送方")


def test_a_forged_sender_key(pair, template):
    (a_db, a), (b_db, b), folder = pair
    impostor = clone(template, folder / "imp.sqlite3", "冒充者")
    from app.models import Setting

    # The impostor claims a's site id but has its own keys.
    with impostor[0].write() as session:
        session.merge(Setting(key="site.id", value=str(a.site_id)))
    from app.sync.identity import ensure_identity

    fake = ensure_identity(impostor[0])
    from app.models import SyncPeer, utcnow

    with impostor[0].write() as session:
        session.merge(SyncPeer(site_id=b.site_id, name="乙", role="laptop", x25519_public=b.x25519_public,
                               ed25519_public=b.ed25519_public, added_at=utcnow(), trusted_via="relay"))
    path = folder / "imp-to-b.xsync"
    export_package(impostor[0], fake, b.site_id, path)
    _refused(b_db, b, path, "密钥与本机登记的不一致")


def _rewrite_payload(path, a, b, mutate) -> None:
    """Re-seal a package after changing its payload, as a sender with the right keys would."""
    from app.sync.package import open_body, parse, seal

    envelope = parse(path.read_bytes())
    # Decrypting needs the receiver's key: tests hold both identities.
    payload = open_body(envelope, b)
    mutate(payload)
    header = {k: v for k, v in envelope.header.items() if k == "kind"}
    path.write_bytes(seal(payload, a, receiver_site=str(b.site_id), receiver_x25519=b.x25519_public, extra_header=header))


def test_a_package_from_a_newer_schema(pair):
    (a_db, a), (b_db, b), folder = pair
    path, _, _ = _package(pair)
    _rewrite_payload(path, a, b, lambda p: p["manifest"].update(schema_version="9999_future"))
    _refused(b_db, b, path, "更新版本")


def test_a_newer_package_format(pair):
    path, b_db, b = _package(pair)
    data = bytearray(path.read_bytes())
    struct.pack_into(">H", data, len(MAGIC), 99)
    path.write_bytes(bytes(data))
    _refused(b_db, b, path, "更新版本")


@pytest.fixture(params=["in line", "helper process"])
def hash_check_mode(request, monkeypatch):
    """Both ways a package's hashes are checked: small packages here, large ones in a helper."""
    if request.param == "helper process":
        monkeypatch.setattr("app.sync.hashcheck.PARALLEL_FROM", 1)
    return request.param


def test_an_edited_event_breaks_its_hash(pair, hash_check_mode):
    (a_db, a), (b_db, b), folder = pair
    path, _, _ = _package(pair)

    def tamper(payload):
        payload["events"][0]["fields"]["notes"] = "篡改后的内容"

    _rewrite_payload(path, a, b, tamper)
    _refused(b_db, b, path, "校验值不符")


@pytest.mark.parametrize("damage", ["no fields", "no hash", "not an object", "seq as text", "fields a list",
                                    "supersedes a string", "row id not an id"])
def test_a_malformed_event_is_named(pair, hash_check_mode, damage):
    (a_db, a), (b_db, b), folder = pair
    path, _, _ = _package(pair)

    def spoil(payload):
        if damage == "no fields":
            del payload["events"][-1]["fields"]
        elif damage == "no hash":
            del payload["events"][-1]["hash"]
        elif damage == "seq as text":
            payload["events"][-1]["seq"] = str(payload["events"][-1]["seq"])
        elif damage == "fields a list":
            payload["events"][-1]["fields"] = ["名称", "单位"]
        elif damage == "supersedes a string":
            payload["events"][-1]["supersedes"] = "01a1382c-b340-7f3d-a022-bcf5e4b00690"
        elif damage == "row id not an id":
            payload["events"][-1]["row_id"] = "../../etc/passwd"
        else:
            payload["events"][-1] = ["不是", "变更记录"]

    _rewrite_payload(path, a, b, spoil)
    _refused(b_db, b, path, "格式不正确")


def test_a_broken_chain_is_named(pair):
    (a_db, a), (b_db, b), folder = pair
    path, _, _ = _package(pair)

    def drop_link(payload):
        import datetime as dt

        from app.eventhash import event_hash

        e = payload["events"][-1]
        e["prev_hash"] = "f" * 64  # consistent hash, wrong link
        e["hash"] = event_hash({**e, "recorded_at": dt.datetime.fromisoformat(e["recorded_at"])})

    _rewrite_payload(path, a, b, drop_link)
    _refused(b_db, b, path, "变更链在第")


def _rehash(e) -> None:
    import datetime as dt

    from app.eventhash import event_hash

    e["hash"] = event_hash({**e, "recorded_at": dt.datetime.fromisoformat(e["recorded_at"])})


def _rewrite_senders_last(path, a, b, change) -> None:
    """Change the sender's own newest event in the package, and hash it again consistently."""

    def rewrite(payload):
        last = max((e for e in payload["events"] if e["site_id"] == str(a.site_id)), key=lambda e: e["seq"])
        change(last)
        _rehash(last)

    _rewrite_payload(path, a, b, rewrite)


def test_a_rewritten_history_is_a_fork_not_an_update(pair):
    """The sender's last change arrived before; a package carrying a different change under the same
    number (consistently hashed) is refused rather than taken as news."""
    (a_db, a), (b_db, b), folder = pair
    path, _, _ = _package(pair)
    import_package(b_db, b, path)
    _rewrite_senders_last(path, a, b, lambda last: last["fields"].update(notes="事后改写的内容"))
    _refused(b_db, b, path, "变更链分叉")


def test_an_event_id_taken_by_another_change_is_refused(pair):
    (a_db, a), (b_db, b), folder = pair
    path, _, _ = _package(pair)
    with b_db.read() as session:
        held = str(session.scalars(select(ChangeEvent.id).limit(1)).one())
    _rewrite_senders_last(path, a, b, lambda last: last.update(id=held))
    # A rewritten event is no longer the one its author signed: refused before its id is even used.
    _refused(b_db, b, path, "不在其签名批次中")


def test_a_gap_is_reported_not_accepted(pair):
    (a_db, a), (b_db, b), folder = pair
    path, _, _ = _package(pair)

    def skip_first(payload):
        first = min(payload["events"], key=lambda e: e["seq"])
        payload["events"].remove(first)
        payload["manifest"]["origins"][str(a.site_id)]["base"] = first["seq"]

    _rewrite_payload(path, a, b, skip_first)
    _refused(b_db, b, path, "缺少本机尚未收到的变更")


def test_not_a_package_at_all(pair):
    (_, _), (b_db, b), folder = pair
    path = folder / "notes.txt"
    path.write_text("会议纪要", encoding="utf-8")
    _refused(b_db, b, path, "不是巡察工作台的同步包")
    with pytest.raises(SyncError, match="找不到文件"):
        import_package(b_db, b, folder / "missing.xsync")


def test_the_audit_chain_of_an_edited_local_log_is_refused_by_the_receiver(pair, hash_check_mode):
    """Editing a sent event in the sender's own database is caught on the other side."""
    (a_db, a), (b_db, b), folder = pair
    with a_db.write() as session:
        session.execute(update(ChangeEvent).where(ChangeEvent.site_id == a.site_id).values(
            fields=json.loads('{"notes": "改过的历史"}')))
    path = folder / "edited.xsync"
    export_package(a_db, a, b.site_id, path)
    _refused(b_db, b, path, "校验值不符")

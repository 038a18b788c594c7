"""Lists of names read in pinyin order, as a contact list does."""

from app.collation import pinyin_key
from app.services.inspectors import InspectorService
from app.services.units import UnitService


def test_names_sort_by_pinyin_not_by_code_point(ctx):
    for name in ("赵立新", "钱文静", "孙浩然", "李红梅", "周海峰", "吴敏", "阿里木"):
        InspectorService(ctx).create(name=name)
    names = [i.name for i in InspectorService(ctx).list()]
    assert names == ["阿里木", "李红梅", "钱文静", "孙浩然", "吴敏", "赵立新", "周海峰"]
    assert sorted(["重庆市审计局", "长沙市财政局", "北京市档案局"], key=pinyin_key) == [
        "北京市档案局", "长沙市财政局", "重庆市审计局"]


def test_the_unit_directory_reads_in_pinyin_order(ctx):
    for name in ("市审计局", "市财政局", "市档案馆"):
        UnitService(ctx).create(name=name, kind="gov_dept")
    assert [u.name for u in UnitService(ctx).list()] == ["市财政局", "市档案馆", "市审计局"]


def test_pypinyins_dictionaries_read_in_pieces_are_its_own(tmp_path):
    """The window loads pypinyin in a worker, its dictionaries parsed a piece at a time so that the
    window keeps turning; the pieces must add up to exactly what pypinyin would have read."""
    import importlib.util
    import json
    from pathlib import Path

    from app.collation import parse_in_pieces

    spec = importlib.util.find_spec("pypinyin")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(spec.submodule_search_locations[0])
    for name, separator in (("phrases_dict.json", '],\n"'), ("pinyin_dict.json", '",\n"')):
        text = (folder / name).read_text(encoding="utf-8")
        pieces = parse_in_pieces(text, separator, 1, piece_chars=50_000)
        assert pieces == json.loads(text)
    # A file written differently (one line) is still read whole, not cut wrongly.
    assert parse_in_pieces('{"a": [["ā"]], "b": [["bā"]]}', '],\n"', 1, piece_chars=1) == {"a": [["ā"]], "b": [["bā"]]}


def test_pinyin_is_loaded_from_the_pieces_in_a_fresh_process():
    import subprocess
    import sys

    probe = ("import sys\n"
             "from app.collation import pinyin_key\n"
             "print(sorted(['重庆市审计局', '长沙市财政局', '北京市档案局'], key=pinyin_key))\n"
             "print(type(sys.modules['pypinyin.phrases_dict']).__name__, sys.modules['pypinyin.phrases_dict'].__spec__)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["['北京市档案局', '长沙市财政局', '重庆市审计局']", "module None"]


def test_loading_pypinyin_sets_off_no_full_collection_and_leaves_its_dictionaries_out_of_later_ones():
    """The dictionaries are about a million containers. Built with the cycle collector on, they set
    off full collections that re-scanned all of them as they grew (0.1–0.25 s each with the
    interpreter lock held: the window froze while the pickers loaded); and every later full
    collection would scan them again. In a fresh process: no collection at all while loading (nor
    one of a young generation holding them all, as the collector comes back), and afterwards the
    collector no longer tracks them."""
    import subprocess
    import sys

    probe = ("import gc\n"
             "from app.collation import load_pypinyin\n"
             "seen = []\n"
             "gc.callbacks.append(lambda phase, info: seen.append(info['generation']) if phase == 'start' else None)\n"
             "load_pypinyin()\n"
             "gc.callbacks.clear()\n"
             "from pypinyin.phrases_dict import phrases_dict\n"
             "entry = phrases_dict['中国']\n"
             "tracked = {id(o) for o in gc.get_objects()}\n"
             "print(len(seen), id(entry) in tracked, id(phrases_dict) in tracked, gc.isenabled())\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "False", "False", "True"]

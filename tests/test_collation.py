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

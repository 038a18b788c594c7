"""One converter of Chinese numerals for headings, rounds and teams."""

from app.numerals import cn_number, parse_cn_number


def test_numbers_read_back_as_written():
    assert [cn_number(n) for n in (1, 9, 10, 11, 20, 21, 99)] == ["一", "九", "十", "十一", "二十", "二十一", "九十九"]
    assert all(parse_cn_number(cn_number(n)) == n for n in range(1, 100))
    assert cn_number(0) == "0" and cn_number(100) == "100"
    for bad in ("", "零", "十十", "一十", "二十一一", "廿", "5"):
        assert parse_cn_number(bad) is None, bad

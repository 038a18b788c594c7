"""Text as a 公文 prints it: Chinese quotes and punctuation, no doubled marks, no numbering inside numbering.

Records are typed by many hands, often on keyboards in English mode: "straight quotes", a comma or a
colon in ASCII between Chinese words, "dog.。", a measure pasted as "1.加强…2.健全…". Documents
print what the record says, in the form an official document writes it:

- ASCII quotes become “” ‘’ (opening and closing alternate within a paragraph);
- , ; : ? ! ( ) next to Chinese become ，；：？！（）; Latin runs (URLs, GB/T 9704, 34.4%) stay as typed;
- a mark doubled with another (“。。”, “，。”, “.。”) keeps the stronger one;
- an enumeration inside an item that is itself numbered is rewritten one level down: under "1." the
  parts read （1）（2）, as the practice writes them.
"""

from __future__ import annotations

import re

_CJK = r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
_WIDE = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# Which of two adjacent marks survives: the sentence end over the pause, the pause over nothing.
_STRENGTH = {"。": 3, "？": 4, "！": 4, "；": 2, "：": 2, "，": 1, "、": 0, ".": 1}
_END_MARKS = "。？！；：，、"


def _quotes(text: str) -> str:
    out = []
    double_open = single_open = True
    for i, ch in enumerate(text):
        if ch == '"':
            out.append("“" if double_open else "”")
            double_open = not double_open
        elif ch == "'":
            prev = text[i - 1] if i else ""
            if prev.isascii() and prev.isalnum():  # an apostrophe in Latin text (don't)
                out.append(ch)
            else:
                out.append("‘" if single_open else "’")
                single_open = not single_open
        else:
            out.append(ch)
    return "".join(out)


_ASCII_PUNCT_NEAR_CJK = re.compile(rf"(?<={_CJK})\s*([,;:?!])\s*|\s*([,;:?!])\s*(?={_CJK})")
_PAREN_OPEN = re.compile(rf"\((?=[^()]*{_CJK})")
_PAREN_CLOSE = re.compile(rf"(?<={_CJK})\)|(?<=[）])\)")


def _widen(text: str) -> str:
    text = _ASCII_PUNCT_NEAR_CJK.sub(lambda m: _WIDE[m.group(1) or m.group(2)], text)
    # A bracket holding Chinese is a Chinese bracket, both halves.
    text = _PAREN_OPEN.sub("（", text)
    text = re.sub(r"（([^（）()]*)\)", r"（\1）", text)
    text = _PAREN_CLOSE.sub("）", text)
    # A period closing a Chinese sentence (not a decimal point, not inside Latin).
    text = re.sub(rf"(?<={_CJK})\.(?=\s|$|{_CJK})", "。", text)
    text = re.sub(r"(?<=[%％）”’])\.(?=\s|$)", "。", text)
    return text


_DOUBLED = re.compile(r"([。？！；：，、.])[。？！；：，、.]+")


def _undouble(text: str) -> str:
    def pick(m: re.Match[str]) -> str:
        marks = m.group(0)
        if marks == "……" or set(marks) == {"."} and len(marks) >= 3:
            return marks  # an ellipsis, not a doubled stop
        if marks in ("？！", "！？"):
            return marks
        best = max(marks, key=lambda ch: _STRENGTH.get(ch, 0))
        return "。" if best == "." else best

    return _DOUBLED.sub(pick, text)


def normalize(text: str | None) -> str:
    """The text with Chinese punctuation, no doubled marks and no stray spaces around Chinese."""
    if not text:
        return ""
    t = text.strip()
    t = _quotes(t)
    t = _widen(t)
    t = _undouble(t)
    t = re.sub(rf"(?<={_CJK})[ \t]+(?={_CJK})", "", t)  # spaces typed between Chinese words
    return t


# "1." "1、" "1．" "（1）" "(1)" "①" at the start of the text or after a mark: an inner enumeration.
_INNER = re.compile(r"(?:(?<=^)|(?<=[。；：，\s]))\s*(?:[（(]\s*(\d{1,2})\s*[)）]|(\d{1,2})\s*[.．、](?!\d)|([①-⑳]))")


def flatten_numbering(text: str) -> str:
    """An enumeration inside an already numbered item, one level down: "1.加强…；2.健全…" → "（1）加强…；（2）健全…".

    Only a run that counts up from 1 is taken for an enumeration (a lone "2." is more likely a date or a
    quantity); the numbers are then written （n）.
    """
    matches = list(_INNER.finditer(text))
    values = []
    for m in matches:
        if m.group(3):
            values.append(ord(m.group(3)) - ord("①") + 1)
        else:
            values.append(int(m.group(1) or m.group(2)))
    if len(values) < 2 or values[0] != 1 or values != list(range(1, len(values) + 1)):
        if len(values) == 1 and values[0] == 1 and matches[0].start() == 0:
            return text[matches[0].end():].lstrip()  # "1.只有一条" reads as that one sentence
        return text
    out, last = [], 0
    for m, v in zip(matches, values, strict=True):
        out.append(text[last:m.start()])
        out.append(f"（{v}）")
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def clause(text: str | None) -> str:
    """A normalized text closed with a full stop (unless it already ends with a mark)."""
    t = normalize(text)
    if t and t[-1] not in "。？！；…”’）":
        t += "。"
    elif t.endswith(("；", "，", "、", "：")):
        t = t[:-1] + "。"
    return t

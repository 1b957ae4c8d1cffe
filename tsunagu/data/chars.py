"""Which characters and shapes a data string may have: visible text, ids, URLs, email addresses.

Text from the data may hold any visible character, newlines and tabs. Refused, because a reader
cannot see them and they can change what a page appears to say:
- control characters (Unicode category Cc) other than newline and tab, e.g. "\\x00", "\\e", "\\b";
- format characters (Cf): bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069),
  zero-width spaces and joiners, the byte-order mark, soft hyphens, tag characters;
  the one exception is ZERO WIDTH JOINER (U+200D) between two emoji, which builds one emoji
  (👨‍👩‍👧) and is harmless there;
- line and paragraph separators (U+2028, U+2029) and lone surrogates.
"""

from __future__ import annotations

import unicodedata

from pydantic_core import PydanticCustomError

ZWJ = "\u200d"
_ALLOWED_CONTROLS = {"\n", "\t"}
_EMOJI_PARTS = {"So", "Sk", "Mn"}  # emoji, skin-tone modifiers, variation selectors

# Shapes, referred to by the models and by the messages that explain them
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_HOST = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
# no quotes, angle brackets, spaces, backslashes or backticks: a URL stays a URL in any attribute
URL_PATTERN = r"^https?://" + _HOST + r"(?::[0-9]{1,5})?(?:[/?#][A-Za-z0-9._~!$&()*+,;=:@/?#%-]*)?$"
EMAIL_PATTERN = r"^[A-Za-z0-9._%+-]+@" + _HOST + r"\.[A-Za-z]{2,63}$"


def _hidden(text: str, i: int) -> str | None:
    """What kind of refused character text[i] is, or None if it may stay."""
    ch = text[i]
    cat = unicodedata.category(ch)
    if cat == "Cc" and ch not in _ALLOWED_CONTROLS:
        return "制御文字"
    if cat == "Cf":
        if ch == ZWJ and 0 < i < len(text) - 1 and unicodedata.category(text[i - 1]) in _EMOJI_PARTS \
                and unicodedata.category(text[i + 1]) in _EMOJI_PARTS:
            return None
        return "目に見えない書式の文字（文字の向きを変える文字・幅のない空白など）"
    if cat in ("Zl", "Zp"):
        return "行区切りの特殊な文字"
    if cat == "Cs":
        return "壊れた文字（サロゲート）"
    return None


def visible_text(value: str) -> str:
    """Pydantic validator: the text unchanged, or an error naming the first refused character."""
    for i in range(len(value)):
        kind = _hidden(value, i)
        if kind:
            line = value.count("\n", 0, i) + 1
            where = f"{line} 行目の " if "\n" in value else ""
            raise PydanticCustomError(
                "bad_character",
                "使えない文字（{kind} U+{code}）が {where}{position} 文字目にあります。その文字を消してください",
                {"kind": kind, "code": f"{ord(value[i]):04X}", "where": where,
                 "position": i - (value.rfind("\n", 0, i) + 1) + 1})
    return value


def one_line(text: str) -> str:
    """Text as a message shows it on one line, e.g. a file's name: newlines, tabs and every character
    visible_text refuses written as escapes ("\\n", "\\u202e"), so that a message is never split
    or turned around by the name it quotes."""
    if text.isprintable():
        return text
    return "".join(ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                   if ch in "\n\t\r" or _hidden(text, i) else ch for i, ch in enumerate(text))

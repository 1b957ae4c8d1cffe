"""Pydantic's validation errors, said in Japanese for the people who edit the data."""

from __future__ import annotations

import difflib
import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from . import chars

# English key -> Japanese explanation; {placeholders} come from the error's context
_MESSAGES: dict[str, str] = {
    "missing": "必須の項目がありません。この項目を書いてください",
    "extra_forbidden": "知らない項目です。項目名の綴りを確認してください",
    "string_type": "文字で書いてください",
    "string_too_short": "空にはできません。内容を書いてください",
    "string_too_long": "長すぎます（{max_length} 文字まで）",
    "string_pattern_mismatch": "書き方が正しくありません",
    "list_type": "一覧で書いてください（各行を「- 」で始めます）",
    "too_short": "少なくとも {min_length} 件書いてください",
    "dict_type": "「項目名: 値」の形で書いてください",
    "model_type": "「項目名: 値」の形で書いてください",
    "model_attributes_type": "「項目名: 値」の形で書いてください",
    "int_parsing": "半角の整数で書いてください",
    "int_type": "半角の整数で書いてください",
    "greater_than_equal": "{ge} 以上の数にしてください",
    "less_than_equal": "{le} 以下の数にしてください",
    "bool_parsing": "true か false で書いてください",
    "bool_type": "true か false で書いてください",
    "literal_error": "次のどれかにしてください: {expected}",
    "date_type": "日付は 2025-03 の形で書いてください",
}

_PATTERNS = {
    chars.SLUG_PATTERN: "id は半角の英小文字・数字・ハイフンで書いてください（例: kita-center）",
    chars.URL_PATTERN: "URL は http:// または https:// で始め、空白・引用符・< > を含めずに書いてください",
    chars.EMAIL_PATTERN: "メールアドレスの形式が正しくありません（半角の英数字と . _ % + - だけが使えます）",
}


def japanese(error: ErrorDetails) -> str:
    """The Japanese sentence for one pydantic error, with the offending value where it helps."""
    key = error["type"]
    ctx = error.get("ctx") or {}
    if key == "string_pattern_mismatch":
        text = _PATTERNS.get(str(ctx.get("pattern")), _MESSAGES[key])
    elif key in _MESSAGES:
        try:
            text = _MESSAGES[key].format(**ctx)
        except (KeyError, IndexError):
            text = _MESSAGES[key]
    else:
        text = error["msg"]  # custom errors (phone, date) already speak Japanese
        return text
    value = error.get("input")
    # a value is quoted from its own field only: never a whole file that is not YAML mappings (its
    # first lines could be anything), and never past its first line
    if not error.get("loc"):
        return text
    if isinstance(value, str):
        value = value.split("\n", 1)[0]
    if key not in ("missing", "extra_forbidden") and isinstance(value, (str, int)) and str(value).strip():
        shown = str(value) if len(str(value)) <= 40 else str(value)[:40] + "…"
        text += f" (\"{shown}\")"
    return text


# ----------------------------------------------------------------------------
# One slip, one error: pydantic's errors for one model, read together
# ----------------------------------------------------------------------------

_MAPPING_TYPES = ("model_type", "dict_type", "model_attributes_type")
# a key written with a full-width colon: 「name：北」 read as one piece of text
_FULLWIDTH_COLON = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)[ \u3000]*：")


def _strip(tp: Any) -> Any:
    """The type inside Annotated[...] and X | None (when one type is left)."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _fields(cls: Any) -> dict[str, FieldInfo]:
    """A model's fields by the name written in the data (its alias where it has one)."""
    if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
        return {}
    return {(f.alias or name): f for name, f in cls.model_fields.items()}


def _model_at(cls: Any, loc: tuple) -> Any:
    """The model class the data at loc is read as, or None when it is not one model."""
    tp = cls
    for part in loc:
        tp = _strip(tp)
        if isinstance(part, int):
            if get_origin(tp) not in (list, tuple):
                return None
            args = get_args(tp)
            if not args:
                return None
            tp = args[0]
        else:
            field = _fields(tp).get(str(part))
            if field is None:
                return None
            tp = field.annotation
    tp = _strip(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _field_at(cls: Any, loc: tuple) -> FieldInfo | None:
    if not loc or isinstance(loc[-1], int):
        return None
    return _fields(_model_at(cls, loc[:-1])).get(str(loc[-1]))


def _near(word: str, choices: Any) -> str | None:
    near = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6) if len(word) <= 64 else []
    return near[0] if near else None


def explain(errors: list[ErrorDetails], cls: Any) -> list[tuple[tuple, str, str]]:
    """(loc, Japanese message, key) for the pydantic errors of one file read as cls: one slip, one
    error. An empty value says it is empty; a misspelt key says the key it may be (and the required
    key it leaves missing is not reported again); a list of plain text where each item needs
    「name: 値」 is one error; a key written with a full-width colon says so."""
    out: list[tuple[tuple, str, str]] = []
    done: set[int] = set()
    by_parent: dict[tuple, list[int]] = {}
    for n, err in enumerate(errors):
        by_parent.setdefault(tuple(err["loc"])[:-1], []).append(n)
    # a misspelt key first: it takes the required key it leaves missing
    for n in sorted(range(len(errors)), key=lambda k: errors[k]["type"] != "extra_forbidden"):
        err = errors[n]
        if n in done:
            continue
        loc, key, value = tuple(err["loc"]), err["type"], err.get("input")
        if not loc:
            done.add(n)
            if key in _MAPPING_TYPES and isinstance(value, str) and _FULLWIDTH_COLON.match(value):
                word = _FULLWIDTH_COLON.match(value).group(1)
                out.append((loc, f"全角の「：」を半角の「:」にしてください（「{word}: 値」のように、「:」の後に半角スペース）",
                            "yaml_fullwidth_colon"))
            else:
                out.append((loc, japanese(err), key))
            continue
        name = str(loc[-1])
        parent = loc[:-1]
        # a key with a full-width space around it: 「　name: 北」
        if key == "extra_forbidden" and name.strip(" \u3000") != name and "\u3000" in name:
            done.add(n)
            done |= {k for k in by_parent.get(parent, []) if errors[k]["type"] == "missing"
                     and str(errors[k]["loc"][-1]) == name.strip(" \u3000")}
            fix = "行頭の全角スペースを半角スペースにしてください" if name.lstrip(" ").startswith("\u3000") else \
                "項目名の前後の全角スペースを消してください"
            out.append((loc, f"項目名「{chars.one_line(name)[:40]}」に全角スペースが入っています。{fix}", "yaml_fullwidth_space"))
            continue
        if key == "extra_forbidden":
            done.add(n)
            known = _fields(_model_at(cls, parent))
            missing = {str(errors[k]["loc"][-1]): k for k in by_parent.get(parent, [])
                       if errors[k]["type"] == "missing" and k not in done}
            near = _near(name, missing) or _near(name, known)
            if near is None:
                out.append((loc, japanese(err), key))
                continue
            if near in missing:
                done.add(missing[near])
            out.append((loc, f"知らない項目「{chars.one_line(name)[:40]}」です。もしかして {near}？ 項目名を「{near}」に直してください", key))
            continue
        if value is None and key != "missing":
            done.add(n)
            field = _field_at(cls, loc)
            if isinstance(loc[-1], int):
                out.append((loc, "空の項目です。「- 」の後に値を書くか、使わないならこの行を消してください", "empty_value"))
            else:
                shape = _strip(field.annotation) if field is not None else None
                if get_origin(shape) in (list, tuple):
                    what = "次の行から字下げして「- 」で始め、一覧を書いてください"
                elif isinstance(shape, type) and issubclass(shape, BaseModel):
                    what = "次の行から字下げして「項目名: 値」を書いてください"
                else:
                    what = f"「{name}: 値」のように「:」の後に値を書いてください"
                if field is not None and not field.is_required():
                    what = what.removesuffix("ください") + "くださいか、使わないならこの行を消してください"
                    what = what.replace("書いてくださいか、", "書くか、")
                out.append((loc, f"空です。{what}", "empty_value"))
            continue
        if key == "string_type" and isinstance(value, list) and isinstance(name, str):
            # a list under the one-value key of a pair such as area / areas, field / fields
            plural = _fields(_model_at(cls, parent)).get(name + "s")
            if plural is not None and get_origin(_strip(plural.annotation)) in (list, tuple):
                done.add(n)
                out.append((loc, f"{name} には一つだけ書きます。一覧なら、もしかして {name}s？ 項目名を「{name}s」にしてください",
                            "string_type"))
                continue
        if key in _MAPPING_TYPES and isinstance(value, str) and _FULLWIDTH_COLON.match(value):
            done.add(n)
            word = _FULLWIDTH_COLON.match(value).group(1)
            out.append((loc, f"全角の「：」を半角の「:」にしてください（「{word}: 値」のように、「:」の後に半角スペース）", "yaml_fullwidth_colon"))
            continue
        if key in _MAPPING_TYPES and isinstance(value, str) and isinstance(loc[-1], int):
            # a list of plain text where each item is 「name: 値」: one error for the whole list
            same = [k for k in by_parent.get(parent, []) if k not in done and errors[k]["type"] in _MAPPING_TYPES
                    and isinstance(errors[k].get("input"), str) and not _FULLWIDTH_COLON.match(errors[k]["input"])]
            done |= set(same)
            item = _model_at(cls, loc)
            fields = _fields(item)
            first = next((f for f, info in fields.items() if info.is_required()), next(iter(fields), None))
            example = chars.one_line(value.split("\n", 1)[0])[:40]
            if first is None:
                out.append((loc, japanese(err), key))
                continue
            where = f"{parent[-1]} の" if parent and isinstance(parent[-1], str) else ""
            out.append((parent + (loc[-1],),
                        f"{where}各項目は「- {first}: {example}」のように「{first}: 」を付けて書いてください"
                        f"（{len(same)} 件）", "item_needs_key"))
            continue
        done.add(n)
        out.append((loc, japanese(err), key))
    return out


def field_path(loc: tuple) -> str:
    """("agencies", 3, "phones", 0, "number") -> agencies[3].phones[0].number"""
    out = ""
    for part in loc:
        if part == "[key]":  # a mapping's key (readings.yml's written form): the key itself is the place
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# ----------------------------------------------------------------------------
# Every error a person editing the data may meet: key, what the message says, what to do.
# Shown on the site's editing guide; a test keeps it complete.
# ----------------------------------------------------------------------------

CATALOGUE: list[tuple[str, str, str]] = [
    ("yaml_syntax", "YAML の書き方に誤りがあります", "示された行とその前の行の、字下げ（行頭の半角スペース）、「:」の後の空白、引用符の閉じ忘れを確かめます。"),
    ("yaml_tab", "行頭にタブがあります", "行頭のタブを消して、半角スペースで字下げします。"),
    ("yaml_fullwidth_space", "全角スペースがあります", "行頭や「:」「-」の後の全角スペース（　）を半角スペースにします。"),
    ("yaml_fullwidth_colon", "全角の「：」があります", "項目名の後の全角の「：」を半角の「:」にし、その後に半角スペースを入れます（例: name: 北の窓口）。"),
    ("empty_value", "空です", "「:」の後に値を書きます。書かなくてよい項目なら、その行ごと消します。"),
    ("item_needs_key", "一覧の各項目に項目名が要ります", "「- 西町」ではなく「- name: 西町」のように、各項目に項目名を付けて書きます。"),
    ("bad_character", "使えない文字が含まれています", "示された行から、目に見えない制御文字を消します（別のソフトから貼り付けたときに入ることがあります）。"),
    ("duplicate_key", "同じ項目が二度書かれています", "同じまとまりの中に同じ項目名が二つあります。どちらか一方を消します。"),
    ("missing", "必須の項目がありません", "示された場所に、その項目を書き足します。"),
    ("extra_forbidden", "知らない項目です", "項目名の綴りを確かめます（例: adress ではなく address）。"),
    ("string_type", "文字で書いてください", "一覧や「項目: 値」ではなく、文字を書きます。"),
    ("string_too_short", "空にはできません", "内容を書くか、使わない項目なら行ごと消します。"),
    ("string_pattern_mismatch", "書き方が正しくありません（id・URL・メールアドレス）", "id は半角の英小文字・数字・ハイフンだけで書きます。"),
    ("list_type", "一覧で書いてください", "各行を「- 」で始めるか、[a, b] の形で書きます。"),
    ("too_short", "少なくとも N 件書いてください", "一覧に項目を足します（例: 電話番号は一つ以上）。"),
    ("dict_type", "「項目名: 値」の形で書いてください", "字下げをそろえ、「項目名: 値」の形にします。"),
    ("model_type", "「項目名: 値」の形で書いてください", "字下げをそろえ、「項目名: 値」の形にします。"),
    ("int_parsing", "半角の整数で書いてください", "番号は 1、2 のような半角数字で書きます。"),
    ("literal_error", "次のどれかにしてください", "決められた値（例: given / not_given）の中から選びます。"),
    ("invalid_phone", "電話番号の形式が正しくありません", "市外局番から書きます（例: 03-1234-5678）。英字の O と数字の 0 の取り違えにも注意します。"),
    ("phone_type", "電話番号は文字列で書いてください", "電話番号を 03-1234-5678 の形で書きます（一覧や「項目: 値」にしない）。"),
    ("invalid_date", "日付の形式が正しくありません", "2025-03（年-月）または 2025-03-31 の形で書きます。"),
    ("duplicate_id", "id が二度使われています", "id はほかと重ならない名前にします。"),
    ("duplicate_area", "同じ町名を二つの相談先が担当しています", "同じ種別の中では、一つの町名は一つの相談先の areas にだけ書きます。"),
    ("duplicate_role", "住民の最初の相談を受ける事業が二つあります", "role: consultation は一つの事業にだけ書きます。"),
    ("empty_category", "相談先が一つもない種別があります", "agencies にその種別の相談先を書き足すか、使わない種別なら categories から消します（消す前に、その種別を使っている事業や結果も直します）。"),
    ("no_phone", "結果に電話番号がありません", "結果の contacts に電話番号のある相談先を書くか、national に 110・119 などを書きます。"),
    ("misspelt_id", "定義した id がどこからも使われず、よく似た id が使われています", "定義の id の綴りを、使っている側に合わせます（示された数の誤りがまとめて直ります）。"),
    ("unknown_id", "id が見つかりません", "綴りを確かめるか、その id の相談先・事業・会議などを先に追加します。"),
    ("missing_file", "必要なファイルがありません", "ファイルを消していないか、ファイル名を確かめます。"),
    ("missing_data_dir", "データのフォルダが見つかりません", "フォルダ名を確かめます。"),
    ("unreadable", "ファイルを読めません", "ファイルが開けるか、ほかのプログラムが使っていないかを確かめます。"),
    ("yaml_too_deep", "入れ子が深すぎて読めません", "字下げが深くなりすぎていないか、アンカー（&）と参照（*）が自分自身を指していないかを確かめます。"),
    ("not_utf8", "文字コードを UTF-8 にしてください", "エディタで文字コードに UTF-8 を選んで保存し直します。"),
    ("unknown_start", "最初の質問が見つかりません", "flow の start に、questions にある質問の id を書きます。"),
    ("dangling_option", "選択肢の行き先がありません", "next に、ある質問か結果の id を書きます。"),
    ("cycle", "質問が堂々めぐりになっています", "どの選択肢をたどっても、いつかは結果に着くようにします。"),
    ("unreachable", "どの選択肢からもたどり着けません", "その質問・結果に進む選択肢を足すか、使わないなら消します。"),
    ("reserved_id", "その id は使えません", "サイトが自分のページや画面の部品に使う名前（index、ts-main、ts-menu など）です。別の id にします。"),
    ("template_error", "ページのテンプレートに誤りがあります", "docs/ のページの {{ }} や {% %} の書き方を確かめます（開発担当者に相談してください）。"),
    ("invalid_results", "試験結果の記録が読めません", "アクセシビリティ試験を記録し直します（開発担当者に相談してください）。"),
    # limits and odd files (tsunagu/data/limits.py states every limit)
    ("string_too_long", "長すぎます", "文を短くするか、いくつかの段落・項目に分けます。"),
    ("file_too_large", "ファイルが大きすぎます", "別のファイルを間違えて置いていないか確かめます。データのファイルは普通は数十 KB です。"),
    ("empty_file", "ファイルが空です", "内容を書くか、使わないファイルなら消します。"),
    ("binary_file", "文字のファイルではありません", "画像や Excel などのファイルを .yml の名前で置いていないか確かめます。"),
    ("not_a_file", "ファイルのはずの場所がフォルダや装置になっています", "その名前のフォルダやリンクを消して、データのファイルを置きます。"),
    ("link_loop", "リンクが自分自身を指しています", "リンク（ショートカット）を消して、ファイルそのものを置きます。"),
    ("broken_link", "リンク先のファイルがありません", "リンク（ショートカット）を消して、ファイルそのものを置きます。"),
    ("outside_data_folder", "データのフォルダの外にあるファイルへのリンクです", "リンク（ショートカット）を消して、ファイルそのものをデータのフォルダに置きます。リンク先は読みません。"),
    ("flows_not_a_folder", "flows がフォルダではありません", "flows という名前のファイルを消し、flows フォルダに質問の流れのファイルを入れます。"),
    ("yaml_complex_key", "項目名には文字だけを書いてください", "「項目名: 値」の項目名に、一覧や参照（*）を書かないようにします。"),
    ("yaml_tag", "タグ（!!）は使えません", "「!!str」などの「!」で始まる書き方を消します。"),
    ("yaml_too_many_aliases", "参照（*）が多すぎます", "参照（*）を使わずに、内容をそのまま書きます。"),
    ("yaml_too_large", "アンカー（&）と参照（*）を広げると大きすぎます", "参照（*）を使わずに、内容をそのまま書きます。"),
    ("yaml_recursive_alias", "参照（*）が自分自身を指しています", "参照（*）が、それを含むまとまりのアンカー（&）を指さないようにします。"),
    ("flow_too_large", "質問の流れのページが多すぎます", "示された質問の分かれ道を同じ結果にまとめるか、流れを二つに分けます。"),
    ("flow_url_too_long", "質問の流れの URL が長すぎます", "選択肢の id を短くするか、質問の数を減らします。"),
    ("site_too_large", "サイト全体のページが多すぎます", "示された質問の流れのうち使わないものを消すか、分かれた道筋を同じ結果にまとめます。"),
    ("data_too_large", "データのファイルが合わせて大きすぎます", "示された大きいファイルのうち、間違えて置いたものや使わない質問の流れのファイルを消します。"),
    # opening hours (tsunagu/data/hours.py)
    ("hours_time", "時刻は 08:30 の形で書いてください", "24 時間制の半角数字で「時:分」と書きます（午後5時15分なら \"17:15\"）。"),
    ("hours_date", "日付は 12-29 の形で書いてください", "年末年始の休みなどの日付は、半角で「月-日」と書きます（1月3日なら \"01-03\"）。"),
    ("hours_all_day", "all_day: true のときは opens・closes を書きません", "一日中受け付けるなら opens と closes の行を消し、時間で区切るなら all_day の行を消します。"),
    ("hours_pair", "opens と closes は両方書いてください", "受付の始まり（opens）と終わり（closes）を両方書きます。"),
    ("hours_both", "days・opens・closes と periods は、どちらか一方だけ書いてください", "時間帯が一つなら days・opens・closes を、曜日で時間が違うなら periods の一覧だけを書きます。"),
    ("hours_days", "曜日（days）を書いてください", "受け付ける曜日を days: [mon, tue, wed, thu, fri] のように書きます。"),
    ("hours_new_year", "new_year を書くときは closed に new-year も書いてください", "closed の一覧に new-year を足すか、new_year の行を消します。"),
    ("hours_empty", "受付時間の内容を書いてください", "曜日と時刻を書くか、資料の言葉をそのまま hours: の後に書きます。わからなければ hours の行ごと消します。"),
    ("page_collision", "二つのページが同じ URL になります", "示された id を、ほかのページと重ならない名前にします。"),
    # readings (ふりがな, readings.yml)
    ("reading_not_kana", "読みは、ひらがな（外来語の部分はカタカナ）と「ー」だけで書いてください", "「書き方: よみ」のよみを、漢字・英字・空白・記号のない、かなだけにします（例: 東町: ひがしまち）。"),
    ("reading_form_no_kanji", "漢字のない言葉には読みを書きません", "「書き方: よみ」の書き方は、ページにあるとおり漢字を含めて書きます。ひらがな・カタカナだけの言葉には、ふりがなは付きません。"),
    ("reading_conflict", "用語集と読みのファイルで、同じ言葉の読みが違います", "glossary.yml の reading と readings.yml の読みを、どちらか一方にそろえます（用語集にあれば readings.yml には書かなくてかまいません）。"),
    ("unread_word", "読みがわからない言葉があります（注意）", "tsunagu check が示した言葉を、readings.yml に「書き方: よみ」の形で書き足します。これは誤りではなく注意で、サイトは作れます。"),
    ("no_easy_japanese", "やさしい日本語（easy）がありません（注意）", "tsunagu check が示した項目に、easy: を書き足します（書き方は「やさしい日本語（easy）を書く」）。書くまでは、やさしい日本語のページに、もとの文と「この部分は、まだ、やさしい言葉で書いていません。」を表示します。これは誤りではなく注意で、サイトは作れます。"),
]

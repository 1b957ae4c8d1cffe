"""Pydantic's validation errors, said in Japanese for the people who edit the data."""

from __future__ import annotations

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


def field_path(loc: tuple) -> str:
    """("agencies", 3, "phones", 0, "number") -> agencies[3].phones[0].number"""
    out = ""
    for part in loc:
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
    # limits and odd files (tsunagu/limits.py states every limit)
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
    ("page_collision", "二つのページが同じ URL になります", "示された id を、ほかのページと重ならない名前にします。"),
]
